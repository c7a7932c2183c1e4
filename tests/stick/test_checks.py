"""check_destination: what refuses a copy and what is only a warning, before a byte is written."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from stick_helpers import (
    GiB,
    add_file,
    exfat_stick,
    fat32_stick,
    private_bundle,
    tmpfs_stick,
    with_preset,
)

from screenkit.bundle.documents.manifest import read_manifest, write_manifest
from screenkit.stick import DestinationRefused, Finding, check_destination, copy_bundle
from screenkit.stick.checks import needed_bytes

ROOMY = "8g"
"""A tmpfs stick with room for a 4-GiB film whatever the test machine's disk holds (its
files are sparse, so it takes no memory). A folder on the machine's disk would make the
4-GiB checks depend on the disk's free space: a CI disk with 1.9 GB free refused the film
for space."""


def _codes(findings: list[Finding]) -> list[tuple[str, str]]:
    return [(f.level, f.code) for f in findings]


def _big_bundle(demo_bundle: Path, where: Path, size: int) -> Path:
    """The demo bundle with a film of ``size`` bytes beside it (sparse: no disk taken)."""
    bundle = private_bundle(demo_bundle, where)
    add_file(bundle, "film-4k.mp4", size, hashed=False)  # the checks read sizes only
    return bundle


def test_a_plain_folder_takes_the_demo_bundle(demo_bundle: Path, stick: Path) -> None:
    assert check_destination(demo_bundle, stick, fstype="exfat") == []
    assert check_destination(demo_bundle, stick, fstype="vfat") == []
    assert list(stick.iterdir()) == []  # a check writes nothing


@pytest.mark.parametrize("fstype", ["ntfs", "apfs", "hfsplus", "ext4"])
def test_a_format_a_tv_may_not_read_is_a_warning_for_a_usb_player(
    demo_bundle: Path, stick: Path, fstype: str
) -> None:
    (finding,) = check_destination(demo_bundle, stick, fstype=fstype)
    largest = max(r.size for r in read_manifest(demo_bundle).files)
    assert finding == Finding(
        "warning",
        "filesystem",
        {
            "fstype": {"ntfs": "NTFS", "apfs": "APFS", "hfsplus": "HFS+"}.get(fstype, fstype),
            "largest": largest,
            "device": "usb",
        },
    )


def test_a_laptop_bundle_may_go_on_ntfs(demo_bundle: Path, stick: Path, tmp_path: Path) -> None:
    bundle = with_preset(private_bundle(demo_bundle, tmp_path / "src"), "laptop")
    assert check_destination(bundle, stick, fstype="ntfs") == []


def test_an_old_players_bundle_wants_fat32_at_the_top_of_the_stick(
    demo_bundle: Path, stick: Path, tmp_path: Path
) -> None:
    bundle = private_bundle(demo_bundle, tmp_path / "src")
    manifest = read_manifest(with_preset(bundle, "divx"))
    write_manifest(bundle, dataclasses.replace(manifest, video="Film (it, divx).avi"))
    findings = check_destination(bundle, stick, fstype="exfat")
    assert _codes(findings) == [("warning", "filesystem"), ("warning", "top-folder")]
    assert findings[0].params["device"] == "divx"
    assert findings[1].params == {"name": "Film (it, divx).avi", "srt": "Film (it, divx).srt"}
    assert _codes(check_destination(bundle, stick, fstype="vfat")) == [("warning", "top-folder")]


def test_a_file_over_4_gib_is_refused_on_fat32_and_named(demo_bundle: Path, tmp_path: Path) -> None:
    bundle = _big_bundle(demo_bundle, tmp_path / "src", 4 * GiB)
    with tmpfs_stick(tmp_path / "STICK", ROOMY) as stick:
        (finding,) = check_destination(bundle, stick, fstype="vfat")
        assert check_destination(bundle, stick, fstype="exfat") == []
    assert finding == Finding(
        "error", "file-too-large", {"file": "film-4k.mp4", "size": 4 * GiB, "fstype": "FAT32"}
    )


def test_4_gib_minus_one_byte_still_fits_fat32(demo_bundle: Path, tmp_path: Path) -> None:
    bundle = _big_bundle(demo_bundle, tmp_path / "src", 4 * GiB - 1)
    with tmpfs_stick(tmp_path / "STICK", ROOMY) as stick:
        assert check_destination(bundle, stick, fstype="vfat") == []


def test_a_real_fat32_stick_refuses_a_4_gib_film(demo_bundle: Path, tmp_path: Path) -> None:
    """mkfs.vfat's FAT32, mounted (fusefat): the file system is read from the mount."""
    bundle = _big_bundle(demo_bundle, tmp_path / "src", 4 * GiB + 1)
    with fat32_stick(tmp_path) as stick:
        findings = check_destination(bundle, stick)
        assert _codes(findings) == [("error", "file-too-large")]
        assert findings[0].params["file"] == "film-4k.mp4"
        with pytest.raises(DestinationRefused) as caught:
            copy_bundle(bundle, stick)
        assert caught.value.code == "file-too-large"
        assert "'film-4k.mp4' is 4.3 GB: too large for a FAT32 stick" in caught.value.message
        assert not any(bundle.name in p.name for p in stick.iterdir())


def test_a_real_exfat_stick_takes_4_gib_files_but_not_on_64_mb(
    demo_bundle: Path, tmp_path: Path
) -> None:
    bundle = _big_bundle(demo_bundle, tmp_path / "src", 4 * GiB + 1)
    with exfat_stick(tmp_path) as stick:
        findings = check_destination(bundle, stick)
        assert _codes(findings) == [("error", "no-space")]
        assert findings[0].params["free"] == shutil.disk_usage(stick).free
        assert int(findings[0].params["need"]) > 4 * GiB


def test_too_little_space_is_refused_with_the_figures(demo_bundle: Path, tmp_path: Path) -> None:
    with tmpfs_stick(tmp_path / "small", "1m") as small:
        findings = check_destination(demo_bundle, small)
        assert _codes(findings)[0] == ("error", "no-space")
        params = findings[0].params
        assert params["free"] == shutil.disk_usage(small).free
        sizes = [r.size for r in read_manifest(demo_bundle).files]
        assert int(params["need"]) >= sum(sizes) > int(params["free"])


def test_space_is_counted_in_whole_clusters() -> None:
    # a FAT32 stick of 32 KiB clusters: 1 byte takes 32 KiB, and so does each folder
    assert needed_bytes([1, 32768, 32769], folders=2, cluster=32768) == (1 + 1 + 2 + 2) * 32768


def test_a_half_copy_left_behind_counts_as_free_space(demo_bundle: Path, tmp_path: Path) -> None:
    size = sum(p.stat().st_size for p in demo_bundle.rglob("*") if p.is_file())
    with tmpfs_stick(tmp_path / "small", f"{size * 3 // 2 // 1024}k") as small:
        stale = small / f".{demo_bundle.name}.part-12345678"
        stale.mkdir()
        (stale / "film.mp4").write_bytes(bytes(size))
        assert check_destination(demo_bundle, small) == []  # the next copy removes it


def test_a_locked_stick_is_refused(demo_bundle: Path, tmp_path: Path) -> None:
    with tmpfs_stick(tmp_path / "locked", "1m", read_only=True) as locked:
        assert _codes(check_destination(demo_bundle, locked)) == [("error", "dest-not-writable")]


def test_a_destination_that_is_not_a_stick_folder(
    demo_bundle: Path, stick: Path, tmp_path: Path
) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("x")
    cases = {
        tmp_path / "not-plugged-in": "dest-missing",
        a_file: "dest-not-folder",
        demo_bundle: "dest-inside-bundle",
        demo_bundle / "subtitles": "dest-inside-bundle",
        demo_bundle.parent: "dest-holds-bundle",
    }
    for dest, code in cases.items():
        findings = check_destination(demo_bundle, dest)
        assert _codes(findings) == [("error", code)], dest
        assert findings[0].params == {"dest": str(dest)}


def test_a_bundle_that_is_not_whole_is_refused(
    demo_bundle: Path, stick: Path, tmp_path: Path
) -> None:
    half = tmp_path / "half"
    half.mkdir()
    assert _codes(check_destination(half, stick)) == [("error", "bundle-incomplete")]
    assert _codes(check_destination(tmp_path / "none", stick)) == [("error", "bundle-missing")]
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "manifest.json").write_text("{not json")
    assert _codes(check_destination(bad, stick)) == [("error", "bundle-damaged")]
    changed = private_bundle(demo_bundle, tmp_path / "src")
    with (changed / "test-clip.mp4").open("r+b") as fh:
        fh.truncate(100)
    findings = check_destination(changed, stick)
    assert findings[0] == Finding("error", "bundle-changed", {"file": "test-clip.mp4"})


def test_what_is_already_there(demo_bundle: Path, stick: Path, tmp_path: Path) -> None:
    copy_bundle(demo_bundle, stick, fstype="exfat")
    target = str(stick / demo_bundle.name)
    assert check_destination(demo_bundle, stick, fstype="exfat") == [
        Finding("warning", "already", {"folder": target})
    ]
    rebuilt = private_bundle(demo_bundle, tmp_path / "src")
    manifest = read_manifest(rebuilt)
    write_manifest(rebuilt, dataclasses.replace(manifest, created="2026-05-12T20:30:00+0200"))
    created = read_manifest(stick / demo_bundle.name).created
    assert check_destination(rebuilt, stick, fstype="exfat") == [
        Finding("error", "exists-other", {"folder": target, "created": created})
    ]
    assert check_destination(rebuilt, stick, fstype="exfat", replace=True) == [
        Finding("warning", "replaces", {"folder": target, "created": created})
    ]
    (Path(target) / "index.html").unlink()  # the same build, but a file is gone
    assert _codes(check_destination(demo_bundle, stick, fstype="exfat")) == [
        ("error", "exists-other")
    ]
