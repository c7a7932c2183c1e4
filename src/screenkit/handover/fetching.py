"""``screenkit fetch``: one bundle of a catalogue, downloaded, checked, and only then there.

    with open_catalogue("https://films.example.net/preparing/") as opened:
        bundle = opened.choose("uk", "usb-player")
        result = fetch_bundle(opened, bundle, Path("."), progress=callback, stop=event)

The files go into ``<out>/.<name>.part-fetch/``: each is written as a hidden ``.part`` file
(named with the start of its expected sha256, so a re-published bundle never resumes into an
old file's bytes), checked against the catalogue's size and sha256 while it is written, and
renamed to its own name only when whole and right. A dropped connection is resumed with an
HTTP range request, a few times in a run; a run stopped (``stop``, Ctrl-C, a kill) leaves
the hidden folder, and the next run goes on from there. When every file holds, `verify`
checks the bundle as it would on the stick, and the folder is renamed to ``<out>/<name>``:
that name appears only for a bundle that is whole and verified.
"""

from __future__ import annotations

import contextlib
import fcntl
import ipaddress
import os
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from screenkit.bundle.documents.verify import VerifyReport, verify_bundle
from screenkit.bundle.engine.hashing import sha256_file
from screenkit.handover.catalogue import (
    CATALOGUE_NAME,
    MANIFEST_NAME,
    Catalogue,
    CatalogueBundle,
    parse_catalogue,
)
from screenkit.handover.download import Run, part_name
from screenkit.handover.errors import CatalogueError, FetchError
from screenkit.handover.transfer import Broken, FolderSource, HttpSource, Source, is_url
from screenkit.handover.transfer import looks_like_url as _looks_like_url
from screenkit.progress import ProgressCallback

STAGE_MARK = ".part-fetch"


@dataclass(frozen=True)
class OpenedCatalogue:
    """A checked catalogue and where its files come from; close it (or use ``with``)."""

    location: str
    catalogue: Catalogue
    source: Source
    warnings: tuple[str, ...] = ()

    def choose(self, lang: str, preset: str) -> CatalogueBundle:
        """The bundle for ``lang`` and ``preset``; a `CatalogueError` naming what there is."""
        found = self.catalogue.find(lang, preset)
        if found is None:
            offered = ", ".join(f"{b.lang}/{b.preset}" for b in self.catalogue.bundles) or "none"
            raise CatalogueError(
                f"the catalogue has no bundle for --lang {lang} --preset {preset} "
                f"(it offers {offered})",
                value=f"{lang}/{preset}",
                hint="screenkit fetch CATALOGUE --list shows every bundle",
            )
        return found

    def close(self) -> None:
        self.source.close()

    def __enter__(self) -> OpenedCatalogue:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass(frozen=True)
class FetchResult:
    folder: Path
    bundle: CatalogueBundle
    verify: VerifyReport
    downloaded: int
    """Bytes transferred by this run."""
    resumed: int
    """Bytes that were already there from an earlier, interrupted run."""
    range_requests: int
    """Requests that resumed a file where it stopped (HTTP Range)."""
    elapsed: float
    already: bool = False
    """The bundle was already in place, identical (nothing downloaded; verified again)."""
    warnings: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {
            "folder": str(self.folder),
            "bundle": self.bundle.name,
            "lang": self.bundle.lang,
            "preset": self.bundle.preset,
            "size": self.bundle.size,
            "downloaded": self.downloaded,
            "resumed": self.resumed,
            "range_requests": self.range_requests,
            "elapsed": round(self.elapsed, 3),
            "already": self.already,
            "verified": self.verify.ok,
            "verify": self.verify.to_json(),
            "warnings": list(self.warnings),
        }


def _plain_http_warning(url: str) -> tuple[str, ...]:
    parts = urlsplit(url)
    if parts.scheme != "http":
        return ()
    host = parts.hostname or ""
    with contextlib.suppress(ValueError):
        if ipaddress.ip_address(host).is_loopback:
            return ()
    if host == "localhost":
        return ()
    return (
        f"the catalogue comes over plain http ({parts.netloc}): its checksums catch a broken "
        "download, not a forged one; prefer an https address",
    )


def open_catalogue(location: str | Path) -> OpenedCatalogue:
    """The catalogue at ``location``: an http(s) URL (of ``catalogue.json``, or of the folder
    that holds it), a folder holding ``catalogue.json``, or that file. Checked whole
    (`screenkit.handover.catalogue.parse_catalogue`) before anything is downloaded."""
    text = str(location)
    source: Source
    if is_url(text):
        url = (
            text
            if urlsplit(text).path.endswith(".json")
            else urljoin(text.rstrip("/") + "/", CATALOGUE_NAME)
        )
        source = HttpSource(url)
        warnings = _plain_http_warning(url)
    elif _looks_like_url(text):
        raise FetchError(
            f"'{text[:80]}' is not an http(s) address or a folder",
            value=text,
            hint="give the catalogue's https:// address, or the folder it is in",
        )
    else:
        path = Path(text)
        path = path / CATALOGUE_NAME if path.is_dir() else path
        if not path.is_file():
            raise FetchError(
                f"{text}: no {CATALOGUE_NAME} there",
                path=path,
                hint="give the catalogue's https:// address, or the folder screenkit publish wrote",
            )
        source, warnings = FolderSource(path.absolute()), ()
    try:
        catalogue = parse_catalogue(source.catalogue())
    except Broken as exc:
        source.close()
        raise FetchError(
            f"cannot reach the catalogue: {exc}",
            value=text,
            hint="check the address and the connection",
        ) from exc
    except BaseException:
        source.close()
        raise
    return OpenedCatalogue(text, catalogue, source, warnings)


@contextlib.contextmanager
def _locked(path: Path, what: str) -> Iterator[None]:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as exc:
        os.close(fd)
        raise FetchError(
            f"another screenkit fetch is downloading {what} into {path.parent}",
            path=path.parent,
            hint="wait for it, or fetch into another --out folder",
        ) from exc
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()  # still ours: removed before the lock is let go
        os.close(fd)


def _tidy(stage: Path, bundle: CatalogueBundle) -> None:
    """Remove what an earlier run left that this catalogue does not want (another version's
    files and parts), so verify sees exactly the bundle."""
    wanted = {stage / f.inside for f in bundle.files}
    parts = {(stage / f.inside).with_name(part_name(f)) for f in bundle.files}
    for path in sorted(stage.rglob("*"), reverse=True):
        if path.is_dir() and not path.is_symlink():
            with contextlib.suppress(OSError):
                path.rmdir()  # only when empty
        elif path not in wanted and path not in parts:
            path.unlink()


def _already(final: Path, bundle: CatalogueBundle) -> bool:
    manifest = next(f for f in bundle.files if f.inside == MANIFEST_NAME)
    path = final / MANIFEST_NAME
    if path.is_file() and sha256_file(path).sha256 == manifest.sha256:
        return True
    raise FetchError(
        f"{final} is already there and is not this bundle",
        path=final,
        hint="move it away, or fetch into another --out folder",
    )


def fetch_bundle(
    opened: OpenedCatalogue,
    bundle: CatalogueBundle,
    out: Path,
    *,
    progress: ProgressCallback | None = None,
    stop: threading.Event | None = None,
) -> FetchResult:
    """Download ``bundle`` into ``out/<name>``, checked and verified (see the module)."""
    started = time.monotonic()
    out = Path(out).absolute()
    final = out / bundle.name
    run = Run(bundle, opened.source, progress, stop)
    if final.exists() and _already(final, bundle):
        report = verify_bundle(final, progress=progress)
        if not report.ok:
            raise FetchError(
                f"{final} is this bundle but does not verify: {report.problems[0]}",
                path=final,
                hint=f"remove {final} and fetch again",
            )
        return FetchResult(
            final, bundle, report, 0, 0, 0, time.monotonic() - started, True, opened.warnings
        )
    out.mkdir(parents=True, exist_ok=True)
    stage = out / f".{bundle.name}{STAGE_MARK}"
    with _locked(out / f".{bundle.name}{STAGE_MARK}.lock", bundle.name):
        stage.mkdir(exist_ok=True)
        _tidy(stage, bundle)
        for f in bundle.files:
            run.fetch_file(stage, f)
        run.check_stop()
        report = verify_bundle(stage, progress=progress)
        if not report.ok:
            shutil.rmtree(stage, ignore_errors=True)
            shown = "; ".join(str(p) for p in report.problems[:3])
            raise FetchError(
                f"{bundle.name} matches its catalogue but does not verify: {shown}",
                path=final,
                hint="the bundle was published damaged: tell the distributor",
            )
        stage.rename(final)
    return FetchResult(
        folder=final,
        bundle=bundle,
        verify=replace(report, folder=final),
        downloaded=run.downloaded,
        resumed=run.resumed,
        range_requests=run.ranges,
        elapsed=time.monotonic() - started,
        warnings=opened.warnings,
    )


def fetch(
    location: str | Path,
    lang: str,
    preset: str,
    out: Path,
    *,
    progress: ProgressCallback | None = None,
    stop: threading.Event | None = None,
) -> FetchResult:
    """`open_catalogue` + `OpenedCatalogue.choose` + `fetch_bundle`, in one call."""
    with open_catalogue(location) as opened:
        return fetch_bundle(opened, opened.choose(lang, preset), out, progress=progress, stop=stop)
