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

from screenkit.bundle.cache import Entry
from screenkit.bundle.manifest import preset_key
from screenkit.bundle.planner import Planner, portable
from screenkit.bundle.results import result_of
from screenkit.bundle.step import Command, Folders, InputFile, Step, StepRun, Tools
from screenkit.bundle.steps import loudness
from screenkit.encode import EncodeOptions, EncodePlan, Loudness, SubtitleInput, plan_encode
from screenkit.encode.run import run_plan
from screenkit.media.info import MediaInfo
from screenkit.presets import VenuePreset

KIND = "film"


@dataclass(frozen=True)
class Settings:
    master: MediaInfo
    preset: VenuePreset
    burn: SubtitleInput | None
    audio_lang: str


@dataclass(frozen=True)
class Result:
    out: str
    copied_video: bool
    two_pass: bool
    warnings: tuple[str, ...]
    duration: float


def plan(p: Planner, preset: VenuePreset, burn: str | None) -> tuple[str, list[InputFile]]:
    """The encode and the kit files it reads (for the manifest)."""
    loud_id = loudness.plan(p, preset)
    track, track_input = p.track(burn) if burn else (None, None)
    inputs = [p.master_file, *p.font_files, *([track_input] if track_input else [])]
    settings = Settings(p.master, portable(preset), track, p.kit.original_language)
    # planned now with stand-in loudness: a preset the film cannot meet fails before any run
    stand_in = Loudness(*[math.nan] * 4) if loud_id else None
    planned = _encode_plan(settings, p.tools, stand_in, Folders(p.cache.root, p.cache.root))
    copy = planned.copy_video
    note = "the loudnorm/volume values come from the loudness step"
    if planned.format.size_note:  # the dry-run says a small master is enlarged
        note = f"picture {planned.format.size_note}; {note}"
    step_id = p.add(
        KIND,
        f"film encode ({preset.name}{', burn ' + burn if burn else ''})",
        settings=settings,
        params={
            "preset": preset_key(preset),
            "burn": burn,
            "x264": p.settings.x264_preset,
            "audio_lang": p.kit.original_language,
        },
        inputs=inputs,
        deps={"loudness": loud_id} if loud_id else {},
        weight=p.master.duration * (0.05 if copy else 1.0),
        note=note,
    )
    return step_id, inputs


def encode_options(s: Settings, tools: Tools) -> EncodeOptions:
    """The encode's choices beyond the preset: the burned track, fonts, speed."""
    return EncodeOptions(
        burn=s.burn, audio_lang=s.audio_lang, fonts=tools.fonts, x264_preset=tools.x264_preset
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


def encode_plan_for(step: Step) -> EncodePlan:
    """The step's encode as planned before its loudness is measured (what it will do)."""
    stand_in = Loudness(*[math.nan] * 4) if any(d.role == "loudness" for d in step.deps) else None
    here = Path()  # a pure plan: the folders only show in the argv, which is not used
    return _encode_plan(step.settings, step.tools, stand_in, Folders(here, here))


def _plan_for(step: Step, deps: Mapping[str, Entry], folders: Folders) -> EncodePlan:
    measured = result_of(deps["loudness"], Loudness) if "loudness" in deps else None
    return _encode_plan(step.settings, step.tools, measured, folders)


def commands(step: Step, deps: Mapping[str, Entry], folders: Folders) -> list[Command]:
    planned = _plan_for(step, deps, folders)
    return [
        Command(args, label, duration=planned.format.duration)
        for args, label in zip(planned.commands, planned.steps, strict=True)
    ]


def run(run: StepRun) -> Result:
    s: Settings = run.step.settings
    planned = _plan_for(run.step, run.deps, run.folders)
    done = run_plan(
        planned,
        s.master,
        s.preset,
        encode_options(s, run.step.tools),
        ffmpeg=run.ffmpeg,
        progress=run.progress,
    )
    run.ran += done.commands
    return Result(
        out=planned.out.name,
        copied_video=planned.copy_video,
        two_pass=planned.two_pass,
        warnings=done.warnings,
        duration=done.info.duration,
    )
