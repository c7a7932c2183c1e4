"""Running a build plan, and describing one without running it (``--dry-run``)."""

from __future__ import annotations

import shlex
import time
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from screenkit import diskspace
from screenkit.bundle.compose.model import BuildPlan
from screenkit.bundle.compose.space import plan_needs
from screenkit.bundle.engine.cache import StepCache
from screenkit.bundle.engine.dask_executor import ClusterSpec, DaskBackend, check_storage, connect
from screenkit.bundle.engine.dask_executor import require_dask as _require_dask
from screenkit.bundle.engine.errors import build_cancelled
from screenkit.bundle.engine.events import EventCallback, fan_out, progress_events
from screenkit.bundle.engine.executor import (
    Backend,
    EventLike,
    ExecutionResult,
    StepOutcome,
    ThreadBackend,
    execute,
)
from screenkit.bundle.engine.registry import (
    commands_for,
    kind_of,
    recorded_commands,
    warnings_of,
)
from screenkit.bundle.engine.step import Step
from screenkit.bundle.engine.workers import ProcessBackend
from screenkit.errors import ScreenkitError
from screenkit.progress import ProgressCallback

BundleStatus = Literal["built", "up to date"]


@dataclass(frozen=True)
class BundleResult:
    name: str
    folder: Path
    video: Path
    preset: str
    lang: str
    status: BundleStatus


@dataclass(frozen=True)
class BuildReport:
    bundles: tuple[BundleResult, ...]
    steps: tuple[StepOutcome, ...]
    cache_root: Path
    build_id: str
    elapsed: float
    warnings: tuple[str, ...] = ()
    """What the encodes warned about (a damaged source, a setting overridden), once each."""

    def ran(self, kind: str) -> list[StepOutcome]:
        """Steps of ``kind`` this build really ran (not taken from the cache)."""
        return [s for s in self.steps if s.kind == kind and s.status == "built"]

    def to_json(self) -> dict[str, Any]:
        return {
            "build": self.build_id,
            "cache": str(self.cache_root),
            "elapsed": round(self.elapsed, 3),
            "warnings": list(self.warnings),
            "bundles": [
                {
                    "name": b.name,
                    "folder": str(b.folder),
                    "video": str(b.video),
                    "preset": b.preset,
                    "lang": b.lang,
                    "status": b.status,
                }
                for b in self.bundles
            ],
            "steps": [
                {
                    "id": s.id,
                    "kind": s.kind,
                    "label": s.label,
                    "key": s.key,
                    "status": s.status,
                    "elapsed": round(s.elapsed, 3),
                }
                for s in self.steps
            ],
        }


def build(
    plan: BuildPlan,
    *,
    jobs: int = 1,
    progress: ProgressCallback | None = None,
    events: EventCallback | None = None,
    processes: bool = False,
    cluster: ClusterSpec | None = None,
    stop: EventLike | None = None,
) -> BuildReport:
    """Run what the plan's out-of-date bundles need; up-to-date bundles are left alone.

    ``events`` hears the build as typed events (`screenkit.bundle.engine.events`: step started,
    progress, finished, and the whole build's percentage), delivered on this thread;
    ``progress`` is the same stream as `Progress` callbacks (each step under its label, the
    build under ``overall``). ``processes`` runs each step in a worker process from its
    description alone (`screenkit.bundle.engine.workers`); ``cluster`` on a Dask cluster
    (`screenkit.bundle.engine.dask_executor`); else in ``jobs`` threads. ``stop`` (a
    `threading.Event`), set from another thread, cancels the build: running steps stop, no
    bundle is left half-made, `BuildCancelled` is raised.
    """
    started = time.monotonic()
    listener = fan_out(events, progress_events(progress) if progress is not None else None)
    cache = StepCache(plan.cache_root, progress=progress)
    cache.sweep_tmp()  # what killed builds left behind
    diskspace.prepare_output(plan.out)  # before the long steps, as is the space check
    cached = [s.id for s in plan.steps if s.key and cache.peek(s.key)]
    diskspace.check_space(plan_needs(plan, cached))
    if cluster is not None:
        result = _on_cluster(plan, cache, cluster, listener, stop)
    else:
        backend: Backend = ProcessBackend(cache, jobs) if processes else ThreadBackend(cache, jobs)
        result = execute(plan.pending(), cache, backend, events=listener, stop=stop)
    bundles = tuple(
        BundleResult(
            name=b.request.name,
            folder=b.folder,
            video=b.folder / b.video_name,
            preset=b.preset.name,
            lang=b.request.lang,
            status="up to date" if b.up_to_date else "built",
        )
        for b in plan.bundles
    )
    warnings = [w for entry in result.entries.values() for w in warnings_of(entry)]
    return BuildReport(
        bundles=bundles,
        steps=result.outcomes,
        cache_root=cache.root,
        build_id=cache.build_id,
        elapsed=time.monotonic() - started,
        warnings=tuple(dict.fromkeys(warnings)),
    )


def _on_cluster(
    plan: BuildPlan,
    cache: StepCache,
    spec: ClusterSpec,
    events: EventCallback | None,
    stop: EventLike | None,
) -> ExecutionResult:
    """The plan's pending steps on the cluster ``spec`` names, storage checked first."""
    _require_dask()  # asked for a cluster without Dask installed: say how, even for no work
    steps = plan.pending()
    if not steps:
        return ExecutionResult(MappingProxyType({}), ())
    with connect(spec) as client:
        check_storage(client, cache.root, plan.kit.master, plan.ffmpeg)
        if stop is not None and stop.is_set():
            raise build_cancelled()
        return execute(steps, cache, DaskBackend(client, cache), events=events, stop=stop)


@dataclass(frozen=True)
class StepInput:
    role: str
    path: str
    sha256: str


@dataclass(frozen=True)
class StepView:
    """One step as ``--dry-run`` shows it."""

    id: str
    kind: str
    label: str
    key: str | None
    state: Literal["cached", "to run", "always runs"]
    deps: tuple[str, ...]
    commands: tuple[tuple[str, ...], ...]
    note: str | None
    bundles: tuple[str, ...]
    inputs: tuple[StepInput, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "label": self.label,
            "key": self.key,
            "state": self.state,
            "deps": list(self.deps),
            "commands": [list(c) for c in self.commands],
            "shell": [shlex.join(c) for c in self.commands],
            "note": self.note,
            "bundles": list(self.bundles),
            "inputs": [{"role": i.role, "path": i.path, "sha256": i.sha256} for i in self.inputs],
        }


def describe(plan: BuildPlan) -> list[StepView]:
    """Every step of the plan, in order, with whether the cache holds it and its commands.

    A cached step shows the commands its record says it ran; another one the commands its
    kind's ``commands()`` gives now — the very function its run calls — once the steps it
    reads are in the cache (before that, its note says what is missing).
    """
    cache = StepCache(plan.cache_root)
    users: dict[str, list[str]] = {}
    for bundle in plan.bundles:
        for step_id in bundle.step_ids:
            users.setdefault(step_id, []).append(bundle.request.name)
    views = []
    for step in plan.steps:
        entry = cache.peek_entry(step.key) if step.key else None
        state: Literal["cached", "to run", "always runs"] = (
            "always runs" if step.key is None else "cached" if entry is not None else "to run"
        )
        if entry is not None:
            commands = recorded_commands(entry)
            note = None
        else:
            commands, note = _commands(step, cache)
        views.append(
            StepView(
                step.id,
                step.kind,
                step.label,
                step.key,
                state,
                step.dep_ids,
                commands,
                note,
                tuple(users.get(step.id, ())),
                tuple(StepInput(i.role, str(i.path), i.sha256) for i in step.inputs),
            )
        )
    return views


def _commands(step: Step[Any], cache: StepCache) -> tuple[tuple[tuple[str, ...], ...], str | None]:
    """The step's commands from its kind, when every step it reads is in the cache."""
    if not kind_of(step).runs_ffmpeg:
        return (), step.note  # a step of pysubs2, Python or other tools: no ffmpeg to list
    deps = {}
    for dep in step.deps:
        entry = cache.peek_entry(dep.key) if dep.key else None
        if entry is None:
            return (), f"{step.note or ''} (exact commands once {dep.id} is built)".strip()
        deps[dep.role] = entry
    try:
        listed = commands_for(step, deps, cache.root)
    except (ScreenkitError, OSError, KeyError) as exc:
        return (), f"{step.note or ''} (cannot show the commands: {exc})".strip()
    ffmpeg = step.tools.ffmpeg
    return tuple(c.argv(ffmpeg) for c in listed), step.note
