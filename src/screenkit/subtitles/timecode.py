"""Times, durations and frame rates as people type them, parsed into exact values.

Times are whole milliseconds (what pysubs2 keeps). Frame rates are `Fraction`s: the NTSC
family is 24000/1001, 30000/1001, 60000/1001, never 23.976 — a float rate drifts by a
frame every few minutes over a feature film. People do type ``23.976`` and ``29.97``; those
(and the ``23.98`` rounding) are read as the exact NTSC rate they stand for.
"""

from __future__ import annotations

import re
from fractions import Fraction

from screenkit.errors import SubtitleError

_NTSC = {
    "23.976": Fraction(24000, 1001),
    "23.98": Fraction(24000, 1001),
    "29.97": Fraction(30000, 1001),
    "47.952": Fraction(48000, 1001),
    "59.94": Fraction(60000, 1001),
    "119.88": Fraction(120000, 1001),
}
_CLOCK = re.compile(r"^(?:(\d+):)?(\d+):(\d+)(?:[.,](\d{1,3}))?$")
_UNIT = re.compile(r"^(\d+(?:\.\d*)?|\.\d+)\s*(ms|s|sec|m|min|h)?$")
_UNIT_MS = {None: 1000, "s": 1000, "sec": 1000, "ms": 1, "m": 60_000, "min": 60_000}
_UNIT_MS["h"] = 3_600_000


def parse_fps(text: str) -> Fraction:
    """``25``, ``24000/1001``, ``23.976`` (read as 24000/1001), ``12.5`` → an exact rate."""
    value = text.strip()
    if value in _NTSC:
        return _NTSC[value]
    try:
        rate = Fraction(value)
    except (ValueError, ZeroDivisionError):
        raise SubtitleError(
            f"'{text}' is not a frame rate (say 25, 24, 24000/1001 or 30000/1001)", value=text
        ) from None
    if not 1 <= rate <= 1000:
        raise SubtitleError(f"{text} fps is not a frame rate a film plays at", value=text)
    return rate


def format_fps(rate: Fraction) -> str:
    """``25`` or ``24000/1001 (23.976)``."""
    if rate.denominator == 1:
        return str(rate.numerator)
    return f"{rate.numerator}/{rate.denominator} ({float(rate):.3f})"


def parse_time(text: str) -> int:
    """An absolute time in ms: ``00:01:02,500``, ``1:02.5``, ``62.5``, ``62.5s``, ``1500ms``."""
    value = text.strip()
    ms = _parse_unsigned(value)
    if ms is None:
        raise SubtitleError(
            f"'{text}' is not a time (say 00:01:02,500, 1:02.5, 62.5s or 1500ms)", value=text
        )
    return ms


def parse_duration(text: str) -> int:
    """A signed offset in ms: ``1.5``, ``-2s``, ``+00:00:01,500``, ``-250ms``, ``+1m``."""
    value = text.strip()
    sign = 1
    if value[:1] in "+-" and value:
        sign = -1 if value[0] == "-" else 1
        value = value[1:].strip()
    ms = _parse_unsigned(value)
    if ms is None:
        raise SubtitleError(
            f"'{text}' is not a duration (say 1.5, -2s, +00:00:01,500 or -250ms)", value=text
        )
    return sign * ms


def _parse_unsigned(value: str) -> int | None:
    clock = _CLOCK.match(value)
    if clock:
        hours, minutes, seconds, frac = clock.groups()
        if int(seconds) > 59 or (hours is not None and int(minutes) > 59):
            return None
        frac_ms = int(frac) * 10 ** (3 - len(frac)) if frac else 0
        return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + frac_ms
    unit = _UNIT.match(value.lower())
    if unit:
        number, name = unit.groups()
        return round(Fraction(number) * _UNIT_MS[name])
    return None


def format_time(ms: int) -> str:
    """``01:02:03,456`` (SRT style, the one subtitlers read); negative gets a minus sign."""
    sign = "-" if ms < 0 else ""
    ms = abs(ms)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, milli = divmod(rest, 1000)
    return f"{sign}{h:02d}:{m:02d}:{s:02d},{milli:03d}"


def format_duration(ms: int) -> str:
    """``+1.500 s`` / ``-0.250 s``: an offset for messages."""
    return f"{'-' if ms < 0 else '+'}{abs(ms) / 1000:.3f} s"
