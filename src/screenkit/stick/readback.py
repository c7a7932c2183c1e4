"""Reading a copy back from the stick and comparing it with the bundle's manifest.

Before reading, each file's cached pages are dropped (``posix_fadvise(POSIX_FADV_DONTNEED)``,
also done by the writer after its ``fsync``), so that on Linux the bytes compared are the
ones the stick gives back; what that proves and what it does not is said in
`screenkit.stick.copy`.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from screenkit.bundle.engine.hashing import sha256_file
from screenkit.progress import Progress, ProgressCallback
from screenkit.stick.checks import inside
from screenkit.stick.errors import CopyCancelled, ReadBackFailed

CHUNK = 4 << 20
REPORT_EVERY = 8 << 20
"""Bytes between two progress events (and at the end of each file)."""
CHECK_STEP = "reading back"


@dataclass(frozen=True)
class Item:
    """One file to copy: its manifest path, its source, size and digest."""

    path: str
    source: Path
    size: int
    sha256: str


class Meter:
    """Byte progress of one phase, reported every few MB and at each file's end."""

    def __init__(self, step: str, total: int, progress: ProgressCallback | None) -> None:
        self.step, self.total, self.progress = step, total, progress
        self.done = 0
        self.reported = -1

    def add(self, count: int, *, force: bool = False) -> None:
        self.done += count
        if self.progress and (force or self.done - self.reported >= REPORT_EVERY):
            self.reported = self.done
            self.progress(Progress(self.step, self.done / 1e6, self.total / 1e6, unit="MB"))


def check_stop(stop: threading.Event | None) -> None:
    if stop is not None and stop.is_set():
        raise CopyCancelled(
            "the copy was stopped", hint="nothing was left on the stick; copy again to go on"
        )


def drop_cache(fd: int) -> None:
    """Ask the kernel to forget the file's cached pages (see the module's docstring)."""
    if hasattr(os, "posix_fadvise"):
        with contextlib.suppress(OSError):
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)


def _read_one(path: Path, meter: Meter, stop: threading.Event | None) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        drop_cache(fh.fileno())
        while chunk := fh.read(CHUNK):
            check_stop(stop)
            digest.update(chunk)
            size += len(chunk)
            meter.add(len(chunk))
    meter.add(0, force=True)
    return digest.hexdigest(), size


def _mismatch(folder: Path, item: Item, found: str) -> ReadBackFailed:
    """Whose fault: the bundle's own file (changed since its manifest) or the stick."""
    try:
        source = sha256_file(item.source)
        bundle_ok = source.sha256 == item.sha256 and source.size == item.size
    except OSError:
        bundle_ok = False
    if not bundle_ok:
        return ReadBackFailed(
            f"{item.path} in the bundle is not what its manifest says: the bundle changed "
            "since its build, so the copy cannot be checked",
            path=item.source,
            file=item.path,
            cause="bundle",
            hint="screenkit verify BUNDLE_DIR says what changed; build the bundle again",
        )
    return ReadBackFailed(
        f"{item.path} read back from the stick {found}: the stick did not keep what was "
        "written (a failing stick, or a fake one smaller than it claims)",
        path=folder,
        file=item.path,
        cause="stick",
        hint="use another stick; a new copy onto this one may fail the same way",
    )


def read_back(
    folder: Path,
    items: Sequence[Item],
    progress: ProgressCallback | None,
    stop: threading.Event | None,
) -> None:
    """Read every file of ``folder`` and compare it with the manifest; `ReadBackFailed` at
    the first that differs."""
    meter = Meter(CHECK_STEP, sum(i.size for i in items), progress)
    meter.add(0, force=True)  # the phase starts (before the first byte is read)
    for item in items:
        path = inside(folder, item.path)
        assert path is not None
        try:
            sha, size = _read_one(path, meter, stop)
        except FileNotFoundError:
            raise _mismatch(folder, item, "is missing") from None
        if size != item.size:
            raise _mismatch(folder, item, f"has {size:,} bytes, not {item.size:,}")
        if sha != item.sha256:
            raise _mismatch(folder, item, "has other bytes (its sha256 differs)")


def renamed_whole(target: Path, items: Sequence[Item]) -> None:
    """After the rename, every file is still there at its size: a file system that loses a
    renamed folder's entries (fusefat does) must not leave an empty folder called ready."""
    for item in items:
        path = inside(target, item.path)
        try:
            size = path.stat().st_size if path is not None else -1
        except OSError:
            size = -1
        if size != item.size:
            raise ReadBackFailed(
                f"{item.path} was lost when the copy was renamed to {target.name}: the "
                "stick's file system did not keep the folder's contents",
                path=target,
                file=item.path,
                cause="stick",
                hint="use another stick, or reformat this one (FAT32 or exFAT) on a computer",
            )
