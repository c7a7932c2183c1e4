"""The kinds the engine knows, by name, and running a step from its description alone.

The registry is filled by `screenkit.bundle.kinds` (one line per kind); the engine looks a
step's kind up by the name the step carries and imports no kind itself. `run_step` is what
a worker runs: it needs only the `Step` (plain, picklable data) and the cache folder; the
entries of the steps it reads are looked up there by key (and verified), its outputs stored
there under its own key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from screenkit.bundle.engine.cache import Entry, StepCache
from screenkit.bundle.engine.errors import BundleError
from screenkit.bundle.engine.kind import Kind
from screenkit.bundle.engine.results import to_meta
from screenkit.bundle.engine.step import Command, Folders, Step, StepRun, make_scratch
from screenkit.progress import ProgressCallback
from screenkit.tempdirs import scratch_dir


class Registry:
    """Kind name → kind."""

    def __init__(self) -> None:
        self._kinds: dict[str, Kind[Any, Any]] = {}

    def register(self, kind: Kind[Any, Any]) -> Kind[Any, Any]:
        known = self._kinds.get(kind.name)
        if known is not None and type(known) is not type(kind):
            raise BundleError(f"two step kinds are named '{kind.name}'")
        self._kinds[kind.name] = kind
        return kind

    def unregister(self, name: str) -> None:
        self._kinds.pop(name, None)

    def get(self, name: str) -> Kind[Any, Any] | None:
        return self._kinds.get(name)

    def __getitem__(self, name: str) -> Kind[Any, Any]:
        try:
            return self._kinds[name]
        except KeyError:
            raise BundleError(f"no step kind is named '{name}'") from None

    def __iter__(self) -> Iterator[Kind[Any, Any]]:
        return iter(list(self._kinds.values()))


REGISTRY = Registry()


def kind_of(step: Step[Any]) -> Kind[Any, Any]:
    return REGISTRY[step.kind]


def main_file(entry: Entry) -> Path:
    """A finished step's main file (its result's ``out``)."""
    return REGISTRY[entry.kind].main_file(entry)


def warnings_of(entry: Entry) -> tuple[str, ...]:
    """What a finished step warned about, as its kind reads its result."""
    kind = REGISTRY.get(entry.kind)
    return kind.warnings(kind.result(entry)) if kind is not None else ()


def dep_entries(step: Step[Any], cache: StepCache) -> dict[str, Entry]:
    """The entries ``step`` reads, by role, from the cache (verified)."""
    found: dict[str, Entry] = {}
    for dep in step.deps:
        entry = cache.lookup(dep.key, label=dep.id) if dep.key else None
        if entry is None:
            raise BundleError(f"step {step.id} needs {dep.id}, which is not in the cache")
        found[dep.role] = entry
    return found


def run_step(
    step: Step[Any],
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


def commands_for(step: Step[Any], deps: Mapping[str, Entry], cache_root: Path) -> list[Command]:
    """The commands ``step`` will run, given its inputs' entries (for ``--dry-run``)."""
    return kind_of(step).commands(step, deps, Folders.dry(cache_root, step))


def recorded_commands(entry: Entry) -> tuple[tuple[str, ...], ...]:
    """The argv of every ffmpeg run a finished step made (the engine's record beside its
    result)."""
    return tuple(tuple(str(a) for a in c) for c in entry.meta.get("commands", []))
