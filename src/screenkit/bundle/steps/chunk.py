"""The chunk step: one piece of a long film's picture, encoded alone (`encode.chunks`).

Each chunk is a cached step of its own, keyed by the master, the fonts, the settings, its
frames and what of the burned track shows in it (not the whole track): an edit of the track
re-encodes only the chunks it changes, a failed chunk re-runs alone, and the chunks of one
film spread over the executor's threads or the cluster's workers. The film step then joins
them by stream copy with the sound encoded once (see ``steps/film.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from screenkit.bundle.cache import Entry
from screenkit.bundle.manifest import preset_key
from screenkit.bundle.mediaops import keyframe_before
from screenkit.bundle.planner import Planner
from screenkit.bundle.step import Command, Folders, Step, StepRun, Tools
from screenkit.encode import EncodeOptions, SubtitleInput, output_format
from screenkit.encode.chunks import (
    Chunk,
    burn_digest,
    chunk_args,
    chunk_bounds,
    chunk_options,
    chunk_seconds,
    chunkable,
    family_of,
    targets,
)
from screenkit.encode.subs import stage_burn
from screenkit.media.info import MediaInfo
from screenkit.presets import VenuePreset

KIND = "chunk"
KEYFRAME_REACH = 0.25
"""A cut moves back to the master's keyframe when that is within this share of a chunk."""


@dataclass(frozen=True)
class Settings:
    master: MediaInfo
    preset: VenuePreset
    burn: SubtitleInput | None
    chunk: Chunk


@dataclass(frozen=True)
class Result:
    out: str
    first: int
    frames: int | None


def role(index: int) -> str:
    """The role the film step knows chunk ``index`` by."""
    return f"chunk{index:04d}"


def cuts(master: MediaInfo, seconds: float) -> list[float]:
    """Near every ``seconds``: the master's keyframe just before, where one is close."""
    out = []
    for target in targets(master.duration, seconds):
        key = keyframe_before(master.path, target)
        out.append(key if target - key <= seconds * KEYFRAME_REACH else target)
    return out


def options(s: Settings, tools: Tools) -> EncodeOptions:
    """A chunk's encode choices: the burned track, fonts and speed (no sound)."""
    return EncodeOptions(burn=s.burn, fonts=tools.fonts, x264_preset=tools.x264_preset)


def split(p: Planner, preset: VenuePreset, burn: SubtitleInput | None) -> tuple[Chunk, ...]:
    """The chunks the film step of this encode is made of; () when it is one encode."""
    seconds = chunk_seconds(p.settings.chunks, p.master.duration)
    choices = EncodeOptions(burn=burn, fonts=p.fonts, x264_preset=p.settings.x264_preset)
    if seconds is None or not chunkable(p.master, preset, choices):
        return ()
    fmt = output_format(p.master, preset, choices)
    bounds = chunk_bounds(cuts(p.master, seconds), fmt.frame_rate)
    return bounds if len(bounds) >= 2 else ()


def plan(p: Planner, settings: Settings, what: str, count: int) -> str:
    """One chunk step (its id)."""
    s = settings
    choices = options(s, p.tools)
    fmt = output_format(s.master, s.preset, choices)
    burned = s.burn if s.preset.subtitles.burn else None
    length = s.chunk.length(fmt.frame_rate) or s.master.duration - s.chunk.start(fmt.frame_rate)
    return p.add(
        KIND,
        f"film chunk {s.chunk.index + 1}/{count} ({what})",
        settings=s,
        params={
            "preset": preset_key(s.preset),
            "x264": p.settings.x264_preset,
            "first": s.chunk.first,
            "frames": s.chunk.frames,
            "burned": burn_digest(burned, s.preset, fmt, family_of(choices), s.chunk)
            if burned
            else None,
        },
        inputs=[p.master_file, *p.font_files],
        weight=length,
    )


def _out(folders: Folders, chunk: Chunk) -> Path:
    return folders.work / f"chunk{chunk.index:04d}.mp4"


def commands(step: Step, deps: Mapping[str, Entry], folders: Folders) -> list[Command]:
    s: Settings = step.settings
    choices = options(s, step.tools)
    rate = output_format(s.master, s.preset, choices).frame_rate
    args = chunk_args(
        s.master,
        s.preset,
        choices,
        s.chunk,
        folders.scratch,
        _out(folders, s.chunk),
        step.tools.ffmpeg.version_tuple,
    )
    length = s.chunk.length(rate) or max(0.0, s.master.duration - s.chunk.start(rate))
    return [Command(tuple(args), f"chunk {s.chunk.index + 1}", duration=length)]


def run(run: StepRun) -> Result:
    s: Settings = run.step.settings
    choices = options(s, run.step.tools)
    fmt = output_format(s.master, s.preset, choices)
    if s.burn is not None and s.preset.subtitles.burn:  # the chunk's own part of the track
        start = chunk_options(choices, s.chunk, fmt.frame_rate).start
        stage_burn(s.burn, s.preset, fmt, run.scratch, choices.fonts, start)
    (command,) = commands(run.step, run.deps, run.folders)
    run.execute(command, f"encoding chunk {s.chunk.index + 1} of {s.master.path.name}")
    return Result(_out(run.folders, s.chunk).name, s.chunk.first, s.chunk.frames)
