"""Before a copy: can this bundle go into that folder, and will the player read it there?

`check_destination` looks, without writing anything, at the bundle (complete, unchanged
since its build), the destination (there, a folder, writable, not inside the bundle), the
folder of the same name already there, the file system (a file of 4 GiB or more cannot go
onto FAT32; a TV reads few formats) and the free space. Each thing found is a `Finding`:
a level, a code and its figures, never words, so that each face says it in its own
language (`screenkit.stick.words.describe_finding`).

Codes, errors first (the copy refuses to start on any error):

=====================  ==========================================================
``bundle-missing``     {bundle}: not a folder
``bundle-incomplete``  {bundle}: no manifest.json (a build that did not finish)
``bundle-damaged``     {bundle}: its manifest.json cannot be read
``bundle-changed``     {file}: missing, or not the size the manifest says
``dest-missing``       {dest}: no such folder (the stick is not mounted?)
``dest-not-folder``    {dest}: a file
``dest-not-writable``  {dest}: read-only, or another user's
``dest-inside-bundle`` {dest}: the bundle's own folder or inside it
``dest-holds-bundle``  {dest}: the folder the bundle already is in
``file-too-large``     {file, size, fstype}: over FAT32's 4 GiB − 1 bytes a file
``no-space``           {need, free, dest}: bytes the copy takes and bytes free
``exists-other``       {folder, created}: a different folder of the bundle's name is there
=====================  ==========================================================

and warnings (the copy goes ahead): ``filesystem`` {fstype, largest, device} (a format
the preset's player may not read), ``top-folder`` {name, srt} (an old player looks only at
the top of the stick), ``already`` {folder} (this very bundle is there: it is read back,
not copied), ``replaces`` {folder, created} (with ``replace``: the folder there goes once
the new copy is checked).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from screenkit.bundle.documents.manifest import MANIFEST_NAME, Manifest, read_manifest
from screenkit.bundle.documents.sheet_words import FAT32_LIMIT, device_kind
from screenkit.bundle.engine.errors import IncompleteBundle
from screenkit.errors import InputError
from screenkit.media.atomic import PART_MARK
from screenkit.stick.filesystems import (
    EXFAT,
    FAT,
    cluster_size,
    display_name,
    filesystem_of,
    normalise,
    space_of,
)

Level = Literal["error", "warning"]
FAT32_MAX_FILE = FAT32_LIMIT - 1
"""The largest file FAT32 holds: 4 GiB − 1 bytes (its size field has 32 bits)."""
TV_UNREADABLE = frozenset(
    {"ntfs", "hfsplus", "apfs", "ext2", "ext3", "ext4", "btrfs", "xfs", "f2fs", "zfs"}
)
"""Formats a TV's or projector's media player seldom reads (the sheet: "not NTFS or a Mac
format"); an old DVD player's USB port reads FAT32 alone."""


@dataclass(frozen=True)
class Finding:
    """One thing `check_destination` found: ``params`` are figures and names, not words."""

    level: Level
    code: str
    params: dict[str, str | int]

    def to_json(self) -> dict[str, Any]:
        return {"level": self.level, "code": self.code, "params": dict(self.params)}


def _error(code: str, **params: str | int) -> Finding:
    return Finding("error", code, params)


def _warning(code: str, **params: str | int) -> Finding:
    return Finding("warning", code, params)


def inside(folder: Path, relative: str) -> Path | None:
    """``folder/relative`` for a manifest path that stays inside ``folder``; None for one
    that is absolute or climbs out (a crafted manifest must not make a copy write elsewhere)."""
    pure = PurePosixPath(relative)
    if pure.is_absolute() or not pure.parts or ".." in pure.parts or "\\" in relative:
        return None
    return folder.joinpath(*pure.parts)


def stale_parts(target: Path) -> list[Path]:
    """Hidden ``.<name>.part-…`` folders beside ``target``: copies that were cut off
    (a pulled stick, a killed process). The next copy removes them."""
    head = f".{target.name}{PART_MARK}"
    try:
        return [p for p in target.parent.iterdir() if p.name.startswith(head) and p.is_dir()]
    except OSError:
        return []


def tree_size(folder: Path) -> int:
    total = 0
    for root, _, files in os.walk(folder):
        for name in files:
            with contextlib.suppress(OSError):
                total += (Path(root) / name).lstat().st_size
    return total


def same_bundle(folder: Path, bundle: Path) -> bool:
    """Whether ``folder`` holds this very build of ``bundle``: the same ``manifest.json``,
    byte for byte, and every file it lists there at its size (the bytes are for the
    read-back to judge)."""
    try:
        if (folder / MANIFEST_NAME).read_bytes() != (bundle / MANIFEST_NAME).read_bytes():
            return False
        manifest = read_manifest(folder)
    except (OSError, InputError):
        return False
    for record in manifest.files:
        path = inside(folder, record.path)
        try:
            if path is None or path.stat().st_size != record.size:
                return False
        except OSError:
            return False
    return True


def _bundle_findings(bundle: Path) -> tuple[Manifest | None, list[Finding]]:
    if not bundle.is_dir():
        return None, [_error("bundle-missing", bundle=str(bundle))]
    try:
        manifest = read_manifest(bundle)
    except IncompleteBundle:
        return None, [_error("bundle-incomplete", bundle=str(bundle))]
    except InputError:
        return None, [_error("bundle-damaged", bundle=str(bundle))]
    found = []
    for record in manifest.files:
        path = inside(bundle, record.path)
        try:
            size = path.stat().st_size if path is not None and path.is_file() else None
        except OSError:
            size = None
        if size != record.size:
            found.append(_error("bundle-changed", file=record.path))
    return manifest, found


def _dest_findings(bundle: Path, dest: Path) -> list[Finding]:
    if not dest.exists():
        return [_error("dest-missing", dest=str(dest))]
    if not dest.is_dir():
        return [_error("dest-not-folder", dest=str(dest))]
    real_dest, real_bundle = dest.resolve(), bundle.resolve()
    if real_dest == real_bundle or real_bundle in real_dest.parents:
        return [_error("dest-inside-bundle", dest=str(dest))]
    if (real_dest / bundle.name).resolve() == real_bundle:
        return [_error("dest-holds-bundle", dest=str(dest))]
    if not os.access(dest, os.W_OK | os.X_OK):
        return [_error("dest-not-writable", dest=str(dest))]
    return []


def _existing(bundle: Path, target: Path, replace: bool) -> tuple[Finding | None, bool]:
    """What is at ``target`` already, and whether it is this very bundle."""
    if not target.exists() and not target.is_symlink():
        return None, False
    if target.is_dir() and not target.is_symlink() and same_bundle(target, bundle):
        return _warning("already", folder=str(target)), True
    try:
        created = read_manifest(target).created if target.is_dir() else ""
    except (InputError, OSError):
        created = ""
    params: dict[str, str | int] = {"folder": str(target), "created": created}
    if replace:
        return Finding("warning", "replaces", params), False
    return Finding("error", "exists-other", params), False


def _format_findings(manifest: Manifest, fstype: str | None) -> list[Finding]:
    if fstype is None:
        return []
    found = []
    largest = max((r.size for r in manifest.files), default=0)
    if fstype == FAT:
        found += [
            _error("file-too-large", file=r.path, size=r.size, fstype=display_name(fstype))
            for r in manifest.files
            if r.size > FAT32_MAX_FILE
        ]
    device = device_kind(manifest.preset)
    if device in ("usb", "divx") and (
        fstype in TV_UNREADABLE or (device == "divx" and fstype == EXFAT)
    ):
        found.append(
            _warning("filesystem", fstype=display_name(fstype), largest=largest, device=device)
        )
    if device == "divx":
        name = PurePosixPath(manifest.video)
        found.append(_warning("top-folder", name=name.name, srt=f"{name.stem}.srt"))
    return found


def needed_bytes(sizes: Iterable[int], folders: int, cluster: int) -> int:
    """Bytes ``sizes`` take on a disk of ``cluster``-byte allocation units (each file and
    folder takes whole ones: on a FAT32 stick of 32 KiB clusters a 1-byte file takes 32 KiB)."""
    whole = sum(-(-size // cluster) * cluster for size in sizes)
    return whole + folders * cluster


def _space_finding(bundle: Path, manifest: Manifest, dest: Path, target: Path) -> list[Finding]:
    space = space_of(dest)
    if space is None:
        return []  # the copy itself says so if the stick fills up
    free = space[0] + sum(tree_size(p) for p in stale_parts(target))
    sizes = [r.size for r in manifest.files]
    with contextlib.suppress(OSError):
        sizes.append((bundle / MANIFEST_NAME).stat().st_size)
    folders = 1 + len({str(PurePosixPath(r.path).parent) for r in manifest.files} - {"."})
    need = needed_bytes(sizes, folders, cluster_size(dest))
    if need > free:
        return [_error("no-space", need=need, free=free, dest=str(dest))]
    return []


def check_destination(
    bundle: Path, dest: Path, *, replace: bool = False, fstype: str | None = None
) -> list[Finding]:
    """What stands against copying ``bundle`` into ``dest/<bundle's folder name>``: errors
    (the copy refuses) then warnings. Nothing is written.

    ``replace``: a different folder of the bundle's name in ``dest`` is to be replaced (a
    warning, not an error). ``fstype``: the destination's file system when the caller knows
    it (a `Drive`'s; a test's recorded answer), else it is read from the mount.
    """
    bundle, dest = Path(bundle), Path(dest)
    manifest, found = _bundle_findings(bundle)
    if manifest is None:
        return found
    problems = _dest_findings(bundle, dest)
    if problems:
        return found + problems
    target = dest / bundle.name
    existing, already = _existing(bundle, target, replace)
    found += [existing] if existing else []
    found += _format_findings(manifest, normalise(fstype) if fstype else filesystem_of(dest))
    if not already:
        found += _space_finding(bundle, manifest, dest, target)
    return sorted(found, key=lambda f: f.level != "error")
