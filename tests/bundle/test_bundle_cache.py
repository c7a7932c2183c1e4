"""The step cache: keys, entries, corruption, concurrency, a full disk, info and clear."""

from __future__ import annotations

import errno
import multiprocessing
import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from screenkit.bundle.engine import cache as cache_module
from screenkit.bundle.engine.cache import StepCache, step_key
from screenkit.bundle.engine.errors import DiskFull
from screenkit.bundle.engine.hashing import FileHasher


def writer(text: str, calls: list[int] | None = None) -> Any:
    def action(work: Path) -> dict[str, Any]:
        if calls is not None:
            calls.append(1)
        (work / "out.txt").write_text(text)
        (work / "sub").mkdir()
        (work / "sub" / "more.txt").write_text(text * 2)
        return {"out": "out.txt", "n": len(text)}

    return action


def events(cache: StepCache, key: str) -> list[str]:
    return [r.event for r in cache.journal() if r.key == key]


def test_key_depends_on_every_part() -> None:
    base: dict[str, Any] = {
        "params": {"a": 1},
        "inputs": {"master": "x"},
        "deps": {"loud": "k"},
        "ffmpeg_version": "6.0",
    }
    key = step_key("film", **base)
    assert key == step_key("film", **{**base, "params": {"a": 1}})
    assert len(key) == 64
    variants = [
        step_key("card", **base),
        step_key("film", **{**base, "params": {"a": 2}}),
        step_key("film", **{**base, "inputs": {"master": "y"}}),
        step_key("film", **{**base, "deps": {"loud": "j"}}),
        step_key("film", **{**base, "ffmpeg_version": "7.0"}),
    ]
    assert len({key, *variants}) == 6


def test_builds_once_then_hits(tmp_path: Path) -> None:
    cache = StepCache(tmp_path / "c")
    calls: list[int] = []
    first = cache.get_or_build("k1", "card", writer("hello", calls), label="card")
    second = cache.get_or_build("k1", "card", writer("other", calls), label="card")
    assert calls == [1]
    assert (first.status, second.status) == ("built", "cached")
    assert second.path("out.txt").read_text() == "hello"
    assert set(second.files) == {"out.txt", "sub/more.txt"}
    assert second.meta["n"] == 5
    assert events(cache, "k1") == ["start", "done", "hit"]
    assert not list((tmp_path / "c" / "tmp").iterdir())


def test_corrupted_entry_is_detected_and_rebuilt(tmp_path: Path) -> None:
    cache = StepCache(tmp_path / "c")
    entry = cache.get_or_build("k1", "film", writer("hello"))
    data = bytearray(entry.path("out.txt").read_bytes())
    data[0] ^= 0xFF
    entry.path("out.txt").write_bytes(bytes(data))
    calls: list[int] = []
    again = StepCache(tmp_path / "c").get_or_build("k1", "film", writer("hello", calls))
    assert calls == [1]
    assert again.status == "built"
    assert again.path("out.txt").read_text() == "hello"
    assert "corrupt" in events(cache, "k1")


def test_damaged_entry_file_is_rebuilt(tmp_path: Path) -> None:
    cache = StepCache(tmp_path / "c")
    entry = cache.get_or_build("k1", "film", writer("hello"))
    (entry.folder / "entry.json").write_text("{not json")
    calls: list[int] = []
    assert cache.get_or_build("k1", "film", writer("hello", calls)).status == "built"
    assert calls == [1]


def test_missing_output_file_is_rebuilt(tmp_path: Path) -> None:
    cache = StepCache(tmp_path / "c")
    entry = cache.get_or_build("k1", "film", writer("hello"))
    entry.path("sub/more.txt").unlink()
    assert cache.lookup("k1") is None
    assert not entry.folder.exists()


def test_a_failing_step_leaves_nothing(tmp_path: Path) -> None:
    cache = StepCache(tmp_path / "c")

    def broken(work: Path) -> dict[str, Any]:
        (work / "half.bin").write_bytes(b"x" * 100)
        raise RuntimeError("ffmpeg died")

    with pytest.raises(RuntimeError):
        cache.get_or_build("k1", "film", broken)
    assert cache.lookup("k1") is None
    assert not list((tmp_path / "c" / "tmp").iterdir())
    assert events(cache, "k1") == ["start", "failed"]


def test_full_disk_while_a_step_writes(tmp_path: Path) -> None:
    cache = StepCache(tmp_path / "c")

    def fills_the_disk(work: Path) -> dict[str, Any]:
        with (work / "film.mp4").open("wb") as fh:
            fh.write(b"x" * 1000)
            raise OSError(errno.ENOSPC, "No space left on device", str(work / "film.mp4"))

    with pytest.raises(DiskFull) as caught:
        cache.get_or_build("k1", "film", fills_the_disk, label="film encode")
    assert "no space left" in caught.value.message
    assert "film encode" in caught.value.message
    assert caught.value.hint and "run the build again" in caught.value.hint
    assert not list((tmp_path / "c" / "tmp").iterdir())
    assert cache.lookup("k1") is None
    assert cache.get_or_build("k1", "film", writer("ok")).status == "built"


def test_full_disk_while_the_entry_is_committed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = StepCache(tmp_path / "c")
    cache.get_or_build("other", "card", writer("kept"))

    def no_room(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(cache_module.os, "fsync", no_room)
    with pytest.raises(DiskFull):
        cache.get_or_build("k1", "film", writer("hello"))
    monkeypatch.undo()
    assert cache.lookup("k1") is None
    assert not (cache.entry_dir("k1")).exists()
    assert not list((tmp_path / "c" / "tmp").iterdir())
    kept = cache.lookup("other")
    assert kept is not None and kept.path("out.txt").read_text() == "kept"


def test_a_full_disk_from_ffmpeg_is_a_disk_full_error(tmp_path: Path) -> None:
    from screenkit.errors import FFmpegFailed

    cache = StepCache(tmp_path / "c")

    def ffmpeg_out_of_room(work: Path) -> dict[str, Any]:
        raise FFmpegFailed(
            "ffmpeg failed",
            argv=["ffmpeg"],
            returncode=1,
            stderr_tail="av_interleaved_write_frame(): No space left on device",
        )

    with pytest.raises(DiskFull):
        cache.get_or_build("k1", "film", ffmpeg_out_of_room)
    assert not list((tmp_path / "c" / "tmp").iterdir())


def test_two_threads_build_a_key_once(tmp_path: Path) -> None:
    calls: list[int] = []

    def slow(work: Path) -> dict[str, Any]:
        calls.append(1)
        time.sleep(0.3)
        (work / "out.txt").write_text("x")
        return {}

    results: list[str] = []

    def build() -> None:
        results.append(StepCache(tmp_path / "c").get_or_build("k1", "film", slow).status)

    threads = [threading.Thread(target=build) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls == [1]
    assert sorted(results) == ["built", "cached"]


def _build_in_process(root: str, counter: str) -> None:
    def slow(work: Path) -> dict[str, Any]:
        with Path(counter).open("a") as fh:
            fh.write("run\n")
        time.sleep(0.5)
        (work / "out.txt").write_text("x")
        return {}

    StepCache(Path(root)).get_or_build("k1", "film", slow)


def test_two_processes_build_a_key_once(tmp_path: Path) -> None:
    counter = tmp_path / "runs.txt"
    ctx = multiprocessing.get_context("fork")
    procs = [
        ctx.Process(target=_build_in_process, args=(str(tmp_path / "c"), str(counter)))
        for _ in range(2)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=30)
        assert p.exitcode == 0
    assert counter.read_text().splitlines() == ["run"]
    entry = StepCache(tmp_path / "c").lookup("k1")
    assert entry is not None and entry.path("out.txt").read_text() == "x"


def test_a_killed_build_leaves_a_temporary_folder_the_next_one_removes(tmp_path: Path) -> None:
    cache = StepCache(tmp_path / "c")
    stale = tmp_path / "c" / "tmp" / "k1.dead"
    stale.mkdir(parents=True)
    (stale / ".film.part-0000.mp4").write_bytes(b"half")
    assert cache.lookup("k1") is None
    cache.get_or_build("k1", "film", writer("ok"))
    assert not stale.exists()


def test_hasher_reads_a_file_once_until_it_changes(tmp_path: Path) -> None:
    big = tmp_path / "master.mkv"
    big.write_bytes(b"a" * 10_000)
    hasher = FileHasher(tmp_path / "index")
    first = hasher.digest(big)
    assert FileHasher(tmp_path / "index").digest(big) == first
    again = FileHasher(tmp_path / "index")
    again.digest(big)
    assert again.hashed == []
    big.write_bytes(b"b" * 10_000)
    os.utime(big, ns=(time.time_ns(), time.time_ns() + 1_000_000))
    changed = FileHasher(tmp_path / "index")
    assert changed.digest(big) != first
    assert changed.hashed == [big.absolute()]


def test_hashing_a_big_file_reports_progress(tmp_path: Path) -> None:
    from screenkit.bundle.engine import hashing

    big = tmp_path / "master.mkv"
    big.write_bytes(os.urandom(3 << 20))
    seen = []
    old = hashing.SHOW_PROGRESS_ABOVE, hashing.REPORT_EVERY
    hashing.SHOW_PROGRESS_ABOVE, hashing.REPORT_EVERY = 1 << 20, 1 << 20
    try:
        FileHasher(tmp_path / "index", progress=seen.append).digest(big)
    finally:
        hashing.SHOW_PROGRESS_ABOVE, hashing.REPORT_EVERY = old
    assert seen and seen[-1].done == pytest.approx(seen[-1].total)
    assert seen[-1].unit == "MB"


def test_info_and_clear(tmp_path: Path) -> None:
    cache = StepCache(tmp_path / "c")
    cache.get_or_build("k1", "film", writer("hello"))
    cache.get_or_build("k2", "card", writer("hi"))
    info = cache.info()
    assert (info.entries, dict(info.kinds)) == (2, {"film": 1, "card": 1})
    assert info.size_bytes > 0
    with cache.lock("k2"):
        result = cache.clear()
    assert (result.removed, result.busy) == (1, 1)
    assert cache.info().entries == 1
    assert cache.clear().removed == 1
    assert cache.info().entries == 0


def test_user_cache_dir_follows_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(cache_module.ENV_VAR, str(tmp_path / "mine"))
    assert cache_module.user_cache_dir() == tmp_path / "mine"
    monkeypatch.delenv(cache_module.ENV_VAR)
    assert "screenkit" in str(cache_module.user_cache_dir())
