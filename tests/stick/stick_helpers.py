"""Helpers of the stick tests: real file systems mounted for a test, bundles made to measure."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from screenkit.bundle.documents.manifest import FileRecord, read_manifest, write_manifest
from screenkit.presets import load_preset

GiB = 1 << 30


def run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, check=False)


def need(*tools: str) -> None:
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (apt-get install dosfstools fusefat exfat-fuse)")


@contextlib.contextmanager
def mounted(argv: list[str], point: Path, *, loop: str | None = None) -> Iterator[Path]:
    """``point`` with a file system mounted by ``argv``; unmounted (and the loop device
    released) when the ``with`` ends. Skips where this machine does not allow mounting."""
    point.mkdir(parents=True, exist_ok=True)
    done = run(*argv)
    if done.returncode != 0 or not os.path.ismount(point):
        if loop:
            run("losetup", "-d", loop)
        pytest.skip(f"cannot mount here ({' '.join(argv[:1])}): {done.stderr.strip()[:200]}")
    try:
        yield point
    finally:
        for attempt in (["fusermount", "-u", str(point)], ["umount", str(point)]):
            if shutil.which(attempt[0]) and run(*attempt).returncode == 0:
                break
        if loop:
            run("losetup", "-d", loop)


@contextlib.contextmanager
def fat32_stick(folder: Path, size_mb: int = 48) -> Iterator[Path]:
    """A real FAT32 file system (mkfs.vfat) in an image, mounted by fusefat (this kernel has
    no vfat module): writable, but it reports no free space and loses a renamed folder's
    entries, which the copy must catch."""
    need("mkfs.vfat", "fusefat")
    image = folder / "fat32.img"
    with image.open("wb") as fh:
        fh.truncate(size_mb << 20)
    assert run("mkfs.vfat", "-F", "32", "-n", "STICK", str(image)).returncode == 0
    with mounted(
        ["fusefat", "-o", "rw+", str(image), str(folder / "FAT32")], folder / "FAT32"
    ) as p:
        yield p


@contextlib.contextmanager
def exfat_stick(folder: Path, size_mb: int = 64) -> Iterator[Path]:
    """A real exFAT file system (mkfs.exfat) on a loop device, mounted by exfat-fuse."""
    need("mkfs.exfat", "mount.exfat-fuse", "losetup")
    image = folder / "exfat.img"
    with image.open("wb") as fh:
        fh.truncate(size_mb << 20)
    assert run("mkfs.exfat", "-L", "EXSTICK", str(image)).returncode == 0
    loop = run("losetup", "-f", "--show", str(image))
    if loop.returncode != 0:
        pytest.skip(f"no loop device here: {loop.stderr.strip()[:200]}")
    device = loop.stdout.strip()
    point = folder / "EXFAT"
    with mounted(["mount.exfat-fuse", device, str(point)], point, loop=device) as p:
        yield p


@contextlib.contextmanager
def tmpfs_stick(folder: Path, size: str, *, read_only: bool = False) -> Iterator[Path]:
    """A small real file system (tmpfs of ``size``): a stick that is nearly full, or locked."""
    need("mount")
    options = f"size={size}" + (",ro" if read_only else "")
    with mounted(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], folder) as p:
        yield p


def private_bundle(bundle: Path, dest: Path) -> Path:
    """A copy of ``bundle`` (real copies, not links: tests change them) in ``dest``."""
    return Path(shutil.copytree(bundle, dest / bundle.name))


def add_file(bundle: Path, name: str, size: int, *, hashed: bool = True) -> FileRecord:
    """Add a sparse file of ``size`` zero bytes (it takes no disk) to ``bundle`` and to its
    manifest: with its true sha256 (hashed in steps), or, with ``hashed=False`` for the
    checks that read sizes only, a digest nobody reads."""
    path = bundle / name
    with path.open("wb") as fh:
        fh.truncate(size)
    digest = hashlib.sha256()
    zeros = bytes(8 << 20)
    left = size if hashed else 0
    while left:
        step = min(left, len(zeros))
        digest.update(zeros[:step])
        left -= step
    record = FileRecord(name, digest.hexdigest() if hashed else "not read", size)
    with_record(bundle, record)
    return record


def with_record(bundle: Path, record: FileRecord) -> None:
    """Put ``record`` into ``bundle``'s manifest as it is (a crafted or stale manifest)."""
    manifest = read_manifest(bundle)
    write_manifest(bundle, dataclasses.replace(manifest, files=(*manifest.files, record)))


def with_preset(bundle: Path, name: str) -> Path:
    """``bundle``'s manifest saying it was made for the standard preset ``name``."""
    manifest = read_manifest(bundle)
    write_manifest(bundle, dataclasses.replace(manifest, preset=load_preset(name)))
    return bundle


def part_folders(dest: Path) -> list[Path]:
    return [p for p in dest.iterdir() if ".part-" in p.name or ".old-" in p.name]
