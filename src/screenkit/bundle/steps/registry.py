"""Kind name → kind module, and running a step from its description alone.

`run_step` is what a worker runs: it needs only the `Step` (plain, picklable data) and
the cache folder; the entries of the steps it reads are looked up there by key (and
verified), its outputs stored there under its own key.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, Protocol

from screenkit.bundle.cache import Entry, StepCache
from screenkit.bundle.errors import BundleError
from screenkit.bundle.results import to_meta
from screenkit.bundle.step import Command, Folders, Step, StepRun, make_scratch
from screenkit.bundle.steps import (
    card,
    chunk,
    clip,
    dvdauthor,
    dvdiso,
    film,
    join,
    legacycard,
    loudness,
    manifest,
    mux,
    poster,
    sheet,
    sidecars,
    stills,
    subpictures,
    webpage,
)
from screenkit.progress import ProgressCallback
from screenkit.tempdirs import scratch_dir


class Kind(Protocol):
    """What a kind module provides to the engine."""

    def commands(self, step: Step, deps: Mapping[str, Entry], folders: Folders) -> list[Command]:
        """The exact ffmpeg commands of ``step`` given its inputs' entries (runs nothing)."""
        ...  # pragma: no cover

    def run(self, run: StepRun) -> Any:
        """Run the step into ``run.work``; its typed result."""
        ...  # pragma: no cover


KINDS: dict[str, Kind] = {
    "loudness": loudness,
    "chunk": chunk,
    "film": film,
    "card": card,
    "join": join,
    "mux": mux,
    "sidecars": sidecars,
    "clip": clip,
    "stills": stills,
    "sheet": sheet,
    "manifest": manifest,
    "poster": poster,
    "webpage": webpage,
    "legacycard": legacycard,
    "subpictures": subpictures,
    "dvdauthor": dvdauthor,
    "dvdiso": dvdiso,
}


def kind_of(step: Step) -> Kind:
    try:
        return KINDS[step.kind]
    except KeyError:
        raise BundleError(f"step {step.id} is of an unknown kind '{step.kind}'") from None


def dep_entries(step: Step, cache: StepCache) -> dict[str, Entry]:
    """The entries ``step`` reads, by role, from the cache (verified)."""
    found: dict[str, Entry] = {}
    for dep in step.deps:
        entry = cache.lookup(dep.key, label=dep.id) if dep.key else None
        if entry is None:
            raise BundleError(f"step {step.id} needs {dep.id}, which is not in the cache")
        found[dep.role] = entry
    return found


def run_step(
    step: Step,
    cache_root: Path | StepCache,
    *,
    deps: Mapping[str, Entry] | None = None,
    progress: ProgressCallback | None = None,
    on_wait: Callable[[], None] | None = None,
) -> Entry:
    """Run ``step`` (or take it from the cache) anywhere ``cache_root`` and its files are.

    ``deps`` are the entries it reads, by role, when the caller has them already; else
    they are looked up in the cache. The entry's ``meta`` is the kind's result as JSON plus
    ``commands``, the argv of every ffmpeg run (what ``--dry-run`` shows for a cached step).
    """
    cache = cache_root if isinstance(cache_root, StepCache) else StepCache(cache_root)
    kind = kind_of(step)
    known = dict(deps) if deps is not None else dep_entries(step, cache)

    def action(work: Path) -> dict[str, Any]:
        with make_scratch(step) as scratch:
            run = StepRun(
                step, Folders(work, scratch), MappingProxyType(known), cache.root, progress
            )
            result = kind.run(run)
            return {**to_meta(result), "commands": [list(c) for c in run.ran]}

    if step.key is None:  # the assembly: writes the bundle itself, nothing to cache
        tmp_root = cache.root / "tmp"
        tmp_root.mkdir(parents=True, exist_ok=True)
        with scratch_dir("run-", base=tmp_root) as work:
            meta = action(Path(work))
        return Entry(
            step.id, step.kind, Path(), MappingProxyType({}), MappingProxyType(meta), "built"
        )
    return cache.get_or_build(step.key, step.kind, action, label=step.label, on_wait=on_wait)


def commands_for(step: Step, deps: Mapping[str, Entry], cache_root: Path) -> list[Command]:
    """The commands ``step`` will run, given its inputs' entries (for ``--dry-run``)."""
    return kind_of(step).commands(step, deps, Folders.dry(cache_root, step))
