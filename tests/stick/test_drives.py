"""Which drives are sticks (lsblk's own output, recorded and live) and which file system holds
a folder (mountinfo, recorded and live, and real FAT32 and exFAT mounts)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from stick_helpers import exfat_stick, fat32_stick

from screenkit.stick import Drive, display_name, filesystem_of, parse_lsblk, removable_drives
from screenkit.stick.filesystems import mount_of, normalise, parse_mountinfo
from support import run_cli

DATA = Path(__file__).parent / "data"


def _lsblk(name: str) -> dict[str, object]:
    return dict(json.loads((DATA / name).read_text(encoding="utf-8")))


def test_a_laptop_with_two_sticks_plugged_in() -> None:
    """util-linux 2.38: booleans, numbers, ``mountpoints`` lists. The system disk, its EFI
    partition, a snap's loop device, a DVD and a stick that is not mounted are not offered."""
    drives = parse_lsblk(_lsblk("lsblk-laptop-with-stick.json"))
    assert drives == [
        Drive(
            Path("/media/anna/KINGSTON"),
            "KINGSTON",
            "vfat",
            14813552640,
            15367929856,
            "/dev/sda1",
        ),
        # formatted without a partition table (a "superfloppy"), hot-plugged, not "removable"
        Drive(Path("/media/anna/FILMS"), "FILMS", "exfat", 61420216320, 64016908288, "/dev/sdb"),
    ]
    assert drives[0].to_json()["path"] == "/media/anna/KINGSTON"


def test_an_older_lsblk_with_strings_and_one_mountpoint() -> None:
    """util-linux before 2.33: every value a string, ``mountpoint``, no PATH or FSAVAIL."""
    assert parse_lsblk(_lsblk("lsblk-2.32-sd-card.json")) == [
        Drive(
            Path("/run/media/marta/CINEMA"),
            "CINEMA",
            "exfat",
            None,
            31913934848,
            "/dev/mmcblk0p1",
        )
    ]


def test_an_lsblk_that_refuses_the_new_columns_is_asked_for_the_old_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An lsblk older than this machine's (it cannot be installed here) stands in as a
    script that answers as util-linux 2.32 does: an unknown column is an error."""
    fake = tmp_path / "bin" / "lsblk"
    fake.parent.mkdir()
    fake.write_text(
        "#!/bin/sh\n"
        'case "$*" in *MOUNTPOINTS*|*FSAVAIL*) echo "lsblk: unknown column" >&2; exit 1;; esac\n'
        f"cat '{DATA / 'lsblk-2.32-sd-card.json'}'\n"
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    drives = removable_drives()
    assert [d.path for d in drives] == [Path("/run/media/marta/CINEMA")]
    assert drives[0].fstype == "exfat" and drives[0].free is None  # not mounted here


@pytest.mark.skipif(shutil.which("lsblk") is None, reason="no lsblk (util-linux) here")
def test_the_real_lsblk_is_read() -> None:
    out = subprocess.run(
        ["lsblk", "--json", "--bytes", "--output", "NAME,TYPE,RM,HOTPLUG,TRAN,MOUNTPOINTS"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    expected = parse_lsblk(json.loads(out))
    drives = removable_drives()
    assert [d.path for d in drives] == [d.path for d in expected]
    for drive in drives:
        assert drive.path.is_dir() and os.path.ismount(drive.path)
        assert drive.free is None or drive.free == shutil.disk_usage(drive.path).free


def test_mountinfo_is_read_as_the_kernel_writes_it() -> None:
    """A laptop's /proc/self/mountinfo: a stick whose label has a space, an NTFS disk through
    ntfs-3g (fuseblk) and through the kernel (ntfs3), an HFS+ one."""
    mounts = parse_mountinfo((DATA / "mountinfo-laptop.txt").read_text() + "a broken line\n")
    assert [m.point for m in mounts][:3] == [Path("/proc"), Path("/"), Path("/media/anna/MY STICK")]
    stick = mount_of(Path("/media/anna/MY STICK/films/a b"), mounts)
    assert stick is not None and (stick.fstype, stick.source) == ("vfat", "/dev/sdb1")
    home = mount_of(Path("/home/anna"), mounts)
    assert home is not None and home.fstype == "ext4"
    assert [normalise(m.fstype) for m in mounts[4:]] == ["ntfs", "hfsplus"]


@pytest.mark.parametrize(
    ("given", "kernel", "shown"),
    [
        ("vfat", "vfat", "FAT32"),
        ("FAT32", "vfat", "FAT32"),
        ("msdos", "vfat", "FAT32"),
        ("fuse.fusefat", "vfat", "FAT32"),
        ("exFAT", "exfat", "exFAT"),
        ("ntfs3", "ntfs", "NTFS"),
        ("fuse.ntfs-3g", "ntfs", "NTFS"),
        ("hfs", "hfsplus", "HFS+"),
        ("apfs", "apfs", "APFS"),
        ("ext4", "ext4", "ext4"),
    ],
)
def test_file_system_names(given: str, kernel: str, shown: str) -> None:
    assert normalise(given) == kernel and display_name(given) == shown


@pytest.mark.skipif(shutil.which("findmnt") is None, reason="no findmnt (util-linux) here")
def test_the_file_system_of_a_folder_is_findmnts(tmp_path: Path) -> None:
    answer = subprocess.run(
        ["findmnt", "--noheadings", "--output", "FSTYPE", "--target", str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert filesystem_of(tmp_path) == normalise(answer)
    assert filesystem_of(tmp_path / "no" / "such" / "folder") == normalise(answer)


def test_a_real_fat32_stick_is_fat32(tmp_path: Path) -> None:
    with fat32_stick(tmp_path) as stick:
        assert filesystem_of(stick) == "vfat"
        (stick / "films").mkdir()
        assert filesystem_of(stick / "films") == "vfat"


def test_a_real_exfat_stick_through_fuseblk_is_exfat(tmp_path: Path) -> None:
    """exfat-fuse (like ntfs-3g) mounts as plain ``fuseblk``: the device is asked."""
    with exfat_stick(tmp_path) as stick:
        assert filesystem_of(stick) == "exfat"


def test_doctor_says_whether_the_drive_tools_are_here() -> None:
    code, out, _ = run_cli("doctor", "--json")
    checks = {c["name"]: c for c in json.loads(out)["checks"]}
    for tool in ("lsblk", "udisksctl"):
        assert checks[tool]["optional"] is True
        assert checks[tool]["ok"] == (shutil.which(tool) is not None)
        assert checks[tool]["ok"] or checks[tool]["fix"].startswith("apt-get install")
    assert code in (0, 1)
