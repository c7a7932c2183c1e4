"""Card text: literal ASS escaping, width measuring with the font's own metrics, wrapping.

libass wraps by itself, but we must know *how many* lines an appeal takes to tell a user by
how much it is too long, and where the link and beneficiary go below it. So the card wraps
text itself (WrapStyle 2: only our ``\\N`` breaks) using the advance widths from the font
files, scaled the way libass scales a font size: the size is the height of the font's
Windows ascent + descent (VSFilter's rule), not the em. Shaping (kerning, ligatures, Arabic
joining forms) usually narrows a line, so the estimate errs on the safe side; a small
safety factor covers the rest.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from screenkit.errors import InputError
from screenkit.fonts import Font

WORD_JOINER = "\u2060"
"""Invisible, zero-width, default-ignorable: breaks ``\\N`` into a literal backslash + ``N``."""

BOLD_WIDENING = 1.04
"""libass emboldens a regular face synthetically; the outline grows a little."""

_SPACES = re.compile(r"[ \t\u00a0]+")


def escape_ass(text: str) -> str:
    """``text`` as ASS dialogue text that libass draws literally (one line, no newline).

    libass reads ``{…}`` as override tags and ``\\N``, ``\\n``, ``\\h``, ``\\{``, ``\\}`` as
    escapes. A backslash followed by a word joiner is a plain backslash; ``\\{`` and ``\\}``
    are libass's own literal braces. Newlines must be split by the caller (they are line
    breaks of the layout, joined with ``\\N``).
    """
    if "\n" in text or "\r" in text:
        raise ValueError("escape_ass takes one line; split the text at newlines first")
    out: list[str] = []
    for ch in text:
        if ch == "\\":
            out.append("\\" + WORD_JOINER)
        elif ch in "{}":
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def is_rtl(text: str) -> bool:
    """Whether the first strongly directional character is right-to-left (Arabic, Hebrew…)."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


@dataclass(frozen=True)
class FontMetrics:
    """What the layout needs from one font file."""

    path: Path
    units_per_em: int
    win_height: int
    """usWinAscent + usWinDescent: the height libass maps a font size to."""
    advances: dict[int, int]
    """Code point → advance width in font units."""

    def scale(self, size: float) -> float:
        """Pixels per font unit at ASS font ``size``."""
        return size / self.win_height

    def covers(self, ch: str) -> bool:
        return ord(ch) in self.advances


@cache
def font_metrics(path: Path) -> FontMetrics:
    from fontTools.ttLib import TTFont

    try:
        with TTFont(str(path), lazy=True, fontNumber=0) as font:
            upm = int(font["head"].unitsPerEm)
            win = 0
            if "OS/2" in font:
                os2 = font["OS/2"]
                win = int(os2.usWinAscent) + int(os2.usWinDescent)
            if win <= 0:
                hhea = font["hhea"]
                win = int(hhea.ascent) - int(hhea.descent)
            cmap = font.getBestCmap() or {}
            hmtx = font["hmtx"]
            advances = {cp: int(hmtx[name][0]) for cp, name in cmap.items()}
    except Exception as exc:  # fontTools raises many kinds on junk input
        raise InputError(f"{path} is not a font file screenkit can read", path=path) from exc
    return FontMetrics(path=path, units_per_em=upm, win_height=win or upm, advances=advances)


def pick_font(text: str, fonts: Sequence[Font]) -> Font:
    """The first font drawing every visible character of ``text`` (else the one drawing most)."""
    visible = [ch for ch in text if not ch.isspace() and ch.isprintable()]
    best, best_count = fonts[0], -1
    for font in fonts:
        metrics = font_metrics(font.path)
        count = sum(metrics.covers(ch) for ch in visible)
        if count == len(visible):
            return font
        if count > best_count:
            best, best_count = font, count
    return best


@dataclass(frozen=True)
class Measure:
    """Measures text set in ``font`` (falling back per character to ``fallbacks``) at ``size``."""

    font: Font
    fallbacks: tuple[Font, ...]
    size: float
    bold: bool = False

    def width(self, text: str) -> float:
        primary = font_metrics(self.font.path)
        total = 0.0
        for ch in text:
            if _ignorable(ch):  # HarfBuzz draws default-ignorables with no width
                continue
            metrics = primary
            if not primary.covers(ch):
                for other in self.fallbacks:
                    candidate = font_metrics(other.path)
                    if candidate.covers(ch):
                        metrics = candidate
                        break
            advance = metrics.advances.get(ord(ch))
            if advance is None:  # an em (the glyph check has already refused real gaps)
                advance = metrics.units_per_em
            total += advance * metrics.scale(self.size)
        return total * (BOLD_WIDENING if self.bold else 1.0)


def _ignorable(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cf", "Mn", "Me") or not ch.isprintable()


def normalise(text: str) -> list[str]:
    """Paragraph lines of ``text``: CRLF/CR as newlines, tabs and space runs as one space."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [_SPACES.sub(" ", line).strip() for line in lines]


def wrap(text: str, measure: Measure, max_width: float) -> list[str]:
    """Break ``text`` into lines no wider than ``max_width``.

    Newlines are kept as breaks (an empty line stays, as a paragraph gap). Words break at
    spaces; a word wider than a line (a long link) breaks after ``/``, ``-``, ``.`` or ``?``
    where it can, else between characters.
    """
    out: list[str] = []
    for paragraph in normalise(text):
        if not paragraph:
            out.append("")
            continue
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if measure.width(candidate) <= max_width:
                line = candidate
                continue
            if line:
                out.append(line)
            pieces = _split_word(word, measure, max_width)
            out.extend(pieces[:-1])
            line = pieces[-1]
        out.append(line)
    return out


def _split_word(word: str, measure: Measure, max_width: float) -> list[str]:
    if measure.width(word) <= max_width:
        return [word]
    pieces: list[str] = []
    rest = word
    while rest and measure.width(rest) > max_width:
        cut = 1
        for end in range(1, len(rest) + 1):
            if measure.width(rest[:end]) > max_width:
                break
            cut = end
        soft = max((rest.rfind(c, 0, cut) for c in "/-.?&"), default=-1)
        if soft > 0:
            cut = soft + 1
        pieces.append(rest[:cut])
        rest = rest[cut:]
    pieces.append(rest)
    return pieces
