"""The picture a subtitler looks at to trust a sync: speech against the track, before and after.

Headed by the result in words (offset, ratio, segments, confidence), in the shipped font.
One overview of the whole film and a few 30-second close-ups (the start, each cut, the
middle, the end). In each: the film's speech activity as a dark area (or the reference
track's events, for reference sync), the track as it was (red) and as synced (green). When
the sync is right, the green boxes sit on the speech.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from screenkit.subtitles.align import FRAME_S, FloatArray
from screenkit.subtitles.raster import Colour, Image, canvas, fill, text, text_width, write_png

WIDTH = 1600
LEFT = 120  # room for the row names
RIGHT = 20
ZOOM_S = 30.0
INK: Colour = (40, 40, 40)
SPEECH: Colour = (45, 70, 140)
BEFORE: Colour = (215, 70, 50)
AFTER: Colour = (40, 160, 70)
GRID: Colour = (225, 225, 225)
CUT: Colour = (230, 160, 0)
TITLE_PX = 20
HEAD = 58  # the title line and the overview's label


def _clock(seconds: float) -> str:
    seconds = max(0.0, seconds)
    m, s = divmod(round(seconds), 60)
    return f"{m // 60}:{m % 60:02d}:{s:02d}" if m >= 60 else f"{m}:{s:02d}"


def _step(span: float) -> float:
    """A tick interval giving 5-12 ticks over ``span`` seconds."""
    for step in (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600):
        if span / step <= 12:
            return float(step)
    return 7200.0


def _panel(
    image: Image,
    y: int,
    t0: float,
    t1: float,
    activity: FloatArray,
    before: FloatArray,
    after: FloatArray,
    marks: Sequence[float],
    signal_name: str,
) -> int:
    """Draw one time window at height ``y``; return the next free y."""
    width = WIDTH - LEFT - RIGHT
    area_h, row_h, gap = 56, 14, 6

    def x_of(t: float) -> int:
        return LEFT + round((t - t0) / (t1 - t0) * width)

    step = _step(t1 - t0)
    tick = np.ceil(t0 / step) * step
    while tick <= t1:
        fill(image, x_of(tick), y, x_of(tick) + 1, y + area_h + 2 * (row_h + gap), GRID)
        label = _clock(tick) if step >= 1 else f"{tick:.1f}"
        text(
            image,
            x_of(tick) - text_width(label) // 2,
            y + area_h + 2 * (row_h + gap) + 4,
            label,
            INK,
        )
        tick += step
    # activity: per pixel column, the mean over the frames it covers
    edges = np.linspace(t0, t1, width + 1) / FRAME_S
    lo = np.clip(edges[:-1].astype(int), 0, len(activity))
    hi = np.clip(np.maximum(edges[1:].astype(int), lo + 1), 0, len(activity))
    cum = np.concatenate([[0.0], np.cumsum(activity)])
    level = np.where(hi > lo, (cum[hi] - cum[lo]) / np.maximum(hi - lo, 1), 0.0)
    for col in range(width):
        h = round(float(level[col]) * area_h)
        fill(image, LEFT + col, y + area_h - h, LEFT + col + 1, y + area_h, SPEECH)
    fill(image, LEFT, y + area_h, WIDTH - RIGHT, y + area_h + 1, INK)
    for row, (spans, colour) in enumerate(((before, BEFORE), (after, AFTER))):
        top = y + area_h + gap + row * (row_h + gap)
        for a, b in spans:
            if b >= t0 and a <= t1:
                x0, x1 = max(LEFT, x_of(a)), min(WIDTH - RIGHT, max(x_of(b), x_of(a) + 1))
                fill(image, x0, top, x1, top + row_h, colour)
    for mark in marks:
        if t0 <= mark <= t1:
            fill(image, x_of(mark) - 1, y, x_of(mark) + 1, y + area_h + 2 * (row_h + gap), CUT)
    text(image, 8, y + area_h // 2 - 8, signal_name, SPEECH)
    text(image, 8, y + area_h + gap - 2, "before", BEFORE)
    text(image, 8, y + area_h + gap + row_h + gap - 2, "after", AFTER)
    return y + area_h + 2 * (row_h + gap) + 30


def _windows(after: FloatArray, marks: Sequence[float], duration: float) -> list[float]:
    """Start times of the close-ups: first events, each cut, the middle, the last events."""
    if duration <= ZOOM_S * 1.5:
        return []
    starts = [float(after[0, 0]) - 3.0] if len(after) else [0.0]
    starts += [m - ZOOM_S / 2 for m in marks]
    starts += [duration / 2 - ZOOM_S / 2]
    starts += [float(after[-1, 1]) - ZOOM_S + 3.0] if len(after) else []
    chosen: list[float] = []
    for s in starts:
        s = min(max(0.0, s), duration - ZOOM_S)
        if all(abs(s - c) >= ZOOM_S / 2 for c in chosen):
            chosen.append(s)
    return sorted(chosen[:5])


def draw_sync(
    path: Path | str,
    *,
    activity: FloatArray,
    before: FloatArray,
    after: FloatArray,
    duration: float,
    marks: Sequence[float] = (),
    signal_name: str = "speech",
    title: str = "",
) -> Path:
    """Write the plot PNG. ``activity`` is 0..1 per 10 ms of film; spans are (n, 2) seconds.

    ``marks`` are film times to flag (where a cut scene joins); ``title`` (the offset,
    ratio, segments and confidence) heads the picture.
    """
    end = max(duration, float(after[:, 1].max()) if len(after) else 0.0, 1.0)
    windows = _windows(after, marks, end)
    panel_h = 56 + 2 * (14 + 6) + 30
    head = HEAD if title else 30
    image = canvas(WIDTH, head + panel_h * (1 + len(windows)))
    if title:
        text(image, 8, 6, title, INK, size=TITLE_PX)
    text(image, 8, head - 24, f"overview 0:00–{_clock(end)}", INK)
    y = _panel(image, head, 0.0, end, activity, before, after, marks, signal_name)
    for start in windows:
        y = _panel(image, y, start, start + ZOOM_S, activity, before, after, marks, signal_name)
    return write_png(path, image)
