"""Copies to a USB stick: the app's one place that talks to `screenkit.stick`.

A copy is asked for a build this app finished and a destination folder: a mounted removable
drive (`removable_drives`) or a folder the organiser chose under the home folder or a drive
(a stick the system lists nowhere, or a folder standing in for one). `check_destination`
runs first, in the page's words (the sheet's: `describe_finding`); `copy_bundle` then copies,
syncs and reads every file back against ``manifest.json`` in a thread of its own, one copy
at a time, with the bytes copied and read back as progress. Cancel stops it: the half copy
is removed by the library.
"""

from __future__ import annotations

import queue
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from screenkit.errors import ScreenkitError, path_error
from screenkit.progress import Progress
from screenkit.stick import (
    CHECK_STEP,
    CopyCancelled,
    CopyReport,
    Drive,
    Finding,
    check_destination,
    copy_bundle,
    removable_drives,
)

State = Literal["queued", "running", "done", "failed", "cancelled"]
FINISHED: tuple[State, ...] = ("done", "failed", "cancelled")


@dataclass
class CopyJob:
    id: str
    build: str
    bundle: Path
    dest: Path
    replace: bool = False
    state: State = "queued"
    phase: str = "waiting"
    """``waiting``, ``copying``, ``reading back``, ``finished``."""
    done: float = 0.0
    total: float = 0.0
    report: CopyReport | None = None
    error: ScreenkitError | None = None
    stop: threading.Event = field(default_factory=threading.Event)
    started: float | None = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def progress(self) -> float:
        """Copying is the first half, reading back the second."""
        if self.state == "done":
            return 1.0
        part = self.done / self.total if self.total else 0.0
        return round(min(1.0, 0.5 * part + (0.5 if self.phase == CHECK_STEP else 0.0)), 4)

    def on_progress(self, event: Progress) -> None:
        with self.lock:
            if event.step != self.phase:
                self.phase = event.step
            self.done, self.total = event.done, event.total or 0.0


class CopyManager:
    """Copies of this app run, one at a time, in a worker thread."""

    def __init__(self) -> None:
        self._jobs: dict[str, CopyJob] = {}
        self._queue: queue.Queue[CopyJob | None] = queue.Queue()
        self._worker: threading.Thread | None = None
        self._lock = threading.Lock()

    @staticmethod
    def drives() -> list[Drive]:
        try:
            return removable_drives()
        except (ScreenkitError, OSError):
            return []  # no lsblk, no udisks: the folder chooser still works

    @staticmethod
    def check(bundle: Path, dest: Path) -> list[Finding]:
        return check_destination(bundle, dest)

    def submit(self, build: str, bundle: Path, dest: Path, *, replace: bool = False) -> CopyJob:
        job = CopyJob(secrets.token_hex(6), build, bundle, dest, replace)
        with self._lock:
            self._jobs[job.id] = job
            if self._worker is None:
                self._worker = threading.Thread(target=self._work, name="copies", daemon=True)
                self._worker.start()
        self._queue.put(job)
        return job

    def get(self, job_id: str) -> CopyJob | None:
        return self._jobs.get(job_id)

    def cancel(self, job_id: str) -> bool:
        job = self._jobs.get(job_id)
        if job is None or job.state in FINISHED:
            return False
        job.stop.set()
        return True

    def wait(self, job_id: str, timeout: float | None = None) -> CopyJob:
        deadline = None if timeout is None else time.monotonic() + timeout
        job = self._jobs[job_id]
        while job.state not in FINISHED and (deadline is None or time.monotonic() < deadline):
            time.sleep(0.1)
        return job

    def stop_all(self) -> None:
        """Stop every copy now (Ctrl-C of the app): the library removes the half copy."""
        for job in list(self._jobs.values()):
            job.stop.set()

    def close(self) -> None:
        self.stop_all()
        self._queue.put(None)
        if self._worker is not None:
            self._worker.join()

    def _work(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            if job.stop.is_set():
                job.state, job.phase, job.error = "cancelled", "finished", _cancelled()
                continue
            job.state, job.started = "running", time.monotonic()
            try:
                job.report = copy_bundle(
                    job.bundle, job.dest, progress=job.on_progress, stop=job.stop,
                    replace=job.replace,
                )  # fmt: skip
                job.state = "done"
            except CopyCancelled as exc:
                job.error, job.state = exc, "cancelled"
            except ScreenkitError as exc:
                job.error, job.state = exc, "failed"
            except OSError as exc:
                job.error, job.state = path_error(exc), "failed"
            except Exception as exc:  # never a traceback: the page says it  # noqa: BLE001
                job.error = ScreenkitError(f"the copy stopped on an unexpected error: {exc!r}")
                job.state = "failed"
            job.phase = "finished"


def _cancelled() -> CopyCancelled:
    return CopyCancelled("the copy was cancelled", hint="nothing was left on the stick")
