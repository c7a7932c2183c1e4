"""Where a chunked film is cut: in the gaps between cues, so that wordless stretches are shared.

Every burned language is its own encode of the whole picture, yet where no subtitle shows
(titles, music, landscape, the pauses of an interview) every language's picture is the
same frames. So the cuts go where no cue of any language shows:

- every stretch of at least `SHARED_MIN` seconds without a cue becomes a chunk of its own
  (split near the chunk length when it is long): it shows no cue, is keyed without any
  language and is encoded once for every burned language and the clean picture;
- the stretches with words between them are split near the chunk length too, at a pause
  between two cues (the one nearest the target); where speech never pauses, a chunk is as
  long as it must be.

All of it on the output's frame grid: a cue ``[start, end)`` shows on the frames whose
time lies in it, and one frame more on each side is counted as showing it, so that no
rounding of a time to a frame (libass works in milliseconds, a 29.97 fps frame does not)
can put a cue's first or last frame into a chunk keyed without it. With no cue at all
(nothing burned, no track) the whole film is one gap and is cut near the chunk length.

`chunk_shown` says, for one language's track as laid out for burning, what of it shows in
each chunk (a digest, or None: nothing, the chunk is the clean picture's).
"""

from __future__ import annotations

import hashlib
import itertools
import math
from collections.abc import Iterable, Sequence
from fractions import Fraction

import pysubs2

from screenkit.encode.chunks import Chunk

SHARED_MIN = 2.0
"""Seconds without a cue that become a chunk of their own, shared by every language.
Cutting one out of a stretch with words costs one more encode per language (starting
ffmpeg and x264, decoding the master from the keyframe before the cut: about half a CPU
second at 1080p) and saves the stretch's encode in every language but one; with a dozen
languages that pays from about half a second at ``veryfast`` and two at ``ultrafast``
(`bench.bench_matrix` measures both costs). Shorter pauses stay inside their chunk."""
MARGIN = 1
"""Frames around a cue counted as showing it (see the module docstring)."""

Span = tuple[int, int]
"""A cue's ``[start, end)`` in milliseconds."""
Frames = tuple[int, int]
"""Frames ``[first, end)``."""


def cue_spans(subs: pysubs2.SSAFile) -> list[Span]:
    """The times a track shows something: its events that are not comments or empty."""
    return [(int(e.start), int(e.end)) for e in _shown(subs)]


def cue_frames(span: Span, rate: Fraction) -> Frames:
    """The frames a cue shows on, widened by `MARGIN` on each side."""
    start, end = span
    first = math.ceil(Fraction(start, 1000) * rate) - MARGIN
    last = math.ceil(Fraction(end, 1000) * rate) + MARGIN
    return max(0, first), last


def busy_frames(spans: Iterable[Span], rate: Fraction, total: int) -> list[Frames]:
    """The frames where some cue shows, merged into ranges within ``[0, total)``."""
    ranges = sorted(cue_frames(s, rate) for s in spans)
    merged: list[list[int]] = []
    for first, end in ranges:
        end = min(end, total)
        if first >= end:
            continue
        if merged and first <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([first, end])
    return [(a, b) for a, b in merged]


def free_frames(busy: Sequence[Frames], total: int) -> list[Frames]:
    """The ranges of ``[0, total)`` outside ``busy``."""
    out = []
    at = 0
    for first, end in busy:
        if first > at:
            out.append((at, first))
        at = max(at, end)
    if at < total:
        out.append((at, total))
    return out


def gap_cuts(
    spans: Iterable[Span],
    duration: float,
    rate: Fraction,
    seconds: float,
    shared_min: float = SHARED_MIN,
) -> list[int]:
    """The frames a film is cut before (see the module docstring), increasing, none at 0."""
    total = math.floor(Fraction(duration).limit_denominator(1_000_000) * rate)
    if total <= 1:
        return []
    length = max(1, round(seconds * rate))
    free = free_frames(busy_frames(spans, rate, total), total)
    cuts: set[int] = set()
    shared: set[Frames] = set()
    for first, end in free:
        if end - first >= shared_min * rate:
            shared.add((first, end))
            cuts.update(_even_splits(first, end, length))
    marks = sorted({0, total, *cuts})
    for first, end in itertools.pairwise(marks):
        if (first, end) in shared or any(a <= first and end <= b for a, b in shared):
            continue
        cuts.update(_pause_splits(first, end, length, free))
    return sorted(c for c in cuts if 0 < c < total)


def _even_splits(first: int, end: int, length: int) -> list[int]:
    """``first``, ``end`` and the cuts that split a wordless stretch near ``length``."""
    count = max(1, round((end - first) / length))
    return [first, end, *(first + round(k * (end - first) / count) for k in range(1, count))]


def _pause_splits(first: int, end: int, length: int, free: Sequence[Frames]) -> list[int]:
    """Cuts at pauses that split ``[first, end)`` (with words) near ``length``."""
    cuts = []
    at = first
    while end - at > 1.5 * length:
        target = at + length
        low, high = at + length // 2, end - length // 2
        best: int | None = None
        for a, b in free:
            if b < low or a > high:
                continue
            point = min(max(target, a, low), b, high)
            if best is None or abs(point - target) < abs(best - target):
                best = point
        if best is None or best <= at:
            break  # no pause until the stretch ends: one long chunk
        cuts.append(best)
        at = best
    return cuts


def gap_bounds(
    spans: Iterable[Span],
    duration: float,
    rate: Fraction,
    seconds: float,
    shared_min: float = SHARED_MIN,
) -> tuple[Chunk, ...]:
    """The chunks of `gap_cuts` (the last one runs to the film's end)."""
    firsts = [0, *gap_cuts(spans, duration, rate, seconds, shared_min)]
    ends: list[int | None] = [*firsts[1:], None]
    return tuple(
        Chunk(n, first, None if end is None else end - first)
        for n, (first, end) in enumerate(zip(firsts, ends, strict=True))
    )


def chunk_frames(chunk: Chunk) -> Frames:
    return chunk.first, (chunk.first + chunk.frames) if chunk.frames is not None else 1 << 62


def chunk_shown(subs: pysubs2.SSAFile, chunks: Sequence[Chunk], rate: Fraction) -> list[str | None]:
    """For each chunk, what of ``subs`` (a track laid out for burning) shows in it: a digest
    of those events (timed from the chunk's start) with the track's styles; None when no
    event shows there (by `cue_frames`, the rule the cuts follow)."""
    head = pysubs2.SSAFile()
    head.info = dict(subs.info)
    head.styles = dict(subs.styles)
    styles = head.to_string("ass")
    events = [(cue_frames((int(e.start), int(e.end)), rate), e) for e in _shown(subs)]
    out: list[str | None] = []
    for chunk in chunks:
        first, end = chunk_frames(chunk)
        offset = round(Fraction(chunk.first) / rate * 1000)
        lines = [
            f"{e.start - offset}|{e.end - offset}|{e.style}|{e.layer}|{e.marginl}|"
            f"{e.marginr}|{e.marginv}|{e.effect}|{e.text}"
            for (a, b), e in events
            if a < end and b > first
        ]
        if not lines:
            out.append(None)
            continue
        text = styles + "\n".join(lines)
        out.append(hashlib.sha256(text.encode()).hexdigest())
    return out


def _shown(subs: pysubs2.SSAFile) -> list[pysubs2.SSAEvent]:
    return [e for e in subs.events if not e.is_comment and e.end > e.start]
