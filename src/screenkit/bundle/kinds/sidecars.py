"""The sidecars step: ``subtitles/<video stem>.<lang>[.<code page>].<fmt>``, timed for the card.

Where the preset names its sidecar like the film (DivX), the screening language's track is
also ``<video stem>.srt`` beside the video, in the language's code page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from screenkit.bundle.documents.tracks import film_sidecar_name, shifted, sidecar_names
from screenkit.bundle.engine.kind import Kind
from screenkit.bundle.engine.planner import Planner
from screenkit.bundle.engine.step import InputFile, StepRun
from screenkit.bundle.kinds import join
from screenkit.encode import SubtitleInput
from screenkit.presets import VenuePreset
from screenkit.subtitles.save import save_track


@dataclass(frozen=True)
class Settings:
    tracks: tuple[SubtitleInput, ...]
    stem: str
    preset: VenuePreset


@dataclass(frozen=True)
class Sidecar:
    path: str
    lang: str
    encoding: str


@dataclass(frozen=True)
class Result:
    out: str
    files: tuple[Sidecar, ...]
    offset: float


class SidecarsKind(Kind[Settings, Result]):
    """No ffmpeg: the tracks are re-timed and written by pysubs2."""

    name = "sidecars"
    runs_ffmpeg = False
    placed = "whole"

    def run(self, run: StepRun[Settings]) -> Result:
        s = run.step.settings
        offset = join.KIND.result(run.deps["joined"]).film_offset
        written: list[Sidecar] = []
        for n, track in enumerate(s.tracks):
            subs = shifted(track.path, track.lang, by=offset)
            names = sidecar_names(s.stem, track.lang, s.preset)
            beside = film_sidecar_name(s.stem, track.lang, s.preset) if n == 0 else None
            for name, encoding in [*([beside] if beside else []), *names]:
                save_track(subs, run.work / name, encoding=encoding)
                written.append(Sidecar(name, track.lang, encoding))
        return Result("subtitles", tuple(written), offset)


KIND = SidecarsKind()


def plan(
    p: Planner,
    joined_id: str,
    inputs: Sequence[InputFile],
    settings: Settings,
    name: str,
) -> str:
    return p.add(
        KIND,
        f"sidecar tracks ({name})",
        settings=settings,
        inputs=inputs,
        deps={"joined": joined_id},
        weight=0.2,
    )
