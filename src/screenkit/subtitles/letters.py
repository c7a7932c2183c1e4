"""Letter and letter-pair statistics of languages, to tell legacy code pages apart.

The same bytes read in two code pages give two texts that both look like letters:
Italian "è già così" in cp1252 is "č giŕ cosě" in cp1250, and a mojibake score sees
nothing wrong with either. What does differ is which letters and which pairs of letters a
language actually uses: Italian puts à è ì ò ù at the end of words and never writes č; Czech
writes ě after d, t, n, b, p, v, m and never ŕ. So a decoding is scored by how likely its
words are under a letter-pair model of each language that keeps files in that code page,
and the best (code page, language) pair wins.

The models are learnt from a short text per language shipped in ``screenkit/data/languages``
(ordinary prose, a paragraph or two): letter-pair counts with word boundaries, smoothed
towards the letter frequencies, with a small floor for letters the text never uses and a
far smaller one for letters foreign to the language. Scores are natural-log likelihoods,
so two readings can be compared by how much likelier one is than the other.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

BOUNDARY = "_"
"""Start or end of a word: spaces, digits, ASCII punctuation, quotes and dashes."""
JUNK = "#"
"""A character no language's text holds next to letters: controls, stray symbols."""
MARK = "~"
"""Marks a non-ASCII punctuation mark (it also ends the word, as a boundary does)."""
FLIP = "^"
"""Marks a capital right after a small letter ("мeРу"): the trace of a wrong code page
whose capitals sit where the right one keeps other letters."""

_SMOOTH = 4.0
_UNSEEN_ASCII = 1e-4
_FOREIGN = 1e-6
_JUNK = 1e-7
_TOKEN = re.compile(r"\S+")
_MAX_TOKENS = 400
"""The commonest distinct words scored (a feature film's track has a few thousand)."""
_MAX_CHARS = 300_000
_HAS_LETTER = re.compile(rb"[A-Za-z]")
_BYTE_TOKEN = re.compile(rb"\S+")
# punctuation that sits next to words in real text (a boundary, not junk)
_PUNCTUATION = set("«»„“”‘’‚‹›–—…·•¡¿°§№€£¥©®™×÷½¼¾²³¹ªº¦\u00a0\u00ad")
_PUNCTUATION_COST = math.log(0.01)
"""What a non-ASCII punctuation mark costs: a reading that turns letters into marks
(Greek "Άλλοι" read as "’λλοι") must not win by having fewer letters to score."""
_FLIP_COST = math.log(0.001)
# One letter, two forms: Romanian s/t with comma below are written with a cedilla in the
# code pages that lack them (cp1250, ISO 8859-2); the bytes cannot tell which was meant.
_FOLDS = (("ş", "ș"), ("ţ", "ț"), ("Ş", "Ș"), ("Ţ", "Ț"))


def fold(text: str) -> str:
    """ş ţ (cedilla) as ș ț (comma below): one letter each."""
    for old, new in _FOLDS:
        if old in text:
            text = text.replace(old, new)
    return text


@dataclass
class LetterModel:
    """Letter-pair counts of one language (letters lower-cased, words between boundaries)."""

    lang: str
    pairs: Counter[tuple[str, str]]
    firsts: Counter[str]
    letters: Counter[str]
    total: int
    _cache: dict[tuple[str, str], float] = field(default_factory=dict, repr=False)
    _words: dict[str, float] = field(default_factory=dict, repr=False)

    def unigram(self, ch: str) -> float:
        seen = self.letters.get(ch, 0)
        if seen:
            return seen / self.total
        if ch == JUNK:
            return _JUNK
        return _UNSEEN_ASCII if ch.isascii() else _FOREIGN

    def logp(self, a: str, b: str) -> float:
        """log P(b follows a)."""
        key = (a, b)
        found = self._cache.get(key)
        if found is None:
            count = self.pairs.get(key, 0)
            found = math.log(
                (count + _SMOOTH * self.unigram(b)) / (self.firsts.get(a, 0) + _SMOOTH)
            )
            self._cache[key] = found
        return found

    def word(self, symbols: str) -> float:
        """The log-likelihood of a word's symbols (boundaries included, marks counted)."""
        found = self._words.get(symbols)
        if found is None:
            marks, flips = symbols.count(MARK), symbols.count(FLIP)
            plain = _without_marks(symbols) if marks or flips else symbols
            found = sum(self.logp(a, b) for a, b in itertools.pairwise(plain))
            found += marks * _PUNCTUATION_COST + flips * _FLIP_COST
            if len(self._words) < 200_000:
                self._words[symbols] = found
        return found


def _without_marks(symbols: str) -> str:
    out = symbols.replace(MARK, "").replace(FLIP, "")
    while BOUNDARY * 2 in out:
        out = out.replace(BOUNDARY * 2, BOUNDARY)
    return out


def symbols(token: str) -> str:
    """A token as model symbols: letters lower-cased, boundaries around and between words."""
    out = [BOUNDARY]
    after_small = False
    for ch in fold(token):
        if ch.isalpha():
            if after_small and ch.isupper():
                out.append(FLIP)
            after_small = ch.islower()
            out.append(ch.lower())
            continue
        after_small = False
        if ch.isascii() or ch in _PUNCTUATION or ch.isspace() or ch.isdigit():
            if not ch.isascii() and not ch.isspace():
                out.append(MARK)
            if out[-1] != BOUNDARY:
                out.append(BOUNDARY)
        elif _is_mark(ch):
            continue
        else:
            out.append(JUNK)
    if out[-1] != BOUNDARY:
        out.append(BOUNDARY)
    return "".join(out)


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch).startswith("M")


def train(lang: str, text: str) -> LetterModel:
    pairs: Counter[tuple[str, str]] = Counter()
    for token in _TOKEN.findall(text):
        sym = _without_marks(symbols(token))
        pairs.update(itertools.pairwise(sym))
    firsts: Counter[str] = Counter()
    letters: Counter[str] = Counter()
    for (a, b), n in pairs.items():
        firsts[a] += n
        letters[b] += n
    return LetterModel(lang, pairs, firsts, letters, sum(letters.values()))


@cache
def modelled() -> tuple[str, ...]:
    """The languages with a model (a text in ``data/languages``)."""
    folder = resources.files("screenkit") / "data" / "languages"
    return tuple(
        sorted(p.name.removesuffix(".txt") for p in folder.iterdir() if p.name.endswith(".txt"))
    )


@cache
def model(lang: str) -> LetterModel | None:
    """The model of a language (its primary subtag), or None when none ships."""
    base = lang.split("-")[0].lower()
    if base not in modelled():
        return None
    source = resources.files("screenkit") / "data" / "languages" / f"{base}.txt"
    return train(base, source.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Words:
    """The words of a decoded text that the models score, with how often each occurs."""

    counts: tuple[tuple[str, int], ...]
    symbols: int

    @classmethod
    def of(cls, tokens: Counter[str], limit: int = _MAX_TOKENS) -> Words:
        found: Counter[str] = Counter()
        for token, n in tokens.most_common(limit):
            found[symbols(token)] += n
        found.pop(BOUNDARY, None)
        common = tuple(found.items())
        return cls(common, sum((len(s) - 1) * n for s, n in common))

    def score(self, language: LetterModel, limit: int | None = None) -> float:
        counts = self.counts if limit is None else self.counts[:limit]
        return sum(language.word(s) * n for s, n in counts)


def _byte_words(data: bytes) -> tuple[Counter[bytes], Words]:
    """The commonest words holding non-ASCII bytes (still bytes), and the plain ASCII words:
    only the first read differently in each code page."""
    tokens = Counter(_BYTE_TOKEN.findall(data[:_MAX_CHARS]))
    wide: Counter[bytes] = Counter()
    plain: Counter[str] = Counter()
    for token, n in tokens.items():
        if not token.isascii():
            wide[token] = n
        elif _HAS_LETTER.search(token):
            plain[token.decode("ascii")] = n
    return Counter(dict(wide.most_common(_MAX_TOKENS))), Words.of(plain)


# How much likelier, before any letter is read, a file is in one code page than another:
# Windows code pages are what subtitle editors wrote for decades; ISO 8859 and Mac ones
# are rarer (natural-log units, as the scores).
_PRIOR_BY_PREFIX = (("cp125", 0.0), ("koi8", -1.0), ("cp866", -2.0), ("iso8859", -3.0))
_PRIOR_OTHER = -4.0
AMBIGUOUS_WITHIN = 4.0
"""Two readings whose scores are closer than this (a likelihood ratio of about 55) are
both plausible: the reader says so and names the other."""
PLAUSIBLE_PER_SYMBOL = -3.6
"""Below this mean log-likelihood per letter pair the best reading is no language a model
knows (Lithuanian, Arabic, …): the letter models do not decide. Measured: right readings of
the test paragraphs score -2.4 to -2.9, other modelled-language texts -2.3 to -3.0; the best
reading of Lithuanian, Latvian, Icelandic, Hebrew and Arabic texts -3.8 to -4.4."""


def prior(codec: str) -> float:
    return next((p for prefix, p in _PRIOR_BY_PREFIX if codec.startswith(prefix)), _PRIOR_OTHER)


@dataclass(frozen=True)
class Choice:
    """The code page the letters favour, the language it reads as, and close runners-up."""

    codec: str
    lang: str
    alternatives: tuple[tuple[str, str], ...]
    """(codec, language) of other readings within `AMBIGUOUS_WITHIN` of this one."""
    margin: float
    """How much likelier (natural log) this reading is than the next different one;
    ``inf`` when every other reading fell more than `_SAMPLE_WITHIN` behind on the sample."""


def choose(
    data: bytes, pages: Iterable[str], languages_of: Callable[[str], Sequence[str]]
) -> Choice | None:
    """The code page among ``pages`` (single-byte ones) whose reading of ``data`` is likeliest under
    the models of the languages it serves; None when no page serves a modelled language or
    reads ``data`` at all, or when even the best reading looks like none of those languages.
    Pages that read every byte alike, or differ only by a folded letter (ş/ș), are one
    reading: the first listed keeps it, so list the common code pages first.

    Only the words holding non-ASCII bytes read differently; the plain ASCII words are
    scored once per language. A sample of each reading's commonest words picks the
    contenders (a few pairs of page and language); only those are scored on all words.
    """
    high = bytes(sorted(b for b in set(data) if b >= 0x80))
    wide_bytes, plain = _byte_words(data)
    readings: dict[str, tuple[Words, dict[str, str]]] = {}
    for codec in pages:
        try:
            signature = fold(high.decode(codec))
        except UnicodeDecodeError:
            continue
        if signature not in readings:
            wide = Words.of(Counter({t.decode(codec): n for t, n in wide_bytes.items()}))
            readings[signature] = (wide, {})
        page_of = readings[signature][1]
        for lang in languages_of(codec):
            if lang not in page_of and model(lang) is not None:
                page_of[lang] = codec  # the language's commonest page that reads so
    found = list(readings.values())
    pairs = [
        (_score(wide, plain, codec, lang, _SAMPLE), index, lang)
        for index, (wide, page_of) in enumerate(found)
        for lang, codec in page_of.items()
    ]
    if not pairs:
        return None
    lead = max(p[0] for p in pairs)
    contenders = sorted((p for p in pairs if p[0] > lead - _SAMPLE_WITHIN), reverse=True)
    best: dict[int, tuple[float, str, str]] = {}
    for _, index, lang in contenders[:_CONTENDERS]:
        wide, page_of = found[index]
        total = _score(wide, plain, page_of[lang], lang)
        if index not in best or total > best[index][0]:
            best[index] = (total, lang, page_of[lang])
    # the likeliest first; between equals, the reading listed first
    ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))
    top_index, (total, lang, codec) = ranked[0]
    letters = found[top_index][0].symbols + plain.symbols
    if letters and (total - prior(codec)) / letters < PLAUSIBLE_PER_SYMBOL:
        return None
    close = tuple(
        (page, other) for _, (t, other, page) in ranked[1:] if total - t < AMBIGUOUS_WITHIN
    )
    margin = total - ranked[1][1][0] if len(ranked) > 1 else math.inf
    return Choice(codec, lang, close, margin)


_SAMPLE = 60
_SAMPLE_WITHIN = 40.0
_CONTENDERS = 8


def _score(wide: Words, plain: Words, codec: str, lang: str, limit: int | None = None) -> float:
    m = model(lang)
    assert m is not None
    return wide.score(m, limit) + plain.score(m, limit) + prior(codec)
