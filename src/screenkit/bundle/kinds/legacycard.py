"""The card for an old player: the appeal card as a DVD VOB (MPEG-2, AC-3) or a DivX AVI.

The same card as every other bundle's (libass text, the QR code, the fades: `screenkit.slides`),
laid out on the picture *as it is displayed* (1024x576 square pixels for 16:9 PAL), then
squeezed to the stored frame and encoded with the very codec words of the film's encode
(`screenkit.encode.legacy.codec_words`), so that dvdauthor can make it a cell of the film's
title, or the concat demuxer can join it to the DivX film by stream copy. The format comes
from the master and the preset (`legacy_format`, which the film's encode uses too), so the
card does not wait for the film: a new appeal re-renders this short file only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import ffmpeg as ffm

from screenkit.bundle.engine.cache import Entry
from screenkit.bundle.engine.kind import Kind, Rate
from screenkit.bundle.engine.planner import Planner
from screenkit.bundle.engine.step import Command, Folders, Step, StepRun
from screenkit.bundle.kinds.card import Result
from screenkit.encode import EncodeOptions
from screenkit.encode.colour import colour_output_options
from screenkit.encode.legacy import burn_format, codec_words, legacy_format
from screenkit.encode.options import OutputFormat
from screenkit.media.colour import tag_numbers
from screenkit.media.runner import output_arg
from screenkit.presets import VenuePreset
from screenkit.slides import CardSpec, CardTarget, card_timing, layout_card
from screenkit.slides.layout import CardLayout
from screenkit.slides.render import StagedCard, card_picture, stage_card, staged_names
from screenkit.slides.target import VideoParams

__all__ = ["KIND", "Result", "Settings", "plan"]


@dataclass(frozen=True)
class Settings:
    spec: CardSpec
    preset: VenuePreset
    fmt: OutputFormat
    """The film's picture and sound (the card matches it)."""


def plan(p: Planner, spec: CardSpec, preset: VenuePreset) -> str:
    fmt = legacy_format(p.master, preset, EncodeOptions())
    settings = Settings(spec, preset, fmt)
    layout_card(spec, _target(settings))  # an appeal too long for the card fails now
    return p.add(
        KIND,
        f"{spec.kind} card ({spec.lang}, {preset.name})",
        settings=settings,
        inputs=p.font_files,
        weight=spec.seconds * 0.5,
        note=f"rendered with libass on the displayed picture, encoded as {preset.video.codec}",
    )


def _target(s: Settings) -> CardTarget:
    canvas = burn_format(s.fmt, s.preset)
    colour = s.fmt.colour
    tags = tag_numbers(colour.output) if colour is not None and colour.tagged else None
    return CardTarget(
        width=canvas.width,
        height=canvas.height,
        frame_rate=s.fmt.frame_rate,
        safe_area=s.preset.safe_area,
        # the film's colour: a tone-mapped film's card in BT.601's matrix, tagged as it is
        video=VideoParams(color=tags) if tags is not None else VideoParams(),
        audio=(),  # the silence is laid under the picture here, in the film's codec
    )


@dataclass(frozen=True)
class _Prepared:
    command: Command
    staged: StagedCard
    layout: CardLayout
    seconds: float
    out: str


def _prepare(step: Step[Settings], folders: Folders) -> _Prepared:
    s = step.settings
    fmt, preset = s.fmt, s.preset
    target = _target(s)
    layout = layout_card(s.spec, target)
    timing = card_timing(s.spec.seconds, target)
    staged = staged_names(folders.scratch)
    picture = card_picture(
        layout, staged, target, fade=s.spec.fade, frames=timing.frames, still_frame=None
    )
    if (fmt.width, fmt.height) != (target.width, target.height):
        picture = picture.filter("scale", fmt.width, fmt.height)
    if preset.video.aspect is not None:
        picture = picture.filter("setdar", "16/9" if preset.video.aspect == "16:9" else "4/3")
    seconds = float(timing.slot)
    layout_name = "mono" if fmt.channels == 1 else "stereo"
    silence = ffm.input(
        f"anullsrc=r={fmt.sample_rate}:cl={layout_name}", f="lavfi", t=f"{seconds:.6f}"
    )
    out = folders.work / f"{s.spec.kind}{preset.extension}"
    words = codec_words(preset, fmt, preset.video.bitrate_kbps or 2000)
    if fmt.colour is not None and fmt.colour.tagged:
        words |= colour_output_options(fmt.colour)
    node = ffm.output(picture, silence["a"], output_arg(out), **words)
    command = Command(tuple(ffm.get_args(node)), f"{s.spec.kind} card", duration=seconds)
    return _Prepared(command, staged, layout, seconds, out.name)


class LegacyCardKind(Kind[Settings, Result]):
    name = "legacycard"
    holds_cpu = True

    def commands(
        self, step: Step[Settings], deps: Mapping[str, Entry], folders: Folders
    ) -> list[Command]:
        return [_prepare(step, folders).command]

    def run(self, run: StepRun[Settings]) -> Result:
        s = run.step.settings
        prepared = _prepare(run.step, run.folders)
        staged = stage_card(prepared.layout, s.spec, prepared.seconds, run.scratch)
        if staged != prepared.staged:
            raise AssertionError(f"the card was staged as {staged}, not as its command reads")
        run.execute(prepared.command, f"rendering the {s.spec.kind} card for {s.preset.name}")
        return Result(out=prepared.out, duration=prepared.seconds)

    def output_bytes(self, step: Step[Settings], rate: Rate, deps: Mapping[str, float]) -> float:
        return rate.bytes(step.settings.spec.seconds)


KIND = LegacyCardKind()
