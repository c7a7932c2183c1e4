"""Outputs appear only whole: written under a temporary name, published by atomic rename.

The temporary name starts with a dot and carries ``.part-`` so that a file left behind by a
killed process (SIGKILL, power loss) never looks like a finished output; the extension is
kept so that ffmpeg still chooses the right muxer.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

PART_MARK = ".part-"


def part_path(final: Path) -> Path:
    """A fresh temporary sibling of ``final`` (same folder, so the rename is atomic)."""
    return final.with_name(f".{final.stem}{PART_MARK}{secrets.token_hex(4)}{final.suffix}")


@contextlib.contextmanager
def atomic_output(final: Path | str) -> Iterator[Path]:
    """Yield a temporary path; on success rename it to ``final``, on any exit else remove it."""
    final = Path(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = part_path(final)
    try:
        yield tmp
        if tmp.is_dir():
            raise IsADirectoryError(tmp)
        tmp.replace(final)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def write_bytes_atomic(final: Path | str, data: bytes) -> Path:
    """Write ``data`` to ``final`` so that readers see the old file or the whole new one."""
    with atomic_output(final) as tmp, tmp.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    return Path(final)


def write_text_atomic(final: Path | str, text: str, encoding: str = "utf-8") -> Path:
    return write_bytes_atomic(final, text.encode(encoding))


def link_or_copy(source: Path, dest: Path) -> None:
    """``dest`` as a hard link of ``source`` when the file system allows, else a copy. A
    full disk is an error naming ``dest`` (a copy would not fit either)."""
    try:
        os.link(source, dest)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise
        try:
            shutil.copyfile(source, dest)
        except OSError as full:  # copyfile names the source: the disk that is full is dest's
            if full.errno in (errno.ENOSPC, errno.EDQUOT):
                raise OSError(full.errno, full.strerror, str(dest)) from full
            raise
