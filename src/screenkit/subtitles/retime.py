"""Moving a track in time: a constant offset, a frame-rate change, a two-point linear map.

All three are one operation, ``t' = t·scale + offset``, computed in exact `Fraction`s and
rounded once to whole milliseconds (half up), so that 25 → 24000/1001 → 25 returns every
time within a millisecond. A track timed for 25 fps and played at 24000/1001 runs slower:
frame n moves from n/25 s to n·1001/24000 s, so ``scale = from / to``.

Events pushed before zero are clamped to start at 0; events that end before zero are
dropped; both are reported by event number.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from fractions import Fraction

import pysubs2

from screenkit.errors import SubtitleError
from screenkit.subtitles.timecode import format_duration, format_fps, format_time

_MAX_STRETCH = Fraction(2)


@dataclass(frozen=True)
class TimeMap:
    """``t' = t * scale + offset`` (ms)."""

    scale: Fraction
    offset: Fraction

    def apply(self, ms: int) -> int:
        value = ms * self.scale + self.offset
        return math.floor(value + Fraction(1, 2))

    def describe(self) -> str:
        parts = []
        if self.scale != 1:
            parts.append(f"speed × {float(self.scale):.6f}")
        if self.offset or not parts:
            parts.append(f"offset {format_duration(round(self.offset))}")
        return ", ".join(parts)


@dataclass(frozen=True)
class Retimed:
    subs: pysubs2.SSAFile
    map: TimeMap
    clamped: tuple[int, ...] = ()
    """Events (1-based, as in the input) that would have started before 0."""
    dropped: tuple[int, ...] = ()
    """Events that would have ended before 0, removed."""

    def notes(self) -> list[str]:
        out = []
        if self.clamped:
            out.append(f"{_numbers(self.clamped)} would start before 0:00: moved to 0:00")
        if self.dropped:
            out.append(f"{_numbers(self.dropped)} would end before 0:00: removed")
        return out


def _numbers(numbers: tuple[int, ...], limit: int = 12) -> str:
    shown = ", ".join(str(n) for n in numbers[:limit])
    more = f" and {len(numbers) - limit} more" if len(numbers) > limit else ""
    return f"{'event' if len(numbers) == 1 else 'events'} {shown}{more}"


def shift_map(by_ms: int) -> TimeMap:
    return TimeMap(Fraction(1), Fraction(by_ms))


def fps_map(source: Fraction, target: Fraction) -> TimeMap:
    """Frames timed at ``source`` fps shown at ``target`` fps."""
    if source <= 0 or target <= 0:
        raise SubtitleError("frame rates must be above zero", value=(source, target))
    return TimeMap(source / target, Fraction(0))


def anchor_map(first: tuple[int, int], second: tuple[int, int]) -> TimeMap:
    """The line through (t1 → t1') and (t2 → t2'): an offset and a speed change at once."""
    (t1, u1), (t2, u2) = first, second
    if t1 == t2:
        raise SubtitleError(
            f"the two --map points start at the same time ({format_time(t1)}); "
            "pick two moments far apart, one near the start and one near the end",
            value=(first, second),
        )
    scale = Fraction(u2 - u1, t2 - t1)
    if not 1 / _MAX_STRETCH <= scale <= _MAX_STRETCH:
        raise SubtitleError(
            f"the --map points stretch time by × {float(scale):.3f}; a frame-rate change is "
            "within a few percent: check that each pair is OLD=NEW and in the same order",
            value=(first, second),
        )
    return TimeMap(scale, Fraction(u1) - t1 * scale)


def retime(subs: pysubs2.SSAFile, time_map: TimeMap) -> Retimed:
    """A retimed copy of ``subs`` (the input is left as it was)."""
    out = copy.deepcopy(subs)
    kept: list[pysubs2.SSAEvent] = []
    clamped: list[int] = []
    dropped: list[int] = []
    for n, event in enumerate(out.events, 1):
        start, end = time_map.apply(event.start), time_map.apply(event.end)
        if end <= 0 < event.end:
            dropped.append(n)
            continue
        if start < 0:
            clamped.append(n)
            start = 0
        event.start, event.end = start, max(end, 0)
        kept.append(event)
    out.events = kept
    return Retimed(out, time_map, tuple(clamped), tuple(dropped))


def describe_fps(source: Fraction, target: Fraction) -> str:
    return f"{format_fps(source)} → {format_fps(target)} fps"
