"""Telling the text encoding of a subtitle file, with the track's language as a hint.

Order of evidence, strongest first: a byte-order mark (UTF-8, UTF-16, UTF-32); the NUL
pattern of BOM-less UTF-16/32; strict UTF-8; then the legacy code pages
(`screenkit.subtitles.codepages`). Those are chosen by the letters a language actually uses
(`screenkit.subtitles.letters`): each page's reading is scored by letter-pair models of the
languages kept in that page (Italian in cp1252 reads "è già così", in cp1250 "č giŕ cosě",
which no language writes), and the likeliest (page, language) wins. With a language hint
only that language's pages are scored. Where another page's reading stays nearly as likely,
`Decoded.alternatives` names it, so that ``subs check`` and ``subs convert`` can say so.
Languages without a model (Hebrew, Arabic, CJK, Baltic …) fall back to a mojibake score
(control characters, symbols inside words, case flipping inside words, letters from the
wrong script) over the language's pages or, without a hint, the common pages and
charset-normalizer's guess.
"""

from __future__ import annotations

import codecs
import dataclasses
import itertools
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from screenkit.errors import SubtitleError
from screenkit.subtitles.codepages import (
    COMMON,
    SCRIPT_OF,
    candidates_for,
    letter_pages,
)

if TYPE_CHECKING:
    from screenkit.subtitles.letters import Choice

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Punctuation that real text puts next to letters in any of these languages.
_FRIENDLY = set("«»„“”‘’‚‹›–—…·•\u00a0¡¿°§№€£¥©®™×÷½¼¾²³¹ªº")
_WORDISH = re.compile(
    r"[^\s\x00-\x40\x5b-\x60\x7b-\x7f]*[^\x00-\x7f][^\s\x00-\x40\x5b-\x60\x7b-\x7f]*"
)
_MAX_WORDS = 4000
# Cyrillic letters of Serbian and Macedonian only: in other languages' text they are
# usually the trace of a wrong code page (mac-cyrillic's capitals read as cp1251).
_RARE_CYRILLIC = set("ЂђЃѓЉљЊњЌќЋћЏџЅѕЈј")
_RARE_CYRILLIC_USERS = {"sr": "ЂђЈјЉљЊњЋћЏџ", "mk": "ЃѓЅѕЈјЉљЊњЌќЏџ"}
_EXOTIC_BIAS = 0.3


@dataclass(frozen=True)
class Decoded:
    """Text and how it was read: the Python codec name, whether a byte-order mark led."""

    text: str
    codec: str
    bom: bool = False
    nul_count: int = 0
    alternatives: tuple[tuple[str, str], ...] = ()
    """Other legacy readings that stay plausible: (codec, the language it reads as)."""
    reads_as: str | None = None
    """The language a legacy reading's letters look like (without a hint)."""

    @property
    def label(self) -> str:
        """What people are shown: ``cp1251``, ``utf-8 (BOM)``, ``utf-16-le (BOM)``."""
        return f"{self.codec} (BOM)" if self.bom else self.codec

    @property
    def is_utf8(self) -> bool:
        return self.codec in ("utf-8", "ascii")


@cache
def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    first = name.split(" ")[0] if name else ""
    if first in ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "HALFWIDTH", "FULLWIDTH"):
        return "CJK"
    return first


def mess_score(text: str, script: str | None = None, lang: str | None = None) -> float:
    """Mojibake per non-ASCII character: 0 for clean text, higher for worse.

    Looks only at words holding non-ASCII characters (and at most a few thousand of them),
    so it costs little on long files.
    """
    found = _WORDISH.finditer(text, 0, min(len(text), 2_000_000))
    words = [m.group(0) for m in itertools.islice(found, _MAX_WORDS)]
    if not words:
        return 0.0
    rare_ok = _RARE_CYRILLIC_USERS.get((lang or "").split("-")[0], "")
    penalty = 0.0
    counted = 0
    scripts: dict[str, int] = {}
    for word in words:
        prev_lower = False
        word_scripts: set[str] = set()
        latin_ascii = latin_other = 0
        last = len(word) - 1
        for i, ch in enumerate(word):
            if ord(ch) < 0x80:
                if ch.isalpha():
                    latin_ascii += 1
                    word_scripts.add("LATIN")
                prev_lower = ch.islower()
                continue
            counted += 1
            cat = unicodedata.category(ch)
            if cat[0] == "C":  # controls (C1), unassigned, private use
                penalty += 5
                continue
            if cat[0] == "L":
                sc = _script(ch)
                word_scripts.add(sc)
                scripts[sc] = scripts.get(sc, 0) + 1
                if sc == "LATIN":
                    latin_other += 1
                elif script and sc != script:
                    penalty += 1
                if sc == "CYRILLIC" and ch in _RARE_CYRILLIC and ch not in rare_ok:
                    penalty += 0.5  # "Џривет": mac-cyrillic read as cp1251
                if ch.isupper() and prev_lower:
                    penalty += 1  # "пРИВЕТ": koi8 read as cp1251
                prev_lower = ch.islower()
            elif cat[0] == "M":
                continue
            elif 0 < i < last or ch not in _FRIENDLY:
                penalty += 1  # "Za¿ó³æ": cp1250 read as cp1252
        if len(word_scripts) > 1:
            penalty += 1
        if latin_other >= 3 and latin_ascii == 0:
            # "Ïðèâåò": cp1251 read as cp1252; real Latin words keep some plain letters
            penalty += 0.5 * latin_other
    if script is None and scripts:
        # without a hint, letters outside the dominant script are suspect
        main = max(scripts.values())
        penalty += sum(scripts.values()) - main
    return penalty / max(counted, 1)


def _bomless_utf16_32(data: bytes) -> str | None:
    """UTF-16/32 without a BOM shows as NULs in a regular pattern (mostly-ASCII text)."""
    n = len(data)
    if n < 8 or data.count(0) < n // 8:
        return None
    sample = data[: 1 << 16]
    m = len(sample)
    zero_at = [sample[i::4].count(0) / max(1, len(sample[i::4])) for i in range(4)]
    # UTF-32: the top byte is always zero, the next one outside the supplementary planes
    if n % 4 == 0 and zero_at[3] > 0.99 and zero_at[2] > 0.9:
        return "utf-32-le"
    if n % 4 == 0 and zero_at[0] > 0.99 and zero_at[1] > 0.9:
        return "utf-32-be"
    even = sample[0::2].count(0) / max(1, (m + 1) // 2)
    odd = sample[1::2].count(0) / max(1, m // 2)
    if n % 2 == 0 and odd > 0.25 and even < 0.02:
        return "utf-16-le"
    if n % 2 == 0 and even > 0.25 and odd < 0.02:
        return "utf-16-be"
    return None


@dataclass(frozen=True)
class _Legacy:
    text: str
    codec: str
    alternatives: tuple[tuple[str, str], ...] = ()
    reads_as: str | None = None


def letter_choice(data: bytes, lang: str | None = None) -> Choice | None:
    """What the letter models make of legacy bytes (`screenkit.subtitles.letters.choose`).

    With a modelled language as hint, its code pages are scored under its model; without a
    hint, every code page of a modelled language under each language using it. None when
    no model decides (the language has none, or the text reads as no modelled language).
    """
    from screenkit.subtitles.letters import choose, model

    hinted = candidates_for(lang)
    if hinted:
        base = (lang or "").split("-")[0].lower()
        if model(base) is None:
            return None
        pages = tuple(codecs.lookup(c).name for c in hinted)
        return choose(data, pages, lambda _codec: (base,))
    pages, users = letter_pages()
    return choose(data, pages, lambda codec: users.get(codec, ()))


def _by_letters(data: bytes, lang: str | None) -> _Legacy | None:
    choice = letter_choice(data, lang)
    if choice is None:
        return None
    text = data.decode(choice.codec)
    if mess_score(text, SCRIPT_OF.get(choice.codec), choice.lang) > 1.5:
        return None
    hinted = bool(candidates_for(lang))
    return _Legacy(text, choice.codec, choice.alternatives, None if hinted else choice.lang)


def _legacy(data: bytes, lang: str | None) -> _Legacy | None:
    """The best-scoring legacy decoding, or None when every one looks like mojibake.

    With a language, its code pages are tried in order and the first clean one wins. Without
    one, the common code pages and charset-normalizer's guess are scored; where several
    score alike but read differently (Croatian in cp1250 reads as plausible French-looking
    letters in cp1252), the detector's letter statistics break the tie.
    """
    by_letters = _by_letters(data, lang)
    if by_letters is not None:
        return by_letters
    hinted = candidates_for(lang)
    script = SCRIPT_OF.get(hinted[0]) if hinted else None
    guess: str | None = None
    tried: list[str] = list(hinted)
    if not hinted:
        from charset_normalizer import from_bytes

        best = from_bytes(data[: 1 << 18]).best()
        guess = codecs.lookup(best.encoding).name if best is not None else None
        tried = list(COMMON)
        if guess is not None and guess not in {codecs.lookup(c).name for c in tried}:
            tried.append(guess)
    scored: list[tuple[float, int, str, str]] = []
    for order, codec in enumerate(tried):
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        score = mess_score(text, script, lang)
        if not hinted and codec not in COMMON:
            score += _EXOTIC_BIAS  # a detector's guess must clearly beat the usual code pages
        scored.append((round(score, 2), order, codecs.lookup(codec).name, text))
        if scored[-1][0] == 0 and hinted:
            break  # the language's first clean code page wins
    if not scored:
        return None
    low = min(scored)[0]
    if low > 1.5:
        return None
    tied = sorted(s for s in scored if s[0] <= low + 0.01)
    chosen = tied[0]
    if guess is not None:
        guessed = next((s for s in tied if s[2] == guess), None)
        if guessed is not None:
            # the same text under several names keeps the most common name
            chosen = next(s for s in tied if s[3] == guessed[3])
    return _Legacy(chosen[3], chosen[2])


def decode_bytes(data: bytes, lang: str | None = None, *, what: str = "the file") -> Decoded:
    """Decode subtitle bytes; raise `SubtitleError` when no encoding gives plausible text."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                raise SubtitleError(
                    f"{what} starts with a {codec} byte-order mark but is not valid {codec} "
                    f"(byte {exc.start + len(bom)})",
                    value=codec,
                ) from exc
            return _finish(text, codec, bom=True)
    found = _bomless_utf16_32(data)
    if found is not None:
        try:
            text = data.decode(found)
        except UnicodeDecodeError:
            pass
        else:
            if not _control_heavy(text):
                return _finish(text, found)
    _refuse_binary(data, what)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return _finish(text, "ascii" if text.isascii() else "utf-8")
    legacy = _legacy(data, lang)
    if legacy is None:
        raise SubtitleError(
            f"cannot tell the text encoding of {what}",
            hint="pass --encoding (for example cp1251 or cp1250) if you know it",
        )
    read = _finish(legacy.text, legacy.codec)
    return dataclasses.replace(read, alternatives=legacy.alternatives, reads_as=legacy.reads_as)


def describe_doubt(
    codec: str,
    reads_as: str | None,
    alternatives: tuple[tuple[str, str], ...],
    option: str = "--encoding",
) -> str | None:
    """``… read as cp1252 (the letters look like 'it' text), but cp1250 (like 'sk' text)
    reads plausibly too; …``, naming the option that settles it; None without a doubt."""
    if not alternatives:
        return None
    looks = f" (the letters look like '{reads_as}' text)" if reads_as else ""
    others = ", ".join(f"{c} (like '{lang}' text)" for c, lang in alternatives)
    first = alternatives[0][0]
    return (
        f"the encoding is a close call: read as {codec}{looks}, but {others} "
        f"{'reads' if len(alternatives) == 1 else 'read'} plausibly too; look at the text, and "
        f"if it is wrong give the encoding ({option} {first}) or the track's language "
        f"(--lang, or name the file like it.srt)"
    )


def decode_with(data: bytes, codec: str, *, what: str = "the file") -> Decoded:
    """Decode with an encoding the user named (a BOM of that family is skipped)."""
    try:
        name = codecs.lookup(codec).name
    except LookupError:
        raise SubtitleError(f"'{codec}' is not an encoding Python knows", value=codec) from None
    try:
        text = data.decode(name)
    except UnicodeDecodeError as exc:
        raise SubtitleError(
            f"{what} cannot be read as {codec}: byte {exc.start} (0x{data[exc.start]:02x}) "
            "is not valid there",
            value=codec,
        ) from exc
    bom = text.startswith("\ufeff")
    return _finish(text.removeprefix("\ufeff"), name, bom=bom)


def _control_heavy(text: str) -> bool:
    """More than 1% control characters (tabs and line breaks aside): not text in this codec."""
    sample = text[: 1 << 15]
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\n\r\f\v\x00")
    return controls > max(2, len(sample) // 100)


def _finish(text: str, codec: str, *, bom: bool = False) -> Decoded:
    """NULs become U+FFFD (as WebVTT parsers do), so they cannot cut a line short later."""
    nuls = text.count("\x00")
    if nuls:
        text = text.replace("\x00", "\ufffd")
    return Decoded(text=text, codec=codec, bom=bom, nul_count=nuls)


_SIGNATURES: tuple[tuple[int, bytes, str], ...] = (
    (3, b"STL", "an EBU STL file (binary broadcast subtitles)"),
    (0, b"PG", "a Blu-ray PGS (image) subtitle stream"),
    (0, b"\x00\x00\x01\xba", "a VobSub/DVD (image) subtitle stream"),
    (0, b"\x1aE\xdf\xa3", "a Matroska/WebM media file"),
    (4, b"ftyp", "an MP4/MOV media file"),
    (0, b"PK\x03\x04", "a ZIP archive"),
    (0, b"%PDF", "a PDF document"),
    (0, b"\x89PNG", "a PNG image"),
    (0, b"\xff\xd8\xff", "a JPEG image"),
    (0, b"\x1f\x8b", "a gzip archive"),
    (0, b"RIFF", "a RIFF (WAV/AVI) media file"),
    (0, b"Rar!", "a RAR archive"),
    (0, b"7z\xbc\xaf", "a 7-Zip archive"),
)
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\v\x1a\x00")


def _refuse_binary(data: bytes, what: str) -> None:
    """Stop at binary data before any code page turns it into plausible-looking letters."""
    for offset, magic, kind in _SIGNATURES:
        if data[offset : offset + len(magic)] == magic:
            raise SubtitleError(
                f"{what} is {kind}, not a text subtitle file",
                hint="convert it to SRT first (Subtitle Edit reads most subtitle formats)",
                value=kind,
            )
    sample = data[: 1 << 16]
    controls = sum(1 for b in sample if b < 0x20 and b not in _TEXT_CONTROLS)
    nuls = sample.count(0)
    if controls > max(2, len(sample) // 100) or nuls > max(8, len(sample) // 10):
        raise SubtitleError(f"{what} holds binary data, not subtitle text", value="binary")
