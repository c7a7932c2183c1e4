"""A subtitle track as a gettext catalogue: one message per cue, the shapes both ways share.

Translators know gettext catalogues from software (Poedit, Lokalize, Weblate); a track
becomes one: each cue a message whose ``msgid`` is the original's text (tags as the file
wrote them, lines separated by ``\\n``) and whose context is the cue's number and times,
``12 00:01:02,500 --> 00:01:05,000``. The context keeps two cues with the same words apart
(gettext keys a message by context and msgid) and carries the timing through any tool,
so the catalogue alone can be turned back into a track. The notes for the translator
(``#.`` extracted comments, which those tools show beside the text and which ``msgmerge``
regenerates, unlike ``#`` comments that belong to the translator) repeat the times and give
the language's reading limits for that cue.

Catalogues are read and written by Babel; the header is gettext's (Language, Plural-Forms
from Babel's CLDR data, ``Project-Id-Version`` the film's title), so that GNU ``msgfmt
--check`` accepts the file.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pysubs2
from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import denormalize, normalize, read_po, write_po

from screenkit import __version__
from screenkit.errors import InputError, SubtitleError
from screenkit.media.atomic import write_bytes_atomic
from screenkit.subtitles.load import Track, srt_tags_to_ass
from screenkit.subtitles.timecode import format_time

_CONTEXT = re.compile(r"^\s*#?(\d+)\s+(\d+:\d\d:\d\d,\d{3})\s*-->\s*(\d+:\d\d:\d\d,\d{3})\s*$")
_TIME = re.compile(r"(\d+):(\d\d):(\d\d),(\d{3})")
_ASS_BREAK = re.compile(r"\\[Nn]")
_NO_WRAP = 1_000_000
"""Babel's line width: nothing is wrapped but at the cue's own line breaks (Babel wraps
notes at 76 columns when given 0)."""


@dataclass(frozen=True)
class Cue:
    """One cue as a translator sees it: its place in its file, its times, its text."""

    number: int
    """1-based position in the file, as subtitle editors number cues."""
    start: int
    end: int
    text: str
    """Lines joined by ``\\n``; SRT/WebVTT tags (``<i>``) and positions (``{\\an8}``) kept."""

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.number, self.start, self.end)

    @property
    def context(self) -> str:
        """The message context: ``12 00:01:02,500 --> 00:01:05,000``."""
        return f"{self.number} {format_time(self.start)} --> {format_time(self.end)}"

    @property
    def duration(self) -> int:
        return self.end - self.start


def _ms(text: str) -> int:
    m = _TIME.fullmatch(text)
    assert m is not None
    h, mi, s, ms = (int(g) for g in m.groups())
    return ((h * 60 + mi) * 60 + s) * 1000 + ms


def parse_context(context: str | None) -> tuple[int, int, int] | None:
    """(number, start, end) from a context `Cue.context` wrote; None for any other."""
    m = _CONTEXT.match(context or "")
    if m is None:
        return None
    return int(m.group(1)), _ms(m.group(2)), _ms(m.group(3))


def cue_text(track: Track, index: int) -> str:
    """Event ``index``'s text for a catalogue: as written (tags kept), lines joined by ``\\n``."""
    raw = track.markup[index] if len(track.markup) == len(track.subs) else track.subs[index].text
    lines = _ASS_BREAK.sub("\n", raw).replace("\r", "").split("\n")
    return "\n".join(line.strip() for line in lines).strip("\n")


def track_cues(track: Track) -> tuple[list[Cue], list[int]]:
    """The cues of ``track`` with text, and the numbers of those without (nothing to translate)."""
    cues: list[Cue] = []
    empty: list[int] = []
    for i, event in enumerate(track.subs):
        if event.is_comment:
            continue
        text = cue_text(track, i)
        if not text.strip():
            empty.append(i + 1)
            continue
        cues.append(Cue(i + 1, event.start, event.end, text))
    return cues, empty


def event_text(text: str) -> str:
    """A translation (``\\n`` between lines, SRT tags) as a pysubs2 event's text."""
    lines = [line.strip() for line in text.replace("\r", "").split("\n")]
    return srt_tags_to_ass("\\N".join(line for line in lines if line))


def babel_locale(lang: str) -> Locale | None:
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None


def catalogue_lang(catalog: Catalog) -> str | None:
    """The catalogue's language as a BCP-47 tag (``pt_BR`` → ``pt-BR``)."""
    ident = catalog.locale_identifier
    return str(ident).replace("_", "-") if ident else None


class SubtitleCatalog(Catalog):
    """A Babel catalogue whose header names the film and the source language.

    Babel writes ``Project-Id-Version: <project> <version>``; here the version is left out
    (the project is the film's title, which has spaces of its own), and ``X-Source-Language``
    (the original's language, as Poedit writes it) and ``X-Generator`` are added.
    """

    source_lang: str | None = None
    lang_tag: str | None = None
    """The language when Babel does not know it (no CLDR locale): written as it is."""

    def _get_mime_headers(self) -> list[tuple[str, str]]:
        headers = []
        found = super()._get_mime_headers()
        if self.lang_tag and not any(name == "Language" for name, _ in found):
            found.insert(5, ("Language", self.lang_tag))
            found.insert(6, ("Plural-Forms", "nplurals=2; plural=(n != 1);"))
        for name, value in found:
            if name == "Project-Id-Version":
                value = self.project
            elif name == "Generated-By" or (
                name == "Report-Msgid-Bugs-To" and value in ("", "EMAIL@ADDRESS")
            ):
                continue
            headers.append((name, value))
        if self.source_lang:
            headers.append(("X-Source-Language", self.source_lang))
        # Babel ends the header with a newline after its last field (Generated-By, left out)
        headers.append(("X-Generator", f"screenkit {__version__}\n"))
        return headers


def read_catalogue(path: Path) -> Catalog:
    """``path`` read by Babel; an `InputError` naming it when it is missing or broken."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file", path=path) from None
    except OSError as exc:
        raise InputError(f"{path} cannot be read ({exc.strerror})", path=path) from exc
    try:
        catalog = read_po(io.BytesIO(data), abort_invalid=True)
    except Exception as exc:  # Babel raises several kinds on a broken catalogue
        raise SubtitleError(
            f"{path} is not a gettext catalogue Babel can read: {exc}",
            path=path,
            hint="msgfmt --check names the line; a PO editor (Poedit) opens it and says why",
        ) from exc
    return catalog


def messages_of(catalog: Catalog) -> list[Message]:
    """The catalogue's messages (the header left out), in file order."""
    return [m for m in catalog if m.id]


def write_catalogue(
    catalog: Catalog, path: Path, previous: Mapping[str, str] | None = None
) -> Path:
    """Write ``catalog`` to ``path`` by atomic rename; lines are not wrapped (a cue's text
    stays readable in a plain editor and diffs line by line).

    ``previous`` maps a message's context to the original text it used to translate, written
    as gettext's ``#| msgid`` lines above it. Babel cannot be asked to: it folds a msgid of
    several lines into one comment line, which neither msgmerge nor Babel reads back.
    """
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=_NO_WRAP, include_previous=False, sort_output=False)
    text = buffer.getvalue().decode("utf-8")
    if previous:
        lines = text.split("\n")
        out: list[str] = []
        for line in lines:
            if line.startswith("msgctxt "):
                context = denormalize(line[len("msgctxt ") :])
                if context in previous:
                    quoted = normalize(previous[context], prefix="#| ", width=_NO_WRAP)
                    out.append(f"#| msgctxt {normalize(context, width=_NO_WRAP)}")
                    out.append(f"#| msgid {quoted}")
            out.append(line)
        text = "\n".join(out)
    return write_bytes_atomic(path, text.encode("utf-8"))


def previous_ids(path: Path) -> dict[str, str]:
    """Context → the ``#| msgid`` above that message (Babel's reader skips those lines)."""
    found: dict[str, str] = {}
    pending: list[str] = []
    in_previous = False
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.strip()
        if line.startswith("#| msgid "):
            pending, in_previous = [line[len("#| msgid ") :]], True
        elif line.startswith('#| "') and in_previous:
            pending.append(line[len("#| ") :])
        elif line.startswith("#|"):
            in_previous = False
        elif line.startswith("msgctxt ") and pending:
            found[denormalize(line[len("msgctxt ") :])] = denormalize("\n".join(pending))
            pending, in_previous = [], False
        elif line.startswith("msgid ") or not line:
            pending, in_previous = [], False
    return found


def message_text(message: Message) -> str:
    """A message's translation as one text (a plural message's first form)."""
    string = message.string
    if isinstance(string, (list, tuple)):
        string = string[0] if string else ""
    return str(string or "")


def new_file(subs: pysubs2.SSAFile | None = None) -> pysubs2.SSAFile:
    """An empty track, or a copy of ``subs`` (styles and script info kept) without events."""
    import copy

    out = copy.deepcopy(subs) if subs is not None else pysubs2.SSAFile()
    out.events = []
    return out
