"""What a step kind is: one class, generic in its settings and result, declaring its traits.

A kind says everything the engine needs to know about its steps in one place, so that no
list elsewhere names kinds (which steps hold a CPU, which are placed in the bundle, how
large their output is):

- ``name``: the kind's name (a step's ``kind``);
- its settings (``S``, a frozen dataclass: the step's key is derived from every field, see
  `screenkit.bundle.engine.keys`) and its result (``R``, a frozen dataclass stored as the cache
  entry's JSON, read back typed by `result`); both taken from ``Kind[S, R]``;
- `commands`: the exact ffmpeg argv lists of a step, pure (what ``--dry-run`` lists and
  what `run` executes); `run`: the step's work, into ``run.work``;
- ``runs_ffmpeg``: whether `commands` can list anything (False: pysubs2, fpdf2, dvdauthor);
- ``holds_cpu``: a long encode or decode, which claims a core where workers count them
  and is the only work a Dask cluster's workers get (the rest runs beside the build);
- ``placed``: ``"whole"`` when every file of its output goes into the bundle under its own
  name (a bundle's video, named by the bundle, is placed by the bundle's plan);
- `output_bytes`: how large its output is at a given rate, for the space check.
"""

from __future__ import annotations

import typing
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, ClassVar, Generic, Literal, TypeVar

from screenkit.bundle.engine.cache import Entry
from screenkit.bundle.engine.errors import BundleError
from screenkit.bundle.engine.results import from_meta
from screenkit.bundle.engine.step import Command, Folders, Step, StepRun

S = TypeVar("S")
R = TypeVar("R")

Placement = Literal["none", "whole"]
SMALL = 1_000_000
"""Bytes counted for a step whose output is not media (a sheet, stills, sidecar tracks)."""


@dataclass(frozen=True)
class Rate:
    """The most bytes a second of the bundle's media can take (see `screenkit.diskspace`)."""

    bytes_per_second: float
    burst_seconds: float = 2.0
    """What an encode may write above its peak: its VBV buffer."""

    def bytes(self, seconds: float) -> float:
        return self.bytes_per_second * (max(seconds, 0.0) + self.burst_seconds)


class Kind(Generic[S, R]):
    """Base of every step kind (see the module docstring)."""

    name: ClassVar[str]
    settings_type: ClassVar[type[Any]]
    result_type: ClassVar[type[Any]]
    runs_ffmpeg: ClassVar[bool] = True
    holds_cpu: ClassVar[bool] = False
    placed: ClassVar[Placement] = "none"
    unkeyed: ClassVar[Mapping[str, str]] = MappingProxyType({})
    """Dotted settings fields left out of the key, each with the reason."""
    recipe: ClassVar[int] = 0
    """Bumped when this kind's output changes in a way its settings do not show (the
    planner's ``RECIPE`` is every kind's: it would send every film to be encoded again)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for base in getattr(cls, "__orig_bases__", ()):
            if typing.get_origin(base) is Kind:
                cls.settings_type, cls.result_type = typing.get_args(base)

    def commands(self, step: Step[S], deps: Mapping[str, Entry], folders: Folders) -> list[Command]:
        """The exact ffmpeg commands of ``step`` given its inputs' entries (runs nothing)."""
        return []

    def run(self, run: StepRun[S]) -> R:
        """Run the step into ``run.work``; its typed result."""
        raise NotImplementedError

    def result(self, entry: Entry) -> R:
        """The typed result a finished step of this kind recorded."""
        found: R = from_meta(self.result_type, entry.meta)
        return found

    def main_file(self, entry: Entry) -> Path:
        """The step's main file: its result's ``out``."""
        out = getattr(self.result(entry), "out", None)
        if not isinstance(out, str):
            raise BundleError(f"a {self.name} step has no main file")
        return entry.path(out)

    def warnings(self, result: R) -> tuple[str, ...]:
        """What the step warned about (a damaged source, a setting overridden)."""
        return ()

    def output_bytes(self, step: Step[S], rate: Rate, deps: Mapping[str, float]) -> float:
        """About how many bytes the step writes, at most: ``rate`` is the bundle's media
        rate, ``deps`` the bytes counted for the steps it reads, by role."""
        return SMALL
