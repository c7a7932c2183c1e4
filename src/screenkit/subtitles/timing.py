"""SRT timing lines with the common slips, read as what they mean — or refused.

pysubs2 takes a line for an SRT timing line only when it holds two well-formed times; any
other line is text. So ``00:00:07,000 --> 00:00:09:500`` (a colon for the comma) becomes part
of the previous subtitle and would be burned on screen. Before the SRT is parsed, every line
that looks like a timing line is read here leniently — ``:``, ``.`` or ``;`` for the comma,
missing leading zeros, a short fraction (``,5`` is 500 ms), ``->`` or a dash from a word
processor for ``-->``, odd spacing, trailing junk — and rewritten in the canonical form, each
rewrite kept as a `TimingRepair` for ``subs check`` and ``subs fix`` to show. A line that
still looks like a timing line but cannot be read (a letter in a time, a missing end, three
times) is a `SubtitleError` naming the line: never text. SubRip's optional coordinates
(``X1:100 X2:200 Y1:10 Y2:50``) are kept as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from screenkit.errors import SubtitleError

_SEP = r"\s*[:.,;]\s*"
_TIME = rf"(\d{{1,2}}){_SEP}(\d{{1,2}}){_SEP}(\d{{1,2}})(?:{_SEP}(\d{{1,3}}))?"
_ARROW = r"(?:-\s*)+>|[–—]-*\s*>"
_LENIENT = re.compile(rf"^\s*{_TIME}\s*(?:{_ARROW})\s*{_TIME}(?P<rest>.*)$")
_CANONICAL = re.compile(
    r"^\d{2}:\d{2}:\d{2},\d{3} --> \d{2}:\d{2}:\d{2},\d{3}"
    r"(?:\s+[Xx]1:\d+\s+[Xx]2:\d+\s+[Yy]1:\d+\s+[Yy]2:\d+)?\s*$"
)
_COORDINATES = re.compile(r"^\s+[Xx]1:\d+\s+[Xx]2:\d+\s+[Yy]1:\d+\s+[Yy]2:\d+\s*$")
_TIME_LIKE = re.compile(r"\d+\s*[:.,;]\s*\d+\s*[:.,;]\s*\d+")
_HAS_ARROW = re.compile(r"-\s*>|[–—]\s*>")
_TWO_TIMES = re.compile(rf"^\s*{_TIME}\s+{_TIME}\s*$")
_JUNK_TIME = re.compile(r"\d\s*[:.,;]\s*\d|-\s*>|[–—]\s*>")
# pysubs2's own test for a timing line: two of these in one line
_PYSUBS2_TIME = re.compile(r"(\d{1,2}):(\d{1,2}):(\d{1,2})[.,](\d{1,3})")


@dataclass(frozen=True)
class TimingRepair:
    """A timing line read leniently: where it was, as written, as read."""

    line: int
    """1-based line number in the file."""
    event: int
    """1-based number of the event the line times."""
    original: str
    fixed: str

    def describe(self) -> str:
        return f"line {self.line}: '{self.original}' read as '{self.fixed}'"


def repair_timing_lines(text: str) -> tuple[str, tuple[TimingRepair, ...]]:
    """The SRT text with slipped timing lines rewritten, and what was rewritten.

    ``text`` has ``\\n`` line breaks. Raises `SubtitleError` (without a path) for a line
    that looks like a timing line but cannot be read.
    """
    lines = text.split("\n")
    repairs: list[TimingRepair] = []
    events = 0
    seen_timing = False
    for i, line in enumerate(lines):
        if ">" in line:
            fixed = _read_line(line, i + 1)
        elif seen_timing and _TWO_TIMES.match(line):
            raise _unreadable(line, i + 1, "it has no arrow (-->) between the times")
        else:
            fixed = None
        if fixed is not None:
            seen_timing = True
            if fixed != line:
                repairs.append(TimingRepair(i + 1, events + 1, line.strip(), fixed))
                lines[i] = fixed
        if len(_PYSUBS2_TIME.findall(lines[i])) == 2:
            events += 1
    if not repairs:
        return text, ()
    return "\n".join(lines), tuple(repairs)


def _read_line(line: str, number: int) -> str | None:
    """The canonical form of a timing line; None for a line that is not one."""
    if _CANONICAL.match(line):
        return line
    found = _LENIENT.match(line)
    if found is None:
        if _HAS_ARROW.search(line) and _TIME_LIKE.search(line):
            raise _unreadable(line, number, "a time in it is not HH:MM:SS,mmm")
        return None
    groups = found.groups()
    start, end = _ms(groups[0:4], line, number), _ms(groups[4:8], line, number)
    rest = found.group("rest")
    keep = ""
    if _COORDINATES.match(rest):
        keep = rest.rstrip()
    elif _JUNK_TIME.search(rest):
        raise _unreadable(line, number, f"'{rest.strip()}' follows the end time")
    return f"{_format(start)} --> {_format(end)}{keep}"


def _ms(fields: tuple[str | None, ...], line: str, number: int) -> int:
    hours, minutes, seconds, frac = fields
    assert hours is not None and minutes is not None and seconds is not None
    if int(minutes) > 59 or int(seconds) > 59:
        raise _unreadable(line, number, "minutes and seconds run from 00 to 59", value=line.strip())
    frac_ms = int(frac) * 10 ** (3 - len(frac)) if frac else 0
    return ((int(hours) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + frac_ms


def _format(ms: int) -> str:
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, milli = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d},{milli:03d}"


def _unreadable(line: str, number: int, why: str, *, value: str | None = None) -> SubtitleError:
    shown = line.strip()
    if len(shown) > 80:
        shown = shown[:79] + "…"
    return SubtitleError(
        f"line {number}: '{shown}' looks like a timing line but cannot be read: {why}",
        hint="write it as 00:00:07,000 --> 00:00:09,500",
        value=value or shown,
    )
