"""What the engine knows of a step: a plain, picklable description, and what it gets to run.

A `Step` is data only — kind, key, inputs (paths + content digests), the steps it reads
(`Dep`, by role), the kind's frozen settings (typed: ``Step[film.Settings]``) and the shared
`Tools` — so it can be run in another process or on another machine by
`screenkit.bundle.engine.registry.run_step`, anywhere the files are reachable. What a kind *does*
lives in its class (`screenkit.bundle.engine.kind.Kind`); the engine (cache, executor, assembly,
manifest, verify) never looks inside ``settings``.

A `Command` is one ffmpeg run: its arguments after the global options, the log level and
progress label. ``argv`` is the full command line exactly as the runner starts it, which
is what ``--dry-run`` lists, so the listing is the run.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from screenkit.bundle.engine.cache import Entry
from screenkit.fonts import Font
from screenkit.media.binaries import FFmpeg
from screenkit.media.runner import RunResult, full_argv, run_ffmpeg
from screenkit.progress import ProgressCallback
from screenkit.tempdirs import placeholder, scratch_dir

S = TypeVar("S")

DRY_WORK = "XXXXXXXX"
"""Stands, in a ``--dry-run`` listing, for the random part of a folder made while running."""


@dataclass(frozen=True)
class InputFile:
    """A file a step reads from the kit, with the role it plays (for the manifest)."""

    role: str
    path: Path
    sha256: str
    size: int


@dataclass(frozen=True)
class Dep:
    """A step this one reads, under the role the kind's code knows it by."""

    role: str
    id: str
    key: str | None


@dataclass(frozen=True)
class Tools:
    """What every step shares: the ffmpeg and the fonts for burn-in and cards.

    Not part of a step's key: the ffmpeg's version is keyed on its own, the fonts' files are
    the inputs of the steps that draw text.
    """

    ffmpeg: FFmpeg
    fonts: tuple[Font, ...] = ()


@dataclass(frozen=True)
class Step(Generic[S]):
    """One step of a plan, as plain data (see the module docstring)."""

    id: str
    kind: str
    label: str
    key: str | None
    """The cache key; None for a bundle's assembly, which writes into the bundle itself."""
    deps: tuple[Dep, ...]
    settings: S
    """The kind's own frozen settings dataclass (picklable); its fields make the key."""
    tools: Tools
    inputs: tuple[InputFile, ...] = ()
    weight: float = 1.0
    """Relative cost, for the overall progress bar (about seconds of media processed)."""
    note: str | None = None
    """What ``--dry-run`` says when it cannot show the commands yet."""
    bundle: str | None = None
    """For the assembly step: the bundle it completes."""

    @property
    def dep_ids(self) -> tuple[str, ...]:
        return tuple(d.id for d in self.deps)


@dataclass(frozen=True)
class Command:
    """One ffmpeg run of a step."""

    args: tuple[str, ...]
    """Everything after the global options, as `run_ffmpeg` takes it."""
    label: str = "ffmpeg"
    loglevel: str = "warning"
    duration: float | None = None
    """The expected output length, the total of the progress events."""

    def argv(self, ffmpeg: FFmpeg) -> tuple[str, ...]:
        """The whole command line, binary first, exactly as the runner starts it."""
        return tuple(full_argv(self.args, ffmpeg, loglevel=self.loglevel, progress=True))


@dataclass(frozen=True)
class Folders:
    """Where a step writes: ``work`` (becomes its cache entry), ``scratch`` (thrown away)."""

    work: Path
    scratch: Path

    @classmethod
    def dry(cls, cache_root: Path, step: Step[Any]) -> Folders:
        """The folders ``--dry-run`` shows: the run's own, with the random part as X's."""
        return cls(
            work=cache_root / "tmp" / f"{step.key or step.id}.{DRY_WORK}",
            scratch=placeholder(step.kind),
        )


def scratch_prefix(step: Step[Any]) -> str:
    return f"{step.kind}-"


def make_scratch(step: Step[Any]) -> contextlib.AbstractContextManager[Path]:
    """The step's scratch folder (see `screenkit.tempdirs`: swept if the process is killed)."""
    return scratch_dir(scratch_prefix(step))


@dataclass
class StepRun(Generic[S]):
    """What a running step gets: its description, folders, its inputs' entries, progress."""

    step: Step[S]
    folders: Folders
    deps: Mapping[str, Entry]
    """By the role of each `Dep`."""
    cache_root: Path
    progress: ProgressCallback | None = None
    ran: list[tuple[str, ...]] = field(default_factory=list)
    """The argv of every ffmpeg run so far (kept in the entry: the record ``--dry-run`` shows)."""

    @property
    def work(self) -> Path:
        return self.folders.work

    @property
    def scratch(self) -> Path:
        return self.folders.scratch

    @property
    def ffmpeg(self) -> FFmpeg:
        return self.step.tools.ffmpeg

    def execute(self, command: Command, what: str | None = None) -> RunResult:
        """Run one of the step's `commands` and keep its argv in the step's record."""
        result = run_ffmpeg(
            command.args,
            ffmpeg=self.ffmpeg,
            duration=command.duration,
            progress=self.progress,
            step=command.label,
            what=what,
            loglevel=command.loglevel,
        )
        self.ran.append(result.argv)
        return result
