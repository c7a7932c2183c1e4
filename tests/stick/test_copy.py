"""copy_bundle: real copies of a real bundle, read back against manifest.json before "ready"."""

from __future__ import annotations

import errno
import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from stick_helpers import (
    add_file,
    exfat_stick,
    fat32_stick,
    part_folders,
    private_bundle,
    tmpfs_stick,
    with_record,
)

from screenkit.bundle import IncompleteBundle, read_manifest, verify_bundle
from screenkit.bundle.documents.manifest import FileRecord
from screenkit.progress import Progress
from screenkit.stick import (
    CHECK_STEP,
    COPY_STEP,
    CopyCancelled,
    DestinationRefused,
    ReadBackFailed,
    StickFull,
    copy_bundle,
)


def _same_files(a: Path, b: Path) -> None:
    names = sorted(p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file())
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_a_bundle_is_copied_synced_and_read_back(demo_bundle: Path, stick: Path) -> None:
    events: list[Progress] = []
    report = copy_bundle(demo_bundle, stick, progress=events.append)
    manifest = read_manifest(demo_bundle)
    assert report.folder == stick / demo_bundle.name
    assert report.verified and not report.already and not report.replaced
    assert report.files == len(manifest.files)  # as verify counts them (manifest.json aside)
    on_disk = sum(p.stat().st_size for p in demo_bundle.rglob("*") if p.is_file())
    assert report.bytes == on_disk
    _same_files(demo_bundle, report.folder)
    assert part_folders(stick) == []
    assert verify_bundle(report.folder).ok
    # byte progress of both phases, each climbing to its whole
    for step in (COPY_STEP, CHECK_STEP):
        done = [e.done for e in events if e.step == step]
        assert done == sorted(done) and done[-1] == pytest.approx(report.bytes / 1e6)
        assert {e.unit for e in events if e.step == step} == {"MB"}
    first_check = next(i for i, e in enumerate(events) if e.step == CHECK_STEP)
    assert all(e.step == CHECK_STEP for e in events[first_check:])  # read back after all writes


def test_the_same_bundle_already_there_is_read_back_not_copied(
    demo_bundle: Path, stick: Path
) -> None:
    first = copy_bundle(demo_bundle, stick)
    film = first.folder / read_manifest(demo_bundle).video
    before = film.stat()
    events: list[Progress] = []
    again = copy_bundle(demo_bundle, stick, progress=events.append)
    assert again.already and again.verified and again.folder == first.folder
    assert {e.step for e in events} == {CHECK_STEP}  # nothing written
    after = film.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert [w.code for w in again.warnings if w.code == "already"] == ["already"]


def _corrupt_on_read_back(stick: Path, how: str) -> tuple[list[Path], Callable[[Progress], None]]:
    """A progress listener that, when the read-back starts, damages the film in the half
    copy on the stick (what a failing stick does between the write and the read)."""
    touched: list[Path] = []

    def listen(event: Progress) -> None:
        if event.step != CHECK_STEP or touched:
            return
        (part,) = [p for p in stick.iterdir() if ".part-" in p.name]
        film = max((p for p in part.rglob("*.mp4")), key=lambda p: p.stat().st_size)
        with film.open("r+b") as fh:
            if how == "flip":
                fh.seek(film.stat().st_size // 2)
                byte = fh.read(1)
                fh.seek(-1, 1)
                fh.write(bytes([byte[0] ^ 0x01]))
            else:
                fh.truncate(film.stat().st_size - 1000)
        touched.append(film)

    return touched, listen


@pytest.mark.parametrize("how", ["flip", "truncate"])
def test_the_read_back_catches_a_file_the_stick_did_not_keep(
    demo_bundle: Path, stick: Path, how: str
) -> None:
    touched, listen = _corrupt_on_read_back(stick, how)
    with pytest.raises(ReadBackFailed) as caught:
        copy_bundle(demo_bundle, stick, progress=listen)
    assert touched, "the read-back phase never started"
    assert caught.value.cause == "stick"
    assert caught.value.file == read_manifest(demo_bundle).video
    size = (demo_bundle / caught.value.file).stat().st_size
    said = "sha256 differs" if how == "flip" else f"{size - 1000:,} bytes, not {size:,}"
    assert said in caught.value.message
    assert list(stick.iterdir()) == []  # no final folder, no half copy


def test_a_bundle_file_changed_after_its_build_is_blamed_on_the_bundle(
    demo_bundle: Path, stick: Path, tmp_path: Path
) -> None:
    bundle = private_bundle(demo_bundle, tmp_path / "src")
    clip = bundle / "test-clip.mp4"
    data = bytearray(clip.read_bytes())
    data[len(data) // 2] ^= 0xFF  # same size: only the read-back can see it
    clip.write_bytes(bytes(data))
    with pytest.raises(ReadBackFailed) as caught:
        copy_bundle(bundle, stick)
    assert (caught.value.cause, caught.value.file) == ("bundle", "test-clip.mp4")
    assert "screenkit verify" in (caught.value.hint or "")
    assert list(stick.iterdir()) == []


def test_a_stopped_copy_leaves_nothing_that_looks_whole(demo_bundle: Path, stick: Path) -> None:
    stop = threading.Event()
    seen: list[Progress] = []

    def listen(event: Progress) -> None:
        seen.append(event)
        if event.step == COPY_STEP:
            stop.set()  # the Cancel button, pressed during the copy

    with pytest.raises(CopyCancelled):
        copy_bundle(demo_bundle, stick, progress=listen, stop=stop)
    assert seen and not any(e.step == CHECK_STEP for e in seen)
    assert list(stick.iterdir()) == []


def test_a_stop_during_the_read_back_also_leaves_nothing(demo_bundle: Path, stick: Path) -> None:
    stop = threading.Event()

    def listen(event: Progress) -> None:
        if event.step == CHECK_STEP:
            stop.set()

    with pytest.raises(CopyCancelled):
        copy_bundle(demo_bundle, stick, progress=listen, stop=stop)
    assert list(stick.iterdir()) == []


def test_another_folder_of_the_name_is_kept_unless_replace(demo_bundle: Path, stick: Path) -> None:
    other = stick / demo_bundle.name
    other.mkdir()
    (other / "holiday.jpg").write_bytes(b"not a bundle")
    with pytest.raises(DestinationRefused) as caught:
        copy_bundle(demo_bundle, stick)
    assert caught.value.code == "exists-other" and "--replace" in (caught.value.hint or "")
    assert (other / "holiday.jpg").read_bytes() == b"not a bundle"
    report = copy_bundle(demo_bundle, stick, replace=True)
    assert report.replaced and report.verified
    assert not (other / "holiday.jpg").exists()
    _same_files(demo_bundle, report.folder)
    assert part_folders(stick) == []


def test_replace_keeps_the_old_folder_when_the_new_copy_fails_its_read_back(
    demo_bundle: Path, stick: Path
) -> None:
    other = stick / demo_bundle.name
    other.mkdir()
    (other / "old.txt").write_text("the old one")
    _, listen = _corrupt_on_read_back(stick, "flip")
    with pytest.raises(ReadBackFailed):
        copy_bundle(demo_bundle, stick, replace=True, progress=listen)
    assert (other / "old.txt").read_text() == "the old one"
    assert sorted(p.name for p in stick.iterdir()) == [demo_bundle.name]


def test_a_half_copy_left_by_a_killed_run_is_removed_by_the_next(
    demo_bundle: Path, stick: Path
) -> None:
    stale = stick / f".{demo_bundle.name}.part-0badc0de"
    (stale / "subtitles").mkdir(parents=True)
    (stale / "subtitles" / "en.srt").write_text("1\n")
    report = copy_bundle(demo_bundle, stick)
    assert not stale.exists() and report.verified


def test_an_incomplete_bundle_is_refused(stick: Path, tmp_path: Path) -> None:
    half = tmp_path / "sample-demo"
    half.mkdir()
    (half / "test-clip.mp4").write_bytes(b"\0" * 100)
    with pytest.raises(IncompleteBundle):
        copy_bundle(half, stick)
    assert list(stick.iterdir()) == []


def test_a_manifest_path_outside_the_bundle_is_never_written(
    demo_bundle: Path, stick: Path, tmp_path: Path
) -> None:
    bundle = private_bundle(demo_bundle, tmp_path / "src")
    with_record(bundle, FileRecord("../escape.txt", "0" * 64, 3))
    (tmp_path / "src" / "escape.txt").write_text("abc")
    with pytest.raises(DestinationRefused) as caught:
        copy_bundle(bundle, stick)
    assert caught.value.code == "bundle-changed"
    assert list(stick.iterdir()) == [] and not (stick.parent / "escape.txt").exists()


def test_a_stick_that_fills_up_during_the_copy(demo_bundle: Path, tmp_path: Path) -> None:
    size = sum(p.stat().st_size for p in demo_bundle.rglob("*") if p.is_file())
    with tmpfs_stick(tmp_path / "small", f"{size * 2 // 1024 + 256}k") as small:
        filled: list[Path] = []

        def listen(event: Progress) -> None:
            if event.step == COPY_STEP and not filled:  # someone else writes meanwhile
                filler = small / "filler.bin"
                filled.append(filler)
                with filler.open("wb") as fh:
                    try:
                        while True:
                            fh.write(bytes(1 << 20))
                    except OSError:
                        pass

        with pytest.raises(StickFull) as caught:
            copy_bundle(demo_bundle, small, progress=listen)
        assert caught.value.path == small
        assert sorted(p.name for p in small.iterdir()) == ["filler.bin"]


def test_a_copy_onto_a_real_exfat_stick_verifies(demo_bundle: Path, tmp_path: Path) -> None:
    with exfat_stick(tmp_path) as stick:
        report = copy_bundle(demo_bundle, stick)
        assert report.verified
        assert verify_bundle(report.folder).ok
        assert [w.code for w in report.warnings] == []  # exFAT: what a TV reads


def test_a_file_system_that_loses_a_renamed_folder_is_caught(
    demo_bundle: Path, tmp_path: Path
) -> None:
    """fusefat (a FUSE FAT32) writes and reads files, but a renamed folder comes out empty:
    the copy must notice after its rename and leave no folder that looks whole."""
    with fat32_stick(tmp_path) as stick:
        try:
            report = copy_bundle(demo_bundle, stick)
        except ReadBackFailed as exc:
            assert exc.cause == "stick" and "renamed" in exc.message
            assert not (stick / demo_bundle.name).exists()
        else:  # a fusefat that renames folders whole: then the copy must be right
            assert verify_bundle(report.folder).ok


def test_a_big_sparse_file_is_copied_and_read_back(
    demo_bundle: Path, stick: Path, tmp_path: Path
) -> None:
    bundle = private_bundle(demo_bundle, tmp_path / "src")
    add_file(bundle, "extra.bin", (64 << 20) + 12345)
    report = copy_bundle(bundle, stick)
    assert report.verified and (report.folder / "extra.bin").stat().st_size == (64 << 20) + 12345


def test_a_file_system_that_refuses_sendfile_gets_reads_and_writes(
    demo_bundle: Path, stick: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Some file systems refuse sendfile (EINVAL); none here does, so it is refused for them."""
    calls: list[int] = []

    def refuse(out: int, source: int, offset: int | None, count: int) -> int:
        calls.append(offset or 0)
        raise OSError(errno.EINVAL, "Invalid argument")

    monkeypatch.setattr(os, "sendfile", refuse)
    report = copy_bundle(demo_bundle, stick)
    assert calls and set(calls) == {0}  # tried once a file, then reads and writes
    _same_files(demo_bundle, report.folder)
