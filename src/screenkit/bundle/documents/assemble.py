"""Putting a bundle folder in place without ever showing a half one.

A bundle is assembled in ``<out>/.<name>.partial-XXXX/`` (hidden, and without a manifest
until the very end), then swapped into ``<out>/<name>/`` by rename: on Linux an atomic
exchange (``renameat2(RENAME_EXCHANGE)``), elsewhere two renames with the old bundle parked
under ``.<name>.old-XXXX`` (put back by the next build if a crash fell in between). The old
bundle is kept until the new one is complete. A partial folder holds a ``.building`` file
locked with ``flock`` by its builder, so the next build removes only abandoned ones.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from screenkit.bundle.documents.manifest import MANIFEST_NAME
from screenkit.bundle.engine.errors import BundleError, disk_full_guard
from screenkit.media.atomic import link_or_copy


def _read_umask() -> int:
    # os.umask can only be read by setting it: do it once, at import, before any thread runs
    # (a file another thread creates meanwhile would get the wrong mode)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _read_umask()
BUILDING = ".building"
STALE_AFTER = 3600.0
"""Seconds after which a partial folder without a lock file is taken as abandoned."""
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


@dataclass
class Partial:
    """A bundle being assembled: its hidden folder and the final one it will replace."""

    folder: Path
    final: Path
    lock_fd: int


def check_inside(out: Path, path: Path, what: str) -> Path:
    """Refuse a path that would leave the output folder (``../``, absolute, a symlink out)."""
    resolved = path.resolve()
    if not resolved.is_relative_to(out.resolve()) or resolved == out.resolve():
        raise BundleError(
            f"{what} '{path}' would be written outside the output folder {out}",
            path=path,
            value=str(path),
        )
    return path


@cache
def _renameat2() -> ctypes._CFuncPtr | None:  # type: ignore[name-defined]
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        func = ctypes.CDLL(name, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    func.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    func.restype = ctypes.c_int
    return func


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False where the system cannot (then nothing happened)."""
    func = _renameat2()
    if func is None:
        return False
    if func(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), os.fsdecode(a))


def _hidden(final: Path, mark: str) -> str:
    return f".{final.name}.{mark}-"


def recover(final: Path) -> None:
    """Clean up after builds of ``final`` that were killed: abandoned partials, a parked old."""
    parent = final.parent
    if not parent.is_dir():
        return
    for partial in parent.glob(_hidden(final, "partial") + "*"):
        lock = partial / BUILDING
        try:
            fd = os.open(lock, os.O_RDWR)
        except OSError:
            # no lock file: a builder between mkdtemp and its lock, or one killed right there
            with contextlib.suppress(OSError):
                if time.time() - partial.stat().st_mtime > STALE_AFTER:
                    shutil.rmtree(partial, ignore_errors=True)
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue  # a running build owns it
        shutil.rmtree(partial, ignore_errors=True)
        os.close(fd)
    parked = sorted(parent.glob(_hidden(final, "old") + "*"))
    if parked and not final.exists():
        with contextlib.suppress(OSError):
            parked[-1].rename(final)
            parked = parked[:-1]
    for old in parked:
        shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def partial_bundle(final: Path) -> Iterator[Partial]:
    """A fresh hidden folder beside ``final``; removed unless `publish` moved it into place."""
    if final.exists() and not (final / MANIFEST_NAME).is_file():
        if final.is_dir() and not any(final.iterdir()):
            final.rmdir()
        else:
            raise BundleError(
                f"{final} exists and is not a screenkit bundle (it has no {MANIFEST_NAME})",
                path=final,
                hint="move it away or choose another --out folder; screenkit will not replace it",
            )
    with disk_full_guard("preparing the bundle folder", final.parent):
        final.parent.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix=_hidden(final, "partial"), dir=final.parent))
        # mkdtemp makes it private (0700); a bundle is meant to be copied and shared
        folder.chmod(0o777 & ~_UMASK)
        fd = os.open(folder / BUILDING, os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX)
    partial = Partial(folder, final, fd)
    try:
        yield partial
    finally:
        os.close(fd)
        if partial.folder.exists():
            shutil.rmtree(partial.folder, ignore_errors=True)


def place(source: Path, dest: Path) -> None:
    """Put a cached file into the bundle: a hard link when possible, else a copy."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    link_or_copy(source, dest)


def publish(partial: Partial) -> None:
    """Swap the finished folder (manifest written) into place; the old bundle goes last."""
    if not (partial.folder / MANIFEST_NAME).is_file():
        raise BundleError(f"internal: {partial.folder} has no manifest yet", path=partial.folder)
    (partial.folder / BUILDING).unlink()
    final = partial.final
    if not final.exists():
        partial.folder.rename(final)
    elif exchange(partial.folder, final):
        pass  # partial.folder now holds the old bundle; the context manager removes it
    else:
        parked = Path(tempfile.mkdtemp(prefix=_hidden(final, "old"), dir=final.parent))
        parked.rmdir()
        final.rename(parked)
        partial.folder.rename(final)
        shutil.rmtree(parked, ignore_errors=True)
