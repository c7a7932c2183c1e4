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
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from screenkit.bundle.documents.manifest import MANIFEST_NAME, Manifest, read_manifest
from screenkit.errors import path_error
from screenkit.i18n import translator
from screenkit.media.atomic import PART_MARK
from screenkit.progress import ProgressCallback
from screenkit.stick.checks import Finding, check_destination, inside, stale_parts
from screenkit.stick.errors import (
    DestinationRefused,
    ReadBackFailed,
    StickFull,
)
from screenkit.stick.filesystems import space_of
from screenkit.stick.readback import (
    CHUNK,
    Item,
    Meter,
    check_stop,
    drop_cache,
    read_back,
    renamed_whole,
)
from screenkit.stick.words import describe_finding

COPY_STEP = "copying"
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


def _items(bundle: Path, manifest: Manifest, manifest_bytes: bytes) -> list[Item]:
    items = []
    for record in manifest.files:
        source = inside(bundle, record.path)
        assert source is not None  # check_destination refused a manifest path outside
        items.append(Item(record.path, source, record.size, record.sha256))
    digest = hashlib.sha256(manifest_bytes).hexdigest()
    items.append(Item(MANIFEST_NAME, bundle / MANIFEST_NAME, len(manifest_bytes), digest))
    return items


_NO_SENDFILE = (errno.EINVAL, errno.ENOSYS, errno.EXDEV, errno.EOPNOTSUPP, errno.ENOTSUP)


def _transfer(source: int, out: int, meter: Meter, stop: threading.Event | None) -> None:
    """Copy ``source`` to ``out`` a chunk at a time (progress, stop between chunks): by
    ``sendfile`` on Linux (the kernel moves the bytes, none pass through Python), else, or
    where a file system refuses it, by reads and writes."""
    kernel = sys.platform.startswith("linux") and hasattr(os, "sendfile")
    offset = 0
    while True:
        check_stop(stop)
        if kernel:
            try:
                sent = os.sendfile(out, source, offset, CHUNK)
            except OSError as exc:
                if offset == 0 and exc.errno in _NO_SENDFILE:
                    kernel = False
                    continue
                raise
        else:
            data = memoryview(os.read(source, CHUNK))  # sendfile moved no position
            sent = len(data)
            while data:
                data = data[os.write(out, data) :]
        if sent == 0:
            return
        offset += sent
        meter.add(sent)


def _write(item: Item, folder: Path, meter: Meter, stop: threading.Event | None) -> None:
    target = inside(folder, item.path)
    assert target is not None
    target.parent.mkdir(parents=True, exist_ok=True)
    with item.source.open("rb") as source, target.open("xb") as out:
        _transfer(source.fileno(), out.fileno(), meter, stop)
        os.fsync(out.fileno())
        drop_cache(out.fileno())
    meter.add(0, force=True)
    with contextlib.suppress(OSError):  # players sort by date; FAT keeps 2-second times
        st = item.source.stat()
        os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))


def _write_manifest(item: Item, data: bytes, folder: Path, meter: Meter) -> None:
    """The manifest's bytes as read at the start (the ones hashed), written last."""
    with (folder / MANIFEST_NAME).open("xb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
        drop_cache(out.fileno())
    meter.add(item.size, force=True)


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


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()


def _copy_fresh(
    items: Sequence[Item],
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
        meter = Meter(COPY_STEP, sum(i.size for i in items), progress)
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
        renamed_whole(target, items)
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
    What the read-back proves, and what it cannot, is said in this module's docstring.
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
    check_stop(stop)
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
