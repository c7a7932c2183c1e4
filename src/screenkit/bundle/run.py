"""Running a build plan, and describing one without running it (``--dry-run``)."""

from __future__ import annotations

import shlex
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from screenkit.bundle.cache import StepCache
from screenkit.bundle.dask_executor import ClusterSpec, run_on_cluster
from screenkit.bundle.executor import StepOutcome, execute
from screenkit.bundle.model import BuildPlan
from screenkit.bundle.steps import Step
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
    cluster: ClusterSpec | None = None,
) -> BuildReport:
    """Run what the plan's out-of-date bundles need; up-to-date bundles are left alone.

    ``cluster``: on a Dask cluster instead of in-process threads (`dask_executor`).
    """
    started = time.monotonic()
    cache = StepCache(plan.cache_root, progress=progress)
    if cluster is None:
        result = execute(plan.pending(), cache, jobs=jobs, progress=progress)
    else:
        result = run_on_cluster(plan, cache, cluster, progress)
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
    warnings = [str(w) for entry in result.entries.values() for w in entry.meta.get("warnings", [])]
    return BuildReport(
        bundles=bundles,
        steps=result.outcomes,
        cache_root=cache.root,
        build_id=cache.build_id,
        elapsed=time.monotonic() - started,
        warnings=tuple(dict.fromkeys(warnings)),
    )


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
        }


def describe(plan: BuildPlan) -> list[StepView]:
    """Every step of the plan, in order, with whether the cache already holds it."""
    cache = StepCache(plan.cache_root)
    users: dict[str, list[str]] = {}
    for bundle in plan.bundles:
        for step_id in bundle.step_ids:
            users.setdefault(step_id, []).append(bundle.request.name)
    views = []
    for step in plan.steps:
        if step.key is None:
            state: Literal["cached", "to run", "always runs"] = "always runs"
        else:
            state = "cached" if cache.peek(step.key) else "to run"
        commands, note = _commands(step, plan, cache)
        views.append(
            StepView(
                step.id,
                step.kind,
                step.label,
                step.key,
                state,
                step.deps,
                commands,
                note,
                tuple(users.get(step.id, ())),
            )
        )
    return views


def _commands(
    step: Step, plan: BuildPlan, cache: StepCache
) -> tuple[tuple[tuple[str, ...], ...], str | None]:
    """The step's commands: known at planning, or computed now from its cached inputs."""
    if step.commands or step.explain is None:
        return step.commands, step.command_note
    keys = {s.id: s.key for s in plan.steps}
    deps = {}
    for dep in step.deps:
        key = keys.get(dep)
        entry = cache.peek_entry(key) if key else None
        if entry is None:
            return (
                (),
                f"{step.command_note or ''} (exact commands once its inputs are built)".strip(),
            )
        deps[dep] = entry
    try:
        commands = step.explain(deps)
    except (ScreenkitError, OSError, KeyError) as exc:
        return (), f"{step.command_note or ''} (cannot show the commands: {exc})".strip()
    return tuple(tuple(c) for c in commands), step.command_note
