"""``subs sync FILE --film FILM``: move a track onto the speech in the film's own audio.

The film's speech activity (`screenkit.subtitles.vad`, one figure per 10 ms, streamed from
ffmpeg) is the signal; `screenkit.subtitles.align` finds the frame-rate ratio, the offset
and any cut scene. Music-only stretches do not pull the result: the activity measure gives
held notes and drums next to nothing, and what is left of a score is centred away (a
stretch that scores the same under every offset moves no peak).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from screenkit.errors import InputError
from screenkit.media.binaries import FFmpeg
from screenkit.progress import ProgressCallback
from screenkit.subtitles.align import CANDIDATE_RATIOS, Alignment, FloatArray, align
from screenkit.subtitles.load import load_track
from screenkit.subtitles.plot import draw_sync
from screenkit.subtitles.sync import (
    SyncResult,
    apply_alignment,
    finish,
    guard_output,
    segments_of,
    spans_of,
    timed_events,
    with_verdict,
)
from screenkit.subtitles.trust import judge
from screenkit.subtitles.vad import SpeechActivity, speech_activity

NOT_SPEECH_WEIGHT = 0.5  # frames webrtcvad calls silence count half
CLIP_Z = 5.0  # one loud burst must not outweigh many quiet lines
MIN_EVENTS = 3


@dataclass(frozen=True)
class FilmSyncOptions:
    max_offset: float = 120.0
    """Seconds either way the track may be off."""
    split: bool = True
    """Look for a cut or added scene (a second offset)."""
    force: bool = False
    """Write even a result below the confidence threshold."""
    plot: Path | None = None
    lang: str | None = None
    audio_stream: int = 0


def film_signal(activity: SpeechActivity) -> FloatArray:
    """The speech evidence per 10 ms frame, zero-mean, in robust units, clipped."""
    raw = activity.tonal_change.astype(np.float64) * np.where(activity.vad, 1.0, NOT_SPEECH_WEIGHT)
    spread = float(raw.std())
    if spread == 0.0:
        return np.zeros_like(raw)
    z = np.minimum((raw - raw.mean()) / spread, CLIP_Z)
    return np.asarray(z - z.mean())


def mapped_spans(spans: FloatArray, alignment: Alignment) -> tuple[FloatArray, FloatArray]:
    """The spans of the events ``alignment`` kept, before and after its map (unclipped)."""
    ratio = float(alignment.ratio)
    keep = [j for s in alignment.segments for j in range(s.first, s.last + 1)]
    offsets = np.array([s.offset for s in alignment.segments for _ in range(s.first, s.last + 1)])
    before = spans[keep] if keep else np.zeros((0, 2))
    return before, before * ratio + offsets[:, None] if keep else np.zeros((0, 2))


def sync_to_film(
    track_path: Path | str,
    film: Path | str,
    output: Path | str,
    *,
    options: FilmSyncOptions = FilmSyncOptions(),
    ffmpeg: FFmpeg | None = None,
    progress: ProgressCallback | None = None,
) -> SyncResult:
    """Sync the track at ``track_path`` to ``film``'s speech and write it to ``output``.

    Raises `SyncNotTrusted` (nothing written, the result attached) below the confidence
    threshold unless ``options.force``; the plot, when asked for, is drawn either way.
    """
    track_path, film, output = Path(track_path), Path(film), Path(output)
    guard_output(track_path, output, against=film, plot=options.plot)
    track = load_track(track_path, lang=options.lang)
    order = timed_events(track.subs)
    if len(order) < MIN_EVENTS:
        raise InputError(
            f"{track_path}: {len(order)} timed events is too few to sync by",
            path=track_path,
            hint=f"audio sync needs at least {MIN_EVENTS} events",
        )
    activity = speech_activity(film, stream=options.audio_stream, ffmpeg=ffmpeg, progress=progress)
    signal = film_signal(activity)
    # events no candidate ratio and offset can bring into the film do not vote
    reach = (activity.duration + options.max_offset) / float(min(CANDIDATE_RATIOS))
    order = timed_events(track.subs, until=reach)
    if len(order) < MIN_EVENTS:
        raise InputError(
            f"{track_path}: its events lie beyond {film.name} ({activity.duration:.0f} s) "
            f"even {options.max_offset:.0f} s earlier",
            path=track_path,
            hint="is this the track of this film? --max-offset widens the search",
        )
    spans = spans_of(track.subs, order)
    alignment = align(signal, spans, max_offset=options.max_offset, split=options.split)
    moved, dropped = apply_alignment(track.subs, order, alignment)
    result = SyncResult(
        track=track_path,
        against=film,
        method="film",
        ratio=alignment.ratio,
        segments=segments_of(order, track.subs, alignment),
        dropped=dropped,
        confidence=0.0,
        events=len(track.subs.events),
        matched=alignment.matched,
    )
    before, after = mapped_spans(spans, alignment)
    strength = alignment.prominence if signal.any() else 0.0
    verdict = judge(
        strength=strength,
        agreement=alignment.matched,
        before=before,
        after=after,
        total=len(track.subs.events),
        extent=activity.duration,
    )
    result = with_verdict(result, verdict, strength)
    if options.plot is not None:
        draw_sync(
            options.plot,
            activity=np.clip(signal / CLIP_Z, 0.0, 1.0),
            before=spans,
            after=spans_of(moved, timed_events(moved)),
            duration=activity.duration,
            marks=[
                float(alignment.ratio) * s.track_start + s.offset for s in alignment.segments[1:]
            ],
            title=result.title,
        )
        result = replace(result, plot=options.plot)
    return finish(result, moved, track, output, force=options.force)
