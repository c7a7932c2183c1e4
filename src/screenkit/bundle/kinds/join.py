"""The join step: card(s) and film into one file by stream copy (the concat demuxer).

Its result says where the film starts in the joined file (``film_offset``): every track
carried in or beside the bundle's video is shifted by it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from screenkit.bundle.engine.cache import Entry
from screenkit.bundle.engine.kind import Kind, Rate
from screenkit.bundle.engine.planner import Planner
from screenkit.bundle.engine.registry import main_file
from screenkit.bundle.engine.step import Command, Folders, Step, StepRun
from screenkit.media.probe import probe
from screenkit.slides.join import JoinPlan, plan_join, stage_join


@dataclass(frozen=True)
class Settings:
    parts: int
    film: int
    """Which part is the film."""
    extension: str


@dataclass(frozen=True)
class Result:
    out: str
    duration: float
    film_offset: float
    """Where the film starts in the joined file, in seconds."""


def _out(work: Path, s: Settings) -> Path:
    return work / f"joined{s.extension}"


def _plan(step: Step[Settings], deps: Mapping[str, Entry], folders: Folders) -> JoinPlan:
    s = step.settings
    parts = [main_file(deps[f"part{n}"]) for n in range(s.parts)]
    return plan_join(parts, _out(folders.work, s), folders.scratch, ffmpeg=step.tools.ffmpeg)


def _command(planned: JoinPlan) -> Command:
    return Command(planned.args, "join", duration=planned.total)


class JoinKind(Kind[Settings, Result]):
    name = "join"
    holds_cpu = True  # reads and writes the whole film

    def commands(
        self, step: Step[Settings], deps: Mapping[str, Entry], folders: Folders
    ) -> list[Command]:
        return [_command(_plan(step, deps, folders))]

    def run(self, run: StepRun[Settings]) -> Result:
        s = run.step.settings
        planned = _plan(run.step, run.deps, run.folders)
        stage_join(planned)
        # planned once: the plan reads every part's packet timing and headers
        run.execute(_command(planned), f"joining {s.parts} parts")
        out = _out(run.work, s)
        info = probe(out, ffmpeg=run.ffmpeg)
        return Result(out=out.name, duration=info.duration, film_offset=planned.offsets[s.film])

    def output_bytes(self, step: Step[Settings], rate: Rate, deps: Mapping[str, float]) -> float:
        return sum(deps.values())  # the parts, copied


KIND = JoinKind()


def plan(p: Planner, parts: Sequence[str], film_id: str, name: str, extension: str) -> str:
    return p.add(
        KIND,
        f"join ({name})",
        settings=Settings(len(parts), list(parts).index(film_id), extension),
        deps={f"part{n}": part for n, part in enumerate(parts)},
        weight=p.master.duration * 0.02,
        note="concat demuxer, stream copy",
    )
