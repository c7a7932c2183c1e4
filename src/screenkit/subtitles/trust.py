"""Whether a sync can be trusted: one rule for audio and reference sync, calibrated on data.

Three kinds of evidence, each able to veto the others:

- the *strength*: how far the evidence the mapping explains stands above what one offset
  explains by chance (a robust z, `screenkit.subtitles.align`);
- the *agreement*: the share of events whose own evidence agrees with the offset they got
  (the speech rising where they start, `screenkit.subtitles.align.agreeing`, or a
  reference event where they land);
- the *placement*: how many events end up inside the film at a time of their own. A
  result that drops most events, pushes them before the start or past the end, or puts
  them on top of each other is never reliable, however strong its peak: that is how a
  3-second tone "matched" a 56-second track at confidence 0.50.

The figure is their product, 0..1; ``MIN_CONFIDENCE`` is where the strength alone makes a
sync as likely right as wrong (``Z_EVEN``). Both constants come from the measurement in
``bench/bench_sync.py`` (its closing lines): true pairs (offsets, frame-rate conversions, cuts,
added scenes, synthetic speech) against false ones (another film, a tone, noise, music
only, a 20 s excerpt); the gap and the margin are in the module's comment below.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from screenkit.subtitles.segmentation import FloatArray

MIN_CONFIDENCE = 0.5
# Measured (bench_sync: 16 true pairs on 10-minute films and on the sample kit's own 70 s
# film, 16 false ones; the tests' clips: 8 true pairs of one or two minutes, 9 false ones).
# Among the false pairs whose events land in the film (placement does not veto them):
# strength z ≤ 4.93 (flite lines against music only) and agreement ≤ 0.66 on the bench,
# ≤ 0.54 on the clips. True pairs: z ≥ 7.71 on the bench films (flite, a scene cut), 5.77
# on the sample kit's film (15 lines), ≥ 5.56 on a one-minute clip with a cut; agreement
# ≥ 0.93 on the bench films (flite), 1.00 on the sample kit's film and on the speech-like
# clips, ≥ 0.85 on a clip of flite lines (and ≥ 0.80 on clips whose every third line is
# 12-20 dB quieter, under a score). Each factor is even in the middle of its gap: z 5.2
# (0.27 above the strongest false pair, 0.36 below the weakest true clip, 0.57 below the
# sample kit's film, 2.5 below the other bench films) and agreement 0.75 (0.10 below the
# weakest true pair, 0.05 below the quiet-line clips, 0.09 above the strongest false one).
# A false pair would have to pass both. Strength grows with the film's length (a
# 70-minute film gives true pairs z of 30 and more); chance does not.
# The agreement was once the share of events with more evidence under them than the
# film's average frame: quiet speech counted against its offset, the sample kit's film
# (4 of 15 lines quieter) gave 0.73 and was refused at 0.23; the same bench gave true
# pairs ≥ 0.73 and false ones ≤ 0.67 (a gap of 0.06, now 0.27).
Z_EVEN = 5.2
Z_SLOPE = 1.5
AGREE_FROM, AGREE_FULL = 0.70, 0.80  # share of agreeing events: nothing below, full above
PLACED_FROM, PLACED_FULL = 0.5, 0.8  # share of events placed: "most dropped" is worth 0
Z_CAP = 99.0
STACK_TOLERANCE_S = 0.05
STACKED_ZERO = 0.05  # a share of stacked events this large is worth 0


@dataclass(frozen=True)
class Verdict:
    confidence: float
    placed: int
    """Events written inside the film (or the reference's extent) at a time of their own."""
    stacked: int
    """Events put on top of another that they did not overlap in the input."""
    reasons: tuple[str, ...]
    """Why the confidence is low, in words (empty when nothing stands out)."""


def _overlaps(spans: FloatArray) -> int:
    if len(spans) < 2:
        return 0
    ordered = spans[np.argsort(spans[:, 0], kind="stable")]
    ends = np.maximum.accumulate(ordered[:, 1])
    return int((ordered[1:, 0] < ends[:-1] - STACK_TOLERANCE_S).sum())


def _ramp(x: float, lo: float, hi: float) -> float:
    return float(min(1.0, max(0.0, (x - lo) / (hi - lo))))


def judge(
    *,
    strength: float,
    agreement: float,
    before: FloatArray,
    after: FloatArray,
    total: int,
    extent: float,
) -> Verdict:
    """The verdict on a mapping of ``total`` events, of which those not dropped went from
    ``before`` (n, 2) to ``after`` (n, 2), in seconds, unclipped.

    Events starting before 0 or at/after ``extent`` (the film's length) are not placed.
    """
    strength = min(strength, Z_CAP)  # a film shorter than the track: chance has no spread
    dropped = total - len(after)
    inside = (after[:, 0] >= 0.0) & (after[:, 0] < extent)
    placed = int(inside.sum())
    stacked = max(0, _overlaps(after[inside]) - _overlaps(before[inside]))
    from_strength = 1.0 / (1.0 + float(np.exp(-Z_SLOPE * (strength - Z_EVEN))))
    from_agreement = _ramp(agreement, AGREE_FROM, AGREE_FULL)
    share = placed / total if total else 0.0
    from_placed = _ramp(share, PLACED_FROM, PLACED_FULL)
    from_stacked = 1.0 - _ramp(stacked / max(placed, 1), 0.0, STACKED_ZERO)
    reasons = []
    if from_strength < 0.5:
        reasons.append(f"the match is weak (z {strength:.1f}, a sure one is {Z_EVEN + 2:.0f}+)")
    if from_agreement < 1.0:
        reasons.append(f"only {agreement:.0%} of the events agree with the offset they got")
    if from_placed < 1.0:
        lost = f", {dropped} dropped" if dropped else ""
        reasons.append(f"only {placed} of {total} events placed inside the film{lost}")
    if stacked:
        reasons.append(f"{stacked} events put on top of others")
    confidence = round(from_strength * from_agreement * from_placed * from_stacked, 3)
    return Verdict(confidence, placed, stacked, tuple(reasons))


def level(confidence: float) -> str:
    """The confidence in a word: high, medium (trusted), low (below the threshold)."""
    if confidence >= 0.9:
        return "high"
    if confidence >= MIN_CONFIDENCE:
        return "medium"
    return "low"
