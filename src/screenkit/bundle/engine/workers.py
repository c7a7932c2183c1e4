"""Steps in worker processes (``build --processes``): each runs from its description alone.

A worker gets the `Step` (plain data) and the cache folder, nothing else: it finds the
entries it reads in the cache by key. Its progress comes back through a queue (handed to
the build's `Relay` as the executor polls) and the build's stop signal reaches it through
an event, so a failure elsewhere or Ctrl-C stops its ffmpeg as it does in a thread (its
next progress report raises `StepStopped`, pickled back like any error). Workers ignore
SIGINT themselves: the main process decides, and tells them through that event. They are
started by *spawn* (a fresh interpreter; nothing inherited from threads).
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import queue as queues
import signal
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from screenkit.bundle.engine.cache import Entry, StepCache
from screenkit.bundle.engine.errors import StepStopped
from screenkit.bundle.engine.executor import Done, finished, wait_stopping
from screenkit.bundle.engine.registry import run_step
from screenkit.bundle.engine.relay import Relay
from screenkit.bundle.engine.step import Step
from screenkit.progress import Progress

_CHANNEL: tuple[Any, Any] | None = None
"""In a worker: (the progress queue, the stop event)."""


def _init(progress: Any, stop: Any) -> None:
    global _CHANNEL
    _CHANNEL = (progress, stop)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def in_worker(step: Step[Any], cache_root: Path) -> Entry:
    """Run ``step`` in this worker process (its inputs' entries from the cache, by key)."""
    assert _CHANNEL is not None, "in_worker runs in a pool made by ProcessBackend"
    progress, stop = _CHANNEL

    def check() -> None:
        if stop.is_set():
            raise StepStopped(step.id)

    def report(event: Progress) -> None:
        check()
        progress.put((step.id, event))

    check()
    return run_step(step, cache_root, progress=report, on_wait=check)


class ProcessBackend:
    """A process pool with the progress queue and the stop event its workers share."""

    def __init__(self, cache: StepCache, jobs: int = 1) -> None:
        context = multiprocessing.get_context("spawn")
        self.root = cache.root
        self.slots = max(1, jobs)
        self.progress = context.Queue()
        self.stopping = context.Event()
        self.pool = cf.ProcessPoolExecutor(
            max_workers=self.slots,
            mp_context=context,
            initializer=_init,
            initargs=(self.progress, self.stopping),
        )
        self.running: dict[cf.Future[Entry], tuple[str, float]] = {}

    def submit(self, step: Step[Any], deps: Mapping[str, Entry], relay: Relay) -> None:
        future = self.pool.submit(in_worker, step, self.root)  # deps: found by key there
        self.running[future] = (step.id, time.monotonic())

    def poll(self, timeout: float, relay: Relay) -> list[Done]:
        done = finished(self.running, timeout)
        while True:
            try:
                step_id, event = self.progress.get_nowait()
            except queues.Empty:
                return done
            relay.report(step_id, event)

    def stop(self) -> None:
        self.stopping.set()

    def drain(self) -> None:
        wait_stopping(self.running)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.progress.close()
