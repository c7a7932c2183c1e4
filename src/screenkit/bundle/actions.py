"""What each step does when it runs (its cache key and command are the plan's business).

Each action gets a `StepRun` (a fresh folder to write into, its dependencies' cache entries,
a progress sink) and returns small JSON facts about what it made, kept in the entry's
``meta``; ``meta["out"]`` names the step's main file. Intermediate files go to a scratch
folder that is removed before the step ends, so an entry holds exactly its outputs.
"""

from __future__ import annotations

import math
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from screenkit.bundle.cache import Entry
from screenkit.bundle.mediaops import SoftTrack, cut_args, keyframe_before, mux_args, still_args
from screenkit.bundle.steps import StepRun
from screenkit.bundle.tracks import (
    TrackFile,
    busiest_window,
    events,
    shifted,
    showcase_event,
    sidecar_format,
    sidecar_names,
    stage_shifted,
)
from screenkit.encode import EncodeOptions, Loudness, SubtitleInput, encode, measure_loudness
from screenkit.encode.options import OutputFormat
from screenkit.encode.subs import stage_burn
from screenkit.fonts import Font
from screenkit.media.binaries import FFmpeg
from screenkit.media.info import MediaInfo
from screenkit.media.probe import probe
from screenkit.media.runner import run_ffmpeg
from screenkit.presets import VenuePreset
from screenkit.slides import CardSpec, CardTarget, card_timing, join_parts, render_card
from screenkit.subtitles.save import save_track

CLIP_SECONDS = 60.0
MIN_STRETCH = 10.0


def main_file(entry: Entry) -> Path:
    return entry.path(str(entry.meta["out"]))


def loudness_to_meta(measured: Loudness | None) -> dict[str, Any]:
    if measured is None:
        return {"none": True}
    return {k: (v if math.isfinite(v) else str(v)) for k, v in asdict(measured).items()}


def loudness_from_meta(meta: Mapping[str, Any]) -> Loudness | None:
    if meta.get("none"):
        return None
    return Loudness(**{k: float(meta[k]) for k in Loudness.__dataclass_fields__})


@dataclass(frozen=True)
class Tools:
    """What every action shares: the ffmpeg, the engine's own cache, the fonts, a speed."""

    ffmpeg: FFmpeg
    engine_cache: Path
    fonts: tuple[Font, ...]
    x264_preset: str | None = None


# -- loudness and film -------------------------------------------------------------------
def measure(tools: Tools, master: MediaInfo, channels: int | None, run: StepRun) -> dict[str, Any]:
    measured = measure_loudness(
        master,
        channels=channels,
        cache_dir=tools.engine_cache,
        ffmpeg=tools.ffmpeg,
        progress=run.progress,
    )
    return loudness_to_meta(measured)


def encode_film(
    tools: Tools,
    master: Path,
    preset: VenuePreset,
    burn: TrackFile | None,
    audio_lang: str,
    run: StepRun,
) -> dict[str, Any]:
    out = run.work / f"film{preset.extension}"
    options = EncodeOptions(
        burn=SubtitleInput(burn.path, burn.lang) if burn else None,
        audio_lang=audio_lang,
        fonts=tools.fonts,
        x264_preset=tools.x264_preset,
    )
    result = encode(
        master,
        preset,
        out,
        options,
        progress=run.progress,
        cache_dir=tools.engine_cache,
        ffmpeg=tools.ffmpeg,
        quality=True,
    )
    for sidecar in result.sidecars:  # the bundle writes its own, timed for the card in front
        sidecar.unlink(missing_ok=True)
    return {
        "out": out.name,
        "commands": [list(c) for c in result.commands],
        "copied_video": result.copied_video,
        "two_pass": result.two_pass,
        "warnings": list(result.warnings),
        "duration": result.info.duration,
        "quality": result.quality.to_json() if result.quality else None,
    }


# -- card and join -----------------------------------------------------------------------
def card(
    tools: Tools, spec: CardSpec, safe_area: float, film_id: str, run: StepRun
) -> dict[str, Any]:
    film = main_file(run.deps[film_id])
    target = CardTarget.from_media_info(probe(film, ffmpeg=tools.ffmpeg), safe_area=safe_area)
    out = run.work / f"{spec.kind}{target.extension}"
    render_card(spec, target, out, progress=run.progress, ffmpeg=tools.ffmpeg)
    return {"out": out.name, "duration": float(card_timing(spec.seconds, target).slot)}


def join(tools: Tools, part_ids: Sequence[str], ext: str, run: StepRun) -> dict[str, Any]:
    parts = [main_file(run.deps[i]) for i in part_ids]
    out = run.work / f"joined{ext}"
    result = join_parts(parts, out, progress=run.progress, ffmpeg=tools.ffmpeg)
    # where the film starts in the joined file: what every track is shifted by
    return {"out": out.name, "duration": result.info.duration, "film_offset": result.offsets[1]}


def mux(
    tools: Tools,
    joined_id: str,
    tracks: Sequence[TrackFile],
    default: str,
    preset: VenuePreset,
    run: StepRun,
) -> dict[str, Any]:
    """Soft tracks into the joined file, by stream copy (the film is not encoded again)."""
    offset = float(run.deps[joined_id].meta["film_offset"])
    joined = main_file(run.deps[joined_id])
    out = run.work / f"video{preset.extension}"
    with tempfile.TemporaryDirectory(prefix="screenkit-mux-") as scratch:
        staged = stage_shifted(tracks, Path(scratch), container=preset.container, by=offset)
        soft = [
            SoftTrack(path, t.lang, t.lang == default)
            for path, t in zip(staged, tracks, strict=True)
        ]
        args = mux_args(joined, soft, out, container=preset.container, faststart=preset.faststart)
        run_ffmpeg(
            args,
            ffmpeg=tools.ffmpeg,
            progress=run.progress,
            step="soft tracks",
            what="adding the subtitle tracks",
        )
    return {"out": out.name, "offset": offset, "tracks": [t.lang for t in tracks]}


# -- sidecars, clip, stills --------------------------------------------------------------
def sidecars(
    join_id: str, tracks: Sequence[TrackFile], stem: str, preset: VenuePreset, run: StepRun
) -> dict[str, Any]:
    offset = float(run.deps[join_id].meta["film_offset"])
    written: list[dict[str, str]] = []
    for track in tracks:
        subs = shifted(track.path, track.lang, by=offset)
        for name, encoding in sidecar_names(stem, track.lang, preset):
            save_track(subs, run.work / name, encoding=encoding)
            written.append({"path": name, "lang": track.lang, "encoding": encoding})
    return {"out": "subtitles", "files": written, "offset": offset}


@dataclass(frozen=True)
class ClipCut:
    """Where the test clip's stretch of film starts and how long it is."""

    card: float
    start: float
    length: float

    @property
    def from_start(self) -> bool:
        """The stretch starts with the film: the clip is the head of the finished file."""
        return self.start <= 0

    @property
    def total(self) -> float:
        return self.card + self.length


def clip_cut(film: Entry, joined: Entry, screening: TrackFile | None) -> ClipCut:
    """The busiest ``CLIP_SECONDS - card`` of the screening track, from a keyframe."""
    card_seconds = float(joined.meta["film_offset"])
    film_seconds = float(film.meta["duration"])
    length = max(MIN_STRETCH, CLIP_SECONDS - card_seconds)
    spans = []
    if screening is not None:
        spans = [(e.start / 1000, e.end / 1000) for e in events(screening.path, screening.lang)]
    start = keyframe_before(main_file(film), min(busiest_window(spans, length), film_seconds))
    return ClipCut(card_seconds, start, min(length, film_seconds - start))


def clip(
    tools: Tools,
    film_id: str,
    intro_id: str,
    join_id: str,
    final_id: str,
    screening: TrackFile | None,
    soft: Sequence[TrackFile],
    default: str,
    preset: VenuePreset,
    run: StepRun,
) -> dict[str, Any]:
    """About a minute: the card, then the film's busiest subtitled stretch, by stream copy.

    When that stretch starts with the film, the clip is simply the head of the finished
    file (one cut, every stream); otherwise the stretch is cut from the film at a keyframe,
    joined to the card, and the soft tracks are re-timed for it. Where the preset neither
    burns nor carries tracks (sidecars only), the screening track is written beside the
    clip, re-timed for it, under the clip's name (players load it by that name).
    """
    cut = clip_cut(run.deps[film_id], run.deps[join_id], screening)
    out = run.work / f"test-clip{preset.extension}"
    if cut.from_start:
        args = cut_args(
            main_file(run.deps[final_id]),
            out,
            start=0.0,
            duration=cut.total,
            faststart=preset.faststart,
        )
        run_ffmpeg(
            args,
            ffmpeg=tools.ffmpeg,
            duration=cut.total,
            progress=run.progress,
            step="test clip",
            what="cutting the test clip",
        )
    else:
        _clip_stretch(
            tools,
            main_file(run.deps[film_id]),
            main_file(run.deps[intro_id]),
            out,
            cut,
            soft,
            default,
            preset,
            run,
        )
    if screening is not None and not preset.subtitles.burn and not preset.subtitles.soft:
        subs = shifted(
            screening.path,
            screening.lang,
            by=cut.card - cut.start,
            window=(cut.start, cut.start + cut.length),
        )
        save_track(subs, run.work / f"test-clip.{screening.lang}.{sidecar_format(preset)}")
    return {"out": out.name, "stretch": [cut.start, cut.start + cut.length], "card": cut.card}


def _clip_stretch(
    tools: Tools,
    film: Path,
    card_file: Path,
    out: Path,
    cut: ClipCut,
    soft: Sequence[TrackFile],
    default: str,
    preset: VenuePreset,
    run: StepRun,
) -> None:
    start, length, card_seconds = cut.start, cut.length, cut.card
    scratch = Path(tempfile.mkdtemp(prefix="screenkit-clip-"))
    try:
        stretch = scratch / f"stretch{preset.extension}"
        run_ffmpeg(
            cut_args(film, stretch, start=start, duration=length),
            ffmpeg=tools.ffmpeg,
            duration=length,
            progress=run.progress,
            step="test clip",
            what="cutting the test clip",
        )
        joined = out if not soft else scratch / f"clip-av{preset.extension}"
        join_parts([card_file, stretch], joined, ffmpeg=tools.ffmpeg)
        if soft:
            staged = stage_shifted(
                soft,
                scratch / "tracks",
                container=preset.container,
                by=card_seconds - start,
                window=(start, start + length),
            )
            tracks = [
                SoftTrack(p, t.lang, t.lang == default) for p, t in zip(staged, soft, strict=True)
            ]
            run_ffmpeg(
                mux_args(
                    joined, tracks, out, container=preset.container, faststart=preset.faststart
                ),
                ffmpeg=tools.ffmpeg,
            )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _format_of(info: MediaInfo) -> OutputFormat:
    video = info.video
    assert video is not None
    audio = info.audio[0] if info.audio else None
    return OutputFormat(
        width=video.width,
        height=video.height,
        frame_rate=video.frame_rate,
        pix_fmt=video.pix_fmt or "yuv420p",
        sample_rate=audio.sample_rate if audio else 48000,
        channels=audio.channels if audio else 2,
        copy_video=False,
        duration=info.duration,
    )


def card_still(tools: Tools, intro_id: str, run: StepRun) -> dict[str, Any]:
    """``images/card.png``: the middle frame of the encoded card, for the sheet."""
    intro = run.deps[intro_id]
    images = run.work / "images"
    images.mkdir()
    at = float(intro.meta["duration"]) / 2
    run_ffmpeg(still_args(main_file(intro), images / "card.png", at=at), ffmpeg=tools.ffmpeg)
    return {"out": "images/card.png", "card": "images/card.png"}


def frame_still(
    tools: Tools,
    film_id: str,
    screening: TrackFile | None,
    burned: bool,
    preset: VenuePreset,
    run: StepRun,
) -> dict[str, Any]:
    """``images/subtitled-frame.png``: the film at its wordiest subtitle, as the room sees it.

    A burned film shows its own text; otherwise the track is drawn on the frame as a burn-in
    would (the player's own rendering differs a little, the size and place do not).
    """
    film = main_file(run.deps[film_id])
    spans = []
    if screening is not None:
        spans = [
            (e.start / 1000, e.end / 1000, e.plaintext)
            for e in events(screening.path, screening.lang)
        ]
    at = showcase_event(spans)
    if screening is None or at is None:
        return {"out": None, "frame": None}
    images = run.work / "images"
    images.mkdir()
    frame_png = images / "subtitled-frame.png"
    if burned:
        run_ffmpeg(still_args(film, frame_png, at=at), ffmpeg=tools.ffmpeg)
    else:
        info = probe(film, ffmpeg=tools.ffmpeg)
        with tempfile.TemporaryDirectory(prefix="screenkit-still-") as scratch:
            ass, fontsdir = stage_burn(
                SubtitleInput(screening.path, screening.lang),
                preset,
                _format_of(info),
                Path(scratch),
                tools.fonts,
            )
            run_ffmpeg(
                still_args(film, frame_png, at=at, subtitles=ass, fontsdir=fontsdir),
                ffmpeg=tools.ffmpeg,
            )
    return {
        "out": "images/subtitled-frame.png",
        "frame": "images/subtitled-frame.png",
        "frame_at": at,
    }
