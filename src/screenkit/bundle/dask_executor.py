"""Running a plan's step graph on a Dask cluster (the ``cluster`` extra).

The same steps as the in-process executor, submitted to ``distributed`` with their
dependencies: a step runs on some worker once the steps it needs are finished, and reads
their cache entries from the shared cache folder (every step is content-addressed, built
in a private temporary folder and published by one rename, so a step re-run on another
worker after its first one was lost is harmless, and a half-written entry is never seen).

Before any step runs, `check_storage` has every worker read a probe file the client wrote
into the cache and write one back, see the master, and run the plan's ffmpeg at the
plan's version (steps are keyed by the ffmpeg version, so a worker with another build
would mix two builds' outputs in one film): a worker that cannot is named in the error.
Encodes claim one ``cpu`` resource where the workers declare it. Progress travels from
the workers through a Dask ``Queue``; stopping (a failure, Ctrl-C) sets a Dask ``Event``
the running steps check with their progress, which stops their ffmpeg, and cancels the
rest. The library only imports ``distributed`` when a cluster is asked for.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import shutil
import socket
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from screenkit.bundle.cache import Entry, StepCache
from screenkit.bundle.errors import BundleError, build_cancelled
from screenkit.bundle.executor import (
    ExecutionResult,
    StepCancelled,
    StepOutcome,
    _Progress,
    check_graph,
)
from screenkit.bundle.model import BuildPlan
from screenkit.bundle.step import Step
from screenkit.bundle.steps.registry import run_step
from screenkit.bundle.workers import EventLike
from screenkit.errors import ScreenkitError
from screenkit.media.binaries import FFmpeg, find_ffmpeg
from screenkit.progress import Progress

INSTALL = "pip install 'screenkit[cluster]'"
SCHEDULER_ENV = "SCREENKIT_SCHEDULER"
CONNECT_TIMEOUT = 8.0
"""Seconds to reach a scheduler before giving up (the contract: a clear error in < 10 s)."""
CPU_KINDS = frozenset({"chunk", "film", "card", "clip", "join"})
"""Step kinds that run an encoder (or a heavy decode): they claim a ``cpu``."""
REPORT_EVERY = 0.25
"""Seconds between two progress messages of one step (each is a round trip)."""


class ClusterError(BundleError):
    """The Dask cluster cannot run this build (not installed, unreachable, a bad worker)."""


class BuildStopped(Exception):
    """A step on a worker gave up because the build is being stopped."""


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


def _reporter(step: Step, channel: _Channel) -> Any:
    distributed = _distributed()
    queue = distributed.Queue(channel.queue)
    stop = distributed.Event(channel.stop)
    last = [0.0]

    def report(event: Progress) -> None:
        now = time.monotonic()
        final = event.total is not None and event.done >= event.total
        if last[0] and now - last[0] < REPORT_EVERY and not final:
            return
        last[0] = now
        if stop.is_set():
            raise StepCancelled(step.id)
        queue.put((step.id, event.done, event.total, event.unit, event.speed))

    return report


def run_remote(
    step: Step, cache_root: str, channel: _Channel, *dep_results: tuple[Entry, float]
) -> tuple[Entry, float]:
    """One step on a worker, from the shared cache or built into it; and how long it ran."""
    started = time.monotonic()
    entry = _run_remote(step, cache_root, channel, [r[0] for r in dep_results])
    return entry, time.monotonic() - started


def _run_remote(
    step: Step, cache_root: str, channel: _Channel, dep_entries: Sequence[Entry]
) -> Entry:
    deps = {d.role: e for d, e in zip(step.deps, dep_entries, strict=True)}
    cache = StepCache(Path(cache_root), build_id=channel.build)
    try:
        report = _reporter(step, channel)
        report(Progress(step.label, 0, None))  # raises at once when the build is stopping

        def on_wait() -> None:
            report(Progress(f"{step.label} (waiting for another build)", 0, None))

        return run_step(step, cache, deps=deps, progress=report, on_wait=on_wait)
    except StepCancelled as exc:  # a BaseException: not something to hand to Dask
        raise BuildStopped(step.id) from exc


# -- on the client ---------------------------------------------------------------------
def _uses_cpu(client: Any) -> bool:
    workers = client.scheduler_info().get("workers", {}).values()
    return bool(workers) and all("cpu" in (w.get("resources") or {}) for w in workers)


def _error(step: Step, exc: BaseException) -> ScreenkitError:
    if isinstance(exc, ScreenkitError):
        return exc
    return ClusterError(f"{step.label} failed on a Dask worker: {type(exc).__name__}: {exc}")


def execute_on_cluster(
    steps: Sequence[Step],
    cache: StepCache,
    client: Any,
    *,
    progress: Any = None,
    stop: EventLike | None = None,
) -> ExecutionResult:
    """Run ``steps`` (a graph) on ``client``'s cluster; like `execute`, by step id."""
    distributed = _distributed()
    order = check_graph(steps)
    hub = _Progress(order, progress)
    channel = _Channel(
        cache.build_id, f"screenkit-progress-{cache.build_id}", f"screenkit-stop-{cache.build_id}"
    )
    queue = distributed.Queue(channel.queue, client=client)
    halt = distributed.Event(channel.stop, client=client)
    cpu = _uses_cpu(client)
    by_id = {s.id: s for s in order}
    futures: dict[str, Any] = {}
    for step in order:
        futures[step.id] = client.submit(
            run_remote,
            step,
            str(cache.root),
            channel,
            *[futures[d] for d in step.dep_ids],
            key=f"{step.id}-{cache.build_id}",
            resources={"cpu": 1} if cpu and step.kind in CPU_KINDS else None,
            pure=False,
        )
    entries: dict[str, Entry] = {}
    outcomes: list[StepOutcome] = []
    pending = {f: sid for sid, f in futures.items()}
    try:
        while pending:
            if stop is not None and stop.is_set():
                raise build_cancelled()
            done = [f for f in pending if f.done()]
            if not done:
                time.sleep(0.1)
            _relay(queue, by_id, hub)
            for future in done:
                step = by_id[pending.pop(future)]
                if future.status != "finished":
                    raise _error(step, future.exception())
                entry, elapsed = future.result()
                entries[step.id] = entry
                hub.finished(step)
                outcomes.append(StepOutcome.of(step, entry, elapsed))
    except BaseException:
        _stop(client, halt, list(pending), distributed)
        raise
    return ExecutionResult(MappingProxyType(entries), tuple(outcomes))


def _relay(queue: Any, by_id: Mapping[str, Step], hub: _Progress) -> None:
    with contextlib.suppress(TimeoutError, OSError):
        for step_id, done, total, unit, speed in queue.get(batch=True):
            step = by_id.get(step_id)
            if step is not None:
                hub.for_step(step)(Progress(step.label, done, total, unit, speed))


def _stop(client: Any, stop: Any, running: list[Any], distributed: Any) -> None:
    """Stop the running steps, let them clean up, then cancel what is left.

    A running step raises at its next progress report, which stops its ffmpeg and removes
    its temporary folder; a step not started yet gives up as it starts.
    """
    with contextlib.suppress(Exception):
        stop.set()
    with contextlib.suppress(Exception, KeyboardInterrupt):
        distributed.wait(running, timeout=5)
    with contextlib.suppress(Exception):
        client.cancel(running, force=True)


def run_on_cluster(
    plan: BuildPlan,
    cache: StepCache,
    spec: ClusterSpec,
    progress: Any = None,
    stop: EventLike | None = None,
) -> ExecutionResult:
    """The plan's pending steps on the cluster ``spec`` names, storage checked first."""
    _distributed()  # asked for a cluster without Dask installed: say how, even for no work
    steps = plan.pending()
    if not steps:
        return ExecutionResult(MappingProxyType({}), ())
    with connect(spec) as client:
        check_storage(client, cache.root, plan.kit.master, plan.ffmpeg)
        if stop is not None and stop.is_set():
            raise build_cancelled()
        return execute_on_cluster(steps, cache, client, progress=progress, stop=stop)
