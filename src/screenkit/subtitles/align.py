"""Aligning a track's timing shape with an activity signal: offset, frame-rate ratio, cuts.

Shared by audio sync (the signal is the film's speech activity) and reference sync (the
signal is another track's events). The model: film time = ratio · track time + offset,
where ``ratio`` is exact (one of the conversions between the common frame rates) and
``offset`` may change once or more inside the film, where a scene was cut or added.

1. Ratio: the cross-correlation (FFT) of the track's event indicator with the signal, for
   each of the 13 candidate ratios, at 100 ms resolution; ratio 1 and those within 3 % of
   the best go on (a wrong ratio smears the peak, but a cut scene halves the right one).
2. Offsets, per finalist ratio at 10 ms: the highest distinct peaks of the correlation,
   plus the best offset of each half and quarter of the track on its own, are candidates.
   Every event gets a score under each (the signal summed over it), and a Viterbi pass
   (`segmentation`) splits the track where another offset explains at least as much more
   as four typical events: one segment when the film is the cut the track was timed for,
   two around a cut or added scene. Each segment then takes its own best offset.
3. Where the film lost a scene, the events timed inside it have no place in the film: the
   boundary that explains the most evidence is found and those events are dropped.
4. Each segment's offset is refined to 1 ms by maximising the exact overlap integral of
   its events with the (piecewise constant) signal. The finalist explaining the most
   evidence wins (ratio 1 on a near tie).
5. Strength: how far the evidence explained stands above what one offset explains by
   chance (a robust z over the offsets that keep the track inside the film), and the
   agreement: the share of events whose start sits on a rise of the signal (`agreeing`);
   `screenkit.subtitles.trust` turns these and where the events land into the confidence.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from screenkit.subtitles.segmentation import (
    FRAME_S,
    MIN_SEGMENT_EVENTS,
    ONSET_S,
    FloatArray,
    Integral,
    absorb_short,
    boundary,
    onset_contrast,
    refine,
    runs_of,
    viterbi,
)

__all__ = [
    "CANDIDATE_RATIOS",
    "FRAME_RATES",
    "FRAME_S",
    "Alignment",
    "FloatArray",
    "Segment",
    "align",
    "indicator",
]

FRAME_RATES = (Fraction(24000, 1001), Fraction(24), Fraction(25), Fraction(30000, 1001))
CANDIDATE_RATIOS: tuple[Fraction, ...] = tuple(
    sorted({a / b for a in FRAME_RATES for b in FRAME_RATES})
)
"""1 and every ratio from one common frame rate to another (13 in all)."""
PEAKS = 6  # candidate offsets kept for the segmentation
PEAK_SEPARATION_S = 0.5
COARSE = 10  # frames per step of the ratio search (100 ms)
FINALIST_SHARE = 0.97  # ratios within 3 % of the best coarse peak are compared at 10 ms
TIE_PREFERENCE = 1.005
SPLIT_EVENTS = 4.0  # a second offset must explain as much more as 4 typical events


@dataclass(frozen=True)
class Segment:
    """Events ``first``..``last`` (indexes in track order) move by ``offset`` seconds."""

    first: int
    last: int
    offset: float
    track_start: float
    """Track time (s) of the segment's first event."""
    score: float
    """Mean signal under the segment's events, mapped (the evidence for this offset)."""


@dataclass(frozen=True)
class Alignment:
    """How a track maps onto the signal: film time = ratio · track time + offset(segment)."""

    ratio: Fraction
    segments: tuple[Segment, ...]
    dropped: tuple[int, ...]
    """Events timed inside a scene the film no longer has."""
    prominence: float
    """How far the best correlation peak stands above the rest (robust z-score)."""
    runner_up: float
    """The best peak of any other ratio, as a share of the winner's height."""
    matched: float
    """Share of the kept events that agree with their segment's offset (`agreeing`)."""


def indicator(spans: FloatArray, length: int, ratio: float = 1.0) -> FloatArray:
    """1 in every 10 ms frame some span covers after ``t → ratio·t`` (spans in seconds)."""
    out = np.zeros(length)
    marks = np.zeros(length + 1)
    a = np.clip(np.round(spans[:, 0] * ratio / FRAME_S).astype(int), 0, length)
    b = np.clip(np.round(spans[:, 1] * ratio / FRAME_S).astype(int), 0, length)
    np.add.at(marks, a, 1.0)
    np.add.at(marks, b, -1.0)
    out[:] = np.cumsum(marks)[:length] > 0
    return out


class _Correlator:
    """``c[k] = Σ_t pattern[t]·signal[t + k - max_lag]`` by FFT, for many patterns against one
    signal (its spectrum computed once)."""

    def __init__(self, signal: FloatArray, longest: int, max_lag: int) -> None:
        self.size = 1 << int(np.ceil(np.log2(max(len(signal), longest) + max_lag + 1)))
        self.spectrum = np.fft.rfft(signal, self.size)
        self.lags = np.arange(-max_lag, max_lag + 1) % self.size
        self.max_lag = max_lag
        self.longest = longest

    def __call__(self, pattern: FloatArray) -> FloatArray:
        product = self.spectrum * np.conj(np.fft.rfft(pattern, self.size))
        return np.asarray(np.fft.irfft(product, self.size)[self.lags])


def _robust_z(values: FloatArray, x: float) -> float:
    median = float(np.median(values))
    mad = float(np.median(np.abs(values - median))) * 1.4826
    return (x - median) / mad if mad > 0 else 0.0


def _peaks(c: FloatArray, count: int, separation: int) -> list[int]:
    """The ``count`` highest points that are the maximum within ``separation`` either side."""
    padded = np.pad(c, separation, mode="constant", constant_values=-np.inf)
    local = np.lib.stride_tricks.sliding_window_view(padded, 2 * separation + 1).max(axis=1)
    candidates = np.flatnonzero(c >= local)
    order = candidates[np.argsort(c[candidates])[::-1]]
    chosen: list[int] = []
    for i in order:
        if all(abs(int(i) - j) > separation for j in chosen):
            chosen.append(int(i))
            if len(chosen) == count:
                break
    return chosen


def _ratio_heights(
    signal: FloatArray, spans: FloatArray, ratios: Sequence[Fraction], max_offset: float
) -> dict[Fraction, float]:
    """Each ratio's best correlation peak, normalised, at 100 ms resolution (cheap, and
    enough to tell even 24/25 from 24000/1001:25 on a film of some minutes)."""
    step = COARSE
    usable = len(signal) // step * step
    coarse = signal[:usable].reshape(-1, step).mean(axis=1)
    max_lag = round(max_offset / (FRAME_S * step))
    size = 1 << int(
        np.ceil(
            np.log2(
                len(coarse)
                + max_lag
                + 1
                + float(spans[:, 1].max()) * float(max(ratios)) / (FRAME_S * step)
                + 2
            )
        )
    )
    spectrum = np.fft.rfft(coarse, size)
    lags = np.arange(-max_lag, max_lag + 1) % size
    heights: dict[Fraction, float] = {}
    for ratio in ratios:
        end = round(float(spans[:, 1].max()) * float(ratio) / (FRAME_S * step)) + 2
        pattern = indicator(spans / step, end, float(ratio))
        c = np.fft.irfft(spectrum * np.conj(np.fft.rfft(pattern, size)), size)[lags]
        heights[ratio] = float(c.max()) / np.sqrt(max(float(pattern.sum()), 1.0))
    return heights


def _chance(
    c: FloatArray, spans: FloatArray, ratio: float, correlator: _Correlator, frames: int
) -> FloatArray:
    """The correlation at the offsets that keep most of the track inside the film.

    What one offset explains by chance: offsets that push the track off the film explain
    nothing, and counting them would make any peak look significant.
    """
    lags = np.arange(0, len(c), 10)
    offsets = ((lags - correlator.max_lag) * FRAME_S).astype(np.float64)
    inside = Integral(np.ones(frames)).totals(spans, ratio, offsets)
    share = inside / max(float(((spans[:, 1] - spans[:, 0]) * ratio).sum() / FRAME_S), 1.0)
    kept = lags[share >= 0.5]
    return c[kept] if len(kept) >= 20 else c


def _own_offset(correlator: _Correlator, part: FloatArray, ratio: float) -> tuple[float, float]:
    """The best offset of ``part``'s events on their own, and how far its peak stands out."""
    local = correlator(indicator(part, correlator.longest, ratio))
    best = int(np.argmax(local))
    return (best - correlator.max_lag) * FRAME_S, _robust_z(local, float(local[best]))


def _settle(
    coarse: list[tuple[int, int, float]],
    spans: FloatArray,
    ratio: float,
    integral: Integral,
    correlator: _Correlator,
    penalty: float,
) -> tuple[list[tuple[int, int, float]], list[int]]:
    """Place the boundaries between segments; undo splits that do not pay for themselves.

    A boundary where the offset drops also drops the events of the lost scene, which the
    segmentation did not count. So each split is checked again: the evidence of its two
    segments must beat that of all their events (dropped ones included) under one offset by
    ``penalty``, else the weakest split is undone and the rest placed again.
    """
    while True:
        placed = list(coarse)
        dropped: list[int] = []
        for i in range(len(placed) - 1):
            end_a, start_b = boundary(spans, ratio, placed[i], placed[i + 1], integral)
            placed[i] = (placed[i][0], end_a - 1, placed[i][2])
            placed[i + 1] = (start_b, placed[i + 1][1], placed[i + 1][2])
            dropped.extend(range(end_a, start_b))
        if len(placed) == 1:
            return placed, dropped

        def evidence(first: int, last: int, offset: float) -> float:
            return float(integral.sums(spans[first : last + 1], ratio, np.array([offset])).sum())

        gains = []
        for a, b in itertools.pairwise(placed):
            split = evidence(*a) + evidence(*b)
            merged = max(evidence(a[0], b[1], a[2]), evidence(a[0], b[1], b[2]))
            gains.append(split - merged)
        k = int(np.argmin(gains))
        if gains[k] >= penalty:
            return placed, dropped
        first, last = coarse[k][0], coarse[k + 1][1]
        joined = (first, last, _own_offset(correlator, spans[first : last + 1], ratio)[0])
        coarse = [*coarse[:k], joined, *coarse[k + 2 :]]


def _parts(n: int) -> list[slice]:
    """Halves and quarters of ``n`` events, each long enough to be a segment."""
    parts = []
    for count in (2, 4):
        edges = np.linspace(0, n, count + 1).round().astype(int)
        parts += [slice(int(a), int(b)) for a, b in itertools.pairwise(edges)]
    return [p for p in parts if p.stop - p.start >= MIN_SEGMENT_EVENTS]


def _distinct(offsets: Sequence[float], within: float = 0.05) -> FloatArray:
    """``offsets`` in order, without those within ``within`` s of an earlier one."""
    kept: list[float] = []
    for o in offsets:
        if all(abs(o - k) > within for k in kept):
            kept.append(o)
    return np.array(kept)


@dataclass(frozen=True)
class _Fit:
    """The best segmentation under one ratio, and the evidence it explains."""

    ratio: Fraction
    segments: tuple[Segment, ...]
    dropped: tuple[int, ...]
    agrees: npt.NDArray[np.bool_]
    """Each event's agreement with its segment's offset (`agreeing`)."""
    prominence: float
    total: float
    """The rise at the events' starts, less a penalty per extra segment."""


def agreeing(
    integral: Integral, spans: FloatArray, ratio: float, offset: float
) -> npt.NDArray[np.bool_]:
    """Whether each event's start, mapped, sits on a rise of the signal: more evidence in the
    ``ONSET_S`` after it than in the ``ONSET_S`` before it.

    The event is weighed against the moment before it, not against the film's average
    frame: a quiet line (a whisper, a far microphone) still rises out of the pause before
    it, where the test of the evidence under it against the film's mean (the signal is
    zero-mean) called it a disagreement whenever it was quieter than the film's average.
    The window before is ``ONSET_S`` even where the previous event ends closer: a track
    that closes short gaps to two frames moves the end of the line before, not the pause
    in the speech. How this separates true pairs from false: `screenkit.subtitles.trust`.
    """
    before = np.full(len(spans), ONSET_S)
    rise = onset_contrast(integral, spans, ratio, np.array([offset]), before)[:, 0]
    return np.asarray(rise > 0.0)


def _fit(
    correlator: _Correlator,
    integral: Integral,
    spans: FloatArray,
    ratio: Fraction,
    split: bool,
    split_penalty: float,
) -> _Fit:
    r = float(ratio)
    max_lag = correlator.max_lag
    c = correlator(indicator(spans, correlator.longest, r))
    peaks = _peaks(c, PEAKS if split else 1, round(PEAK_SEPARATION_S / FRAME_S))
    chance = _chance(c, spans, r, correlator, len(integral.cum) - 1)
    prominence = _robust_z(chance, float(c[peaks[0]]))
    candidates = [(p - max_lag) * FRAME_S for p in peaks]
    if split:
        for piece in _parts(len(spans)):
            candidates.append(_own_offset(correlator, spans[piece], r)[0])
    offsets = _distinct(candidates)
    scores = integral.sums(spans, r, offsets)
    penalty = 0.0
    if split and len(spans) >= 2 * MIN_SEGMENT_EVENTS and len(offsets) > 1:
        noise = float(np.median(np.abs(scores[:, 1:] - np.median(scores[:, 1:])))) * 1.4826
        typical = float(np.median(scores.max(axis=1)))
        penalty = max(split_penalty * noise, SPLIT_EVENTS * typical, 1e-9)
        runs = absorb_short(runs_of(viterbi(scores, penalty)), scores)
    else:
        runs = [(0, len(spans) - 1, 0)]
    coarse = [(first, last, float(offsets[state])) for first, last, state in runs]
    if len(coarse) > 1:  # each segment's own best offset, now that its events are known
        coarse = [
            (first, last, _own_offset(correlator, spans[first : last + 1], r)[0])
            for first, last, _ in coarse
        ]
    coarse, dropped = _settle(coarse, spans, r, integral, correlator, penalty)
    segments = []
    own = np.zeros(len(spans))
    rises = np.zeros(len(spans))
    agrees = np.zeros(len(spans), dtype=bool)
    for first, last, offset in coarse:
        part = spans[first : last + 1]
        offset, rises[first : last + 1] = refine(integral, part, r, offset)
        sums = integral.sums(part, r, np.array([offset]))[:, 0]
        own[first : last + 1] = sums
        agrees[first : last + 1] = agreeing(integral, part, r, offset)
        frames = float(((part[:, 1] - part[:, 0]) * r).sum() / FRAME_S)
        segments.append(
            Segment(first, last, offset, float(part[0, 0]), float(sums.sum()) / max(frames, 1.0))
        )
    extra = len(segments) - 1
    # how far the evidence explained stands above what one offset explains by chance
    strength = _robust_z(chance, float(own.sum()) - penalty * extra) if extra else prominence
    # what tells finalist ratios apart: the starts on the rises (the overlap has plateaus)
    typical_rise = max(float(np.median(rises[rises != 0])) if rises.any() else 0.0, 0.0)
    total = float(rises.sum()) - SPLIT_EVENTS * typical_rise * extra
    return _Fit(ratio, tuple(segments), tuple(dropped), agrees, strength, total)


def align(
    signal: FloatArray,
    spans: FloatArray,
    *,
    max_offset: float,
    ratios: Sequence[Fraction] = CANDIDATE_RATIOS,
    split: bool = True,
    split_penalty: float = 6.0,
) -> Alignment:
    """Align event ``spans`` (track seconds, shape (n, 2), sorted) with a zero-mean ``signal``.

    ``split_penalty`` is in units of the typical evidence of one event at a wrong offset.
    Ratio 1 and the ratios whose coarse peaks come within 3 % of the best are each segmented
    in full, and the one explaining the most evidence wins (ratio 1 on a tie within 0.5 %):
    a cut scene halves a peak, and a wrong ratio can then look as good as the right one.
    """
    max_lag = round(max_offset / FRAME_S)
    integral = Integral(signal)
    heights = _ratio_heights(signal, spans, ratios, max_offset)
    top = max(heights.values())
    finalists = [q for q, h in heights.items() if h >= FINALIST_SHARE * top or q == 1]
    longest = round(float(spans[:, 1].max()) * float(max(finalists)) / FRAME_S) + 2
    correlator = _Correlator(signal, longest, max_lag)
    fits = [_fit(correlator, integral, spans, q, split, split_penalty) for q in finalists]
    best = max(fits, key=lambda f: f.total * (TIE_PREFERENCE if f.ratio == 1 else 1.0))
    others = [h for q, h in heights.items() if q != best.ratio]
    runner_up = max(others) / heights[best.ratio] if others and heights[best.ratio] > 0 else 0.0
    kept = np.setdiff1d(np.arange(len(spans)), best.dropped)
    matched = float(best.agrees[kept].mean()) if len(kept) else 0.0
    return Alignment(
        ratio=best.ratio,
        segments=best.segments,
        dropped=best.dropped,
        prominence=best.prominence,
        runner_up=runner_up,
        matched=matched,
    )
