"""Running a plan's step graph: one loop, one executor interface, three backends.

`execute` walks the graph: a step is submitted once every step it reads has finished, up to
the backend's ``slots`` at a time; its outputs come from the cache when its key is there.
Where the step runs is the backend's business (`Backend`: submit, poll, stop):

- `ThreadBackend` (the default): threads of this process. The work happens in ffmpeg
  processes, so each thread only waits on its ffmpeg; progress and stopping are immediate.
- `screenkit.bundle.engine.workers.ProcessBackend` (``--processes``): worker processes, each step
  run from its description alone, as on a cluster.
- `screenkit.bundle.engine.dask_executor.DaskBackend` (``--workers``/``--scheduler``): Dask.

All three report progress through one `Relay` (one typed event stream,
`screenkit.bundle.engine.events`) and are stopped one way: on the first failure, on Ctrl-C /
SIGTERM in the main thread, or when the caller's ``stop`` signal is set (the organiser's
app's Cancel, from another thread), no new step starts and the running ones are told to
stop; each raises `StepStopped` at its next progress report, which makes `run_ffmpeg` stop
its ffmpeg and the cache remove the step's temporary folder. Then the first error is raised
(`BuildCancelled` for a stop). The engine knows no step kind.
"""

from __future__ import annotations

import concurrent.futures as cf
import heapq
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal, NamedTuple, Protocol

from screenkit.bundle.engine.cache import Entry, StepCache
from screenkit.bundle.engine.errors import BundleError, StepStopped, build_cancelled
from screenkit.bundle.engine.events import OVERALL, EventCallback
from screenkit.bundle.engine.registry import kind_of, run_step
from screenkit.bundle.engine.relay import Relay
from screenkit.bundle.engine.step import Step
from screenkit.errors import Interrupted, ScreenkitError

__all__ = ["OVERALL", "Backend", "ThreadBackend", "check_graph", "execute"]

POLL = 0.2
"""Seconds the loop waits for a step to finish before it looks at the stop signal again."""
Status = Literal["built", "cached"]


class EventLike(Protocol):
    """A stop signal: a `threading.Event` (or a multiprocessing or Dask one)."""

    def is_set(self) -> bool: ...

    def set(self) -> None: ...


@dataclass(frozen=True)
class StepOutcome:
    id: str
    kind: str
    label: str
    key: str | None
    status: Status
    elapsed: float

    @classmethod
    def of(cls, step: Step[Any], entry: Entry, elapsed: float) -> StepOutcome:
        """What became of ``step``: its entry's status and the seconds it took."""
        return cls(step.id, step.kind, step.label, step.key, entry.status, elapsed)


@dataclass(frozen=True)
class ExecutionResult:
    entries: Mapping[str, Entry]
    outcomes: tuple[StepOutcome, ...]


@dataclass(frozen=True)
class Done:
    """A step a backend finished running: its entry, or the exception it ended with."""

    step_id: str
    entry: Entry | None
    error: BaseException | None
    elapsed: float


class Backend(Protocol):
    """Where steps run. Used by one `execute` loop, from one thread."""

    slots: int
    """How many steps may run at once."""

    def submit(self, step: Step[Any], deps: Mapping[str, Entry], relay: Relay) -> None:
        """Start ``step``; ``deps`` are the entries it reads, by role."""
        ...

    def poll(self, timeout: float, relay: Relay) -> list[Done]:
        """The steps finished since the last call (waits up to ``timeout`` for one);
        progress that came from elsewhere is handed to ``relay`` meanwhile."""
        ...

    def stop(self) -> None:
        """Tell the running steps to stop (each raises `StepStopped` at its next report)."""
        ...

    def drain(self) -> None:
        """Wait until the running steps have stopped (after `stop`)."""
        ...

    def close(self) -> None:
        """Let go of the threads, processes or cluster futures."""
        ...


class Priority(NamedTuple):
    """Which ready step starts first (the larger): see `critical_path`."""

    heavy: int
    """Heavy steps (``holds_cpu``) on the longest such chain the step heads, itself included."""
    weight: float
    """The step's weight plus that of the heaviest chain of steps that need it."""


def _needed_by(order: Sequence[Step[Any]]) -> dict[str, list[str]]:
    """For each step, the steps that need it (each once)."""
    needed_by: dict[str, list[str]] = {s.id: [] for s in order}
    for step in order:
        for dep in dict.fromkeys(step.dep_ids):
            needed_by[dep].append(step.id)
    return needed_by


def critical_path(order: Sequence[Step[Any]]) -> dict[str, Priority]:
    """Each step's start priority (``order``: the steps after their dependencies).

    First by the heavy steps in a row it heads: a chain of two (the loudness pass, then the
    sound it sets) needs two turns of a worker one after the other, a chunk one; started
    last as the lighter chain, the pair ran alone after the last chunk. Then by the weight
    of the heaviest chain it heads: the longest chunk before the short ones, so that two
    workers finish together instead of one running the last long chunk alone.
    """
    needed_by = _needed_by(order)
    rank: dict[str, Priority] = {}
    for step in reversed(order):
        after = [rank[n] for n in needed_by[step.id]]
        rank[step.id] = Priority(
            int(kind_of(step).holds_cpu) + max((r.heavy for r in after), default=0),
            step.weight + max((r.weight for r in after), default=0.0),
        )
    return rank


class _Ready:
    """The steps whose dependencies have all finished, by start priority (`critical_path`;
    plan order among equals), from a count per step of its unfinished dependencies: a
    finished step makes ready only the steps that need it. The loop's passes (one every
    `POLL` seconds while steps run, for hours on a matrix of thousands of chunk steps) then
    cost what they start, not a look at every waiting step's dependencies."""

    def __init__(self, order: Sequence[Step[Any]], rank: Mapping[str, Priority]) -> None:
        self._unmet = {s.id: len(set(s.dep_ids)) for s in order}
        self._needed_by = _needed_by(order)
        self._key = {s.id: (-rank[s.id].heavy, -rank[s.id].weight, n) for n, s in enumerate(order)}
        self._heap = [(*self._key[s.id], s.id) for s in order if not self._unmet[s.id]]
        heapq.heapify(self._heap)

    def take(self, count: int) -> list[str]:
        """Up to ``count`` ready steps, the first to start first; they are ready no more."""
        return [heapq.heappop(self._heap)[-1] for _ in range(min(count, len(self._heap)))]

    def finished(self, step_id: str) -> None:
        """``step_id`` finished: the steps that need it have one dependency less to wait for."""
        for waiting in self._needed_by[step_id]:
            self._unmet[waiting] -= 1
            if not self._unmet[waiting]:
                heapq.heappush(self._heap, (*self._key[waiting], waiting))


def check_graph(steps: Sequence[Step[Any]]) -> list[Step[Any]]:
    """The steps in an order where every step follows its dependencies; refuses cycles."""
    by_id = {s.id: s for s in steps}
    if len(by_id) != len(steps):
        raise BundleError("the plan names a step twice")
    order: list[Step[Any]] = []
    state: dict[str, int] = {}

    def visit(step: Step[Any], trail: tuple[str, ...]) -> None:
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


def _why(error: BaseException) -> str:
    return (
        error.message if isinstance(error, ScreenkitError) else f"{type(error).__name__}: {error}"
    )


def execute(
    steps: Sequence[Step[Any]],
    cache: StepCache,
    backend: Backend,
    *,
    events: EventCallback | None = None,
    stop: EventLike | None = None,
) -> ExecutionResult:
    """Run ``steps`` (a graph) on ``backend``; the entries by step id, and what each did.

    ``events`` hears the build's events (on this thread). ``stop``, set from any thread,
    stops the build as a failure does: `BuildCancelled`.
    """
    order = check_graph(steps)
    rank = critical_path(order)
    relay = Relay(order, events)
    if events is not None:
        cache.hasher.progress = relay.engine  # checking a large cached file, between steps
    by_id = {s.id: s for s in order}
    entries: dict[str, Entry] = {}
    outcomes: list[StepOutcome] = []
    ready = _Ready(order, rank)
    running: set[str] = set()
    error: BaseException | None = None

    def halt() -> None:
        relay.stop()
        backend.stop()

    try:
        while len(entries) < len(by_id) or running:  # until every step has finished
            if error is None and stop is not None and stop.is_set():
                error = build_cancelled()
                halt()
            if error is None:
                for step_id in ready.take(max(0, backend.slots - len(running))):
                    step = by_id[step_id]
                    running.add(step_id)
                    relay.started(step)
                    backend.submit(step, {d.role: entries[d.id] for d in step.deps}, relay)
            if not running:
                break
            for done in backend.poll(POLL, relay):
                running.discard(done.step_id)
                step = by_id[done.step_id]
                if done.entry is None:
                    failure = done.error or BundleError(f"{step.label} ended without a result")
                    if isinstance(failure, StepStopped):
                        relay.finished(step, "stopped", done.elapsed)
                    else:
                        relay.finished(step, "failed", done.elapsed, _why(failure))
                    if error is None or isinstance(error, StepStopped):
                        error = failure
                    halt()
                    continue
                entries[step.id] = done.entry
                ready.finished(step.id)
                relay.finished(step, done.entry.status, done.elapsed)
                outcomes.append(StepOutcome.of(step, done.entry, done.elapsed))
            relay.deliver()
    except BaseException:  # Ctrl-C / SIGTERM in the main thread: stop the steps, then go
        halt()
        backend.drain()
        raise
    finally:
        backend.close()
    relay.deliver()
    if error is not None:
        raise error
    return ExecutionResult(MappingProxyType(entries), tuple(outcomes))


class ThreadBackend:
    """Steps in threads of this process (see the module docstring)."""

    def __init__(self, cache: StepCache, jobs: int = 1) -> None:
        self.cache = cache
        self.slots = max(1, jobs)
        self.pool = cf.ThreadPoolExecutor(max_workers=self.slots, thread_name_prefix="step")
        self.running: dict[cf.Future[Entry], tuple[str, float]] = {}

    def submit(self, step: Step[Any], deps: Mapping[str, Entry], relay: Relay) -> None:
        future = self.pool.submit(self._run, step, deps, relay)
        self.running[future] = (step.id, time.monotonic())

    def _run(self, step: Step[Any], deps: Mapping[str, Entry], relay: Relay) -> Entry:
        relay.check(step.id)
        return run_step(
            step,
            self.cache,
            deps=deps,
            progress=relay.for_step(step),
            on_wait=relay.waiter(step),
        )

    def poll(self, timeout: float, relay: Relay) -> list[Done]:
        return finished(self.running, timeout)

    def stop(self) -> None:
        """Nothing of its own: the steps check the relay's stop signal as they report."""

    def drain(self) -> None:
        wait_stopping(self.running)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def finished(running: dict[cf.Future[Entry], tuple[str, float]], timeout: float) -> list[Done]:
    """The futures of ``running`` that are done (waiting up to ``timeout``), taken out."""
    if not running:
        return []
    done, _ = cf.wait(running, timeout=timeout, return_when=cf.FIRST_COMPLETED)
    found = []
    for future in done:
        step_id, started = running.pop(future)
        elapsed = time.monotonic() - started
        error = future.exception()
        found.append(Done(step_id, None if error else future.result(), error, elapsed))
    return found


def wait_stopping(running: Mapping[cf.Future[Entry], object]) -> None:
    """Wait for running steps to stop (their next progress event raises); keep interrupts."""
    pending = set(running)
    while pending:
        try:
            _, pending = cf.wait(pending, timeout=POLL)
        except (KeyboardInterrupt, Interrupted):  # a second Ctrl-C: the steps are stopping
            continue
