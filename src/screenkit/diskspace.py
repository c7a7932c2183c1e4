"""Is there room? Needs summed disk by disk and checked before the long work starts.

A build writes to two places that may be two disks: the step cache and the output folder;
what each needs is counted by the build's plan (`screenkit.bundle.compose.space`). Here: a
disk with less free space than what goes onto it (plus a margin) is named with both figures
before anything runs; an output folder that cannot be made fails first too.
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from screenkit.errors import ScreenkitError, path_error

MARGIN = 0.10
"""Estimates are estimates: a disk must hold this much more than the sum."""
SMALL = 1_000_000
"""Bytes for a small step (a sheet, stills, sidecar tracks, a loudness measurement)."""


@dataclass(frozen=True)
class Need:
    path: Path
    """Where the bytes go (a folder; it need not exist yet)."""
    size: int
    what: str
    cache: bool = False
    """The bytes go to the step cache (``screenkit cache clear`` frees that disk)."""


class NotEnoughSpace(ScreenkitError):
    """A disk has less free space than the build needs; ``path`` names where it is."""

    def __init__(
        self, message: str, *, path: Path, need_bytes: int, free_bytes: int, hint: str
    ) -> None:
        super().__init__(message, path=path, value=need_bytes, hint=hint)
        self.need_bytes = need_bytes
        self.free_bytes = free_bytes


def mb(size: float) -> str:
    """Megabytes as a person reads them: ``3``, ``0.4``, ``79323``."""
    if size >= 10e6:
        return f"{size / 1e6:.0f}"
    return f"{size / 1e6:.1f}".rstrip("0").rstrip(".")


def _existing(path: Path) -> Path:
    while not path.exists() and path.parent != path:
        path = path.parent
    return path


def device_of(path: Path) -> int:
    """The device (disk) holding ``path``, or its nearest existing parent."""
    return _existing(path).stat().st_dev


def free_bytes(path: Path) -> int:
    return shutil.disk_usage(_existing(path)).free


def prepare_output(out: Path) -> None:
    """Make the output folder now: one that cannot be made (a path under /proc, a name too
    long, a read-only stick) fails before the encodes, not after them."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        if not os.access(out, os.W_OK | os.X_OK):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(out))
    except OSError as exc:
        raise path_error(exc, "cannot make the output folder") from exc


def check_space(needs: Sequence[Need]) -> None:
    """Raise `NotEnoughSpace` naming the first disk that cannot hold what goes onto it."""
    disks: dict[int, list[Need]] = {}
    for need in needs:
        if need.size > 0:
            disks.setdefault(device_of(need.path), []).append(need)
    for group in disks.values():
        total = sum(n.size for n in group)
        where = group[0].path
        free = free_bytes(where)
        if free >= total * (1 + MARGIN):
            continue
        what = " and ".join(f"{n.what}: {mb(n.size)} MB" for n in group)
        on_cache = any(n.cache for n in group)
        hint = (
            "free space on that disk; `screenkit cache clear` empties the cache (its "
            "encodes run again next time), or put the cache on a bigger disk "
            '(cache = "user" in screenkit.toml, or $SCREENKIT_CACHE_DIR)'
            if on_cache
            else "free space on that disk or choose another --out; the cache is on another "
            "disk, so clearing it does not help here"
        )
        raise NotEnoughSpace(
            f"not enough space on the disk holding {where}: the build needs about "
            f"{mb(total)} MB there ({what}), the disk has {mb(free)} MB free",
            path=where,
            need_bytes=total,
            free_bytes=free,
            hint=hint,
        )
