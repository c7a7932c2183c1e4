"""Temporary folders that never outlive their process for long.

A `tempfile.TemporaryDirectory` is removed when its ``with`` ends, but not when the process
is killed (SIGKILL, the OOM killer, a power cut): such a folder stayed in /tmp forever. So
every scratch folder of screenkit lives inside one folder per process and base
(``<base>/screenkit-<pid>-<start time>-<random>/``), which holds ``.lock``, locked with ``flock``
for as long as the process uses it; the kernel drops the lock when the process dies,
however it dies. The first scratch folder a process makes under a base sweeps that base:
every ``screenkit-*`` folder whose lock is free (or, with no lock file yet, whose process
is gone) is removed. The base is the system's temporary folder, or a cache's ``tmp/``.
The process folder goes when its last scratch folder does.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PREFIX = "screenkit-"
LOCK = ".lock"
_OWNER = re.compile(r"screenkit-(\d+)-(\d+)-\w+")


@dataclass
class _Root:
    path: Path
    fd: int
    users: int


_lock = threading.Lock()
_roots: dict[tuple[int, Path], _Root] = {}


def _start_time(pid: int) -> int:
    """The process's start time in clock ticks since boot (0 where /proc cannot tell)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0
    # the command name (field 2) may hold spaces and parentheses: split after the last ')'
    return int(stat.rsplit(")", 1)[1].split()[19])


def owner_name(pid: int | None = None) -> str:
    """``screenkit-<pid>-<start time>``: the pid alone could be reused by another process."""
    pid = os.getpid() if pid is None else pid
    return f"{PREFIX}{pid}-{_start_time(pid)}"


def _alive(pid: int, start: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return start == 0 or _start_time(pid) in (0, start)


def _abandoned(folder: Path) -> bool:
    """Whether the process that made ``folder`` is gone (its lock is free, or it has none
    yet and its pid and start time name no running process)."""
    try:
        fd = os.open(folder / LOCK, os.O_RDWR)
    except FileNotFoundError:
        match = _OWNER.fullmatch(folder.name)
        return match is not None and not _alive(int(match[1]), int(match[2]))
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False  # its process holds it: in use
    finally:
        os.close(fd)
    return True


def sweep(base: Path) -> list[Path]:
    """Remove the process folders under ``base`` whose process is gone; what was removed."""
    removed: list[Path] = []
    try:
        candidates = [p for p in Path(base).iterdir() if p.name.startswith(PREFIX)]
    except OSError:
        return removed
    mine = f"{owner_name()}-"
    for folder in candidates:
        if folder.name.startswith(mine) or folder.is_symlink() or not folder.is_dir():
            continue
        if _abandoned(folder):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _default_base() -> Path:
    return Path(tempfile.gettempdir())


def _acquire(base: Path) -> Path:
    key = (os.getpid(), base)  # a forked child makes its own: the parent's lock is not its
    with _lock:
        root = _roots.get(key)
        if root is None:
            base.mkdir(parents=True, exist_ok=True)
            sweep(base)
            # mkdtemp, not a fixed name: nobody can plant a folder or a link there first
            path = Path(tempfile.mkdtemp(prefix=f"{owner_name()}-", dir=base))
            fd = os.open(path / LOCK, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
            fcntl.flock(fd, fcntl.LOCK_EX)
            root = _roots[key] = _Root(path, fd, 0)
        root.users += 1
        return root.path


def _release(base: Path) -> None:
    key = (os.getpid(), base)
    with _lock:
        root = _roots.get(key)
        if root is None:
            return
        root.users -= 1
        if root.users > 0:
            return
        del _roots[key]
        shutil.rmtree(root.path, ignore_errors=True)
        os.close(root.fd)


@contextlib.contextmanager
def scratch_dir(prefix: str, *, base: Path | None = None) -> Iterator[Path]:
    """A fresh private folder for temporary work, removed when the ``with`` ends — and by
    the next screenkit run under the same ``base`` if this process is killed first."""
    where = (base or _default_base()).absolute()
    root = _acquire(where)
    try:
        folder = Path(tempfile.mkdtemp(prefix=prefix, dir=root))
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    finally:
        _release(where)


def placeholder(kind: str) -> Path:
    """How a scratch folder's path looks, for commands shown before they run (--dry-run)."""
    return _default_base() / f"{PREFIX}PID-START-XXXXXXXX" / f"{kind}-XXXXXXXX"
