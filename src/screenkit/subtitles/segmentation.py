"""Splitting a track into stretches of one offset, and placing their boundaries.

Used by `screenkit.subtitles.align` once the candidate offsets are known: every event has
a score under each (the signal summed over the event); `viterbi` picks one offset per event
with a penalty per change, `absorb_short` folds runs too short to be a scene into their
neighbours, `boundary` places the change between two segments (dropping the events of a
scene the film lost) and `refine` moves a segment's offset to the millisecond.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
Run = tuple[int, int, int]
"""First event, last event, state (index of the candidate offset)."""

FRAME_S = 0.01
MIN_SEGMENT_EVENTS = 3
REFINE_S = 0.8  # ± around the coarse offset (a linger can bias it that far), at 1 ms
ONSET_S = 0.25  # the stretch after a start (and before it) that tells a rise
MIN_PAUSE_S = 0.05
BLOCK_EVENTS = 32  # events evaluated at once against hundreds of offsets


class Integral:
    """The signal's running integral, for exact overlap sums at any (fractional) shift."""

    def __init__(self, signal: FloatArray) -> None:
        self.cum = np.concatenate([[0.0], np.cumsum(signal)])
        self.n = len(signal)

    def __call__(self, x: FloatArray) -> FloatArray:
        """∫_0^x signal, x in frames (outside the signal: the integral stays flat)."""
        x = np.clip(x, 0.0, float(self.n))
        i = np.minimum(np.floor(x).astype(int), self.n - 1)
        return np.asarray(self.cum[i] + (x - i) * (self.cum[i + 1] - self.cum[i]))

    def totals(self, spans: FloatArray, ratio: float, offsets: FloatArray) -> FloatArray:
        """``sums(...).sum(axis=0)`` in blocks of events: memory flat in the track's length."""
        out = np.zeros(len(offsets))
        for i in range(0, len(spans), BLOCK_EVENTS):
            out += self.sums(spans[i : i + BLOCK_EVENTS], ratio, offsets).sum(axis=0)
        return out

    def sums(self, spans: FloatArray, ratio: float, offsets: FloatArray) -> FloatArray:
        """Signal summed over each span under each offset: shape (len(spans), len(offsets))."""
        start = (spans[:, 0:1] * ratio + offsets[None, :]) / FRAME_S
        end = (spans[:, 1:2] * ratio + offsets[None, :]) / FRAME_S
        return self(end) - self(start)


def viterbi(scores: FloatArray, penalty: float) -> list[int]:
    """State per event maximising Σ scores[j, state] - penalty · (number of changes)."""
    n, k = scores.shape
    total = scores[0].copy()
    back = np.zeros((n, k), dtype=int)
    for j in range(1, n):
        best = int(np.argmax(total))
        stay = total
        move = total[best] - penalty
        back[j] = np.where(stay >= move, np.arange(k), best)
        total = np.maximum(stay, move) + scores[j]
    path = [int(np.argmax(total))]
    for j in range(n - 1, 0, -1):
        path.append(int(back[j, path[-1]]))
    return path[::-1]


def runs_of(path: Sequence[int]) -> list[Run]:
    """Consecutive events in the same state, as runs."""
    runs: list[Run] = []
    for j, state in enumerate(path):
        if runs and runs[-1][2] == state:
            runs[-1] = (runs[-1][0], j, state)
        else:
            runs.append((j, j, state))
    return runs


def absorb_short(
    runs: list[tuple[int, int, int]], scores: FloatArray
) -> list[tuple[int, int, int]]:
    """Give runs of fewer than MIN_SEGMENT_EVENTS events to the neighbour they fit best."""
    while len(runs) > 1:
        short = [r for r in runs if r[1] - r[0] + 1 < MIN_SEGMENT_EVENTS]
        if not short:
            break
        first, last, _ = min(short, key=lambda r: r[1] - r[0])
        i = runs.index(next(r for r in runs if r[0] == first))
        options = [runs[j][2] for j in (i - 1, i + 1) if 0 <= j < len(runs)]
        state = max(options, key=lambda s: float(scores[first : last + 1, s].sum()))
        runs[i] = (first, last, state)
        merged: list[tuple[int, int, int]] = []
        for run in runs:
            if merged and merged[-1][2] == run[2]:
                merged[-1] = (merged[-1][0], run[1], run[2])
            else:
                merged.append(run)
        runs = merged
    return runs


def refine(
    integral: Integral, spans: FloatArray, ratio: float, coarse: float
) -> tuple[float, FloatArray]:
    """The offset within ±REFINE_S of ``coarse`` (1 ms steps) that puts the events' starts
    on the rise of the signal, and each event's rise there.

    Subtitlers time a line's start to the first word, but let it linger after the last, so
    the ends say little and the overlap of a whole line with the speech has a plateau as
    long as the linger. The rise does not: per event, the mean signal in the first
    ``ONSET_S`` after its start minus the mean in the pause before it (as long as the pause,
    up to ``ONSET_S``), summed over the events; the middle of a plateau of equal ones.
    """
    offsets = coarse + np.arange(-REFINE_S, REFINE_S + 1e-9, 0.001)
    totals = np.zeros(len(offsets))
    for i in range(0, len(spans), BLOCK_EVENTS):  # in blocks: memory flat in track length
        pause = _pauses(spans, i, i + BLOCK_EVENTS)
        part = spans[i : i + BLOCK_EVENTS]
        totals += onset_contrast(integral, part, ratio, offsets, pause).sum(axis=0)
    best = np.flatnonzero(totals >= totals.max() - 1e-9)
    chosen = float(offsets[int(best[len(best) // 2])])
    rises = onset_contrast(
        integral, spans, ratio, np.array([chosen]), _pauses(spans, 0, len(spans))
    )
    return chosen, rises[:, 0]


def _pauses(spans: FloatArray, first: int, stop: int) -> FloatArray:
    """Seconds of pause before events ``first``..``stop - 1`` (up to ONSET_S; the first
    event of the track has a whole ONSET_S)."""
    stop = min(stop, len(spans))
    pause = np.full(stop - first, ONSET_S)
    lo = max(first, 1)
    pause[lo - first :] = np.clip(spans[lo:stop, 0] - spans[lo - 1 : stop - 1, 1], 0.0, ONSET_S)
    return pause


def onset_contrast(
    integral: Integral, spans: FloatArray, ratio: float, offsets: FloatArray, pause: FloatArray
) -> FloatArray:
    """Per event and offset: mean signal just after the start minus in the ``pause`` before."""
    after = np.minimum(spans[:, 1] - spans[:, 0], ONSET_S)
    start = (spans[:, 0:1] * ratio + offsets[None, :]) / FRAME_S
    after_n = np.maximum(after * ratio / FRAME_S, 1e-9)[:, None]
    pause_n = np.maximum(pause * ratio / FRAME_S, 1e-9)[:, None]
    rise = (integral(start + after_n) - integral(start)) / after_n
    fall = (integral(start) - integral(start - pause_n)) / pause_n
    return np.asarray(rise - np.where(pause[:, None] >= MIN_PAUSE_S, fall, 0.0))


def boundary(
    spans: FloatArray,
    ratio: float,
    before: tuple[int, int, float],
    after: tuple[int, int, float],
    integral: Integral,
) -> tuple[int, int]:
    """Where the film changes from ``before``'s offset to ``after``'s: (first after, first kept).

    Segments are (first, last, offset). If the film lost a scene (the offset drops), the
    events timed inside it have no place: they lie between the two indexes returned.
    """
    lost = max(0.0, (before[2] - after[2]) / ratio)  # track seconds the film no longer has
    idx = np.arange(before[0], after[1] + 1)
    part = spans[idx]
    own = integral.sums(part, ratio, np.array([before[2], after[2]]))
    best_score, best = -np.inf, (after[0], after[0])
    for cut in np.concatenate([part[:, 0], part[:, 1]]):
        keep_a = part[:, 0] < cut
        keep_b = part[:, 0] >= cut + lost
        if keep_a.sum() < MIN_SEGMENT_EVENTS or keep_b.sum() < MIN_SEGMENT_EVENTS:
            continue
        score = float(own[keep_a, 0].sum() + own[keep_b, 1].sum())
        if score > best_score:
            best_score = score
            best = (int(idx[keep_a][-1]) + 1, int(idx[keep_b][0]))
    return best
