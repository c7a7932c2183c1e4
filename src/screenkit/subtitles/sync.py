"""What both kinds of sync share: the typed result, applying it, and refusing to guess.

A sync (to the film's audio or to a reference track) yields an `Alignment`: film time =
ratio · track time + offset, with one offset per segment of the track (more than one when a
scene was cut or added). `apply_alignment` moves every event accordingly; events timed in a
scene the film no longer has are dropped (and named). `finish` writes the result only when
it can be trusted (`screenkit.subtitles.trust`): below `MIN_CONFIDENCE` it raises
`SyncNotTrusted`, which carries the result so that the caller can still show it, unless
``force`` is given. `SyncResult.summary` says in words what was changed and dropped.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Literal

import numpy as np
import pysubs2

from screenkit.errors import SubtitleError
from screenkit.subtitles.align import FRAME_RATES, Alignment
from screenkit.subtitles.load import Track
from screenkit.subtitles.save import format_for, save_track
from screenkit.subtitles.trust import MIN_CONFIDENCE, Verdict, level

MAX_TRACK_S = 6 * 3600.0  # no film is longer: later events are not used to align
Method = Literal["film", "reference"]


@dataclass(frozen=True)
class SyncSegment:
    """A stretch of the track that moves by one offset."""

    first_event: int
    """1-based, as the input numbers its events."""
    last_event: int
    track_start: float
    """Seconds, in the input's timing."""
    offset: float
    """Seconds added after scaling by the ratio."""


@dataclass(frozen=True)
class Mapping:
    """How the events of a track matched a reference track's (reference sync only)."""

    mode: Literal["event-to-event", "aligned"]
    one_to_one: int
    merged: int
    """Track events standing for two or more reference events (the translation merged lines)."""
    split: int
    """Groups of track events sharing one reference event (the translation split a line)."""
    unmatched: int
    """Track events without a counterpart: moved with their neighbours' offset."""
    mean_error: float
    """Mean |start difference| (s) of matched events after the global map, before snapping."""


@dataclass(frozen=True)
class SyncResult:
    track: Path
    against: Path
    method: Method
    ratio: Fraction
    segments: tuple[SyncSegment, ...]
    dropped: tuple[int, ...]
    """1-based numbers of events timed inside a scene the film no longer has."""
    confidence: float
    events: int
    matched: float
    """Share of events whose own evidence agrees with the offset they were given."""
    mapping: Mapping | None = None
    placed: int = 0
    """Events written inside the film (or the reference's extent) at a time of their own."""
    stacked: int = 0
    """Events put on top of another that they did not overlap before."""
    evidence: float = 0.0
    """How far the match stands above chance (robust z): the strength behind the figure."""
    reasons: tuple[str, ...] = ()
    """Why the confidence is low, in words."""
    output: Path | None = None
    plot: Path | None = None

    @property
    def offset(self) -> float:
        """The offset of the first segment (the whole track's when there is no cut)."""
        return self.segments[0].offset

    @property
    def trusted(self) -> bool:
        return self.confidence >= MIN_CONFIDENCE

    @property
    def level(self) -> str:
        return level(self.confidence)

    @property
    def summary(self) -> str:
        """ "moved by −2.280 s; 15 of 15 events placed; confidence high (0.93)"."""
        parts = [_moves(self)]
        placed = f"{self.placed} of {self.events} events placed"
        if self.dropped:
            placed += f", {len(self.dropped)} dropped"
        parts.append(placed)
        parts.append(f"confidence {self.level} ({self.confidence:.2f})")
        return "; ".join(parts)

    @property
    def title(self) -> str:
        """The plot's title: "offset −3.000 s · ratio 1 · 1 segment · confidence high (0.97)"
        (in characters the shipped font draws: it has no arrow)."""
        count = len(self.segments)
        parts = [
            f"offset {signed(self.offset)}",
            f"ratio {self.ratio_text.replace(' → ', ' fps to ')}",
            f"{count} segment{'s' if count != 1 else ''}"
            + (f" ({', '.join(signed(x.offset) for x in self.segments)})" if count > 1 else ""),
        ]
        if self.dropped:
            parts.append(f"{len(self.dropped)} dropped")
        parts.append(f"confidence {self.level} ({self.confidence:.2f})")
        return " · ".join(parts)

    @property
    def meaning(self) -> str:
        """What the confidence figure says about this result."""
        against = "the film's speech" if self.method == "film" else "the reference's lines"
        if self.trusted and self.mapping is not None and self.mapping.mode == "event-to-event":
            return (
                "each line took its counterpart's times: both tracks have the same lines, "
                f"one map puts every start within {self.mapping.mean_error:.3f} s on average"
            )
        if self.trusted:
            return (
                f"the lines sit on {against} far better than any other placing "
                f"(z {self.evidence:.1f}; {MIN_CONFIDENCE:.2f} or more is trusted)"
            )
        why = "; ".join(self.reasons) or "the match is no better than chance"
        return f"not reliable: {why} (needs {MIN_CONFIDENCE:.2f})"

    @property
    def ratio_text(self) -> str:
        """``1`` or ``25 → 24000/1001`` (the conversion the ratio stands for)."""
        if self.ratio == 1:
            return "1"
        for a in FRAME_RATES:
            for b in FRAME_RATES:
                if a / b == self.ratio:
                    return f"{_fps(a)} → {_fps(b)}"
        return str(self.ratio)

    def to_json(self) -> dict[str, object]:
        return {
            "track": str(self.track),
            "against": str(self.against),
            "method": self.method,
            "offset": round(self.offset, 3),
            "ratio": str(self.ratio),
            "ratio_fps": self.ratio_text,
            "segments": [
                {
                    "first_event": s.first_event,
                    "last_event": s.last_event,
                    "track_start": round(s.track_start, 3),
                    "offset": round(s.offset, 3),
                }
                for s in self.segments
            ],
            "dropped": list(self.dropped),
            "confidence": self.confidence,
            "threshold": MIN_CONFIDENCE,
            "level": self.level,
            "trusted": self.trusted,
            "evidence": round(self.evidence, 2),
            "reasons": list(self.reasons),
            "summary": self.summary,
            "events": self.events,
            "placed": self.placed,
            "stacked": self.stacked,
            "matched": round(self.matched, 3),
            "mapping": None if self.mapping is None else _mapping_json(self.mapping),
            "output": None if self.output is None else str(self.output),
            "plot": None if self.plot is None else str(self.plot),
        }


class SyncNotTrusted(SubtitleError):
    """The sync found no result it can vouch for; nothing was written (``--force`` writes)."""

    def __init__(self, message: str, *, result: SyncResult, hint: str | None = None) -> None:
        super().__init__(message, path=result.track, value=result.confidence, hint=hint)
        self.result = result


def signed(seconds: float) -> str:
    """``+0.500 s`` / ``−2.280 s`` (a true minus sign)."""
    shown = round(seconds, 3)
    return f"{'−' if shown < 0 else '+'}{abs(shown):.3f} s"


def _moves(result: SyncResult) -> str:
    scaled = "" if result.ratio == 1 else f"rescaled {result.ratio_text}, "
    if len(result.segments) == 1:
        return f"{scaled}moved by {signed(result.offset)}"
    steps = ", then ".join(
        f"{signed(s.offset)} from event {s.first_event}" for s in result.segments[1:]
    )
    return (
        f"{scaled}moved in {len(result.segments)} parts (a scene cut or added): "
        f"{signed(result.offset)}, then {steps}"
    )


def with_verdict(result: SyncResult, verdict: Verdict, strength: float) -> SyncResult:
    return replace(
        result,
        confidence=verdict.confidence,
        placed=verdict.placed,
        stacked=verdict.stacked,
        evidence=min(strength, 99.0),
        reasons=verdict.reasons,
    )


def _fps(rate: Fraction) -> str:
    return str(rate.numerator) if rate.denominator == 1 else f"{rate.numerator}/{rate.denominator}"


def _mapping_json(m: Mapping) -> dict[str, object]:
    return {
        "mode": m.mode,
        "one_to_one": m.one_to_one,
        "merged": m.merged,
        "split": m.split,
        "unmatched": m.unmatched,
        "mean_error": round(m.mean_error, 3),
    }


def timed_events(subs: pysubs2.SSAFile, *, until: float = MAX_TRACK_S) -> list[int]:
    """Indexes of the events that carry timing evidence, in time order.

    Not comments, not zero-length, and starting before ``until`` seconds: an event the
    alignment cannot place (or a corrupt time like 99:99:99) would only cost memory; it
    still moves, with the segment its start falls in.
    """
    order = [
        i
        for i, e in enumerate(subs.events)
        if not e.is_comment and e.end > e.start and 0 <= e.start <= until * 1000
    ]
    return sorted(order, key=lambda i: (subs.events[i].start, i))


def spans_of(subs: pysubs2.SSAFile, order: list[int]) -> np.ndarray:
    """(start, end) in seconds of the events ``order`` names, shape (n, 2)."""
    if not order:
        return np.zeros((0, 2))
    return np.array([(subs.events[i].start / 1000, subs.events[i].end / 1000) for i in order])


def apply_alignment(
    subs: pysubs2.SSAFile, order: list[int], alignment: Alignment
) -> tuple[pysubs2.SSAFile, tuple[int, ...]]:
    """A copy of ``subs`` moved by ``alignment`` (whose spans were ``order``'s events).

    Events outside ``order`` (comments, zero-length) move with the segment their start
    falls in. Returns the copy and the 1-based numbers of the dropped events.
    """
    out = copy.deepcopy(subs)
    starts = [subs.events[i].start for i in order]
    dropped_idx = {order[j] for j in alignment.dropped}
    segment_of = np.zeros(len(subs.events), dtype=int)
    for n, event in enumerate(subs.events):
        before = [k for k, s in enumerate(alignment.segments) if starts[s.first] <= event.start]
        segment_of[n] = before[-1] if before else 0
    for j, i in enumerate(order):  # timed events: exactly their own segment
        for k, s in enumerate(alignment.segments):
            if s.first <= j <= s.last:
                segment_of[i] = k
    ratio = float(alignment.ratio)
    kept: list[pysubs2.SSAEvent] = []
    dropped: list[int] = []
    for n, event in enumerate(out.events):
        offset_ms = 1000.0 * alignment.segments[segment_of[n]].offset
        start = round(ratio * event.start + offset_ms)
        end = round(ratio * event.end + offset_ms)
        if n in dropped_idx or end <= 0:
            dropped.append(n + 1)
            continue
        event.start, event.end = max(0, start), end
        kept.append(event)
    out.events = kept
    return out, tuple(dropped)


def segments_of(
    order: list[int], subs: pysubs2.SSAFile, alignment: Alignment
) -> tuple[SyncSegment, ...]:
    return tuple(
        SyncSegment(
            first_event=order[s.first] + 1,
            last_event=order[s.last] + 1,
            track_start=subs.events[order[s.first]].start / 1000,
            offset=s.offset,
        )
        for s in alignment.segments
    )


def finish(
    result: SyncResult, moved: pysubs2.SSAFile, track: Track, output: Path, *, force: bool
) -> SyncResult:
    """Write ``moved`` to ``output`` if the result is trusted (or forced); else refuse."""
    if not result.trusted and not force:
        raise SyncNotTrusted(
            f"{track.path.name}: the sync is not reliable (confidence {result.confidence:.2f}, "
            f"needs {MIN_CONFIDENCE:.2f}"
            + "".join(f"; {r}" for r in result.reasons)
            + "); nothing written",
            result=result,
            hint="is this the right film or reference? check the plot (--plot), "
            "or write it anyway with --force",
        )
    save_track(moved, output)
    return replace(result, output=output)


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def guard_output(
    source: Path, output: Path, *, against: Path | None = None, plot: Path | None = None
) -> None:
    """Refuse, before any work, outputs that would overwrite an input, or cannot be written.

    ``output`` gets the synced track (its format from its extension); ``plot`` a PNG.
    """
    inputs = [source, *([against] if against is not None else [])]
    for path, what in ((output, "the synced track"), *([(plot, "the plot")] if plot else [])):
        for given in inputs:
            if _same(given, path):
                raise SubtitleError(
                    f"{path} is an input file: write {what} to another file", path=path
                )
        if path.is_dir():
            raise SubtitleError(f"{path} is a folder: give a file name for {what}", path=path)
    format_for(output)  # raises, naming the extension, for a format screenkit cannot write
    if plot is not None:
        if _same(plot, output):
            raise SubtitleError(f"{plot}: the plot and the synced track need two files", path=plot)
        if plot.suffix.lower() != ".png":
            raise SubtitleError(f"{plot}: the plot is a PNG file (name it .png)", path=plot)
