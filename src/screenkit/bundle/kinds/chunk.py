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
from typing import ClassVar

from screenkit.bundle.documents.mediaops import keyframe_before
from screenkit.bundle.engine.cache import Entry
from screenkit.bundle.engine.kind import Kind, Rate
from screenkit.bundle.engine.planner import Planner
from screenkit.bundle.engine.step import Command, Folders, Step, StepRun, Tools
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
from screenkit.encode.colour import ToneMapping, tone_mapping_of
from screenkit.encode.subs import stage_burn
from screenkit.media.info import MediaInfo
from screenkit.presets import VenuePreset

KEYFRAME_REACH = 0.25
"""A cut moves back to the master's keyframe when that is within this share of a chunk."""


@dataclass(frozen=True)
class Settings:
    master: MediaInfo
    preset: VenuePreset
    burn: SubtitleInput | None
    """The film's burned track (not keyed as a whole: ``shown`` is)."""
    chunk: Chunk
    speed: str | None
    """The x264 speed asked for the build (None: the preset's)."""
    shown: str | None
    """What of the burned track shows in the chunk, as laid out (`burn_digest`)."""
    tone_mapping: ToneMapping | None = None
    """How an HDR master is tone-mapped to the preset's SDR (None: it is not)."""


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
    return EncodeOptions(
        burn=s.burn,
        fonts=tools.fonts,
        x264_preset=s.speed,
        tone_mapping=s.tone_mapping,
    )


def split(p: Planner, preset: VenuePreset, burn: SubtitleInput | None) -> tuple[Chunk, ...]:
    """The chunks the film step of this encode is made of; () when it is one encode."""
    seconds = chunk_seconds(p.chunks, p.master.duration)
    choices = EncodeOptions(burn=burn, fonts=p.fonts, x264_preset=p.speed)
    if seconds is None or not chunkable(p.master, preset, choices):
        return ()
    fmt = output_format(p.master, preset, choices)
    bounds = chunk_bounds(cuts(p.master, seconds), fmt.frame_rate)
    return bounds if len(bounds) >= 2 else ()


def _out(folders: Folders, chunk: Chunk) -> Path:
    return folders.work / f"chunk{chunk.index:04d}.mp4"


def _seconds(s: Settings, choices: EncodeOptions) -> float:
    rate = output_format(s.master, s.preset, choices).frame_rate
    return s.chunk.length(rate) or max(0.0, s.master.duration - s.chunk.start(rate))


class ChunkKind(Kind[Settings, Result]):
    name = "chunk"
    holds_cpu = True
    unkeyed: ClassVar[Mapping[str, str]] = {
        "burn": "only what of the track shows in the chunk is keyed (shown)"
    }

    def commands(
        self, step: Step[Settings], deps: Mapping[str, Entry], folders: Folders
    ) -> list[Command]:
        s = step.settings
        choices = options(s, step.tools)
        args = chunk_args(
            s.master,
            s.preset,
            choices,
            s.chunk,
            folders.scratch,
            _out(folders, s.chunk),
            step.tools.ffmpeg.version_tuple,
        )
        return [Command(tuple(args), f"chunk {s.chunk.index + 1}", duration=_seconds(s, choices))]

    def run(self, run: StepRun[Settings]) -> Result:
        s = run.step.settings
        choices = options(s, run.step.tools)
        fmt = output_format(s.master, s.preset, choices)
        if s.burn is not None and s.preset.subtitles.burn:  # the chunk's own part of the track
            start = chunk_options(choices, s.chunk, fmt.frame_rate).start
            stage_burn(s.burn, s.preset, fmt, run.scratch, choices.fonts, start)
        (command,) = self.commands(run.step, run.deps, run.folders)
        run.execute(command, f"encoding chunk {s.chunk.index + 1} of {s.master.path.name}")
        return Result(_out(run.folders, s.chunk).name, s.chunk.first, s.chunk.frames)

    def output_bytes(self, step: Step[Settings], rate: Rate, deps: Mapping[str, float]) -> float:
        s = step.settings
        return rate.bytes(_seconds(s, EncodeOptions(x264_preset=s.speed)))


KIND = ChunkKind()


def plan(
    p: Planner,
    preset: VenuePreset,
    burn: SubtitleInput | None,
    piece: Chunk,
    what: str,
    count: int,
) -> str:
    """One chunk step (its id)."""
    choices = EncodeOptions(burn=burn, fonts=p.fonts, x264_preset=p.speed)
    fmt = output_format(p.master, preset, choices)
    burned = burn if preset.subtitles.burn else None
    shown = None
    if burned is not None:
        shown = burn_digest(burned, preset, fmt, family_of(choices), piece)
    settings = Settings(
        p.master, preset, burn, piece, p.speed, shown, tone_mapping_of(p.master, preset)
    )
    return p.add(
        KIND,
        f"film chunk {piece.index + 1}/{count} ({what})",
        settings=settings,
        inputs=[p.master_file, *p.font_files],
        weight=_seconds(settings, choices),
    )
