"""The test clip: about a minute — the card, then the film's busiest subtitled stretch.

When that stretch starts with the film, the clip is simply the head of the finished file
(one cut, every stream); otherwise the stretch is cut from the film at a keyframe, joined
to the card, and the soft tracks are re-timed for it and muxed in. All stream copies.
Where the preset neither burns nor carries tracks (sidecars only), the screening track is
written beside the clip, re-timed for it, under the clip's name (players load it so).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from screenkit.bundle.documents.mediaops import cut_args, keyframe_before, mux_args
from screenkit.bundle.documents.tracks import (
    busiest_window,
    events,
    shifted,
    sidecar_format,
    stage_shifted,
)
from screenkit.bundle.engine.cache import Entry
from screenkit.bundle.engine.errors import BundleError
from screenkit.bundle.engine.kind import Kind, Rate
from screenkit.bundle.engine.planner import Planner
from screenkit.bundle.engine.registry import main_file
from screenkit.bundle.engine.step import Command, Folders, InputFile, Step, StepRun
from screenkit.bundle.kinds import film as film_step
from screenkit.bundle.kinds import join
from screenkit.encode import SubtitleInput
from screenkit.encode.subs import soft_name
from screenkit.presets import VenuePreset
from screenkit.slides.join import join_args, plan_join, stage_join
from screenkit.subtitles.save import save_track

CLIP_SECONDS = 60.0
MIN_STRETCH = 10.0


@dataclass(frozen=True)
class Settings:
    screening: SubtitleInput | None
    soft: tuple[SubtitleInput, ...]
    """The tracks the clip carries (those the bundle's video carries)."""
    default: str
    preset: VenuePreset


@dataclass(frozen=True)
class Result:
    out: str
    stretch: tuple[float, float]
    card: float


@dataclass(frozen=True)
class Cut:
    """Where the clip's stretch of film starts and how long it is."""

    card: float
    start: float
    length: float

    @property
    def from_start(self) -> bool:
        return self.start <= 0

    @property
    def total(self) -> float:
        return self.card + self.length


def clip_name(preset: VenuePreset) -> str:
    """The test clip's file name, in the step's output and in the bundle."""
    return f"test-clip{preset.extension}"


def plan(
    p: Planner,
    ids: Mapping[str, str],
    inputs: Sequence[InputFile],
    settings: Settings,
    name: str,
) -> str:
    """``ids``: the ``film``, ``intro``, ``joined`` and ``final`` (muxed or joined) steps."""
    return p.add(
        KIND,
        f"test clip ({name})",
        settings=settings,
        inputs=inputs,
        deps=dict(ids),
        weight=2.0,
        note="the card + the busiest subtitled stretch, cut at keyframes, stream copy",
    )


def _sidecar(s: Settings) -> str | None:
    subs = s.preset.subtitles
    return sidecar_format(s.preset) if s.screening and not (subs.burn or subs.soft) else None


def cut_of(step: Step[Settings], deps: Mapping[str, Entry]) -> Cut:
    """The busiest ``CLIP_SECONDS - card`` of the screening track, from a keyframe."""
    s = step.settings
    card_seconds = join.KIND.result(deps["joined"]).film_offset
    film_seconds = film_step.KIND.result(deps["film"]).duration
    length = max(MIN_STRETCH, CLIP_SECONDS - card_seconds)
    spans = []
    if s.screening is not None:
        spans = [(e.start / 1000, e.end / 1000) for e in events(s.screening.path, s.screening.lang)]
    at = min(busiest_window(spans, length), film_seconds)
    start = keyframe_before(main_file(deps["film"]), at)
    return Cut(card_seconds, start, min(length, film_seconds - start))


def _commands(step: Step[Settings], deps: Mapping[str, Entry], folders: Folders) -> list[Command]:
    s = step.settings
    cut = cut_of(step, deps)
    ext = s.preset.extension
    out = folders.work / clip_name(s.preset)
    faststart = s.preset.faststart
    if cut.from_start:
        head = cut_args(
            main_file(deps["final"]), out, start=0.0, duration=cut.total, faststart=faststart
        )
        return [Command(tuple(head), "test clip", duration=cut.total)]
    stretch = folders.scratch / f"stretch{ext}"
    film = main_file(deps["film"])
    joined = _joined(s, folders)
    listed = [
        Command(
            tuple(cut_args(film, stretch, start=cut.start, duration=cut.length)),
            "test clip",
            duration=cut.length,
        ),
        Command(tuple(join_args(folders.scratch / "join", joined)), "test clip"),
    ]
    if s.soft:
        staged = [
            SubtitleInput(folders.scratch / "tracks" / soft_name(n, t, s.preset.container), t.lang)
            for n, t in enumerate(s.soft)
        ]
        args = mux_args(
            joined,
            staged,
            out,
            container=s.preset.container,
            faststart=faststart,
            default=s.default,
        )
        listed.append(Command(tuple(args), "test clip"))
    return listed


def _joined(s: Settings, folders: Folders) -> Path:
    """Where the card + stretch join goes: the clip itself, or a file the mux reads."""
    ext = s.preset.extension
    return folders.scratch / f"clip-av{ext}" if s.soft else folders.work / clip_name(s.preset)


class ClipKind(Kind[Settings, Result]):
    name = "clip"
    holds_cpu = True
    placed = "whole"  # test-clip.<ext>, and its sidecar where it has one

    def commands(
        self, step: Step[Settings], deps: Mapping[str, Entry], folders: Folders
    ) -> list[Command]:
        return _commands(step, deps, folders)

    def run(self, run: StepRun[Settings]) -> Result:
        s = run.step.settings
        cut = cut_of(run.step, run.deps)
        listed = self.commands(run.step, run.deps, run.folders)
        run.execute(listed[0], "cutting the test clip")
        if not cut.from_start:
            planned = plan_join(
                [main_file(run.deps["intro"]), run.scratch / f"stretch{s.preset.extension}"],
                _joined(s, run.folders),
                run.scratch / "join",
                ffmpeg=run.ffmpeg,
                carry=False,
            )
            if planned.args != listed[1].args:
                raise BundleError(
                    f"the test clip's join drifted from its listed command: {planned.args}"
                )
            stage_join(planned)
            run.execute(listed[1], "joining the test clip")
            if s.soft:
                stage_shifted(
                    s.soft,
                    run.scratch / "tracks",
                    container=s.preset.container,
                    by=cut.card - cut.start,
                    window=(cut.start, cut.start + cut.length),
                )
                run.execute(listed[2], "adding the test clip's tracks")
        if _sidecar(s) is not None and s.screening is not None:
            subs = shifted(
                s.screening.path,
                s.screening.lang,
                by=cut.card - cut.start,
                window=(cut.start, cut.start + cut.length),
            )
            save_track(subs, run.work / f"test-clip.{s.screening.lang}.{sidecar_format(s.preset)}")
        return Result(clip_name(s.preset), (cut.start, cut.start + cut.length), cut.card)

    def output_bytes(self, step: Step[Settings], rate: Rate, deps: Mapping[str, float]) -> float:
        return min(rate.bytes(CLIP_SECONDS), deps["final"])


KIND = ClipKind()
