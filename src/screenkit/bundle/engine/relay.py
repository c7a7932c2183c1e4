"""The one progress relay: every step's reports, from any executor, into one event stream.

Steps running in this process's threads report through `Relay.for_step` (whose callback
raises `StepStopped` once the build is stopping: that is how a running step, and its
ffmpeg, is stopped); reports from worker processes and Dask workers arrive through
`Relay.report`. Either way the events queue up here, thread-safely, and `Relay.deliver`
hands them to the listener on the thread that runs the build, in order (see
`screenkit.bundle.engine.events`).
"""

from __future__ import annotations

import collections
import threading
from collections.abc import Callable, Sequence
from typing import Any

from screenkit.bundle.engine.errors import StepStopped
from screenkit.bundle.engine.events import (
    BuildEvent,
    BuildProgress,
    EventCallback,
    StepFinished,
    StepProgress,
    StepStarted,
    StepStatus,
)
from screenkit.bundle.engine.step import Step
from screenkit.progress import Progress, ProgressCallback

WAITING = "waiting for another build"


class Relay:
    """Per-step progress and the build's, as events (see the module docstring)."""

    def __init__(self, steps: Sequence[Step[Any]], listener: EventCallback | None) -> None:
        self.listener = listener
        self.steps = {s.id: s for s in steps}
        self.weights = {s.id: max(s.weight, 0.01) for s in steps}
        self.total = sum(self.weights.values()) or 1.0
        self.fraction: dict[str, float] = {}
        self.finished_steps = 0
        self.stopping = threading.Event()
        """Set when the build stops: steps in this process's threads stop at their next report."""
        self._lock = threading.Lock()
        self._queue: collections.deque[BuildEvent] = collections.deque()

    # -- stopping ----------------------------------------------------------------------
    def stop(self) -> None:
        self.stopping.set()

    def check(self, step_id: str) -> None:
        """Raise `StepStopped` when the build is stopping (called by a step as it reports)."""
        if self.stopping.is_set():
            raise StepStopped(step_id)

    # -- what steps report -------------------------------------------------------------
    def for_step(self, step: Step[Any]) -> ProgressCallback:
        """The progress callback of a step running in this process."""

        def report(event: Progress) -> None:
            self.check(step.id)
            self.report(step.id, event)

        return report

    def waiter(self, step: Step[Any]) -> Callable[[], None]:
        """Called while a step waits for another build holding its key: may stop it."""
        told = threading.Event()

        def on_wait() -> None:
            self.check(step.id)
            if not told.is_set():
                told.set()
                self.report(step.id, Progress(WAITING, 0, None))

        return on_wait

    def report(self, step_id: str, event: Progress) -> None:
        """A step's progress, wherever it runs."""
        step = self.steps.get(step_id)
        if step is None:
            return
        with self._lock:
            if event.fraction is not None:  # a two-pass encode starts over: the whole doesn't
                self.fraction[step_id] = max(self.fraction.get(step_id, 0.0), event.fraction)
            self._queue.append(
                StepProgress(
                    step.id,
                    step.kind,
                    step.label,
                    event.done,
                    event.total,
                    event.unit,
                    event.speed,
                    what=event.step,
                )
            )
            self._queue.append(self._overall())

    def engine(self, event: Progress) -> None:
        """The engine's own work between steps (checking a large cached file)."""
        with self._lock:
            self._queue.append(
                StepProgress("", "", event.step, event.done, event.total, event.unit, event.speed)
            )

    # -- what the executor sees ----------------------------------------------------------
    def started(self, step: Step[Any]) -> None:
        with self._lock:
            self._queue.append(StepStarted(step.id, step.kind, step.label))

    def finished(
        self, step: Step[Any], status: StepStatus, elapsed: float, error: str | None = None
    ) -> None:
        with self._lock:
            self.fraction[step.id] = 1.0
            self.finished_steps += 1
            self._queue.append(StepFinished(step.id, step.kind, step.label, status, elapsed, error))
            self._queue.append(self._overall())

    def _overall(self) -> BuildProgress:
        done = sum(self.weights[i] * f for i, f in self.fraction.items())
        return BuildProgress(100.0 * done / self.total, self.finished_steps, len(self.steps))

    def deliver(self) -> None:
        """Hand the queued events to the listener, in order (on the caller's thread)."""
        while True:
            with self._lock:
                if not self._queue:
                    return
                event = self._queue.popleft()
            if self.listener is not None:
                self.listener(event)
