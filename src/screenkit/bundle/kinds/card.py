"""The card step: the intro (or outro) card, encoded with the film's own stream parameters.

The card is laid out for the encoded film as probed (size, rate, audio), so the join can
copy both: from the film itself, or, for a chunked film, from its first chunk and its sound
step's file, which the film copies (`screenkit.bundle.kinds.film.card_reads`).
Rendering is libass on a lavfi canvas; the appeal text and QR code reach ffmpeg
only as files staged under plain names in the step's scratch folder.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from screenkit.bundle.engine.cache import Entry
from screenkit.bundle.engine.kind import Kind, Rate
from screenkit.bundle.engine.planner import Planner
from screenkit.bundle.engine.registry import main_file
from screenkit.bundle.engine.step import Command, Folders, Step, StepRun
from screenkit.encode import EncodeOptions, output_format
from screenkit.media.info import MediaInfo
from screenkit.media.probe import probe
from screenkit.presets import VenuePreset
from screenkit.slides import CardSpec, CardTarget, card_timing, layout_card
from screenkit.slides.layout import CardLayout
from screenkit.slides.render import StagedCard, card_args, stage_card, staged_names


@dataclass(frozen=True)
class Settings:
    spec: CardSpec
    safe_area: float


@dataclass(frozen=True)
class Result:
    out: str
    duration: float
    """The card's slot in the joined file, in seconds."""


def plan(p: Planner, spec: CardSpec, preset: VenuePreset, reads: Mapping[str, str]) -> str:
    """``reads``: the film (role ``film``), or its first chunk and sound (``picture``,
    ``sound``)."""
    if not all(p.cached(i) for i in reads.values()):  # fail now, not after the encode
        fmt = output_format(p.master, preset, EncodeOptions())
        layout_card(
            spec,
            CardTarget.plain(fmt.width, fmt.height, fmt.frame_rate, safe_area=preset.safe_area),
        )
    return p.add(
        KIND,
        f"{spec.kind} card ({spec.lang}, {preset.name})",
        settings=Settings(spec, preset.safe_area),
        inputs=p.font_files,
        deps=dict(reads),
        weight=spec.seconds * 0.5,
        note="rendered with libass, encoded with the film's own stream parameters",
    )


@dataclass(frozen=True)
class _Prepared:
    command: Command
    staged: StagedCard
    seconds: float
    layout: CardLayout
    out: str


def _prepare(step: Step[Settings], deps: Mapping[str, Entry], folders: Folders) -> _Prepared:
    s = step.settings
    target = CardTarget.from_media_info(_film(step, deps), safe_area=s.safe_area)
    layout = layout_card(s.spec, target)
    timing = card_timing(s.spec.seconds, target)
    staged = staged_names(folders.scratch)
    out = folders.work / f"{s.spec.kind}{target.extension}"
    args = card_args(layout, staged, target, timing, out, fade=s.spec.fade)
    seconds = float(timing.slot)
    command = Command(tuple(args), f"{s.spec.kind} card", duration=seconds)
    return _Prepared(command, staged, seconds, layout, out.name)


def _film(step: Step[Settings], deps: Mapping[str, Entry]) -> MediaInfo:
    """The film's streams as the card must match them (see `plan`)."""
    ffmpeg = step.tools.ffmpeg
    if "film" in deps:
        return probe(main_file(deps["film"]), ffmpeg=ffmpeg)
    picture = probe(main_file(deps["picture"]), ffmpeg=ffmpeg)
    sound = probe(main_file(deps["sound"]), ffmpeg=ffmpeg)  # in the film's own container
    return replace(picture, container=sound.container, audio=sound.audio)


class CardKind(Kind[Settings, Result]):
    name = "card"
    holds_cpu = False  # seconds of a still picture: runs beside the build, not on a worker

    def commands(
        self, step: Step[Settings], deps: Mapping[str, Entry], folders: Folders
    ) -> list[Command]:
        return [_prepare(step, deps, folders).command]

    def run(self, run: StepRun[Settings]) -> Result:
        s = run.step.settings
        prepared = _prepare(run.step, run.deps, run.folders)
        staged = stage_card(prepared.layout, s.spec, prepared.seconds, run.scratch)
        if staged != prepared.staged:
            raise AssertionError(f"the card was staged as {staged}, not as its command reads")
        run.execute(prepared.command, f"rendering the {s.spec.kind} card")
        return Result(out=prepared.out, duration=prepared.seconds)

    def output_bytes(self, step: Step[Settings], rate: Rate, deps: Mapping[str, float]) -> float:
        return rate.bytes(step.settings.spec.seconds)


KIND = CardKind()
