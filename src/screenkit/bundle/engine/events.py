"""What a running build tells its listeners: one typed event stream for every executor.

The CLI (tqdm bars) and the organiser's app (server-sent events) read the same events:

- `StepStarted`: a step was handed to the executor (threads, processes or Dask);
- `StepProgress`: how far it has come (``done`` of ``total`` in ``unit``; ``what`` says what
  it is doing now: ``encode (pass 2)``, ``waiting for another build``…);
- `StepFinished`: ``built``, ``cached`` (taken from the cache), ``failed`` (``error`` says
  why) or ``stopped`` (the build was stopped, or another step failed);
- `BuildProgress`: the whole build, in percent of its steps' weights, after each of these.

Events are delivered one at a time, in order, on the thread that called
`screenkit.bundle.build` (never from a worker thread), so a listener needs no lock. A
`StepProgress` with an empty ``id`` is the engine's own work between steps (checking a
large cached file). `progress_events` turns the stream into the `Progress` callbacks of
old (``step`` = the step's label, and ``overall`` in %), for callers that keep those.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from screenkit.progress import Progress, ProgressCallback

OVERALL = "overall"
"""The step name of the whole build's progress in the `Progress` adapter."""

StepStatus = Literal["built", "cached", "failed", "stopped"]


@dataclass(frozen=True)
class StepStarted:
    id: str
    kind: str
    label: str


@dataclass(frozen=True)
class StepProgress:
    id: str
    kind: str
    label: str
    done: float
    total: float | None
    unit: str = "s"
    speed: float | None = None
    """Times real time, for an encode."""
    what: str = ""
    """What the step is doing now (its command's label)."""

    @property
    def fraction(self) -> float | None:
        if not self.total:
            return None
        return max(0.0, min(1.0, self.done / self.total))


@dataclass(frozen=True)
class StepFinished:
    id: str
    kind: str
    label: str
    status: StepStatus
    elapsed: float
    error: str | None = None
    """Why it failed (the error's message); None otherwise."""


@dataclass(frozen=True)
class BuildProgress:
    percent: float
    """Of the build's steps' weights (about seconds of media each)."""
    finished: int
    total: int
    """Steps finished (built, cached, failed or stopped) and steps in this build."""


BuildEvent = StepStarted | StepProgress | StepFinished | BuildProgress
EventCallback = Callable[[BuildEvent], None]

_NAMES = {
    StepStarted: "step-started",
    StepProgress: "step-progress",
    StepFinished: "step-finished",
    BuildProgress: "build-progress",
}


def event_json(event: BuildEvent) -> dict[str, Any]:
    """An event as JSON (``{"event": "step-progress", "id": …}``): what a web page reads."""
    fields = dict(vars(event))
    return {"event": _NAMES[type(event)], **fields}


def progress_events(progress: ProgressCallback) -> EventCallback:
    """The events as a `Progress` callback saw them before: a step's progress under its
    label, the build's under `OVERALL` in %."""

    def relay(event: BuildEvent) -> None:
        if isinstance(event, StepProgress):
            progress(Progress(event.label, event.done, event.total, event.unit, event.speed))
        elif isinstance(event, BuildProgress):
            progress(Progress(OVERALL, event.percent, 100.0, unit="%"))

    return relay


def fan_out(*listeners: EventCallback | None) -> EventCallback | None:
    """One callback calling each of ``listeners`` (None when there is none)."""
    present = [listener for listener in listeners if listener is not None]
    if not present:
        return None
    if len(present) == 1:
        return present[0]

    def each(event: BuildEvent) -> None:
        for listener in present:
            listener(event)

    return each
