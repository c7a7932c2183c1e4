"""A long film encode as chunk steps and a join step (see `screenkit.encode.chunks`).

Each chunk is a cached step of its own, keyed by the master, the fonts, the settings, its
frames and what of the burned track shows in it (not the whole track): an edit of the track
re-encodes only the chunks it changes, a failed chunk re-runs alone, and the chunks of one
film spread over the executor's threads or the cluster's workers. The ``film`` step then
joins them by stream copy with the sound encoded once, and checks and measures the result
like a single encode; everything downstream of it is unchanged.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from screenkit.bundle.actions import Tools, loudness_from_meta, main_file
from screenkit.bundle.manifest import preset_to_json
from screenkit.bundle.mediaops import keyframe_before
from screenkit.bundle.steps import InputFile, StepRun
from screenkit.bundle.tracks import TrackFile
from screenkit.encode import EncodeOptions, SubtitleInput, output_format
from screenkit.encode.chunks import (
    Chunk,
    burn_digest,
    chunk_args,
    chunk_bounds,
    chunk_seconds,
    chunkable,
    encode_chunk,
    family_of,
    join_chunks,
    targets,
)
from screenkit.media.info import MediaInfo
from screenkit.media.runner import full_argv
from screenkit.presets import VenuePreset

if TYPE_CHECKING:
    from screenkit.bundle.planner import Planner

KEYFRAME_REACH = 0.25
"""A cut moves back to the master's keyframe when that is within this share of a chunk."""


def cuts(master: MediaInfo, seconds: float) -> list[float]:
    """Near every ``seconds``: the master's keyframe just before, where one is close."""
    out = []
    for target in targets(master.duration, seconds):
        key = keyframe_before(master.path, target)
        out.append(key if target - key <= seconds * KEYFRAME_REACH else target)
    return out


def plan_chunked_film(
    p: Planner,
    preset: VenuePreset,
    burn: str | None,
    track: TrackFile | None,
    inputs: Sequence[InputFile],
    loud_id: str | None,
    options: EncodeOptions,
) -> str | None:
    """The film step of a chunked encode (adding its chunk steps); None: not chunked."""
    seconds = chunk_seconds(p.settings.chunks, p.master.duration)
    if seconds is None or not chunkable(p.master, preset, options):
        return None
    fmt = output_format(p.master, preset, options)
    bounds = chunk_bounds(cuts(p.master, seconds), fmt.frame_rate)
    if len(bounds) < 2:
        return None
    burned = options.burn if preset.subtitles.burn else None
    what = f"{preset.name}{', burn ' + burn if burn else ''}"
    workdir = Path(tempfile.gettempdir()) / "screenkit-chunk-XXXXXX"
    chunk_ids = []
    for chunk in bounds:
        out = p.work("chunk") / f"chunk{chunk.index:04d}.mp4"
        args = chunk_args(p.master, preset, options, chunk, workdir, out, p.ffmpeg.version_tuple)
        length = chunk.length(fmt.frame_rate) or p.master.duration - chunk.start(fmt.frame_rate)
        chunk_ids.append(
            p.add(
                "chunk",
                f"film chunk {chunk.index + 1}/{len(bounds)} ({what})",
                params={
                    "preset": preset_to_json(preset),
                    "x264": p.settings.x264_preset,
                    "first": chunk.first,
                    "frames": chunk.frames,
                    "burned": burn_digest(burned, preset, fmt, family_of(options), chunk)
                    if burned
                    else None,
                },
                inputs=[p.master_file, *p.font_files],
                action=partial(encode_chunk_step, p.tools, p.master, preset, track, chunk),
                weight=length,
                commands=[full_argv(args, p.ffmpeg, loglevel="warning", progress=False)],
            )
        )
    return p.add(
        "film",
        f"film encode ({what}, {len(bounds)} chunks)",
        params={
            "preset": preset_to_json(preset),
            "burn": burn,
            "x264": p.settings.x264_preset,
            "audio_lang": p.kit.original_language,
            "chunks": [[c.first, c.frames] for c in bounds],
        },
        inputs=inputs,
        deps=[*([loud_id] if loud_id else []), *chunk_ids],
        action=partial(
            join_film_step,
            p.tools,
            p.master,
            preset,
            track,
            p.kit.original_language,
            loud_id,
            tuple(chunk_ids),
        ),
        weight=p.master.duration * 0.1,
        note="joins the chunks by stream copy, encodes the sound once, checks the result "
        "and measures its picture quality",
    )


def _options(tools: Tools, track: TrackFile | None, audio_lang: str | None) -> EncodeOptions:
    return EncodeOptions(
        burn=SubtitleInput(track.path, track.lang) if track else None,
        audio_lang=audio_lang,
        fonts=tools.fonts,
        x264_preset=tools.x264_preset,
    )


def encode_chunk_step(
    tools: Tools,
    master: MediaInfo,
    preset: VenuePreset,
    track: TrackFile | None,
    chunk: Chunk,
    run: StepRun,
) -> dict[str, Any]:
    out = run.work / f"chunk{chunk.index:04d}.mp4"
    argv = encode_chunk(
        master.path,
        master,
        preset,
        _options(tools, track, None),
        chunk,
        out,
        ffmpeg=tools.ffmpeg,
        progress=run.progress,
    )
    return {"out": out.name, "commands": [list(argv)], "first": chunk.first}


def join_film_step(
    tools: Tools,
    master: MediaInfo,
    preset: VenuePreset,
    track: TrackFile | None,
    audio_lang: str | None,
    loud_id: str | None,
    chunk_ids: Sequence[str],
    run: StepRun,
) -> dict[str, Any]:
    loudness = loudness_from_meta(run.deps[loud_id].meta) if loud_id else None
    out = run.work / f"film{preset.extension}"
    result = join_chunks(
        [main_file(run.deps[i]) for i in chunk_ids],
        master,
        preset,
        _options(tools, track, audio_lang),
        loudness,
        out,
        ffmpeg=tools.ffmpeg,
        progress=run.progress,
    )
    return {
        "out": out.name,
        "commands": [list(c) for c in result.commands],
        "copied_video": False,
        "two_pass": False,
        "warnings": [],
        "duration": result.info.duration,
        "quality": result.quality.to_json() if result.quality else None,
        "chunks": len(chunk_ids),
    }
