"""Content hashes of files, remembered by (path, size, mtime_ns, inode).

Hashing a 4 GB master takes seconds; a rebuild with nothing changed must not pay that. The
`FileHasher` keeps a small index (one JSON file per path, under the cache folder, written by
atomic rename so that two builds never see half a record) and re-hashes a file only when its
size, modification time or inode changed. A file rewritten in place always changes its
mtime, so a stale record cannot hide an edited file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from screenkit.errors import InputError
from screenkit.media.atomic import write_text_atomic
from screenkit.progress import Progress, ProgressCallback

CHUNK = 1 << 20
REPORT_EVERY = 32 << 20
"""Bytes between two progress events while hashing (a bar is shown for big files only)."""
SHOW_PROGRESS_ABOVE = 64 << 20


@dataclass(frozen=True)
class FileDigest:
    """A file's content identity: sha256 hex digest and size in bytes."""

    sha256: str
    size: int


def _stamp(st: os.stat_result) -> list[int]:
    return [st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev]


def sha256_file(
    path: Path, *, progress: ProgressCallback | None = None, step: str | None = None
) -> FileDigest:
    """Hash ``path`` in 1 MiB chunks (memory stays flat), reporting progress in MB."""
    digest = hashlib.sha256()
    size = path.stat().st_size
    label = step or f"hashing {path.name}"
    show = progress is not None and size >= SHOW_PROGRESS_ABOVE
    done = 0
    reported = 0
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            done += len(chunk)
            if show and progress is not None and done - reported >= REPORT_EVERY:
                reported = done
                progress(Progress(label, done / 1e6, size / 1e6, unit="MB"))
    if show and progress is not None:
        progress(Progress(label, done / 1e6, size / 1e6, unit="MB"))
    return FileDigest(digest.hexdigest(), done)


class FileHasher:
    """sha256 of files, re-computed only when a file's (size, mtime_ns, inode, dev) changed."""

    def __init__(self, index_dir: Path, progress: ProgressCallback | None = None) -> None:
        self.index_dir = index_dir
        self.progress = progress
        self.hashed: list[Path] = []
        """Files whose content was actually read by this hasher (tests and reports)."""

    def _record(self, path: Path) -> Path:
        name = hashlib.sha256(os.fsencode(path)).hexdigest()
        return self.index_dir / name[:2] / f"{name}.json"

    def known(self, path: Path) -> FileDigest | None:
        """The remembered digest when the file's stamp still matches, else None."""
        path = path.absolute()
        try:
            st = path.stat()
            data = json.loads(self._record(path).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("stamp") != _stamp(st):
            return None
        sha = data.get("sha256")
        return FileDigest(sha, st.st_size) if isinstance(sha, str) else None

    def remember(self, path: Path, digest: FileDigest) -> None:
        """Record ``digest`` for the file as it is now (after writing it ourselves)."""
        path = path.absolute()
        record = {"path": os.fsdecode(path), "stamp": _stamp(path.stat()), "sha256": digest.sha256}
        # the index is an optimisation: a full disk must not fail a build that could finish
        with contextlib.suppress(OSError):
            write_text_atomic(self._record(path), json.dumps(record))

    def digest(self, path: Path, *, step: str | None = None) -> FileDigest:
        """The file's digest, from the index when its stamp matches, else by reading it."""
        path = path.absolute()
        if not path.is_file():
            raise InputError(f"{path}: no such file", path=path)
        found = self.known(path)
        if found is not None:
            return found
        result = sha256_file(path, progress=self.progress, step=step)
        self.hashed.append(path)
        self.remember(path, result)
        return result
