"""Running a plan's step graph on a Dask cluster (the ``cluster`` extra).

`DaskBackend` is the third backend of the one executor loop (`screenkit.bundle.engine.executor`):
a step is submitted to ``distributed`` once the steps it needs are finished, runs on some
worker and reads their cache entries from the shared cache folder (every step is content-
addressed, built in a private temporary folder and published by one rename, so a step
re-run on another worker after its first one was lost is harmless, and a half-written entry
is never seen).

Before any step runs, `check_storage` has every worker read a probe file the client wrote
into the cache and write one back, see the master, and run the plan's ffmpeg at the
plan's version (steps are keyed by the ffmpeg version, so a worker with another build
would mix two builds' outputs in one film): a worker that cannot is named in the error.
Only steps whose kind holds a CPU (the film's encode or join, its chunks, the loudness
measurement) go to the workers, each claiming one ``cpu`` resource where the workers
declare it, one at a time as a worker frees (in the executor's order, `critical_path`:
`DaskBackend.queued`);
the small steps (sheets, posters, pages, stills, cards, sidecars, the test
clip's stream copies, the bundles' assembly) run in this process's threads, as without a
cluster: a round trip to a worker costs more than they do (``build --all`` of 25 small
bundles ran 1.15x slower on a local cluster than in two threads when every step went
out). Every step reads and writes the shared cache either way, so a film's join reads the
chunks its workers wrote where they wrote them; and a step sends back what its worker read
of the files it wrote (`Ran`), so the sheet, stills and card do not read a film again,
and the client sends with a step what it knows of the files the step reads
(`read_before`): the master and a film are read once in the whole cluster.
Progress travels from the workers through a Dask ``Queue`` to the build's `Relay` (each
worker process keeps one handle on the build's queue and stop event, not one per step);
stopping (a failure, Ctrl-C, the app's Cancel) sets a Dask ``Event`` the running steps
check with their progress, which stops their ffmpeg (`StepStopped`, sent back as a result:
Dask is not handed a BaseException), and cancels the rest. The library only
imports ``distributed`` when a cluster is asked for.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import shutil
import socket
import threading
import time
from collections.abc import Iterator, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from screenkit.bundle.engine.cache import Entry, StepCache
from screenkit.bundle.engine.errors import BundleError, StepStopped
from screenkit.bundle.engine.executor import Done, ThreadBackend
from screenkit.bundle.engine.registry import kind_of, run_step
from screenkit.bundle.engine.relay import WAITING, Relay
from screenkit.bundle.engine.step import Step
from screenkit.errors import ScreenkitError
from screenkit.media.binaries import FFmpeg, find_ffmpeg
from screenkit.media.probe import Probed, adopt, probes_of
from screenkit.progress import Progress

INSTALL = "pip install 'screenkit[cluster]'"
SCHEDULER_ENV = "SCREENKIT_SCHEDULER"
CONNECT_TIMEOUT = 8.0
"""Seconds to reach a scheduler before giving up (the contract: a clear error in < 10 s)."""
REPORT_EVERY = 1.0
"""Seconds between two progress messages of one step (each is two round trips through the
scheduler: the stop signal, the message)."""
READ_EVERY = 0.25
"""Seconds between two reads of the progress queue by the client (a round trip)."""
QUIET = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.admin.tick.interval": "500ms",
    "distributed.worker.memory.monitor-interval": "1s",
}
"""A local cluster's housekeeping, turned down: steps are long ffmpeg runs, nothing to
profile, and the defaults (a stack sample every 10 ms, the system every 0.5 s, an event
loop check every 20 ms) cost an idle 2-worker cluster 7 % of a core (2.5 % with these).
The worker's own memory (ffmpeg's is not its) read every second, not every 100 ms: an
idle worker's CPU time per 30 s went from 0.22 s to 0.09 s."""
NANNY_ENVIRON = "distributed.nanny.pre-spawn-environ"
"""What Dask's nanny writes into the environment of the process that starts a worker (for
good: `os.environ.update`) and so of the worker: ``MALLOC_TRIM_THRESHOLD_=65536``,
``OMP_NUM_THREADS=1``, ... Every ffmpeg of the build inherited it, and a heap trimmed at
64 KiB cost x264 and the quality check about 15 % more CPU (a third of it in the kernel):
`build --all` on a local cluster ran 1.13x as long as with ``--jobs 2``."""
LOCAL_JOBS = 2
"""Threads of the client that run the small steps."""
CAPACITY_EVERY = 5.0
"""Seconds between two counts of the cluster's workers (how many heavy steps it takes)."""


class ClusterError(BundleError):
    """The Dask cluster cannot run this build (not installed, unreachable, a bad worker)."""


@dataclass(frozen=True)
class ClusterSpec:
    """Where to run: a local cluster of ``workers`` processes, or an existing scheduler."""

    workers: int | None = None
    scheduler: str | None = None
    threads: int | None = None
    """Threads per local worker; default: the cores shared out (workers × threads ≈ cores)."""


def require_dask() -> None:
    """Refuse a cluster build at once (before any planning) when Dask is not installed."""
    _distributed()


def _distributed() -> Any:
    try:
        import distributed
    except ImportError as exc:
        raise ClusterError(
            "building on a Dask cluster needs Dask, which is not installed",
            hint=f"install it with: {INSTALL}",
        ) from exc
    return distributed


@contextlib.contextmanager
def connect(spec: ClusterSpec) -> Iterator[Any]:
    """A ``distributed.Client`` for ``spec``; a local cluster is shut down afterwards."""
    distributed = _distributed()
    if spec.scheduler:
        try:
            client = distributed.Client(spec.scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as exc:
            raise ClusterError(
                f"cannot reach the Dask scheduler at {spec.scheduler}: {exc}",
                value=spec.scheduler,
                hint="check the address (tcp://HOST:PORT) and that `dask scheduler` runs there",
            ) from exc
        try:
            yield client
        finally:
            client.close()
        return
    workers = max(1, spec.workers or 1)
    threads = spec.threads or max(1, _cores() // workers)
    import dask.config

    # the workers take this configuration with them; the nanny sets no environment
    with dask.config.set({**QUIET, NANNY_ENVIRON: {}}):
        cluster = distributed.LocalCluster(
            n_workers=workers,
            threads_per_worker=threads,
            processes=True,
            resources={"cpu": threads},
            dashboard_address=None,
            silence_logs=40,
        )
    try:
        client = distributed.Client(cluster)
        try:
            yield client
        finally:
            client.close()
    finally:
        cluster.close()


def _cores() -> int:
    """The cores this process may use (its CPU affinity where the system has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


# -- shared storage --------------------------------------------------------------------
def _reply_name(address: str) -> str:
    return "worker-" + hashlib.sha256(address.encode()).hexdigest()[:16]


def probe_worker(
    folder: str, token: str, master: str, ffmpeg_path: str, dask_worker: Any = None
) -> dict[str, str]:
    """On a worker: what it cannot do of what a build needs ({} when it can do it all)."""
    address = str(getattr(dask_worker, "address", socket.gethostname()))
    try:
        seen = (Path(folder) / "client").read_text(encoding="utf-8")
    except OSError as exc:
        return {"problem": f"cannot read the cache's probe file ({exc})"}
    if seen != token:
        return {"problem": "reads another folder under the cache's path (not shared storage)"}
    try:
        (Path(folder) / _reply_name(address)).write_text(token + address, encoding="utf-8")
    except OSError as exc:
        return {"problem": f"cannot write into the cache ({exc})"}
    if not os.access(master, os.R_OK):
        return {"problem": f"cannot read the master {master}"}
    try:
        return {"ffmpeg": find_ffmpeg(ffmpeg_path).version}
    except ScreenkitError as exc:
        return {"problem": f"cannot run {ffmpeg_path}: {exc}"}


def check_storage(client: Any, cache_root: Path, master: Path, ffmpeg: FFmpeg) -> int:
    """Every worker sees the cache and the master and runs the plan's ffmpeg; or an error.

    Returns how many workers were checked.
    """
    folder = cache_root / "tmp" / f"probe-{secrets.token_hex(6)}"
    token = secrets.token_hex(16)
    folder.mkdir(parents=True)
    try:
        (folder / "client").write_text(token, encoding="utf-8")
        found = client.run(probe_worker, str(folder), token, str(master), str(ffmpeg.path))
        if not found:
            raise ClusterError("the Dask cluster has no workers", hint="start some workers")
        problems = []
        for address, answer in sorted(found.items()):
            reply = folder / _reply_name(address)
            if "problem" in answer:
                problems.append(f"{address} {answer['problem']}")
            elif not reply.is_file() or reply.read_text(encoding="utf-8") != token + address:
                problems.append(f"{address} wrote its probe file where this machine cannot see it")
            elif answer.get("ffmpeg") != ffmpeg.version:
                problems.append(
                    f"{address} runs ffmpeg {answer.get('ffmpeg')}, the plan is for "
                    f"{ffmpeg.version} (steps are keyed by the ffmpeg version)"
                )
        if problems:
            raise ClusterError(
                "not every Dask worker can take part in this build: " + "; ".join(problems),
                path=cache_root,
                hint="kit, cache and output must be on storage every worker sees (NFS, SMB, "
                "a shared disk), under the same path, with the same ffmpeg",
            )
        return len(found)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# -- on a worker -----------------------------------------------------------------------
@dataclass(frozen=True)
class _Channel:
    build: str
    queue: str
    stop: str


@dataclass(frozen=True)
class Stopped:
    """What a step that stopped sends back (a `StepStopped` is not handed to Dask)."""

    step: str


def without_dask_environ(environ: MutableMapping[str, str]) -> None:
    """Drop from ``environ`` what Dask's nanny put there (`NANNY_ENVIRON`), where it still
    holds the nanny's value: a distributor's own workers (``dask worker``) carry it, and the
    ffmpeg a step starts must not. A value someone set otherwise is kept."""
    import dask.config

    for name, value in (dask.config.get(NANNY_ENVIRON, default=None) or {}).items():
        if value is not None and environ.get(name) == str(value):
            del environ[name]


_HANDLES: dict[_Channel, tuple[Any, Any]] = {}
"""In a worker process: the build's progress queue and stop event, made once per build."""


def _handles(channel: _Channel) -> tuple[Any, Any]:
    found = _HANDLES.get(channel)
    if found is None:  # the first step of a build on this worker
        without_dask_environ(os.environ)
        distributed = _distributed()
        found = (distributed.Queue(channel.queue), distributed.Event(channel.stop))
        _HANDLES.clear()  # a worker serves one build at a time: drop the last build's
        _HANDLES[channel] = found
    return found


def _reporter(step: Step[Any], channel: _Channel) -> Any:
    queue, stop = _handles(channel)
    last = [0.0]

    def report(event: Progress) -> None:
        now = time.monotonic()
        final = event.total is not None and event.done >= event.total
        if last[0] and now - last[0] < REPORT_EVERY and not final:
            return
        last[0] = now
        if stop.is_set():
            raise StepStopped(step.id)
        queue.put((step.id, event.step, event.done, event.total, event.unit, event.speed))

    return report


@dataclass(frozen=True)
class Ran:
    """What a step that ran on a worker sends back: its entry, how long it ran, and what
    the worker read of the entry's files (the film it wrote and checked), which the client
    takes instead of reading them again (`adopt`)."""

    entry: Entry
    elapsed: float
    probed: list[Probed]


def run_remote(
    step: Step[Any],
    cache_root: str,
    channel: _Channel,
    deps: Mapping[str, Entry],
    known: Sequence[Probed] = (),
) -> Ran | Stopped:
    """One step on a worker, from the shared cache or built into it (see `Ran`).

    ``known``: what the client knows of the step's input files and of its dependencies'
    files (`read_before`), taken before the step reads them itself."""
    started = time.monotonic()
    cache = StepCache(Path(cache_root), build_id=channel.build)
    adopt(known)
    try:
        report = _reporter(step, channel)
        report(Progress(step.label, 0, None))  # raises at once when the build is stopping

        def on_wait() -> None:
            report(Progress(WAITING, 0, None))

        entry = run_step(step, cache, deps=deps, progress=report, on_wait=on_wait)
    except StepStopped:
        return Stopped(step.id)
    probed = probes_of(entry.path(name) for name in entry.files)
    return Ran(entry, time.monotonic() - started, probed)


# -- on the client ---------------------------------------------------------------------
def read_before(step: Step[Any], deps: Mapping[str, Entry]) -> list[Probed]:
    """What this process knows of the files ``step`` reads: the master (read by the plan),
    the films and parts its dependencies made (read where they were made, handed back by
    `Ran`). Sent with the step, so that no worker reads a file again that this process or
    another worker has read: a join on one worker of a film encoded on the other read it
    a second time, and every worker read the master once more."""
    paths = [i.path for i in step.inputs]
    paths += [entry.path(name) for entry in deps.values() for name in entry.files]
    return probes_of(paths)


def _uses_cpu(client: Any) -> bool:
    workers = client.scheduler_info().get("workers", {}).values()
    return bool(workers) and all("cpu" in (w.get("resources") or {}) for w in workers)


def _capacity(client: Any) -> int:
    """How many heavy steps the cluster runs at once: its workers' ``cpu`` resources
    (else their threads); at least one."""
    workers = client.scheduler_info().get("workers", {}).values()
    found = sum(
        int((w.get("resources") or {}).get("cpu") or w.get("nthreads") or 1) for w in workers
    )
    return max(1, found)


def _error(step: Step[Any], exc: BaseException) -> BaseException:
    if isinstance(exc, ScreenkitError | StepStopped):
        return exc
    return ClusterError(f"{step.label} failed on a Dask worker: {type(exc).__name__}: {exc}")


class DaskBackend:
    """Steps on a Dask cluster through ``client`` (see the module docstring)."""

    slots = 1 << 20
    """Every ready step is taken at once: the heavy ones wait here for a free worker
    (`CAPACITY_EVERY`), the local threads queue the small ones."""

    def __init__(self, client: Any, cache: StepCache, local_jobs: int = LOCAL_JOBS) -> None:
        distributed = _distributed()
        self.client = client
        self.root = str(cache.root)
        build = cache.build_id
        self.build = build
        self.channel = _Channel(build, f"screenkit-progress-{build}", f"screenkit-stop-{build}")
        self.queue = distributed.Queue(self.channel.queue, client=client)
        self.halt = distributed.Event(self.channel.stop, client=client)
        self.cpu = _uses_cpu(client)
        self.running: dict[Any, tuple[Step[Any], float]] = {}
        self.queued: list[tuple[Step[Any], dict[str, Entry]]] = []
        """Heavy steps not sent yet, in the order the executor hands them over
        (`critical_path`): one goes out as a worker frees, so the next heaviest goes to whichever
        worker is free. Sent all at once, Dask placed each on a worker at once and the
        placement, not the weights, decided the end: a worker ran the last chunks alone
        while the other sat idle for a chunk's time."""
        self.capacity = _capacity(client)
        self.checked = time.monotonic()
        self.stopping = False
        self.wake = threading.Event()
        self.local = ThreadBackend(cache, local_jobs)
        """The small steps, in this process (see the module docstring)."""
        self.read = 0.0
        """When the progress queue was last read."""

    def submit(self, step: Step[Any], deps: Mapping[str, Entry], relay: Relay) -> None:
        if not kind_of(step).holds_cpu:
            self.local.submit(step, deps, relay)
            next(reversed(self.local.running)).add_done_callback(self._woken)
            return
        self.queued.append((step, dict(deps)))
        self._send()

    def _send(self) -> None:
        """Send queued heavy steps while the cluster has a free ``cpu`` (its workers are
        counted again every `CAPACITY_EVERY` seconds: a distributor's may come and go)."""
        now = time.monotonic()
        if now - self.checked >= CAPACITY_EVERY:
            with contextlib.suppress(Exception):
                self.capacity = _capacity(self.client)
            self.checked = now
        while self.queued and len(self.running) < self.capacity and not self.stopping:
            step, deps = self.queued.pop(0)
            self._launch(step, deps)

    def _launch(self, step: Step[Any], deps: Mapping[str, Entry]) -> None:
        future = self.client.submit(
            run_remote,
            step,
            self.root,
            self.channel,
            dict(deps),
            read_before(step, deps),
            key=f"{step.id}-{self.build}",
            resources={"cpu": 1} if self.cpu else None,
            pure=False,
        )
        future.add_done_callback(self._woken)
        self.running[future] = (step, time.monotonic())

    def _woken(self, _future: object) -> None:
        """A step ended (called in the thread that ended it): the poll stops waiting, and
        the next heavy step goes out at once instead of at the next look."""
        self.wake.set()

    def poll(self, timeout: float, relay: Relay) -> list[Done]:
        self.wake.clear()
        done = [f for f in self.running if f.done()]
        if not done and not any(f.done() for f in self.local.running):
            self.wake.wait(min(timeout, READ_EVERY))  # a step ending, here or on a worker
        found = self.local.poll(0.0, relay) if self.local.running else []
        done = [f for f in self.running if f.done()]
        now = time.monotonic()
        if done or now - self.read >= READ_EVERY:
            self.read = now
            with contextlib.suppress(TimeoutError, OSError):
                for step_id, what, done_, total, unit, speed in self.queue.get(batch=True):
                    relay.report(step_id, Progress(what, done_, total, unit, speed))
        for future in done:
            step, started = self.running.pop(future)
            if future.status != "finished":
                error = _error(step, future.exception())
                found.append(Done(step.id, None, error, time.monotonic() - started))
                continue
            result = future.result()
            if isinstance(result, Stopped):
                found.append(Done(step.id, None, StepStopped(step.id), 0.0))
            else:
                adopt(result.probed)
                found.append(Done(step.id, result.entry, None, result.elapsed))
        if self.stopping:  # never sent: stopped here
            found += [Done(step.id, None, StepStopped(step.id), 0.0) for step, _ in self.queued]
            self.queued.clear()
        self._send()
        return found

    def stop(self) -> None:
        self.stopping = True
        self.local.stop()
        with contextlib.suppress(Exception):
            self.halt.set()

    def drain(self) -> None:
        """Let the running steps clean up (each raises at its next progress report, which
        stops its ffmpeg and removes its temporary folder; one not started yet gives up as
        it starts)."""
        self.local.drain()
        with contextlib.suppress(Exception, KeyboardInterrupt):
            _distributed().wait(list(self.running), timeout=5)

    def close(self) -> None:
        self.local.close()
        self.queued.clear()
        if self.running:
            self.stop()
            self.drain()
            with contextlib.suppress(Exception):
                self.client.cancel(list(self.running), force=True)
            self.running.clear()
