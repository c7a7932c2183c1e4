"""Breaking one long subtitle line in two, as the style guides ask.

The guides agree on the shape: keep a subtitle on one line when it fits; otherwise two
lines, broken where the sense breaks (after punctuation, before a conjunction or
preposition), never leaving a one-letter word (Polish "w", Czech "v", Italian "e") alone at
the end of the top line, and the two lines of about equal length; where the guide asks
for it (Czech, Swedish) the top line is the shorter, a pyramid. Without a grammar of each
language the break is chosen by a cost: the length over the limit (heavily), the
difference between the lines, a bonus for a break after punctuation, a charge for a short
word left at the end of the top line, and for ``bottom-heavy`` a charge for a top line longer
than the bottom one.
"""

from __future__ import annotations

import re

from screenkit.subtitles.text import visible_length

_TAG = re.compile(r"<[^<>]*>|\{[^{}]*\}")
_BREAK_AFTER = (",", ";", ":", ".", "!", "?", "…", "—", "–", ")", "»", "“", "”")
OVER_COST = 100.0
"""Per character over the limit: a break that fits always wins."""
BALANCE_COST = 0.5
"""Per character of difference between the two lines."""
PUNCTUATION_BONUS = 8.0
"""A break after a comma or a full stop is worth 16 characters of imbalance."""
SHORT_WORD_COST = {1: 12.0, 2: 5.0}
TOP_HEAVY_COST = 0.75
"""Per character the top line is longer than the bottom one, for ``bottom-heavy``."""


def _length(text: str) -> int:
    return visible_length(_TAG.sub("", text))


def _letters(word: str) -> int:
    return sum(1 for ch in _TAG.sub("", word) if ch.isalpha())


def _cost(top: str, bottom: str, max_chars: int, style: str) -> float:
    a, b = _length(top), _length(bottom)
    cost = OVER_COST * (max(0, a - max_chars) + max(0, b - max_chars))
    cost += BALANCE_COST * abs(a - b)
    last = _TAG.sub("", top).rstrip()
    if last.endswith(_BREAK_AFTER):
        cost -= PUNCTUATION_BONUS
    else:
        word = top.rsplit(" ", 1)[-1]
        if not any(ch.isdigit() for ch in word):
            cost += SHORT_WORD_COST.get(_letters(word), 0.0)
    if style == "bottom-heavy" and a > b:
        cost += TOP_HEAVY_COST * (a - b)
    # a tie goes to the shorter top line in every style
    return cost + (0.01 if a > b else 0.0)


def break_line(text: str, max_chars: int, style: str = "balanced") -> str:
    """``text`` (one line) as two lines joined by ``\\n`` when it is longer than ``max_chars``.

    A line that fits, or text that already holds a line break, is returned as it is: the
    translator's own breaks are theirs. A line too long for two lines is still broken in
    two, at the best place: the check then says it is too long.
    """
    if "\n" in text or _length(text) <= max_chars:
        return text
    words = text.split(" ")
    if len(words) < 2:
        return text
    best: tuple[float, int] | None = None
    for k in range(1, len(words)):
        top, bottom = " ".join(words[:k]).rstrip(), " ".join(words[k:]).lstrip()
        if not top or not bottom:
            continue
        cost = _cost(top, bottom, max_chars, style)
        if best is None or cost < best[0]:
            best = (cost, k)
    if best is None:
        return text
    k = best[1]
    return " ".join(words[:k]).rstrip() + "\n" + " ".join(words[k:]).lstrip()
