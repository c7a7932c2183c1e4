"""One ZIP of a bundle folder, for the browser's one-click download.

Stored, not deflated: the film is already compressed (deflate would spend minutes to save
nothing), and a stored archive is written at the disk's speed. ZIP64 records are used for
every member past 4 GiB (and for the archive's directory when it needs them), which every
current unzip (Windows Explorer, macOS Archive Utility, Info-ZIP) reads. The standard
library's `zipfile` writes it; the archive's sha256 is computed while it is written, so it
is never read back. The archive appears only whole (atomic rename).
"""

from __future__ import annotations

import hashlib
import threading
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from screenkit.handover.errors import HandoverError
from screenkit.media.atomic import atomic_output
from screenkit.progress import Progress, ProgressCallback

CHUNK = 1 << 20
ZIP64_LIMIT = zipfile.ZIP64_LIMIT
"""Members above this size get ZIP64 records (2 GiB - 1 in zipfile's own sense of safety)."""


class _HashingWriter:
    """A write-only file object that hashes what passes through it (zipfile seeks back to
    patch local headers only when the output is seekable: this one is not, so every header
    is written once, with a data descriptor after stored data)."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.sha256 = hashlib.sha256()
        self.written = 0

    def write(self, data: bytes, /) -> int:
        self.sha256.update(data)
        self.raw.write(data)
        self.written += len(data)
        return len(data)

    def tell(self) -> int:
        return self.written

    def flush(self) -> None:
        self.raw.flush()

    def seekable(self) -> bool:
        return False

    def close(self) -> None:
        """zipfile closes only what it opened; the caller closes ``raw``."""


@dataclass(frozen=True)
class ZipResult:
    path: Path
    size: int
    sha256: str


def write_zip(
    folder: Path,
    members: Sequence[str],
    dest: Path,
    *,
    root: str,
    progress: ProgressCallback | None = None,
    stop: threading.Event | None = None,
    zip64_above: int = ZIP64_LIMIT,
) -> ZipResult:
    """``dest``: ``members`` (paths relative to ``folder``) stored under ``root/``.

    ``zip64_above`` is where a member gets ZIP64 records (tests lower it to check them
    without writing 4 GiB).
    """
    total = sum((folder / m).stat().st_size for m in members)
    done = 0
    label = f"zipping {root}"
    with atomic_output(dest) as tmp, tmp.open("wb") as raw:
        out = _HashingWriter(raw)
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as zf:
            for member in members:
                source = folder / member
                info = zipfile.ZipInfo.from_file(source, f"{root}/{member}")
                info.compress_type = zipfile.ZIP_STORED
                with (
                    source.open("rb") as src,
                    zf.open(info, "w", force_zip64=info.file_size > zip64_above) as sink,
                ):
                    while chunk := src.read(CHUNK):
                        if stop is not None and stop.is_set():
                            raise HandoverError("publishing was stopped")
                        sink.write(chunk)
                        done += len(chunk)
                        if progress is not None:
                            progress(Progress(label, done / 1e6, total / 1e6, unit="MB"))
        raw.flush()
    return ZipResult(dest, out.written, out.sha256.hexdigest())
