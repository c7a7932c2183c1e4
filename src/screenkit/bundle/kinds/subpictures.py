"""The subpictures step: the DVD film VOB with one subpicture stream per kit language.

Each language is laid out like burn-in (`screenkit.dvd.subpictures`: the shipped font, the
preset's size and safe area, on the displayed picture), drawn by libass in one ffmpeg run,
reduced to the four colours of a subpicture and muxed into the film's VOB by spumux, the
screening language as stream 1. Its key holds the film encode and the tracks, not the
appeal: a new appeal reuses this step (the longest after the encode) untouched.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from screenkit.bundle.engine.cache import Entry
from screenkit.bundle.engine.kind import SMALL, Kind, Rate
from screenkit.bundle.engine.planner import Planner
from screenkit.bundle.engine.registry import main_file
from screenkit.bundle.engine.step import Command, Folders, InputFile, Step, StepRun
from screenkit.bundle.kinds import film as film_step
from screenkit.dvd import require_dvd_tools
from screenkit.dvd.subpictures import (
    SubpictureRender,
    collect_subpictures,
    mux_subpictures,
    prepare_subpictures,
    stage_subpictures,
)
from screenkit.encode import EncodeOptions, SubtitleInput
from screenkit.encode.legacy import conform, legacy_format
from screenkit.encode.options import OutputFormat
from screenkit.media.atomic import link_or_copy
from screenkit.presets import VenuePreset

OUT = "film.mpg"


@dataclass(frozen=True)
class Settings:
    tracks: tuple[SubtitleInput, ...]
    """In stream order: the screening language first."""
    preset: VenuePreset
    fmt: OutputFormat
    speed: Fraction
    """The PAL speed-up of the film (the tracks' times are divided by it)."""


@dataclass(frozen=True)
class Result:
    out: str
    langs: tuple[str, ...]
    """Subpicture stream languages, in stream order."""
    duration: float
    """The film's length (the VOB's)."""


def plan(
    p: Planner,
    film_id: str,
    tracks: Sequence[SubtitleInput],
    inputs: Sequence[InputFile],
    preset: VenuePreset,
) -> str:
    assert p.master.video is not None
    fmt = legacy_format(p.master, preset, EncodeOptions())
    speed = conform(p.master.video, preset).speed
    langs = [t.lang for t in tracks]
    return p.add(
        KIND,
        f"DVD subpictures ({', '.join(langs) or 'none'}, {preset.name})",
        settings=Settings(tuple(tracks), preset, fmt, speed),
        inputs=[*inputs, *p.font_files],
        deps={"film": film_id},
        weight=2.0 + 0.02 * p.master.duration * len(langs),
        note="libass draws each language (ffmpeg), spumux muxes the streams into the film VOB",
    )


def _renders(step: Step[Settings], folders: Folders) -> list[SubpictureRender]:
    s = step.settings
    return [
        prepare_subpictures(
            track, s.preset, folders.scratch / f"s{n}", fmt=s.fmt, fonts=step.tools.fonts
        )
        for n, track in enumerate(s.tracks)
    ]


class SubpicturesKind(Kind[Settings, Result]):
    name = "subpictures"
    holds_cpu = True

    def commands(
        self, step: Step[Settings], deps: Mapping[str, Entry], folders: Folders
    ) -> list[Command]:
        return [
            Command(r.args, f"{r.track.lang} subpictures")
            for r in _renders(step, folders)
            if r.args is not None
        ]

    def run(self, run: StepRun[Settings]) -> Result:
        s = run.step.settings
        tools = require_dvd_tools()
        drawn = []
        for render in _renders(run.step, run.folders):
            stage_subpictures(render, run.step.tools.fonts)
            if render.args is not None:
                command = Command(render.args, f"{render.track.lang} subpictures")
                run.execute(command, f"drawing the {render.track.lang} subpictures")
            drawn.append(collect_subpictures(render, s.preset, speed=s.speed))
        film = main_file(run.deps["film"])
        out = run.work / OUT
        if drawn:
            mux_subpictures(film, drawn, out, tools, run.progress)
        else:
            link_or_copy(film, out)
        seconds = film_step.KIND.result(run.deps["film"]).duration
        return Result(OUT, tuple(t.lang for t in s.tracks), seconds)

    def output_bytes(self, step: Step[Settings], rate: Rate, deps: Mapping[str, float]) -> float:
        return deps["film"] + SMALL * len(step.settings.tracks)  # the VOB, and the streams


KIND = SubpicturesKind()
