"""The mux step: soft tracks into the joined file, by stream copy (no second encode).

Each track is shifted by the card in front and staged in UTF-8 under a plain name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from screenkit.bundle.documents.mediaops import mux_args
from screenkit.bundle.documents.tracks import stage_shifted
from screenkit.bundle.engine.cache import Entry
from screenkit.bundle.engine.kind import SMALL, Kind, Rate
from screenkit.bundle.engine.planner import Planner
from screenkit.bundle.engine.registry import main_file
from screenkit.bundle.engine.step import Command, Folders, InputFile, Step, StepRun
from screenkit.bundle.kinds import join
from screenkit.encode import SubtitleInput
from screenkit.encode.subs import soft_name


@dataclass(frozen=True)
class Settings:
    tracks: tuple[SubtitleInput, ...]
    default: str
    container: str
    faststart: bool
    extension: str


@dataclass(frozen=True)
class Result:
    out: str
    offset: float
    tracks: tuple[str, ...]


def plan(
    p: Planner,
    joined_id: str,
    inputs: Sequence[InputFile],
    settings: Settings,
    name: str,
) -> str:
    return p.add(
        KIND,
        f"soft tracks ({name})",
        settings=settings,
        inputs=inputs,
        deps={"joined": joined_id},
        weight=p.master.duration * 0.02,
        note="stream copy; tracks shifted by the card length",
    )


def staged(tracks: Sequence[SubtitleInput], container: str, folder: Folders) -> list[SubtitleInput]:
    return [
        SubtitleInput(folder.scratch / soft_name(n, t, container), t.lang)
        for n, t in enumerate(tracks)
    ]


class MuxKind(Kind[Settings, Result]):
    name = "mux"

    def commands(
        self, step: Step[Settings], deps: Mapping[str, Entry], folders: Folders
    ) -> list[Command]:
        s = step.settings
        args = mux_args(
            main_file(deps["joined"]),
            staged(s.tracks, s.container, folders),
            folders.work / f"video{s.extension}",
            container=s.container,
            faststart=s.faststart,
            default=s.default,
        )
        return [Command(tuple(args), "soft tracks")]

    def run(self, run: StepRun[Settings]) -> Result:
        s = run.step.settings
        offset = join.KIND.result(run.deps["joined"]).film_offset
        stage_shifted(s.tracks, run.scratch, container=s.container, by=offset)
        (command,) = self.commands(run.step, run.deps, run.folders)
        run.execute(command, "adding the subtitle tracks")
        return Result(f"video{s.extension}", offset, tuple(t.lang for t in s.tracks))

    def output_bytes(self, step: Step[Settings], rate: Rate, deps: Mapping[str, float]) -> float:
        return deps["joined"] + SMALL  # the joined film, copied, with the tracks


KIND = MuxKind()
