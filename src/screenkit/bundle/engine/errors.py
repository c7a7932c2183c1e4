"""Errors of the bundle layer, and turning a full disk into one clear message."""

from __future__ import annotations

import contextlib
import errno
import shutil
from collections.abc import Iterator
from pathlib import Path

from screenkit.errors import FFmpegFailed, InputError, ScreenkitError

_FULL = (errno.ENOSPC, errno.EDQUOT)
_FFMPEG_FULL = ("No space left on device", "Disk quota exceeded")


class BundleError(ScreenkitError):
    """A bundle cannot be planned or built as asked (bad name, unsafe path, unknown preset)."""


class StepStopped(BaseException):
    """Raised inside a running step when its build is being stopped (a failure elsewhere,
    Ctrl-C, the app's Cancel), at the step's next progress report: it stops the step's
    ffmpeg and the cache removes the step's temporary folder. The one stop signal of every
    executor (threads, processes, Dask); a BaseException, so that no ``except Exception``
    in a step swallows it."""


class BuildCancelled(BundleError):
    """The build was told to stop (the app's Cancel): nothing half-made was kept."""


def build_cancelled() -> BuildCancelled:
    return BuildCancelled(
        "the build was cancelled",
        hint="finished steps are kept in the cache: build again to go on",
    )


class DiskFull(ScreenkitError):
    """The disk filled up while writing; ``path`` is where, ``free_bytes`` what was left."""

    def __init__(
        self, message: str, *, path: Path | None, free_bytes: int | None, cache: bool = False
    ) -> None:
        super().__init__(
            message,
            path=path,
            hint="free some space on that disk (`screenkit cache clear` empties the cache, "
            "whose encodes then run again), then run the build again"
            if cache
            else "free some space on that disk or choose another --out, then run the build "
            "again: finished steps are kept in the cache",
        )
        self.free_bytes = free_bytes


class IncompleteBundle(InputError):
    """A folder without ``manifest.json``: a build that did not finish, or not a bundle."""


def _free(path: Path | None) -> int | None:
    probe = path
    while probe is not None and not probe.exists():
        probe = probe.parent if probe.parent != probe else None
    if probe is None:
        return None
    try:
        return shutil.disk_usage(probe).free
    except OSError:
        return None


def _in_cache(path: Path | None) -> bool:
    """Whether ``path`` is inside a step cache (a folder with ``objects/`` and ``locks/``)."""
    for folder in path.parents if path is not None else ():
        if (folder / "objects").is_dir() and (folder / "locks").is_dir():
            return True
    return False


def disk_full(what: str, path: Path | None) -> DiskFull:
    free = _free(path)
    left = f" ({free / 1e6:.0f} MB left)" if free is not None else ""
    where = f" on the disk holding {path}" if path is not None else ""
    return DiskFull(
        f"no space left{where} while {what}{left}",
        path=path,
        free_bytes=free,
        cache=_in_cache(path),
    )


@contextlib.contextmanager
def disk_full_guard(what: str, path: Path | None = None) -> Iterator[None]:
    """Turn ENOSPC (from Python or from an ffmpeg that ran out of room) into `DiskFull`."""
    try:
        yield
    except OSError as exc:
        if exc.errno in _FULL:
            where = Path(exc.filename) if isinstance(exc.filename, str) else path
            raise disk_full(what, where) from exc
        raise
    except FFmpegFailed as exc:
        if any(mark in exc.stderr_tail for mark in _FFMPEG_FULL):
            raise disk_full(what, path) from exc
        raise
