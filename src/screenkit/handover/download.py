"""One run of a bundle's download: each file into a hidden ``.part``, checked, renamed.

A file is fetched from where an earlier run left its ``.part`` (HTTP Range); the bytes are
hashed as they are written, a body longer than the catalogue's size is cut off there and
thrown away, a connection that breaks is resumed a few times with a pause between, and the
``.part`` becomes the file only when its size and sha256 are the catalogue's.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from pathlib import Path

from screenkit.bundle.engine.hashing import sha256_file
from screenkit.handover.catalogue import CatalogueBundle, CatalogueFile
from screenkit.handover.errors import FetchError, fetch_cancelled
from screenkit.handover.transfer import Broken, Source
from screenkit.progress import Progress, ProgressCallback

ATTEMPTS = 4
"""Tries per file in one run when the connection breaks (each resumes where it got)."""
BACKOFF = (0.5, 2.0, 5.0)
REPORT_EVERY = 0.25
"""Seconds between two progress events."""


def part_name(f: CatalogueFile) -> str:
    name = f.inside.rsplit("/", 1)[-1]
    return f".{name}.{f.sha256[:12]}.part"


class Run:
    """One run of `fetch_bundle`: counters and the progress reporting."""

    def __init__(
        self,
        bundle: CatalogueBundle,
        source: Source,
        progress: ProgressCallback | None,
        stop: threading.Event | None,
    ) -> None:
        self.bundle, self.source, self.progress, self.stop = bundle, source, progress, stop
        self.done = 0
        self.downloaded = 0
        self.resumed = 0
        self.ranges = 0
        self.kept = 0
        """Bytes of the current file that an earlier run left."""
        self.last = 0.0

    def report(self, current: int, force: bool = False) -> None:
        now = time.monotonic()
        if self.progress is None or (not force and now - self.last < REPORT_EVERY):
            return
        self.last = now
        total = self.bundle.size
        self.progress(
            Progress(
                f"downloading {self.bundle.name}", (self.done + current) / 1e6, total / 1e6, "MB"
            )
        )

    def check_stop(self) -> None:
        if self.stop is not None and self.stop.is_set():
            raise fetch_cancelled()

    def fetch_file(self, stage: Path, f: CatalogueFile) -> None:
        dest = stage / f.inside
        dest.parent.mkdir(parents=True, exist_ok=True)
        if dest.is_file():
            if dest.stat().st_size == f.size and sha256_file(dest).sha256 == f.sha256:
                self.resumed += f.size
                self.done += f.size
                return
            dest.unlink()
        part = dest.with_name(part_name(f))
        self.kept = part.stat().st_size if part.exists() else 0  # left by an earlier run
        self.kept = self.kept if self.kept <= f.size else 0
        self.resumed += self.kept
        for attempt in range(ATTEMPTS):
            self.check_stop()
            try:
                digest = self._transfer(part, f)
            except Broken as exc:
                if attempt == ATTEMPTS - 1:
                    raise FetchError(
                        f"the connection broke while downloading {f.path} "
                        f"({ATTEMPTS} tries): {exc}",
                        path=f.path,
                        value=self.source.where(f.path),
                        hint="run the same fetch again: it goes on where it stopped",
                    ) from exc
                if self.stop is not None:
                    self.stop.wait(BACKOFF[min(attempt, len(BACKOFF) - 1)])
                else:
                    time.sleep(BACKOFF[min(attempt, len(BACKOFF) - 1)])
                continue
            if digest != f.sha256:
                part.unlink()
                raise FetchError(
                    f"{f.path} does not match the catalogue: its sha256 differs, so it was "
                    "thrown away",
                    path=f.path,
                    value=self.source.where(f.path),
                    hint="the copy on the server is damaged or was changed after publishing: "
                    "try again later, and tell the distributor if it stays so",
                )
            part.replace(dest)
            self.done += f.size
            self.report(0, force=True)
            return

    def _transfer(self, part: Path, f: CatalogueFile) -> str:
        """Bring ``part`` to ``f.size`` bytes; its sha256. Raises `Broken` to be resumed."""
        have = part.stat().st_size if part.exists() else 0
        if have > f.size:
            part.unlink()
            have = 0
        hasher = hashlib.sha256()
        if have:
            with part.open("rb") as fh:
                while chunk := fh.read(1 << 20):
                    hasher.update(chunk)
        if have == f.size:
            part.touch()  # an empty file has no bytes to download, but needs its part
            return hasher.hexdigest()
        with self.source.open(f.path, have, f.size) as opened, part.open("ab") as out:
            if opened.start != have:  # the server would not resume: from the start
                out.truncate(0)
                self.resumed -= self.kept  # not resumed after all
                self.kept = 0
                hasher, have = hashlib.sha256(), 0
            elif have:
                self.ranges += 1
            written = have
            for chunk in opened.chunks:
                self.check_stop()
                room = f.size - written
                if len(chunk) > room:
                    out.write(chunk[:room])
                    out.close()
                    part.unlink()
                    raise FetchError(
                        f"the server sent more bytes for {f.path} than the {f.size:,} the "
                        "catalogue lists: cut off and thrown away",
                        path=f.path,
                        value=opened.url,
                        hint="the site and its catalogue.json do not match: ask the "
                        "distributor to publish again",
                    )
                out.write(chunk)
                hasher.update(chunk)
                written += len(chunk)
                self.downloaded += len(chunk)
                self.report(written)
            out.flush()
            os.fsync(out.fileno())
        if written < f.size:
            raise Broken(f"{opened.url} ended after {written:,} of {f.size:,} bytes")
        return hasher.hexdigest()
