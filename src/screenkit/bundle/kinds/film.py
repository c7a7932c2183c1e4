"""The film step: the master encoded for a preset, with the burned track if any.

The argv comes from `screenkit.encode.plan_encode` (to change how the film is encoded, see
``encode/builder.py``); the loudness step's result is the gain it applies. Soft tracks are
not part of it (the mux step adds them after the join), so soft-subtitle bundles in N
languages share one encode.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from screenkit.bundle.engine.cache import Entry
from screenkit.bundle.engine.kind import Kind, Rate
from screenkit.bundle.engine.planner import Planner
from screenkit.bundle.engine.registry import main_file
from screenkit.bundle.engine.results import result_of
from screenkit.bundle.engine.step import Command, Folders, InputFile, Step, StepRun, Tools
from screenkit.bundle.kinds import chunk, loudness, sound
from screenkit.encode import (
    EncodeOptions,
    EncodePlan,
    Loudness,
    SubtitleInput,
    output_format,
    plan_encode,
)
from screenkit.encode.chunks import (
    LIST_NAME,
    Chunk,
    check_decoder_setup,
    chunk_peak,
    chunk_quality_args,
    fit_buffer,
    join_args,
    stage_chunk_burn,
)
from screenkit.encode.colour import ColourPlan, ToneMapping, tone_mapping_of
from screenkit.encode.compliance import ComplianceError
from screenkit.encode.family import check_compliance
from screenkit.encode.quality import Quality, combine, quality_args, read_quality, sample_step
from screenkit.encode.run import PlanRun, encode_warnings, run_plan
from screenkit.media.atomic import link_or_copy
from screenkit.media.info import MediaInfo
from screenkit.media.probe import probe
from screenkit.presets import VenuePreset


@dataclass(frozen=True)
class Settings:
    master: MediaInfo
    preset: VenuePreset
    burn: SubtitleInput | None
    audio_lang: str
    speed: str | None = None
    """The x264 speed asked for the build (None: the preset's)."""
    chunks: tuple[Chunk, ...] = ()
    """The chunk steps the picture is joined from (``kinds/chunk.py``); (): one encode."""
    tone_mapping: ToneMapping | None = None
    """How an HDR master is tone-mapped to the preset's SDR (None: it is not)."""


@dataclass(frozen=True)
class Result:
    out: str
    copied_video: bool
    two_pass: bool
    warnings: tuple[str, ...]
    duration: float
    quality: Quality | None = None
    """SSIM/PSNR against the master fed the same way (None: the video was copied)."""
    colour: ColourPlan | None = None
    """What the encode did with the master's colour (the manifest records it)."""


def plan(p: Planner, preset: VenuePreset, burn: str | None) -> tuple[str, list[InputFile]]:
    """The encode and the kit files it reads (for the manifest)."""
    loud_id = loudness.plan(p, preset)
    track, track_input = p.track(burn) if burn else (None, None)
    inputs = [p.master_file, *p.font_files, *([track_input] if track_input else [])]
    pieces = chunk.split(p, preset, track)
    settings = Settings(
        p.master,
        preset,
        track,
        p.kit.original_language,
        p.speed_for(preset.name),
        pieces,
        tone_mapping_of(p.master, preset),
    )
    # planned now with stand-in loudness: a preset the film cannot meet fails before any run
    stand_in = Loudness(*[math.nan] * 4) if loud_id else None
    planned = _encode_plan(settings, p.tools, stand_in, Folders(p.cache.root, p.cache.root))
    copy = planned.copy_video
    note = "the loudnorm/volume values come from the loudness step"
    if planned.format.size_note:  # the dry-run says a small master is enlarged
        note = f"picture {planned.format.size_note}; {note}"
    what = f"{preset.name}{', burn ' + burn if burn else ''}"
    deps = {"loudness": loud_id} if loud_id else {}
    if pieces:  # the picture from chunk steps, joined by copy: the film step is light
        deps["sound"] = sound.plan(p, preset, loud_id)
        chunk_ids = chunk.plan(p, preset, track, pieces, what)
        for piece, chunk_id in zip(pieces, chunk_ids, strict=True):
            deps[chunk.role(piece.index)] = chunk_id
        shared = sum(1 for c in chunk_ids if p.steps[c].settings.burn is None) if track else 0
        what = f"{what}, {len(pieces)} chunks" + (f", {shared} shared" if shared else "")
        note = "joins the chunks and the sound step's file by stream copy"
    step_id = p.add(
        KIND,
        f"film encode ({what})",
        settings=settings,
        inputs=inputs,
        deps=deps,
        weight=p.master.duration * (0.05 if copy else 0.1 if pieces else 1.0),
        note=note,
    )
    return step_id, inputs


def card_reads(p: Planner, film_id: str) -> dict[str, str]:
    """What a card reads to take the film's stream parameters, by role.

    A chunked film's picture is its first chunk's, copied (the join refuses chunks whose
    decoder set-up differs), and its sound the sound step's file, copied: a card laid out
    from those two is ready while the last chunks encode, instead of waiting for the join.
    """
    deps = {d.role: d.id for d in p.steps[film_id].deps}
    first = chunk.role(0)
    if first in deps and "sound" in deps:
        return {"picture": deps[first], "sound": deps["sound"]}
    return {"film": film_id}


def encode_options(s: Settings, tools: Tools) -> EncodeOptions:
    """The encode's choices beyond the preset: the burned track, fonts, speed."""
    return EncodeOptions(
        burn=s.burn,
        audio_lang=s.audio_lang,
        fonts=tools.fonts,
        x264_preset=s.speed,
        tone_mapping=s.tone_mapping,
    )


def _encode_plan(
    s: Settings, tools: Tools, measured: Loudness | None, folders: Folders
) -> EncodePlan:
    return plan_encode(
        s.master,
        s.preset,
        folders.work / f"film{s.preset.extension}",
        encode_options(s, tools),
        loudness=measured,
        workdir=folders.scratch,
        ffmpeg_version=tools.ffmpeg.version_tuple,
    )


def encode_plan_for(step: Step[Settings]) -> EncodePlan:
    """The step's encode as planned before its loudness is measured (what it will do)."""
    stand_in = Loudness(*[math.nan] * 4) if any(d.role == "loudness" for d in step.deps) else None
    here = Path()  # a pure plan: the folders only show in the argv, which is not used
    return _encode_plan(step.settings, step.tools, stand_in, Folders(here, here))


def _plan_for(step: Step[Settings], deps: Mapping[str, Entry], folders: Folders) -> EncodePlan:
    measured = result_of(deps["loudness"], Loudness) if "loudness" in deps else None
    return _encode_plan(step.settings, step.tools, measured, folders)


def _quality_command(step: Step[Settings], planned: EncodePlan) -> Command | None:
    """The comparison of the encoded picture with the master's (none for a copied one)."""
    if planned.copy_video:
        return None
    s = step.settings
    every = sample_step(planned.format)
    args = quality_args(
        planned.out,
        s.master,
        s.preset,
        encode_options(s, step.tools),
        planned.format,
        planned.workdir,
        every,
    )
    return Command(tuple(args), "picture quality", "info", planned.format.duration)


def _join_command(step: Step[Settings], deps: Mapping[str, Entry], planned: EncodePlan) -> Command:
    """The chunks' pictures and the sound step's file, by stream copy."""
    s = step.settings
    args = join_args(
        planned.workdir / LIST_NAME,
        main_file(deps["sound"]),
        s.master,
        s.preset,
        encode_options(s, step.tools),
        planned.out,
    )
    return Command(tuple(args), "join chunks", duration=planned.format.duration)


def _join(run: StepRun[Settings], planned: EncodePlan) -> tuple[PlanRun, Quality]:
    """Join the chunk steps' pictures into the film, checked against the preset (a chunk
    the decoder buffer cannot take as it was cached is encoded again here: `fit_buffer`),
    and its picture quality from the chunks' (`_chunks_quality`)."""
    s = run.step.settings
    choices = encode_options(s, run.step.tools)
    found = [main_file(run.deps[chunk.role(piece.index)]) for piece in s.chunks]
    parts, again = fit_buffer(
        found, s.chunks, s.master, s.preset, choices, run.scratch,
        ffmpeg=run.ffmpeg, progress=run.progress,
        peak_kbps=chunk_peak(s.preset, planned.format, len(s.chunks)),
    )  # fmt: skip
    run.ran += again
    check_decoder_setup(parts)
    lines = []
    for n, part in enumerate(parts):
        staged = run.scratch / f"part{n:04d}.mp4"
        link_or_copy(part, staged)
        lines.append(f"file '{staged.name}'\n")
    (run.scratch / LIST_NAME).write_text("".join(lines), encoding="utf-8")
    done = run.execute(_join_command(run.step, run.deps, planned), f"joining {s.master.path.name}")
    info = probe(planned.out, ffmpeg=run.ffmpeg)
    mismatches = check_compliance(info, s.preset, planned.format)
    if mismatches:
        raise ComplianceError(planned.out, s.preset.name, mismatches)
    quality = _chunks_quality(run, parts, refit={n for n, p in enumerate(parts) if p != found[n]})
    return PlanRun(info, (done.argv,), tuple(encode_warnings(s.preset, choices))), quality


def _chunks_quality(run: StepRun[Settings], parts: list[Path], refit: set[int]) -> Quality:
    """The film's picture quality from what each chunk measured of itself, on the film's
    sampled frames; a chunk encoded again here (``refit``), or cached before chunks
    measured themselves, is measured here."""
    s = run.step.settings
    measured = []
    for n, piece in enumerate(s.chunks):
        cached = result_of(run.deps[chunk.role(piece.index)], chunk.Result).quality
        quality = _measure_chunk(run, parts[n], piece) if cached is None or n in refit else cached
        if quality is not None:  # None: none of the film's sampled frames is in the chunk
            measured.append(quality)
    return combine(measured)


def _measure_chunk(run: StepRun[Settings], part: Path, piece: Chunk) -> Quality | None:
    s = run.step.settings
    choices = encode_options(s, run.step.tools)
    fmt = output_format(s.master, s.preset, choices)
    work = run.scratch / f"quality{piece.index:04d}"
    args = chunk_quality_args(part, s.master, s.preset, choices, piece, work)
    if args is None:
        return None
    work.mkdir()
    stage_chunk_burn(s.preset, choices, fmt, piece, work)  # the chunk's part of the track
    seconds = piece.seconds(fmt.frame_rate, s.master.duration)
    done = run.execute(
        Command(tuple(args), f"chunk {piece.index + 1} quality", "info", seconds),
        f"measuring the picture quality of chunk {piece.index + 1}",
    )
    return read_quality(done.log, work, sample_step(fmt))


def _measure(run: StepRun[Settings], planned: EncodePlan) -> Quality | None:
    measure = _quality_command(run.step, planned)
    if measure is None:
        return None
    done = run.execute(measure, f"measuring the picture quality of {planned.out.name}")
    return read_quality(done.log, planned.workdir, sample_step(planned.format))


class FilmKind(Kind[Settings, Result]):
    name = "film"
    holds_cpu = True

    def commands(
        self, step: Step[Settings], deps: Mapping[str, Entry], folders: Folders
    ) -> list[Command]:
        planned = _plan_for(step, deps, folders)
        if step.settings.chunks:  # each chunk measures its own picture (``kinds/chunk.py``)
            return [_join_command(step, deps, planned)]
        measure = _quality_command(step, planned)
        encodes = [
            Command(args, label, duration=planned.format.duration)
            for args, label in zip(planned.commands, planned.steps, strict=True)
        ]
        return [*encodes, *([measure] if measure else [])]

    def run(self, run: StepRun[Settings]) -> Result:
        s = run.step.settings
        planned = _plan_for(run.step, run.deps, run.folders)
        quality: Quality | None
        if s.chunks:
            done, quality = _join(run, planned)
        else:
            done = run_plan(
                planned,
                s.master,
                s.preset,
                encode_options(s, run.step.tools),
                ffmpeg=run.ffmpeg,
                progress=run.progress,
            )
            run.ran += done.commands
            quality = _measure(run, planned)
        return Result(
            out=planned.out.name,
            copied_video=planned.copy_video,
            two_pass=planned.two_pass and not s.chunks,
            warnings=done.warnings,
            duration=done.info.duration,
            quality=quality,
            colour=planned.format.colour,
        )

    def warnings(self, result: Result) -> tuple[str, ...]:
        return result.warnings

    def output_bytes(self, step: Step[Settings], rate: Rate, deps: Mapping[str, float]) -> float:
        return rate.bytes(step.settings.master.duration)


KIND = FilmKind()
