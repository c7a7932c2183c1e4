"""What ``subs compare`` reads in a cue's words: numbers, and which language they are in.

Numbers: years, counts, times and amounts must survive a translation. Each number is read
with its locale's dressing taken off, so ``1,000``, ``1.000`` and ``1 000`` are one number,
``8:30``, ``08.30`` and ``20.30`` (a Finnish evening) are one time of day on a 12-hour dial,
and ``3.50`` and ``3,50`` one amount. A number of the original that the translation lacks
while the translation has another in its place is a changed number; one that is just
absent may have been written in words (the guides spell out one to ten), so only larger
ones are reported as missing.

Language: the letter-pair models of `screenkit.subtitles.letters` (26 languages, trained on
a paragraph each) score the translation's words under the original's language and under
the translation's. A line left in English scores far better as English than as Finnish;
short lines (names, "OK") say too little and are not judged.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from screenkit.subtitles.letters import model, symbols

_NUMBER = re.compile(r"\d+(?:[.,:]\d+|[ \u00a0\u202f]\d{3}(?!\d))*")
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")
SMALL = 10
"""Numbers up to this, written as one plain group, may be spelled out in the translation."""
MIN_LETTERS = 14
"""Fewer letters than this say too little about their language to judge."""
MARGIN = 0.3
"""How much likelier per letter pair (natural log) the original's language must be. Measured on
the sample kit's tracks: its four translations score -0.25 or less against English; its
English lines 0.5 or more against Italian, Polish, German, Finnish, Czech, Spanish, Portuguese,
0.15-0.4 against Danish, Dutch and Swedish (there a line may pass unseen)."""


@dataclass(frozen=True)
class Number:
    """A number as written, and the keys it matches another by."""

    text: str
    keys: frozenset[str]
    small: bool


def numbers(text: str) -> list[Number]:
    """The numbers of ``text``, in order."""
    found = []
    for m in _NUMBER.finditer(text):
        raw = m.group(0).rstrip(".,:")
        digits = re.sub(r"\D", "", raw).lstrip("0") or "0"
        keys = {digits}
        if t := _TIME.match(raw):
            hours, minutes = int(t.group(1)), int(t.group(2))
            if hours <= 24 and minutes < 60:
                keys.add(f"time {(hours * 60 + minutes) % 720}")
        small = raw.isdigit() and int(raw) <= SMALL
        found.append(Number(raw, frozenset(keys), small))
    return found


@dataclass(frozen=True)
class NumberCheck:
    changed_from: tuple[str, ...]
    changed_to: tuple[str, ...]
    missing: tuple[str, ...]


def check_numbers(original: str, translation: str) -> NumberCheck:
    """Which numbers of ``original`` the translation changed or lost (see the module doc)."""
    left = numbers(original)
    right = numbers(translation)
    for number in list(left):
        partner = next((r for r in right if r.keys & number.keys), None)
        if partner is not None:
            left.remove(number)
            right.remove(partner)
    if left and right:
        return NumberCheck(tuple(n.text for n in left), tuple(n.text for n in right), ())
    return NumberCheck((), (), tuple(n.text for n in left if not n.small))


def normalised(text: str) -> str:
    """Letters and digits only, case folded: ``"Hello, world!"`` → ``"helloworld"``."""
    folded = unicodedata.normalize("NFC", text).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def words_with_letters(text: str) -> int:
    return sum(1 for token in text.split() if any(ch.isalpha() for ch in token))


def _mean_logp(text: str, lang: str) -> tuple[float, int] | None:
    m = model(lang)
    if m is None:
        return None
    total, pairs = 0.0, 0
    for token in text.split():
        sym = symbols(token)
        if len(sym) > 2:
            total += m.word(sym)
            pairs += len(sym) - 1
    return (total / pairs, pairs) if pairs else None


def reads_as(text: str, original_lang: str, translation_lang: str) -> float | None:
    """How much likelier per letter pair ``text`` is in ``original_lang`` than in
    ``translation_lang`` when that exceeds `MARGIN`; None when it does not, when the text
    is too short, or a language has no model."""
    if sum(1 for ch in text if ch.isalpha()) < MIN_LETTERS:
        return None
    as_original = _mean_logp(text, original_lang)
    as_translation = _mean_logp(text, translation_lang)
    if as_original is None or as_translation is None:
        return None
    margin = as_original[0] - as_translation[0]
    return margin if margin > MARGIN else None


def same_language(a: str | None, b: str | None) -> bool:
    from screenkit.languages import primary

    return a is not None and b is not None and primary(a) == primary(b)


def joined(texts: Sequence[str]) -> str:
    return "\n".join(texts)
