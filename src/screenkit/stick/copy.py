"""Copy a bundle onto a stick, make sure the stick holds it, and only then call it ready.

The copy goes into a hidden ``.<name>.part-XXXX`` folder beside ``DEST/<name>``: every file
the manifest lists, ``manifest.json`` last, each one ``fsync``-ed, then the folders. Then
every file is read back from the stick and compared with the sha256 and size in
``manifest.json``; only a copy that matched in every byte is renamed to its final name. A
copy that is stopped (``stop``, Ctrl-C) or fails is removed, and a copy cut off harder (a
pulled stick, a killed process) keeps its ``.part-`` name, which nobody takes for a bundle
and the next copy removes. A folder of the bundle's name already there is either this very
bundle (then it is only read back: "already on the stick") or something else, which is
kept unless ``replace``; then it goes only after the new copy has been checked.

What the read-back proves: before reading, each file's pages are dropped from the page
cache (``posix_fadvise(POSIX_FADV_DONTNEED)`` after its ``fsync``: Linux drops clean pages,
so the read goes to the device), so on Linux the bytes compared are the bytes the stick
gives back, and a stick that loses data or is smaller than it claims (a fake that wraps
around and overwrites the first files) is caught, as every file is read only after the last
one was written. What it does not prove: the stick's own controller may still answer from
its RAM cache; a FUSE file system may keep its own cache; macOS and Windows have no such
call here, so there the read may come from the system's cache and proves only what the
system holds; and no check says the flash will keep the bytes until the evening. That is
what ``screenkit verify`` on the stick, and the test clip on the very player, are for.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import secrets
import shutil
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from screenkit.bundle.hashing import sha256_file
from screenkit.bundle.manifest import MANIFEST_NAME, Manifest, read_manifest
from screenkit.errors import path_error
from screenkit.i18n import translator
from screenkit.media.atomic import PART_MARK
from screenkit.progress import Progress, ProgressCallback
from screenkit.stick.checks import Finding, check_destination, inside, stale_parts
from screenkit.stick.errors import (
    CopyCancelled,
    DestinationRefused,
    ReadBackFailed,
    StickFull,
)
from screenkit.stick.filesystems import space_of
from screenkit.stick.words import describe_finding

CHUNK = 4 << 20
REPORT_EVERY = 8 << 20
"""Bytes between two progress events (and at the end of each file)."""
COPY_STEP = "copying"
CHECK_STEP = "reading back"
OLD_MARK = ".old-"


@dataclass(frozen=True)
class CopyReport:
    """A copy that is on the stick and was read back whole.

    ``files`` counts the files the manifest lists (as ``screenkit verify`` does; the
    manifest itself is copied and read back too), ``bytes`` is the bundle's size with the
    manifest (what is now on the stick), ``verified`` that every file was read back and
    matched the manifest (a report is only made when it did).
    """

    folder: Path
    files: int
    bytes: int
    verified: bool
    elapsed: float
    already: bool = False
    """The same bundle was there already: it was read back, nothing was written."""
    replaced: bool = False
    """A different folder of the same name was there and was replaced (``replace``)."""
    warnings: tuple[Finding, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "folder": str(self.folder),
            "files": self.files,
            "bytes": self.bytes,
            "verified": self.verified,
            "elapsed": round(self.elapsed, 3),
            "already": self.already,
            "replaced": self.replaced,
            "warnings": [w.to_json() for w in self.warnings],
        }


@dataclass(frozen=True)
class _Item:
    """One file to copy: its manifest path, its source, size and digest."""

    path: str
    source: Path
    size: int
    sha256: str


class _Meter:
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


def _check_stop(stop: threading.Event | None) -> None:
    if stop is not None and stop.is_set():
        raise CopyCancelled()


def _drop_cache(fd: int) -> None:
    """Ask the kernel to forget the file's cached pages (see the module's docstring)."""
    if hasattr(os, "posix_fadvise"):
        with contextlib.suppress(OSError):
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)


def _fsync_folder(folder: Path) -> None:
    """Make a folder's entries durable; file systems that cannot (some FUSE ones) are let be."""
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
    try:
        fd = os.open(folder, flags)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def _items(bundle: Path, manifest: Manifest, manifest_bytes: bytes) -> list[_Item]:
    items = []
    for record in manifest.files:
        source = inside(bundle, record.path)
        assert source is not None  # check_destination refused a manifest path outside
        items.append(_Item(record.path, source, record.size, record.sha256))
    digest = hashlib.sha256(manifest_bytes).hexdigest()
    items.append(_Item(MANIFEST_NAME, bundle / MANIFEST_NAME, len(manifest_bytes), digest))
    return items


def _write(item: _Item, folder: Path, meter: _Meter, stop: threading.Event | None) -> None:
    target = inside(folder, item.path)
    assert target is not None
    target.parent.mkdir(parents=True, exist_ok=True)
    with item.source.open("rb") as source, target.open("xb") as out:
        while chunk := source.read(CHUNK):
            _check_stop(stop)
            out.write(chunk)
            meter.add(len(chunk))
        out.flush()
        os.fsync(out.fileno())
        _drop_cache(out.fileno())
    meter.add(0, force=True)
    with contextlib.suppress(OSError):  # players sort by date; FAT keeps 2-second times
        st = item.source.stat()
        os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))


def _write_manifest(item: _Item, data: bytes, folder: Path, meter: _Meter) -> None:
    """The manifest's bytes as read at the start (the ones hashed), written last."""
    with (folder / MANIFEST_NAME).open("xb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
        _drop_cache(out.fileno())
    meter.add(item.size, force=True)


def _read_one(path: Path, meter: _Meter, stop: threading.Event | None) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        _drop_cache(fh.fileno())
        while chunk := fh.read(CHUNK):
            _check_stop(stop)
            digest.update(chunk)
            size += len(chunk)
            meter.add(len(chunk))
    meter.add(0, force=True)
    return digest.hexdigest(), size


def _mismatch(folder: Path, item: _Item, found: str) -> ReadBackFailed:
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
    items: Sequence[_Item],
    progress: ProgressCallback | None,
    stop: threading.Event | None,
) -> None:
    """Read every file of ``folder`` and compare it with the manifest; `ReadBackFailed` at
    the first that differs."""
    meter = _Meter(CHECK_STEP, sum(i.size for i in items), progress)
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


def _refused(bundle: Path, findings: list[Finding]) -> DestinationRefused:
    english = translator("en")
    errors = [f for f in findings if f.level == "error"]
    message = describe_finding(errors[0], english)
    if len(errors) > 1:
        message += f" (and {len(errors) - 1} more: " + " ".join(
            describe_finding(f, english) for f in errors[1:3]
        )
        message += ")"
    return DestinationRefused(message, findings, path=bundle)


def _os_error(exc: OSError, dest: Path) -> Exception:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        space = space_of(dest)
        return StickFull(
            f"the stick at {dest} filled up during the copy",
            path=dest,
            free_bytes=space[0] if space else None,
        )
    return path_error(exc, "copying to the stick")


def _renamed_whole(target: Path, items: Sequence[_Item]) -> None:
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


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()


def _copy_fresh(
    items: Sequence[_Item],
    manifest_bytes: bytes,
    target: Path,
    progress: ProgressCallback | None,
    stop: threading.Event | None,
) -> bool:
    """Copy, sync, read back, rename; True when a folder of the name was replaced."""
    for stale in stale_parts(target):
        shutil.rmtree(stale, ignore_errors=True)
    part = target.with_name(f".{target.name}{PART_MARK}{secrets.token_hex(4)}")
    old: Path | None = None
    published = False
    try:
        part.mkdir()
        meter = _Meter(COPY_STEP, sum(i.size for i in items), progress)
        for item in items[:-1]:
            _write(item, part, meter, stop)
        _write_manifest(items[-1], manifest_bytes, part, meter)
        for root, _, _ in sorted(os.walk(part), key=lambda w: -len(w[0])):
            _fsync_folder(Path(root))
        read_back(part, items, progress, stop)
        if target.exists() or target.is_symlink():
            old = target.with_name(f".{target.name}{OLD_MARK}{secrets.token_hex(4)}")
            target.rename(old)
        part.rename(target)
        published = True
        _fsync_folder(target.parent)
        _renamed_whole(target, items)
    except BaseException as exc:
        _remove(target if published else part)
        if old is not None and not target.exists():
            with contextlib.suppress(OSError):
                old.rename(target)
        if isinstance(exc, OSError):
            raise _os_error(exc, target.parent) from exc
        raise
    if old is not None:
        _remove(old)
        _fsync_folder(target.parent)
    return old is not None


def copy_bundle(
    bundle: Path,
    dest: Path,
    *,
    progress: ProgressCallback | None = None,
    stop: threading.Event | None = None,
    replace: bool = False,
    fstype: str | None = None,
) -> CopyReport:
    """Copy the bundle in ``bundle`` into ``dest/<its folder name>``, sync it, read every
    file back against ``manifest.json``, and report it only when all matched.

    Refuses (`DestinationRefused`, nothing written) when `check_destination` finds an error;
    `IncompleteBundle` for a folder without a manifest. ``progress`` gets byte events of
    the two phases (`COPY_STEP`, `CHECK_STEP`, in MB); ``stop`` set from another thread
    ends the copy with `CopyCancelled`. A read-back that differs is `ReadBackFailed`; a
    stick that fills up `StickFull`. In every failure no folder of the final name is left
    that was not there before. ``replace`` and ``fstype`` are as for `check_destination`.
    """
    started = time.monotonic()
    bundle, dest = Path(bundle), Path(dest)
    manifest = read_manifest(bundle)  # IncompleteBundle, as every command says it
    findings = check_destination(bundle, dest, replace=replace, fstype=fstype)
    if any(f.level == "error" for f in findings):
        raise _refused(bundle, findings)
    warnings = tuple(findings)
    try:
        manifest_bytes = (bundle / MANIFEST_NAME).read_bytes()
    except OSError as exc:
        raise path_error(exc, "reading the bundle") from exc
    items = _items(bundle, manifest, manifest_bytes)
    total = sum(i.size for i in items)
    target = dest / bundle.name
    _check_stop(stop)
    if any(f.code == "already" for f in findings):
        try:
            read_back(target, items, progress, stop)
        except ReadBackFailed as exc:
            if exc.cause != "stick":
                raise
            if not replace:
                exc.hint = "add --replace to copy it anew, or use another stick"
                raise
        else:
            elapsed = time.monotonic() - started
            return CopyReport(target, len(items) - 1, total, True, elapsed, True, False, warnings)
    replaced = _copy_fresh(items, manifest_bytes, target, progress, stop)
    elapsed = time.monotonic() - started
    return CopyReport(target, len(items) - 1, total, True, elapsed, False, replaced, warnings)
