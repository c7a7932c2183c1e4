"""Steps in worker processes: each runs from its description alone, as on a cluster.

A worker gets the `Step` (plain data) and the cache folder, nothing else: it finds the
entries it reads in the cache by key. Its progress events come back through a queue and
the build's stop signal reaches it through an event, so a failure elsewhere or Ctrl-C
stops its ffmpeg as it does in a thread (its next progress event raises `StepCancelled`).
Workers ignore SIGINT themselves: the main process decides, and tells them through that
event. They are started by *spawn* (a fresh interpreter; nothing inherited from threads).
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import queue as queues
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from screenkit.bundle.cache import Entry
from screenkit.bundle.step import Step
from screenkit.progress import Progress

_CHANNEL: tuple[Any, Any] | None = None
"""In a worker: (the progress queue, the stop event)."""


class EventLike(Protocol):
    """A stop signal: a `threading.Event` or a multiprocessing one."""

    def is_set(self) -> bool: ...

    def set(self) -> None: ...


class Cancelled(BaseException):
    """A worker's step was told to stop (raised from its progress callback)."""


def _init(progress: Any, stop: Any) -> None:
    global _CHANNEL
    _CHANNEL = (progress, stop)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def in_worker(run: Callable[..., Entry], step: Step[Any], cache_root: Path) -> Entry:
    """Run ``step`` in this worker process with ``run`` (`registry.run_step`)."""
    assert _CHANNEL is not None, "in_worker runs in a pool made by ProcessPool"
    progress, stop = _CHANNEL

    def check() -> None:
        if stop.is_set():
            raise Cancelled(step.id)

    def report(event: Progress) -> None:
        check()
        progress.put((step.id, event))

    return run(step, cache_root, progress=report, on_wait=check)


class ProcessPool:
    """A process pool with the progress queue and the stop event its workers share."""

    def __init__(self, jobs: int) -> None:
        context = multiprocessing.get_context("spawn")
        self.progress = context.Queue()
        self.stop = context.Event()
        self.pool = cf.ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=context,
            initializer=_init,
            initargs=(self.progress, self.stop),
        )

    def submit(
        self, run: Callable[..., Entry], step: Step[Any], cache_root: Path
    ) -> cf.Future[Entry]:
        return self.pool.submit(in_worker, run, step, cache_root)

    def events(self) -> list[tuple[str, Progress]]:
        """The progress events the workers sent since the last call."""
        got = []
        while True:
            try:
                got.append(self.progress.get_nowait())
            except queues.Empty:
                return got

    def shutdown(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.progress.close()
