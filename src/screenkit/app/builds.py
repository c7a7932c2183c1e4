"""The app's one place that talks to the build engine: a queue, a worker thread, state.

The page never runs a build: it asks `BuildManager.submit`, which checks the choices at once
(the very checks ``screenkit build`` makes, so a refused choice is a 400 with the CLI's
words) and queues a `BuildJob`. One worker thread runs the jobs one after the other (a
second build of the same kit waits its turn; two encodes side by side on a laptop would only
both go slower): plan, build with the job's ``stop`` event, verify. Each job keeps its state
(queued, running, done, failed, cancelled), the progress of each step and overall, and a
version number that grows with every change, so the page's event stream and a reload after
closing the tab both read the same state. Cancel sets the job's ``stop``: the engine stops
its steps and leaves no half bundle (`BuildCancelled`). `close` cancels everything and waits
(Ctrl-C of the app).

The engine's typed events (`screenkit.bundle.BuildEvent`: a step started, its progress, it
finished — built, cached, failed or stopped — and the build's percentage) become per-step
states in `_Tracker`, the one adapter to them; steps are known by their id, so a failed step
is the one the engine says failed.

A download of a ready bundle from a catalogue (`screenkit.app.downloads`) is a job of the
same queue, with the same state, events and cancel: it runs its own way (`BuildJob.execute`).
"""

from __future__ import annotations

import queue
import secrets
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import ClassVar, Literal

from screenkit import bundle, diskspace
from screenkit.app.choice import BuildChoice
from screenkit.bundle import (
    BuildCancelled,
    BuildEvent,
    BuildPlan,
    BuildProgress,
    BuildReport,
    BuildSettings,
    BundleRequest,
    StepCache,
    StepFinished,
    StepStarted,
    VerifyReport,
    build,
    build_cancelled,
    plan_build,
    plan_needs,
    verify_bundle,
)
from screenkit.errors import ScreenkitError, path_error
from screenkit.kit import Kit
from screenkit.progress import Progress

State = Literal["queued", "running", "done", "failed", "cancelled"]
StepState = Literal["waiting", "running", "done", "cached"]
FINISHED: tuple[State, ...] = ("done", "failed", "cancelled")


@dataclass
class StepProgress:
    label: str
    kind: str
    state: StepState
    fraction: float = 0.0


@dataclass(frozen=True)
class Snapshot:
    """A job as the page and the API show it, at one moment."""

    id: str
    kit: str
    choice: BuildChoice
    state: State
    progress: float
    steps: tuple[StepProgress, ...]
    phase: str
    """``waiting``, ``planning``, ``building``, ``verifying`` or ``finished``."""
    version: int
    created: float
    elapsed: float | None
    seconds_left: float | None
    bundle: Path | None
    status: str | None
    """``built`` or ``up to date`` once done."""
    steps_run: int
    steps_cached: int
    verify: VerifyReport | None
    error: ScreenkitError | None
    failed_step: str | None
    position: int
    """Builds before this one in the queue (0: next or running)."""
    kind: str = "build"
    """``build``, or ``download`` (a ready bundle from a catalogue: `app.downloads`)."""
    source: str | None = None
    """Where a download comes from (the catalogue's address); None for a build."""

    @property
    def verified(self) -> bool:
        return self.verify is not None and self.verify.ok

    @property
    def finished(self) -> bool:
        return self.state in FINISHED


@dataclass
class BuildJob:
    id: str
    kit: Kit
    choice: BuildChoice
    request: BundleRequest
    settings: BuildSettings
    created: float = field(default_factory=time.time)
    stop: threading.Event = field(default_factory=threading.Event)
    state: State = "queued"
    phase: str = "waiting"
    steps: dict[str, StepProgress] = field(default_factory=dict)
    overall: float = 0.0
    started: float | None = None
    finished_at: float | None = None
    bundle: Path | None = None
    report: BuildReport | None = None
    verify: VerifyReport | None = None
    error: ScreenkitError | None = None
    failed_step: str | None = None
    version: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    changed: Callable[[], None] | None = field(default=None, repr=False)
    kind: ClassVar[str] = "build"

    def execute(self, build: Callable[[BuildJob], None]) -> None:
        """Run in the manager's worker: ``build`` is the manager's build of the kit. A job
        that gets its bundle otherwise (`app.downloads.DownloadJob`) runs its own way."""
        build(self)

    def origin(self) -> str | None:
        """Where the bundle comes from when it is not built here (a download's catalogue)."""
        return None

    def cancelled(self) -> ScreenkitError:
        """The error a cancelled job reports."""
        return build_cancelled()

    def update(self, **values: object) -> None:
        with self.lock:
            for key, value in values.items():
                setattr(self, key, value)
            self.version += 1
        if self.changed is not None:
            self.changed()

    def snapshot(self, position: int = 0) -> Snapshot:
        with self.lock:
            now = time.monotonic()
            elapsed = (self.finished_at or now) - self.started if self.started else None
            left = None
            if self.state == "running" and elapsed and 0.03 < self.overall < 1.0 and elapsed > 3:
                left = elapsed * (1 - self.overall) / self.overall
            report = self.report
            return Snapshot(
                id=self.id,
                kit=self.kit.name,
                choice=self.choice,
                state=self.state,
                progress=1.0 if self.state == "done" else round(self.overall, 4),
                steps=tuple(replace(s) for s in self.steps.values()),
                phase=self.phase,
                version=self.version,
                created=self.created,
                elapsed=elapsed,
                seconds_left=left,
                bundle=self.bundle if self.state == "done" else None,
                status=report.bundles[0].status if report and report.bundles else None,
                steps_run=sum(1 for s in report.steps if s.status == "built") if report else 0,
                steps_cached=sum(1 for s in report.steps if s.status == "cached") if report else 0,
                verify=self.verify,
                error=self.error,
                failed_step=self.failed_step,
                position=position,
                kind=self.kind,
                source=self.origin(),
            )


class _Tracker:
    """The engine's events as per-step states (the one adapter to the engine's events)."""

    def __init__(self, job: BuildJob) -> None:
        self.job = job
        self.last_update = 0.0

    def start(self, plan: BuildPlan) -> None:
        cache = StepCache(plan.cache_root)
        steps = {
            s.id: StepProgress(
                s.label, s.kind, "cached" if s.key and cache.peek(s.key) else "waiting", 0.0
            )
            for s in plan.pending()
        }
        self.job.update(steps=steps, phase="building")

    def planning(self, event: Progress) -> None:
        """Planning's own progress (probing, measuring the loudness): the page only hears
        that something moves."""
        del event
        self._changed(force=False)

    def __call__(self, event: BuildEvent) -> None:
        job = self.job
        with job.lock:
            if isinstance(event, BuildProgress):
                job.overall = max(job.overall, event.percent / 100.0)
            else:
                step = job.steps.get(event.id)
                if step is not None:
                    self._step(step, event)
        self._changed(force=isinstance(event, StepFinished))

    def _step(self, step: StepProgress, event: BuildEvent) -> None:
        if isinstance(event, StepStarted) and step.state == "waiting":
            step.state = "running"
        elif isinstance(event, bundle.StepProgress) and step.state in ("waiting", "running"):
            step.state = "running"
            if event.fraction is not None:
                step.fraction = max(step.fraction, min(event.fraction, 0.999))
        elif isinstance(event, StepFinished):
            if event.status == "failed":
                self.job.failed_step = step.label
            elif event.status == "cached":
                step.state, step.fraction = "cached", 1.0
            elif event.status == "built":
                step.state, step.fraction = "done", 1.0

    def _changed(self, *, force: bool) -> None:
        now = time.monotonic()
        if force or now - self.last_update >= 0.2:  # the page needs no more than five a second
            self.last_update = now
            self.job.update()

    def finish(self) -> None:
        with self.job.lock:
            for step in self.job.steps.values():
                if step.state != "cached":
                    step.state, step.fraction = "done", 1.0


@dataclass(frozen=True)
class PlanPreview:
    """Before building: how long, how much space against how much is free, what is reused."""

    bundle: str
    folder: Path
    up_to_date: bool
    estimates: tuple[tuple[str, float], ...]
    """(step label, seconds) of each film encode still to run (a long master only)."""
    needs: tuple[tuple[str, Path, int, int], ...]
    """(what, where, bytes needed, bytes free) per place the build writes to."""
    steps_total: int
    steps_cached: int
    stand_in: tuple[str, ...]

    @property
    def enough_space(self) -> bool:
        return all(free >= need * (1 + diskspace.MARGIN) for _, _, need, free in self.needs)


class BuildManager:
    """The app's builds: queued, run one at a time by a worker thread, kept in memory."""

    def __init__(self, *, settings: BuildSettings | None = None, jobs: int = 2) -> None:
        self.settings = settings or BuildSettings()
        self.jobs = jobs
        self._jobs: dict[str, BuildJob] = {}
        self._queue: queue.Queue[BuildJob | None] = queue.Queue()
        self._waiting: list[str] = []
        self._lock = threading.Lock()
        self._worker: threading.Thread | None = None
        self._closed = False
        self.changed = threading.Condition()

    def settings_for(self, kit: Kit) -> BuildSettings:
        """The build settings of every build (the kit decides where its bundles go)."""
        del kit
        return self.settings

    def preview(self, kit: Kit, choice: BuildChoice) -> PlanPreview:
        """What ``screenkit build --dry-run`` says about this choice, for the page."""
        request = choice.request(kit)
        plan = plan_build(kit, [request], self.settings_for(kit))
        cache = StepCache(plan.cache_root)
        pending = plan.pending()
        cached = [s.id for s in pending if s.key and cache.peek(s.key)]
        needs = plan_needs(plan, cached)
        bundle = plan.bundles[0]
        return PlanPreview(
            bundle=bundle.folder.name,
            folder=bundle.folder,
            up_to_date=bundle.up_to_date,
            estimates=tuple((e.label, e.estimate.seconds) for e in plan.estimates),
            needs=tuple((n.what, n.path, n.size, diskspace.free_bytes(n.path)) for n in needs),
            steps_total=len(pending),
            steps_cached=len(cached),
            stand_in=bundle.stand_in,
        )

    def submit(self, kit: Kit, choice: BuildChoice) -> BuildJob:
        """Check ``choice`` against ``kit`` (raises the CLI's errors) and queue its build."""
        request = choice.request(kit)
        job = BuildJob(
            id=secrets.token_hex(6),
            kit=kit,
            choice=choice,
            request=request,
            settings=self.settings_for(kit),
        )
        return self.enqueue(job)

    def enqueue(self, job: BuildJob) -> BuildJob:
        """Queue ``job`` (a build, or a job that gets its bundle otherwise: a download)."""
        if self._closed:
            raise ScreenkitError("the app is stopping", hint="start screenkit app again")
        job.changed = self._notify
        with self._lock:
            self._jobs[job.id] = job
            self._waiting.append(job.id)
            if self._worker is None:
                self._worker = threading.Thread(target=self._work, name="builds", daemon=True)
                self._worker.start()
        self._queue.put(job)
        self._notify()
        return job

    def get(self, job_id: str) -> BuildJob | None:
        return self._jobs.get(job_id)

    def snapshot(self, job_id: str) -> Snapshot | None:
        job = self._jobs.get(job_id)
        if job is None:
            return None
        with self._lock:
            position = self._waiting.index(job_id) if job_id in self._waiting else 0
        return job.snapshot(position)

    def all(self) -> list[Snapshot]:
        """Every build of this app run, newest first."""
        found = [self.snapshot(i) for i in list(self._jobs)]
        return sorted((s for s in found if s is not None), key=lambda s: -s.created)

    def bundles(self) -> dict[str, Path]:
        """The bundle folder of each finished build (what the app may serve files from)."""
        return {
            job_id: job.bundle
            for job_id, job in list(self._jobs.items())
            if job.state == "done" and job.bundle is not None
        }

    def cancel(self, job_id: str) -> bool:
        """Stop a queued or running build; False when it had already finished."""
        job = self._jobs.get(job_id)
        if job is None or job.state in FINISHED:
            return False
        job.stop.set()
        with self._lock:
            queued = job.state == "queued"
            if queued and job_id in self._waiting:
                self._waiting.remove(job_id)
        if queued:
            job.update(state="cancelled", phase="finished", error=job.cancelled())
        return True

    def wait(self, job_id: str, timeout: float | None = None) -> Snapshot:
        """Block until the build has finished (tests, scripts); its last snapshot."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self.changed:
            while True:
                snap = self.snapshot(job_id)
                if snap is None or snap.finished:
                    break
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    break
                self.changed.wait(0.5 if left is None else min(left, 0.5))
        assert snap is not None, f"no build {job_id}"
        return snap

    def stop_all(self) -> None:
        """Cancel every build now (from a signal handler: only sets events)."""
        self._closed = True
        for job in list(self._jobs.values()):
            if job.state not in FINISHED:
                job.stop.set()

    def close(self, timeout: float | None = None) -> None:
        """Cancel what is queued or running and wait for the worker to have cleaned up."""
        self.stop_all()
        for job_id in list(self._jobs):
            self.cancel(job_id)
        self._queue.put(None)
        worker = self._worker
        if worker is not None:
            worker.join(timeout)

    def _notify(self) -> None:
        with self.changed:
            self.changed.notify_all()

    def _work(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            with self._lock:
                if job.id in self._waiting:
                    self._waiting.remove(job.id)
            if job.stop.is_set() or job.state in FINISHED:
                if job.state not in FINISHED:
                    job.update(state="cancelled", phase="finished", error=job.cancelled())
                continue
            job.execute(self._run)

    def _run(self, job: BuildJob) -> None:
        tracker = _Tracker(job)
        job.update(state="running", phase="planning", started=time.monotonic())
        try:
            plan = plan_build(job.kit, [job.request], job.settings, progress=tracker.planning)
            tracker.start(plan)
            if job.stop.is_set():
                raise build_cancelled()
            report = build(plan, jobs=self.jobs, events=tracker, stop=job.stop)
            tracker.finish()
            folder = report.bundles[0].folder
            job.update(phase="verifying", report=report, overall=1.0)
            checked = verify_bundle(folder)
            job.update(
                state="done",
                phase="finished",
                bundle=folder,
                verify=checked,
                failed_step=None,
                finished_at=time.monotonic(),
            )
        except BuildCancelled as exc:
            job.update(state="cancelled", phase="finished", error=exc, finished_at=time.monotonic())
        except ScreenkitError as exc:
            job.update(state="failed", phase="finished", error=exc, finished_at=time.monotonic())
        except OSError as exc:
            job.update(
                state="failed",
                phase="finished",
                error=path_error(exc),
                finished_at=time.monotonic(),
            )
        except Exception as exc:  # never a traceback: the page shows what went wrong  # noqa: BLE001
            job.update(
                state="failed",
                phase="finished",
                error=ScreenkitError(f"the build stopped on an unexpected error: {exc!r}"),
                finished_at=time.monotonic(),
            )


def describe_steps(steps: Sequence[StepProgress]) -> dict[str, int]:
    """How many steps are in each state (the page's one-line summary)."""
    counts: dict[str, int] = {}
    for step in steps:
        counts[step.state] = counts.get(step.state, 0) + 1
    return counts
