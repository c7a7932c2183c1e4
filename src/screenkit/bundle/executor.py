"""Running a plan's step graph, ``jobs`` steps side by side; the engine knows no step kind.

By default steps run in threads: the work happens in ffmpeg processes, so each thread only
waits on its ffmpeg, and progress and cancelling stay immediate. With ``processes`` each
step runs in a worker process from its description alone (`RunStep` with the cache folder,
no shared memory), as it will on a cluster: an error raised there comes back pickled and is
raised here like any other. A step starts when all its dependencies have finished; its
outputs come from the cache when its key is there. On the first failure, or on Ctrl-C /
SIGTERM in the main thread, or when the caller's ``stop`` signal is set (the organiser's
app's Cancel, from another thread), no new step starts and the running ones are stopped:
their progress callbacks raise, which makes `run_ffmpeg` stop its ffmpeg and the cache
remove the step's temporary folder. Then the first error is raised (`BuildCancelled` for a
stop). Progress is reported per step and overall.
"""

from __future__ import annotations

import concurrent.futures as cf
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Literal, Protocol

from screenkit.bundle.cache import Entry, StepCache
from screenkit.bundle.errors import BundleError, build_cancelled
from screenkit.bundle.step import Step
from screenkit.bundle.workers import Cancelled, EventLike, ProcessPool
from screenkit.errors import Interrupted
from screenkit.progress import Progress, ProgressCallback

OVERALL = "overall"
Status = Literal["built", "cached"]


class StepCancelled(BaseException):
    """Raised inside a running step when the build is being stopped (not a user error)."""


class RunStep(Protocol):
    """Runs one step (or takes it from the cache): `bundle.steps.registry.run_step`."""

    def __call__(
        self,
        step: Step,
        cache_root: Path | StepCache,
        *,
        deps: Mapping[str, Entry] | None = None,
        progress: ProgressCallback | None = None,
        on_wait: Callable[[], None] | None = None,
    ) -> Entry: ...


@dataclass(frozen=True)
class StepOutcome:
    id: str
    kind: str
    label: str
    key: str | None
    status: Status
    elapsed: float

    @classmethod
    def of(cls, step: Step, entry: Entry, elapsed: float) -> StepOutcome:
        """What became of ``step``: its entry's status and the seconds it took."""
        return cls(step.id, step.kind, step.label, step.key, entry.status, elapsed)


@dataclass(frozen=True)
class ExecutionResult:
    entries: Mapping[str, Entry]
    outcomes: tuple[StepOutcome, ...]


def check_graph(steps: Sequence[Step]) -> list[Step]:
    """The steps in an order where every step follows its dependencies; refuses cycles."""
    by_id = {s.id: s for s in steps}
    if len(by_id) != len(steps):
        raise BundleError("the plan names a step twice")
    order: list[Step] = []
    state: dict[str, int] = {}

    def visit(step: Step, trail: tuple[str, ...]) -> None:
        mark = state.get(step.id, 0)
        if mark == 2:
            return
        if mark == 1:
            raise BundleError(f"the plan has a cycle: {' -> '.join((*trail, step.id))}")
        state[step.id] = 1
        for dep in step.dep_ids:
            if dep not in by_id:
                raise BundleError(f"step {step.id} needs {dep}, which is not in the plan")
            visit(by_id[dep], (*trail, step.id))
        state[step.id] = 2
        order.append(step)

    for step in steps:
        visit(step, ())
    return order


class _Progress:
    """Thread-safe fan-in of step progress into per-step and overall events."""

    def __init__(self, steps: Sequence[Step], sink: ProgressCallback | None) -> None:
        self.sink = sink
        self.lock = threading.Lock()
        self.total = sum(max(s.weight, 0.01) for s in steps) or 1.0
        self.weights = {s.id: max(s.weight, 0.01) for s in steps}
        self.fraction: dict[str, float] = {}
        self.cancel: threading.Event | EventLike = threading.Event()

    def for_step(self, step: Step) -> ProgressCallback:
        def report(event: Progress) -> None:
            if self.cancel.is_set():
                raise StepCancelled(step.id)
            self.relay(step, event)

        return report

    def relay(self, step: Step, event: Progress) -> None:
        """A step's event, as the step's own and toward the overall bar."""
        if event.fraction is not None:  # a two-pass encode starts over: the whole doesn't
            self.fraction[step.id] = max(self.fraction.get(step.id, 0.0), event.fraction)
        self._emit(Progress(step.label, event.done, event.total, event.unit, event.speed))

    def finished(self, step: Step) -> None:
        self.fraction[step.id] = 1.0
        self._emit(None)

    def _emit(self, event: Progress | None) -> None:
        if self.sink is None:
            return
        with self.lock:
            if event is not None:
                self.sink(event)
            done = sum(self.weights[i] * f for i, f in self.fraction.items())
            self.sink(Progress(OVERALL, 100.0 * done / self.total, 100.0, unit="%"))


def _run_one(
    run: RunStep, step: Step, cache: StepCache, deps: Mapping[str, Entry], hub: _Progress
) -> Entry:
    if hub.cancel.is_set():
        raise StepCancelled(step.id)
    by_role = {d.role: deps[d.id] for d in step.deps}
    return run(step, cache, deps=by_role, progress=hub.for_step(step), on_wait=_waiter(step, hub))


def _waiter(step: Step, hub: _Progress) -> Callable[[], None]:
    told = threading.Event()

    def on_wait() -> None:
        if hub.cancel.is_set():
            raise StepCancelled(step.id)
        if not told.is_set():
            told.set()
            hub.for_step(step)(Progress(f"{step.label} (waiting for another build)", 0, None))

    return on_wait


def execute(
    steps: Sequence[Step],
    cache: StepCache,
    *,
    run: RunStep,
    jobs: int = 1,
    progress: ProgressCallback | None = None,
    processes: bool = False,
    stop: EventLike | None = None,
) -> ExecutionResult:
    """Run ``steps`` (a graph) with ``run``; the entries by step id, and what each step did.

    ``stop``, set from any thread, stops the build as a failure does: `BuildCancelled`.
    """
    order = check_graph(steps)
    hub = _Progress(order, progress)
    entries: dict[str, Entry] = {}
    outcomes: list[StepOutcome] = []
    waiting = {s.id: s for s in order}
    running: dict[cf.Future[Entry], tuple[Step, float]] = {}
    error: BaseException | None = None
    workers = ProcessPool(max(1, jobs)) if processes else None
    if workers is not None:
        hub.cancel = workers.stop  # one stop signal, seen by threads and workers alike
    pool = cf.ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="step")
    by_id = {s.id: s for s in order}
    try:
        while waiting or running:
            if error is None and stop is not None and stop.is_set():
                error = build_cancelled()
                hub.cancel.set()
            if error is None:
                ready = [s for s in waiting.values() if all(d in entries for d in s.dep_ids)]
                for step in ready:
                    if len(running) >= max(1, jobs):
                        break
                    del waiting[step.id]
                    if workers is not None:  # the worker finds its inputs in the cache, by key
                        future = workers.submit(run, step, cache.root)
                    else:
                        deps = {d: entries[d] for d in step.dep_ids}
                        future = pool.submit(_run_one, run, step, cache, deps, hub)
                    running[future] = (step, time.monotonic())
            if not running:
                break
            done, _ = cf.wait(running, timeout=0.2, return_when=cf.FIRST_COMPLETED)
            for step_id, event in workers.events() if workers is not None else []:
                hub.relay(by_id[step_id], event)
            for future in done:
                step, started = running.pop(future)
                exc = future.exception()
                if exc is not None:
                    if error is None or isinstance(error, StepCancelled | Cancelled):
                        error = exc
                    hub.cancel.set()
                    continue
                entry = future.result()
                entries[step.id] = entry
                hub.finished(step)
                outcomes.append(StepOutcome.of(step, entry, time.monotonic() - started))
    except BaseException as exc:  # Ctrl-C / SIGTERM in the main thread: stop the workers
        hub.cancel.set()
        _drain(running)
        raise exc from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        if workers is not None:
            workers.shutdown()
    if error is not None:
        raise error
    return ExecutionResult(MappingProxyType(entries), tuple(outcomes))


def _drain(running: Mapping[cf.Future[Entry], object]) -> None:
    """Wait for running steps to stop (their next progress event raises); keep interrupts."""
    pending = set(running)
    while pending:
        try:
            _, pending = cf.wait(pending, timeout=0.2)
        except (KeyboardInterrupt, Interrupted):  # a second Ctrl-C: the workers are stopping
            continue
