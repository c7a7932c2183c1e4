"""The sidecars step: ``subtitles/<video stem>.<lang>[.<code page>].<fmt>``, timed for the card.

Where the preset names its sidecar like the film (DivX), the screening language's track is
also ``<video stem>.srt`` beside the video, in the language's code page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from screenkit.bundle.cache import Entry
from screenkit.bundle.planner import Planner
from screenkit.bundle.results import result_of
from screenkit.bundle.step import Command, Folders, InputFile, Step, StepRun
from screenkit.bundle.steps.join import Result as Joined
from screenkit.bundle.tracks import film_sidecar_name, shifted, sidecar_names
from screenkit.encode import SubtitleInput
from screenkit.presets import VenuePreset
from screenkit.subtitles.save import save_track

KIND = "sidecars"
RUNS_FFMPEG = False
"""Its `commands` are always empty: ``--dry-run`` has nothing more to show once it can run."""


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


def plan(
    p: Planner,
    joined_id: str,
    tracks: Sequence[SubtitleInput],
    inputs: Sequence[InputFile],
    settings: Settings,
    name: str,
) -> str:
    preset = settings.preset
    return p.add(
        KIND,
        f"sidecar tracks ({name})",
        settings=settings,
        params={
            "stem": settings.stem,
            "langs": [t.lang for t in tracks],
            "format": preset.subtitles.sidecar,
            "encoding": preset.subtitles.sidecar_encoding,
        },
        inputs=inputs,
        deps={"joined": joined_id},
        weight=0.2,
    )


def commands(step: Step, deps: Mapping[str, Entry], folders: Folders) -> list[Command]:
    return []  # no ffmpeg: the tracks are re-timed and written by pysubs2


def run(run: StepRun) -> Result:
    s: Settings = run.step.settings
    offset = result_of(run.deps["joined"], Joined).film_offset
    written: list[Sidecar] = []
    for n, track in enumerate(s.tracks):
        subs = shifted(track.path, track.lang, by=offset)
        names = sidecar_names(s.stem, track.lang, s.preset)
        beside = film_sidecar_name(s.stem, track.lang, s.preset) if n == 0 else None
        for name, encoding in [*([beside] if beside else []), *names]:
            save_track(subs, run.work / name, encoding=encoding)
            written.append(Sidecar(name, track.lang, encoding))
    return Result("subtitles", tuple(written), offset)
