"""The chunk step: one piece of a long film's picture, encoded alone (`encode.chunks`).

Each chunk is a cached step of its own, keyed by the master, the fonts, the settings, its
frames and what of the burned track shows in it (not the whole track): an edit of the track
re-encodes only the chunks it changes, a failed chunk re-runs alone, and the chunks of one
film spread over the executor's threads or the cluster's workers. Each chunk also measures
its picture quality, on the film's sampled frames, where it was encoded (the worker reads
the file it just wrote): the film step joins the chunks by stream copy with the sound
encoded once and adds their measures up (see ``kinds/film.py``), instead of decoding the
whole film once more, alone, after the last chunk (that decode was a quarter of a chunked
film's time on two workers).

The film is cut in the gaps between the cues of every track of the kit (`encode.gaps`):
the same cuts for every language and every build, so a one-language build and ``--all``
share their chunks. A chunk that shows no cue of its language is keyed without it (no
track, nothing burned): one step, encoded once, for every burned language and the clean
picture of the preset.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from screenkit.bundle.engine.cache import Entry
from screenkit.bundle.engine.kind import Kind, Rate
from screenkit.bundle.engine.planner import Planner
from screenkit.bundle.engine.step import Command, Folders, Step, StepRun, Tools
from screenkit.encode import EncodeOptions, SubtitleInput, output_format
from screenkit.encode.chunks import (
    Chunk,
    chunk_args,
    chunk_peak,
    chunk_quality_args,
    chunk_seconds,
    chunkable,
    family_of,
    stage_chunk_burn,
)
from screenkit.encode.colour import ToneMapping, tone_mapping_of
from screenkit.encode.gaps import SHARED_MIN, Span, chunk_shown, cue_spans, gap_bounds
from screenkit.encode.quality import Quality, read_quality, sample_step
from screenkit.encode.subs import burn_track
from screenkit.errors import ScreenkitError
from screenkit.media.info import MediaInfo
from screenkit.presets import VenuePreset
from screenkit.subtitles.load import load_track


@dataclass(frozen=True)
class Settings:
    master: MediaInfo
    preset: VenuePreset
    burn: SubtitleInput | None
    """The film's burned track (not keyed as a whole: ``shown`` is); None where the chunk
    shows none of it (the clean picture, shared by every language)."""
    chunk: Chunk
    speed: str | None
    """The x264 speed asked for the build (None: the preset's)."""
    shown: str | None
    """What of the burned track shows in the chunk, as laid out (`chunk_shown`)."""
    peak_kbps: int | None = None
    """The film's chunks' peak rate (`chunk_peak`: lower than the preset's where a size
    limit needs it)."""
    tone_mapping: ToneMapping | None = None
    """How an HDR master is tone-mapped to the preset's SDR (None: it is not)."""


@dataclass(frozen=True)
class Result:
    out: str
    first: int
    frames: int | None
    quality: Quality | None = None
    """The chunk's picture quality on the film's sampled frames (`chunk_quality_args`);
    None where it holds none of them (or it was cached before chunks measured it)."""


def role(index: int) -> str:
    """The role the film step knows chunk ``index`` by."""
    return f"chunk{index:04d}"


def kit_cues(p: Planner) -> list[Span]:
    """The cue times of every track of the kit (once per plan): where no cue of any
    language shows, every language's picture is the same. A track that cannot be read is
    left out here (a build that burns it fails on it with the reason)."""

    def load() -> list[Span]:
        spans: list[Span] = []
        for lang in p.kit.languages:
            path = p.kit.subtitle_path(lang)
            try:
                spans += cue_spans(load_track(path, lang=lang).subs)
            except (ScreenkitError, OSError):
                continue
        return spans

    return p.remember(("chunk", "kit cues"), load)


def options(s: Settings, tools: Tools) -> EncodeOptions:
    """A chunk's encode choices: the burned track, fonts and speed (no sound). Never a copy:
    a chunk that burns nothing is the same picture as its neighbours that do, so it is
    scaled and timed as they are (a master the preset could copy as it is included)."""
    return EncodeOptions(
        burn=s.burn,
        fonts=tools.fonts,
        x264_preset=s.speed,
        tone_mapping=s.tone_mapping,
        allow_copy=False,
    )


def split(p: Planner, preset: VenuePreset, burn: SubtitleInput | None) -> tuple[Chunk, ...]:
    """The chunks the film step of this encode is made of; () when it is one encode."""
    seconds = chunk_seconds(p.chunks, p.master.duration)
    choices = EncodeOptions(burn=burn, fonts=p.fonts, x264_preset=p.speed_for(preset.name))
    if seconds is None or not chunkable(p.master, preset, choices):
        return ()
    rate = output_format(p.master, preset, choices).frame_rate
    # a kit of one language shares nothing: its pauses are no reason to cut
    shared = SHARED_MIN if len(p.kit.languages) > 1 else math.inf
    bounds = p.remember(
        ("chunk", "bounds", rate, seconds),
        lambda: gap_bounds(kit_cues(p), p.master.duration, rate, seconds, shared),
    )
    return bounds if len(bounds) >= 2 else ()


def _out(folders: Folders, chunk: Chunk) -> Path:
    return folders.work / f"chunk{chunk.index:04d}.mp4"


def _seconds(s: Settings, choices: EncodeOptions) -> float:
    rate = output_format(s.master, s.preset, choices).frame_rate
    return s.chunk.seconds(rate, s.master.duration)


class ChunkKind(Kind[Settings, Result]):
    name = "chunk"
    holds_cpu = True
    unkeyed: ClassVar[Mapping[str, str]] = {
        "burn": "only what of the track shows in the chunk is keyed (shown)"
    }
    recipe = 1
    """1: fed from before its start (`encode.builder.SEEK_LEAD`), its first frame is the
    whole film's, not the next one repeated; and it measures its own picture."""

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
            peak_kbps=s.peak_kbps,
        )
        seconds = _seconds(s, choices)
        commands = [Command(tuple(args), f"chunk {s.chunk.index + 1}", duration=seconds)]
        measure = chunk_quality_args(
            _out(folders, s.chunk), s.master, s.preset, choices, s.chunk, folders.scratch
        )
        if measure is not None:  # the comparison of the chunk's picture with the master's
            label = f"chunk {s.chunk.index + 1} quality"
            commands.append(Command(tuple(measure), label, "info", seconds))
        return commands

    def run(self, run: StepRun[Settings]) -> Result:
        s = run.step.settings
        choices = options(s, run.step.tools)
        fmt = output_format(s.master, s.preset, choices)
        stage_chunk_burn(s.preset, choices, fmt, s.chunk, run.scratch)  # its part of the track
        encode, *measure = self.commands(run.step, run.deps, run.folders)
        what = f"chunk {s.chunk.index + 1} of {s.master.path.name}"
        run.execute(encode, f"encoding {what}")
        quality = None
        for command in measure:  # on this worker, while the other chunks encode
            done = run.execute(command, f"measuring the picture quality of {what}")
            quality = read_quality(done.log, run.scratch, sample_step(fmt))
        return Result(_out(run.folders, s.chunk).name, s.chunk.first, s.chunk.frames, quality)

    def output_bytes(self, step: Step[Settings], rate: Rate, deps: Mapping[str, float]) -> float:
        s = step.settings
        return rate.bytes(_seconds(s, EncodeOptions(x264_preset=s.speed)))


KIND = ChunkKind()


def plan(
    p: Planner,
    preset: VenuePreset,
    burn: SubtitleInput | None,
    pieces: tuple[Chunk, ...],
    what: str,
) -> list[str]:
    """The chunk steps of one film (their ids, in order): each keyed by what of ``burn``
    shows in it, or, where nothing does, without it (shared by every language)."""
    speed = p.speed_for(preset.name)
    choices = EncodeOptions(burn=burn, fonts=p.fonts, x264_preset=speed)
    fmt = output_format(p.master, preset, choices)
    peak = chunk_peak(preset, fmt, len(pieces))
    tone = tone_mapping_of(p.master, preset)
    burned = burn if preset.subtitles.burn else None
    shown: list[str | None] = [None] * len(pieces)
    if burned is not None:
        laid_out = burn_track(burned, preset, fmt, family_of(choices))
        shown = chunk_shown(laid_out, pieces, fmt.frame_rate)
    ids = []
    for piece, digest in zip(pieces, shown, strict=True):
        burns = burned if digest else None
        settings = Settings(p.master, preset, burns, piece, speed, digest, peak, tone)
        if digest is None:
            label = f"{preset.name}, no subtitle: shared"
            note = "shows no subtitle: one encode for every burned language and the clean picture"
        else:
            label = what
            note = f"shows subtitles of {burned.lang if burned else '-'}"
        ids.append(
            p.add(
                KIND,
                f"film chunk {piece.index + 1}/{len(pieces)} ({label})",
                settings=settings,
                inputs=[p.master_file, *p.font_files],
                weight=_seconds(settings, choices),
                note=note,
            )
        )
    return ids
