"""The unit of a build: a `Step` with its inputs, parameters, cache key and command.

A plan is a list of steps forming a graph (``deps`` name other steps by id). Every step but
the final assembly of a bundle is cached by ``key``; its ``action`` writes the step's
outputs into a fresh folder and may read the cache entries of the steps it depends on.
``commands`` are the exact ffmpeg argv lists when they can be known before running
(``--dry-run`` prints them); ``command_note`` says what is filled in later when they cannot.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from screenkit.bundle.cache import Entry
from screenkit.progress import ProgressCallback

StepKind = Literal[
    "loudness",
    "chunk",
    "film",
    "card",
    "join",
    "mux",
    "sidecars",
    "clip",
    "stills",
    "sheet",
    "manifest",
]


@dataclass(frozen=True)
class StepRun:
    """What a running step gets: its output folder, its inputs' entries, a progress sink."""

    step: Step
    work: Path
    deps: Mapping[str, Entry]
    progress: ProgressCallback


StepFn = Callable[[StepRun], Mapping[str, Any]]
Explain = Callable[[Mapping[str, Entry]], Sequence[Sequence[str]]]
"""Given the cache entries of a step's dependencies, the exact commands the step will run."""


@dataclass(frozen=True)
class InputFile:
    """A file a step reads from the kit, with the role it plays (for the manifest)."""

    role: str
    path: Path
    sha256: str
    size: int


@dataclass(frozen=True)
class Step:
    id: str
    kind: StepKind
    label: str
    deps: tuple[str, ...]
    key: str | None
    """The cache key; None for the final assembly, which writes into the bundle itself."""
    params: Mapping[str, Any]
    inputs: tuple[InputFile, ...] = ()
    commands: tuple[tuple[str, ...], ...] = ()
    """Full ffmpeg argv lists (binary first) this step runs, where known before it runs."""
    command_note: str | None = None
    weight: float = 1.0
    """Relative cost, for the overall progress bar (about seconds of media processed)."""
    action: StepFn | None = field(default=None, compare=False, repr=False)
    explain: Explain | None = field(default=None, compare=False, repr=False)
    """For ``--dry-run``: the commands, computed once the dependencies are cached."""
    bundle: str | None = None
    """For the assembly step: the bundle it completes."""
