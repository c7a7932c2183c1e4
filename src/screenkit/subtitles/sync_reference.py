"""``subs sync FILE --reference REF``: time a track like a correctly timed one of the same cut.

A translation usually keeps the original's segmentation, event for event; then each event
simply takes its counterpart's times (``event-to-event``). When the count differs, or the
shapes do not match one to one, the tracks are *aligned*: first the global map (ratio and
offset, by the same correlation as audio sync, with the reference's events as the signal),
then a dynamic-programming alignment over the events on their timing shape, which lets one
event stand for two or three of the other's (merged or split lines) and leaves events
without a counterpart where there is none. Matched events take the reference's times
(a merged line spans its parts; split parts share their line's span in proportion); events
without a counterpart move with their matched neighbours.

Where the reference's cut lost or gained a scene, the global map is piecewise, found as
audio sync finds it (`screenkit.subtitles.align`, the reference's events as the signal):
one offset per stretch, the track's lines of a scene the reference lacks dropped and
listed, and the event alignment done on each stretch under its own offset.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path

import numpy as np
import pysubs2

from screenkit.errors import InputError
from screenkit.subtitles.align import (
    CANDIDATE_RATIOS,
    FRAME_S,
    Alignment,
    FloatArray,
    align,
    indicator,
)
from screenkit.subtitles.load import load_track
from screenkit.subtitles.plot import draw_sync
from screenkit.subtitles.sync import (
    Mapping,
    SyncResult,
    SyncSegment,
    finish,
    guard_output,
    segments_of,
    spans_of,
    timed_events,
    with_verdict,
)
from screenkit.subtitles.trust import Z_CAP, judge

SAME_SHAPE_S = 0.4  # event-to-event when every start fits one linear map this well
BAND_S = 8.0  # the DP considers counterparts within this many seconds of the global map
SKIP_COST = 1.2  # seconds-equivalent of leaving an event without a counterpart
GROUP_COST = 0.25  # extra cost per additional event in a merged/split group
MAX_GROUP = 3
RATIO_SNAP = 0.0005
GOOD_S = 0.5  # a matched event agrees with the map when its counterpart starts this near
REACH_S = 10.0  # a line may end the track this long after the reference's last one


@dataclass(frozen=True)
class ReferenceSyncOptions:
    max_offset: float = 120.0
    force: bool = False
    plot: Path | None = None
    lang: str | None = None
    split: bool = True
    """Look for cut or added scenes (an offset per stretch)."""


@dataclass(frozen=True)
class _Pair:
    """Track events ti..tj (inclusive) ↔ reference events ri..rj (a group of one or more)."""

    ti: int
    tj: int
    ri: int
    rj: int


def _linear_fit(x: FloatArray, y: FloatArray) -> tuple[float, float]:
    if len(x) < 2 or float(np.ptp(x)) == 0.0:
        return 1.0, float(np.median(y - x)) if len(x) else 0.0
    a, b = np.polyfit(x, y, 1)
    return float(a), float(b)


def _snap(ratio: float) -> Fraction:
    """The candidate frame-rate ratio nearest ``ratio`` if close, else ``ratio`` itself."""
    best = min(CANDIDATE_RATIOS, key=lambda r: abs(float(r) - ratio))
    if abs(float(best) - ratio) <= RATIO_SNAP:
        return best
    return Fraction(ratio).limit_denominator(100000)


def same_shape(track: FloatArray, ref: FloatArray) -> tuple[bool, float, float, float]:
    """Whether event i of ``track`` is event i of ``ref``: (yes, ratio, offset, worst error).

    Yes when the counts match and one linear map puts every start within ``SAME_SHAPE_S``
    and keeps every duration within twice that. Strict on purpose: one merged and one split
    line keep the count but shift every line between them, and the aligned path gives the
    same times wherever the shapes do match.
    """
    if len(track) != len(ref) or len(track) < 2:
        return False, 1.0, 0.0, float("inf")
    a, b = _linear_fit(track[:, 0], ref[:, 0])
    start_err = np.abs(a * track[:, 0] + b - ref[:, 0])
    dur_err = np.abs(a * (track[:, 1] - track[:, 0]) - (ref[:, 1] - ref[:, 0]))
    worst = float(start_err.max())
    ok = worst <= SAME_SHAPE_S and float(dur_err.max()) <= 2 * SAME_SHAPE_S and 0.7 < a < 1.4
    return ok, a, b, worst


def _group_cost(t: FloatArray, r: FloatArray, pair: _Pair) -> float:
    ts, te = t[pair.ti, 0], t[pair.tj, 1]
    rs, re = r[pair.ri, 0], r[pair.rj, 1]
    extra = (pair.tj - pair.ti) + (pair.rj - pair.ri)
    return float(abs(ts - rs) + abs(te - re)) + GROUP_COST * extra


def align_events(t: FloatArray, r: FloatArray) -> list[_Pair]:
    """The cheapest alignment of mapped track spans ``t`` with reference spans ``r``.

    Cells are (i, j) = events consumed so far; moves consume a group of 1..MAX_GROUP track
    events against 1..MAX_GROUP reference events (not both more than one), or skip one event
    of either side. Only reference events within ``BAND_S`` of a track event are considered.
    """
    n, m = len(t), len(r)
    r_starts = r[:, 0]
    lo = np.searchsorted(r_starts, t[:, 0] - BAND_S)
    hi = np.searchsorted(r_starts, t[:, 0] + BAND_S)
    band = [(max(0, int(lo[i]) - MAX_GROUP), min(m, int(hi[i]) + MAX_GROUP)) for i in range(n)]
    cost: dict[tuple[int, int], float] = {(0, 0): 0.0}
    back: dict[tuple[int, int], tuple[int, int, bool]] = {}

    def relax(cell: tuple[int, int], value: float, prev: tuple[int, int], matched: bool) -> None:
        if value < cost.get(cell, float("inf")):
            cost[cell] = value
            back[cell] = (*prev, matched)

    for i in range(n + 1):
        j_lo, j_hi = band[min(i, n - 1)]
        # a row is entered by the move that consumed the event before: the reference events
        # between that event's window and this one's are skipped here (a sparse track, such
        # as a translation half done, has gaps wider than the band)
        j_lo = 0 if i == 0 else min(j_lo, band[i - 1][0])
        j_hi = m if i == n else j_hi
        for j in range(j_lo, j_hi + 1):
            here = cost.get((i, j))
            if here is None:
                continue
            if i < n:
                relax((i + 1, j), here + SKIP_COST, (i, j), False)
            if j < m:
                relax((i, j + 1), here + SKIP_COST, (i, j), False)
            for dt in range(1, MAX_GROUP + 1):
                for dr in range(1, MAX_GROUP + 1):
                    if (dt > 1 and dr > 1) or i + dt > n or j + dr > m:
                        continue
                    pair = _Pair(i, i + dt - 1, j, j + dr - 1)
                    relax((i + dt, j + dr), here + _group_cost(t, r, pair), (i, j), True)
    cell = (n, m)
    if cell not in cost:  # the band cut every path: fall back to skipping all
        return []
    pairs: list[_Pair] = []
    while cell != (0, 0):
        pi, pj, matched = back[cell]
        if matched:
            pairs.append(_Pair(pi, cell[0] - 1, pj, cell[1] - 1))
        cell = (pi, pj)
    return pairs[::-1]


def _retime(t: FloatArray, r: FloatArray, pairs: list[_Pair]) -> tuple[FloatArray, list[bool]]:
    """New (start, end) per track event, and whether each had a counterpart."""
    new = np.full_like(t, np.nan)
    for p in pairs:
        rs, re = r[p.ri, 0], r[p.rj, 1]
        if p.ti == p.tj:  # one track event for one or more reference events
            new[p.ti] = (rs, re)
        else:  # several track events for one reference event: share it in proportion
            ts, te = t[p.ti, 0], t[p.tj, 1]
            scale = (re - rs) / (te - ts) if te > ts else 1.0
            new[p.ti : p.tj + 1] = rs + (t[p.ti : p.tj + 1] - ts) * scale
    has = [not np.isnan(new[i, 0]) for i in range(len(t))]
    anchors = np.array([i for i, ok in enumerate(has) if ok])
    for i, ok in enumerate(has):
        if ok:
            continue
        if len(anchors) == 0:
            new[i] = t[i]
            continue
        # move with the nearest matched neighbours: their mean displacement
        near = anchors[np.argsort(np.abs(anchors - i))[:2]]
        shift = float(np.mean(new[near, 0] - t[near, 0]))
        new[i] = t[i] + shift
    return new, has


def sync_to_reference(
    track_path: Path | str,
    reference: Path | str,
    output: Path | str,
    *,
    options: ReferenceSyncOptions = ReferenceSyncOptions(),
) -> SyncResult:
    """Time the track at ``track_path`` like ``reference`` and write it to ``output``."""
    track_path, reference, output = Path(track_path), Path(reference), Path(output)
    guard_output(track_path, output, against=reference, plot=options.plot)
    track = load_track(track_path, lang=options.lang)
    ref = load_track(reference)
    order = timed_events(track.subs)
    ref_order = timed_events(ref.subs)
    for name, path, events in (("track", track_path, order), ("reference", reference, ref_order)):
        if len(events) < 2:
            raise InputError(
                f"{path}: the {name} has {len(events)} timed events: too few to sync by", path=path
            )
    t = spans_of(track.subs, order)
    r = spans_of(ref.subs, ref_order)
    ok, a, b, _ = same_shape(t, r)
    segments: tuple[SyncSegment, ...]
    dropped: tuple[int, ...]
    if ok:
        new, has = r.copy(), [True] * len(t)
        segments = (SyncSegment(order[0] + 1, order[-1] + 1, float(t[0, 0]), float(b)),)
        mapping = Mapping(
            "event-to-event", len(t), 0, 0, 0, float(np.mean(np.abs(a * t[:, 0] + b - r[:, 0])))
        )
        ratio, dropped, strength, agreement = _snap(a), (), Z_CAP, 1.0
    else:
        fit = _aligned(t, r, options.max_offset, split=options.split)
        new, has, mapping, strength, agreement = (
            fit.new,
            fit.has,
            fit.mapping,
            fit.strength,
            fit.agreement,
        )
        ratio = fit.alignment.ratio
        segments = segments_of(order, track.subs, fit.alignment)
        dropped = tuple(order[j] + 1 for j in fit.alignment.dropped)
    kept = [j for j in range(len(t)) if order[j] + 1 not in dropped]
    verdict = judge(
        strength=strength,
        agreement=agreement,
        before=t[kept],
        after=new[kept],
        total=len(track.subs.events),
        extent=float(r[:, 1].max()) + REACH_S,
    )
    moved = _moved(track.subs, order, new, set(dropped))
    result = SyncResult(
        track=track_path,
        against=reference,
        method="reference",
        ratio=ratio,
        segments=segments,
        dropped=dropped,
        confidence=0.0,
        events=len(track.subs.events),
        matched=float(np.mean([has[j] for j in kept])) if kept else 0.0,
        mapping=mapping,
    )
    result = with_verdict(result, verdict, strength)
    if options.plot is not None:
        end = float(max(r[:, 1].max(), new[kept, 1].max() if kept else 0.0))
        draw_sync(
            options.plot,
            activity=indicator(r, round(end / FRAME_S) + 1),
            before=t,
            after=new[kept],
            duration=end,
            marks=[float(ratio) * s.track_start + s.offset for s in segments[1:]],
            signal_name="REFERENCE",
            title=result.title,
        )
        result = replace(result, plot=options.plot)
    return finish(result, moved, track, output, force=options.force)


@dataclass(frozen=True)
class _AlignedFit:
    alignment: Alignment
    new: FloatArray
    """New (start, end) per track event (dropped ones included, unused)."""
    has: list[bool]
    mapping: Mapping
    strength: float
    agreement: float
    """Share of kept events matched to a reference event within ``GOOD_S`` of the map."""


def _aligned(t: FloatArray, r: FloatArray, max_offset: float, *, split: bool) -> _AlignedFit:
    """The DP path, per segment of the piecewise map (a cut or added scene: a new offset)."""
    # the reference's extent only: offsets that push the track past it explain nothing
    signal = indicator(r, round((float(r[:, 1].max()) + 1.0) / FRAME_S))
    signal = (signal - signal.mean()) / (signal.std() or 1.0)
    glob = align(signal, t, max_offset=max_offset, split=split)
    ratio = float(glob.ratio)
    mapped = t * ratio
    kept = np.zeros(len(t), dtype=bool)
    for s in glob.segments:
        mapped[s.first : s.last + 1] += s.offset
        kept[s.first : s.last + 1] = True
    index = np.flatnonzero(kept)
    pairs = align_events(mapped[index], r)
    part, has_part = _retime(mapped[index], r, pairs)
    new = mapped.copy()
    new[index] = part
    has = [False] * len(t)
    for k, j in enumerate(index):
        has[int(j)] = has_part[k]
    one = [p for p in pairs if p.ti == p.tj and p.ri == p.rj]
    sub = mapped[index]
    errors = [abs(sub[p.ti, 0] - r[p.ri, 0]) for p in one]
    good = sum(p.tj - p.ti + 1 for p in pairs if abs(sub[p.ti, 0] - r[p.ri, 0]) <= GOOD_S)
    mapping = Mapping(
        mode="aligned",
        one_to_one=len(one),
        merged=sum(1 for p in pairs if p.ti == p.tj and p.rj > p.ri),
        split=sum(1 for p in pairs if p.tj > p.ti and p.ri == p.rj),
        unmatched=sum(1 for ok in has_part if not ok),
        mean_error=float(np.mean(errors)) if errors else 0.0,
    )
    agreement = good / len(index) if len(index) else 0.0
    return _AlignedFit(glob, new, has, mapping, glob.prominence, agreement)


def _moved(
    subs: pysubs2.SSAFile, order: list[int], new: FloatArray, dropped: set[int]
) -> pysubs2.SSAFile:
    """A copy of ``subs`` with the timed events moved to ``new``, the ``dropped`` (1-based)
    left out; other events (comments, zero-length) keep their times."""
    out = copy.deepcopy(subs)
    for j, i in enumerate(order):
        start, end = round(new[j, 0] * 1000), round(new[j, 1] * 1000)
        out.events[i].start, out.events[i].end = max(0, start), max(1, end)
    out.events = [e for n, e in enumerate(out.events) if n + 1 not in dropped]
    return out
