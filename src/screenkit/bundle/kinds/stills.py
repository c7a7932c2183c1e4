"""The stills: a picture of the card and a subtitled frame, for the screening sheet.

The frame is the film at its wordiest subtitle, as the room sees it: a burned film shows
its own text; otherwise the track is drawn on the frame as a burn-in would (the player's
own rendering differs a little, the size and place do not).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal

from screenkit.bundle.documents import files
from screenkit.bundle.documents.mediaops import still_args
from screenkit.bundle.documents.tracks import events, showcase_event
from screenkit.bundle.engine.cache import Entry
from screenkit.bundle.engine.kind import Kind
from screenkit.bundle.engine.planner import Planner
from screenkit.bundle.engine.registry import main_file
from screenkit.bundle.engine.results import result_of
from screenkit.bundle.engine.step import Command, Folders, Step, StepRun
from screenkit.bundle.kinds.card import Result as CardResult
from screenkit.encode import SubtitleInput
from screenkit.encode.legacy import display_canvas
from screenkit.encode.options import OutputFormat
from screenkit.encode.subs import BURN_NAME, FONTS_NAME, stage_burn
from screenkit.media.info import MediaInfo
from screenkit.media.probe import probe
from screenkit.presets import VenuePreset

CARD_IMAGE = files.CARD_IMAGE
FRAME_IMAGE = files.FRAME_IMAGE


@dataclass(frozen=True)
class Settings:
    image: Literal["card", "frame"]
    screening: SubtitleInput | None = None
    burned: bool = False
    preset: VenuePreset | None = None
    display: tuple[int, int] | None = None
    """The displayed picture when it is not the stored one (a DVD's anamorphic frame)."""


@dataclass(frozen=True)
class Result:
    out: str | None
    image: str | None
    """The picture's path in the bundle; None when there is nothing to show."""
    at: float | None = None


def plan_card(p: Planner, intro_id: str, lang: str, preset: VenuePreset) -> str:
    return p.add(
        KIND,
        f"picture of the card ({lang}, {preset.name})",
        settings=Settings("card", display=display_canvas(preset)),
        deps={"card": intro_id},
        weight=0.3,
    )


def plan_frame(
    p: Planner, film_id: str, screening: SubtitleInput | None, burned: bool, preset: VenuePreset
) -> str:
    return p.add(
        KIND,
        f"subtitled frame ({preset.name}, {screening.lang if screening else 'none'})",
        settings=Settings("frame", screening, burned, preset, display_canvas(preset)),
        inputs=[*([p.track(screening.lang)[1]] if screening else []), *p.font_files],
        deps={"film": film_id},
        weight=0.3,
    )


def _frame_at(s: Settings) -> float | None:
    if s.screening is None:
        return None
    spans = [
        (e.start / 1000, e.end / 1000, e.plaintext)
        for e in events(s.screening.path, s.screening.lang)
    ]
    return showcase_event(spans)


class StillsKind(Kind[Settings, Result]):
    name = "stills"
    placed = "whole"  # images/card.png, images/subtitled-frame.png

    def commands(
        self, step: Step[Settings], deps: Mapping[str, Entry], folders: Folders
    ) -> list[Command]:
        s = step.settings
        if s.image == "card":
            middle = result_of(deps["card"], CardResult).duration / 2
            args = still_args(
                main_file(deps["card"]), folders.work / CARD_IMAGE, at=middle, size=s.display
            )
            return [Command(tuple(args), "picture of the card")]
        at = _frame_at(s)
        if at is None:
            return []
        film, frame = main_file(deps["film"]), folders.work / FRAME_IMAGE
        if s.burned:
            args = still_args(film, frame, at=at, size=s.display)
            return [Command(tuple(args), "subtitled frame")]
        args = still_args(
            film,
            frame,
            at=at,
            subtitles=folders.scratch / BURN_NAME,
            fontsdir=folders.scratch / FONTS_NAME,
            size=s.display,
        )
        return [Command(tuple(args), "subtitled frame")]

    def run(self, run: StepRun[Settings]) -> Result:
        s = run.step.settings
        listed = self.commands(run.step, run.deps, run.folders)
        if not listed:
            return Result(None, None)
        (run.work / "images").mkdir()
        if s.image == "card":
            run.execute(listed[0], "taking a picture of the card")
            return Result(CARD_IMAGE, CARD_IMAGE)
        if not s.burned and s.screening is not None and s.preset is not None:
            info = probe(main_file(run.deps["film"]), ffmpeg=run.ffmpeg)
            shown = _format_of(info)
            if s.display is not None:
                shown = replace(shown, width=s.display[0], height=s.display[1])
            stage_burn(s.screening, s.preset, shown, run.scratch, run.step.tools.fonts)
        run.execute(listed[0], "taking a subtitled frame")
        return Result(FRAME_IMAGE, FRAME_IMAGE, _frame_at(s))


KIND = StillsKind()


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
