"""The removable drives plugged into this machine, to offer as the copy's destination.

On Linux from ``lsblk --json -b``: every mounted file system on a disk that is removable
or hot-plugged (a USB stick, an SD card; their partitions, or a stick formatted without a
partition table), with its label, file system, free space and mount point. lsblk reads
udev's records; in a container without udev the label and type may be empty, and the type is
then taken from the mount itself. A stick that is plugged in but not mounted is not listed
(the desktop mounts it; ``udisksctl mount -b DEVICE`` does without root). On macOS the
folders of ``/Volumes`` (but the system's own), on Windows the removable drive letters:
best effort, not tested here. Where nothing can be listed the answer is an empty list, and
the faces offer a folder chooser instead.
"""

from __future__ import annotations

import json
import string
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from screenkit.stick.filesystems import filesystem_of, normalise, run_tool, space_of

_COLUMNS = (
    "NAME,PATH,TYPE,RM,HOTPLUG,TRAN,LABEL,FSTYPE,FSAVAIL,FSSIZE,SIZE,RO,MOUNTPOINTS",
    "NAME,PATH,TYPE,RM,HOTPLUG,TRAN,LABEL,FSTYPE,FSAVAIL,FSSIZE,SIZE,RO,MOUNTPOINT",  # < 2.37
    "NAME,TYPE,RM,HOTPLUG,TRAN,LABEL,FSTYPE,SIZE,RO,MOUNTPOINT",  # < 2.33: no PATH, FSAVAIL
)
_SYSTEM_MOUNTS = frozenset(
    {"/", "/boot", "/boot/efi", "/efi", "/usr", "/var", "/home", "/opt", "/srv", "[SWAP]"}
)
_NOT_A_STICK = frozenset({"loop", "rom", "zram", "ram"})


@dataclass(frozen=True)
class Drive:
    """A mounted removable file system: where to copy to, and what it is."""

    path: Path
    """The mount point (the folder to copy into)."""
    label: str | None
    fstype: str | None
    """Normalised (`screenkit.stick.filesystems.normalise`): ``vfat``, ``exfat``, ``ntfs`` …"""
    free: int | None
    """Bytes free for this user; None when the file system does not say."""
    size: int | None
    device: str | None
    """``/dev/sdb1`` on Linux, ``E:`` on Windows, None where unknown."""

    def to_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "label": self.label,
            "fstype": self.fstype,
            "free": self.free,
            "size": self.size,
            "device": self.device,
        }


def _flag(value: Any) -> bool:
    """lsblk's booleans: ``true`` since util-linux 2.33, ``"1"`` / ``"0"`` before."""
    return value is True or str(value).lower() in ("1", "true")


def _number(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _text(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def _mount_points(node: Mapping[str, Any]) -> list[str]:
    """``mountpoints`` (a list, util-linux 2.37 on) or ``mountpoint`` (a string, before)."""
    points = node.get("mountpoints")
    if points is None:
        points = [node.get("mountpoint")]
    return [str(p) for p in points if p]


def _walk(nodes: Iterable[Mapping[str, Any]], removable: bool) -> Iterable[Drive]:
    for node in nodes:
        kind = str(node.get("type") or "")
        if kind in _NOT_A_STICK:
            continue
        here = removable or _flag(node.get("rm")) or _flag(node.get("hotplug"))
        here = here or str(node.get("tran") or "") == "usb"
        points = [p for p in _mount_points(node) if p not in _SYSTEM_MOUNTS]
        if here and points:
            fstype = _text(node.get("fstype"))
            name = _text(node.get("name"))
            yield Drive(
                path=Path(points[0]),
                label=_text(node.get("label")),
                fstype=normalise(fstype) if fstype else None,
                free=_number(node.get("fsavail")),
                size=_number(node.get("fssize")) or _number(node.get("size")),
                device=_text(node.get("path")) or (f"/dev/{name}" if name else None),
            )
        yield from _walk(node.get("children") or (), here)


def parse_lsblk(document: Mapping[str, Any]) -> list[Drive]:
    """The removable drives in ``lsblk --json -b`` output (as lsblk measured them)."""
    return list(_walk(document.get("blockdevices") or (), False))


def _lsblk() -> list[Drive]:
    for columns in _COLUMNS:  # an older lsblk refuses a column it does not know
        out = run_tool(["lsblk", "--json", "--bytes", "--output", columns])
        if out is None:
            continue
        try:
            return parse_lsblk(json.loads(out))
        except (ValueError, AttributeError, TypeError):
            return []
    return []


def _fresh(drive: Drive) -> Drive:
    """``drive`` with the free space as of now and, where lsblk had none, its type from the
    mount (lsblk's figures come from udev and may be a copy old)."""
    space = space_of(drive.path)
    fstype = drive.fstype or filesystem_of(drive.path)
    if space is None:
        return replace(drive, fstype=fstype)
    return replace(drive, fstype=fstype, free=space[0], size=space[1])


def _volumes(root: Path = Path("/Volumes")) -> list[Drive]:
    """macOS: every volume under ``/Volumes`` but the start-up disk (a link to ``/``)."""
    try:
        system = Path("/").stat().st_dev
        entries = sorted(root.iterdir())
    except OSError:
        return []
    found = []
    for entry in entries:
        try:
            if entry.is_symlink() or not entry.is_dir() or entry.stat().st_dev == system:
                continue
        except OSError:
            continue
        found.append(Drive(entry, entry.name, None, None, None, None))
    return found


def _drive_letters() -> list[Drive]:  # pragma: no cover - not run on this platform
    """Windows: the drive letters whose type is removable (sticks and card readers)."""
    if sys.platform != "win32":
        return []
    import ctypes

    kernel = ctypes.windll.kernel32
    mask = kernel.GetLogicalDrives()
    found = []
    for index, letter in enumerate(string.ascii_uppercase):
        root = f"{letter}:\\"
        if not mask & (1 << index) or kernel.GetDriveTypeW(ctypes.c_wchar_p(root)) != 2:
            continue
        label = ctypes.create_unicode_buffer(261)
        fs = ctypes.create_unicode_buffer(64)
        ok = kernel.GetVolumeInformationW(
            ctypes.c_wchar_p(root), label, len(label), None, None, None, fs, len(fs)
        )
        if ok:
            found.append(
                Drive(Path(root), label.value or None, normalise(fs.value), None, None, root[:2])
            )
    return found


def removable_drives() -> list[Drive]:
    """The removable drives mounted now, each with its free space as of this call."""
    if sys.platform.startswith("linux"):
        drives = _lsblk()
    elif sys.platform == "darwin":
        drives = _volumes()
    else:
        drives = _drive_letters()
    return [_fresh(d) for d in drives]
