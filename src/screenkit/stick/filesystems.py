"""Which file system holds a folder, named the one way the checks use.

A player reads a stick only in the file systems it knows, and FAT32 holds no file of 4 GiB
or more; so before a copy the destination's file system must be known, for any folder, not
only for the drives `removable_drives` lists. On Linux it comes from ``/proc/self/mountinfo``
(the mount whose device is the folder's, else the longest mount point above it); a FUSE
mount that says only ``fuseblk`` (ntfs-3g, exfat-fuse) is asked about its device with
``lsblk``, then ``blkid``. On macOS from ``mount``'s lines, on Windows from the volume's own
answer (both best effort, not tested here). Names are normalised to the kernel's spelling
(``vfat``, ``exfat``, ``ntfs``, ``hfsplus``, ``apfs``, ``ext4`` …): ``fuse.fusefat``,
``msdos``, ``FAT32`` are all ``vfat``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

FAT = "vfat"
EXFAT = "exfat"
NTFS = "ntfs"

_ALIASES = {
    "msdos": FAT,
    "fat": FAT,
    "fat12": FAT,
    "fat16": FAT,
    "fat32": FAT,
    "fusefat": FAT,
    "fuse.fusefat": FAT,
    "fuse.exfat": EXFAT,
    "exfat-fuse": EXFAT,
    "fuse.exfat-fuse": EXFAT,
    "ntfs3": NTFS,
    "ntfs-3g": NTFS,
    "fuse.ntfs-3g": NTFS,
    "fuse.ntfs": NTFS,
    "hfs": "hfsplus",
    "hfs+": "hfsplus",
    "fuse.hfsfuse": "hfsplus",
    "fuse.apfs-fuse": "apfs",
}
_SHOWN = {
    FAT: "FAT32",
    EXFAT: "exFAT",
    NTFS: "NTFS",
    "hfsplus": "HFS+",
    "apfs": "APFS",
}
_TIMEOUT = 10.0
"""Seconds a helper program (lsblk, blkid, mount) may take before its answer is given up."""


def normalise(name: str) -> str:
    """The kernel's name for a file system type, whoever spelled it (``FAT32`` → ``vfat``)."""
    key = name.strip().lower()
    return _ALIASES.get(key, key)


def display_name(fstype: str) -> str:
    """The name people know a file system by: ``FAT32``, ``exFAT``, ``NTFS``, ``HFS+``."""
    return _SHOWN.get(normalise(fstype), normalise(fstype))


@dataclass(frozen=True)
class Mount:
    """One line of ``/proc/self/mountinfo``."""

    point: Path
    fstype: str
    source: str
    device: str
    """``major:minor`` of the mounted device."""


def _unescape(field: str) -> str:
    """mountinfo writes space, tab, newline and backslash in a path as octal escapes."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def parse_mountinfo(text: str) -> list[Mount]:
    """The mounts of a ``/proc/<pid>/mountinfo`` text (lines it cannot read are skipped)."""
    mounts = []
    for line in text.splitlines():
        left, sep, right = line.partition(" - ")
        fields, tail = left.split(), right.split()
        if not sep or len(fields) < 5 or len(tail) < 2:
            continue
        mounts.append(Mount(Path(_unescape(fields[4])), tail[0], _unescape(tail[1]), fields[2]))
    return mounts


def run_tool(argv: list[str]) -> str | None:
    """A helper program's stdout, or None when it is absent, fails or hangs."""
    if shutil.which(argv[0]) is None:
        return None
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=_TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def device_filesystem(device: str) -> str | None:
    """The file system on a block device, as ``lsblk`` (udev's record) or ``blkid`` (which
    reads the device itself: root or the disk group) says."""
    for argv in (
        ["lsblk", "-ndo", "FSTYPE", device],
        ["blkid", "-o", "value", "-s", "TYPE", device],
    ):
        out = run_tool(argv)
        if out and out.strip():
            return normalise(out.strip().splitlines()[0])
    return None


def mount_of(path: Path, mounts: list[Mount]) -> Mount | None:
    """The mount holding ``path``: the one of its device (the last mounted over it wins),
    else the longest mount point above its real path (a btrfs subvolume's own device
    number is in no mountinfo line)."""
    real = Path(os.path.realpath(path))
    try:
        st = real.stat()
        device = f"{os.major(st.st_dev)}:{os.minor(st.st_dev)}"
    except OSError:
        device = ""
    above = [m for m in mounts if real == m.point or m.point in real.parents]
    same = [m for m in above if m.device == device]
    candidates = same or above
    if not candidates:
        return None
    deepest = max(len(m.point.parts) for m in candidates)
    return [m for m in candidates if len(m.point.parts) == deepest][-1]


def _linux(path: Path) -> str | None:
    try:
        text = Path("/proc/self/mountinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    mount = mount_of(path, parse_mountinfo(text))
    if mount is None:
        return None
    if mount.fstype == "fuseblk":  # ntfs-3g and exfat-fuse both say only this
        return device_filesystem(mount.source)
    return normalise(mount.fstype)


def _darwin(path: Path) -> str | None:
    """``/dev/disk4s1 on /Volumes/STICK (msdos, local, nodev, nosuid, noowners)``."""
    out = run_tool(["mount"])
    if out is None:
        return None
    mounts = []
    for line in out.splitlines():
        head, sep, options = line.rpartition(" (")
        source, on, point = head.partition(" on ")
        if sep and on:
            mounts.append(Mount(Path(point), options.split(",")[0].strip(), source, ""))
    mount = mount_of(path, mounts)
    return normalise(mount.fstype) if mount else None


def _windows(path: Path) -> str | None:  # pragma: no cover - not run on this platform
    if sys.platform != "win32":
        return None
    import ctypes

    root = Path(os.path.realpath(path)).anchor
    name = ctypes.create_unicode_buffer(64)
    ok = ctypes.windll.kernel32.GetVolumeInformationW(
        ctypes.c_wchar_p(root), None, 0, None, None, None, name, len(name)
    )
    return normalise(name.value) if ok and name.value else None


def filesystem_of(path: Path) -> str | None:
    """The normalised type of the file system holding ``path`` (an existing folder); None
    when this system cannot tell."""
    if sys.platform.startswith("linux"):
        return _linux(path)
    if sys.platform == "darwin":
        return _darwin(path)
    return _windows(path)


def space_of(path: Path) -> tuple[int, int] | None:
    """``(free, size)`` in bytes of the file system holding ``path``, for an unprivileged
    writer; None where it does not say (fusefat reports zero blocks)."""
    try:
        usage = shutil.disk_usage(path)
    except OSError:
        return None
    if usage.total <= 0:
        return None
    return usage.free, usage.total


def cluster_size(path: Path) -> int:
    """The allocation unit of the file system holding ``path`` (each file takes whole ones)."""
    try:
        st = os.statvfs(path)
    except (OSError, AttributeError):
        return 4096
    return max(512, st.f_frsize or st.f_bsize or 4096)
