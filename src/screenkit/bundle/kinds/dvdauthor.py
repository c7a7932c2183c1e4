"""The dvdauthor step: one title of cells — the card, the film, the outro — as VIDEO_TS/.

dvdauthor joins the VOBs without touching them: a new appeal re-renders the card's VOB
(`legacycard`) and re-runs this step (seconds), never the film's encode or its subpictures.
The authored disc is read back at once (lsdvd and our own IFO read, `screenkit.dvd.readback`)
and checked against what was asked — one title, the aspect, one audio stream, the
subpicture languages in order, the screening language switched on — so a wrong disc is an
error here, not a surprise at the venue. Over a DVD-5 it is a warning (DVD-9), over a DVD-9
an error naming the bitrate to lower (`screenkit.dvd.iso.disc_fit`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from screenkit.bundle.engine.errors import BundleError
from screenkit.bundle.engine.kind import Kind, Rate
from screenkit.bundle.engine.planner import Planner
from screenkit.bundle.engine.registry import main_file
from screenkit.bundle.engine.step import Step, StepRun
from screenkit.bundle.kinds import subpictures
from screenkit.dvd import read_dvd, require_dvd_tools
from screenkit.dvd.author import VIDEO_TS, TitleLayout
from screenkit.dvd.build import author_disc
from screenkit.dvd.readback import disc_problems
from screenkit.presets import VenuePreset


@dataclass(frozen=True)
class Settings:
    preset: VenuePreset
    audio_lang: str | None
    outro: bool
    show_first: bool = True
    """Off where the screening language is burned in too (see `TitleLayout.show_first`)."""


@dataclass(frozen=True)
class Result:
    out: str
    """``VIDEO_TS`` (its files are the entry's ``VIDEO_TS/*``)."""
    disc: str
    """``DVD-5`` or ``DVD-9``."""
    size: int
    warnings: tuple[str, ...]
    langs: tuple[str, ...]


def plan(
    p: Planner,
    ids: Mapping[str, str],
    preset: VenuePreset,
    name: str,
    *,
    burned: bool = False,
) -> str:
    """``ids``: ``card``, ``film`` (the subpictures step) and ``outro`` when there is one."""
    assert preset.dvd is not None
    outro = "outro" in ids and preset.dvd.outro_cell
    return p.add(
        KIND,
        f"DVD authoring ({name})",
        settings=Settings(preset, p.kit.original_language, outro, not burned),
        deps={role: ids[role] for role in ("card", "film", "outro") if role in ids},
        weight=0.02 * p.master.duration + 1.0,
        note="dvdauthor (not ffmpeg): the card, the film and the outro as cells of one title",
    )


class DvdAuthorKind(Kind[Settings, Result]):
    """dvdauthor (not ffmpeg), then lsdvd reads the disc back."""

    name = "dvdauthor"
    runs_ffmpeg = False
    placed = "whole"  # VIDEO_TS/

    def run(self, run: StepRun[Settings]) -> Result:
        s = run.step.settings
        tools = require_dvd_tools()
        film = subpictures.KIND.result(run.deps["film"])
        layout = TitleLayout(
            card=main_file(run.deps["card"]) if "card" in run.deps else None,
            film=main_file(run.deps["film"]),
            outro=main_file(run.deps["outro"]) if s.outro else None,
            film_seconds=film.duration,
            subtitle_langs=film.langs,
            audio_lang=s.audio_lang,
            show_first=s.show_first,
        )
        _, fit = author_disc(layout, s.preset, run.work, tools=tools)
        report = read_dvd(run.work, tools)
        aspect = s.preset.video.aspect or "4:3"
        problems = disc_problems(report, film.langs, aspect, shown=s.show_first)
        if problems:
            raise BundleError(
                f"the authored DVD is not what was asked: {'; '.join(problems)}",
                hint="this is a screenkit bug: please report it with the build's log",
            )
        warnings = (fit.warning,) if fit.warning else ()
        return Result(VIDEO_TS, fit.disc, fit.size, warnings, film.langs)

    def warnings(self, result: Result) -> tuple[str, ...]:
        return result.warnings

    def output_bytes(self, step: Step[Settings], rate: Rate, deps: Mapping[str, float]) -> float:
        return sum(deps.values())  # the cells' VOBs, authored


KIND = DvdAuthorKind()
