"""Killing a build: no half bundle looks complete, an earlier bundle survives, a rerun resumes.

The build runs as a real process (``python -m screenkit build``) and is killed at a moment
seen from outside: the film encode's part file appearing in the cache, then the card's.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from bundle_helpers import SPEED, run_cli

from screenkit.bundle.documents.manifest import MANIFEST_NAME
from screenkit.bundle.engine.cache import StepCache

pytestmark = pytest.mark.slow


def start(kit: Path, *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "screenkit",
            "build",
            "--kit",
            str(kit),
            "demo",
            "--speed",
            SPEED,
            "--quiet",
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def children(pid: int) -> list[int]:
    """The processes ``pid`` started (ffmpeg runs in its own session: a kill misses it)."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def wait_until(proc: subprocess.Popen[bytes], ready: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 120
    while not ready():
        if proc.poll() is not None:
            _, err = proc.communicate()
            pytest.fail(f"the build ended before {what}: {err.decode()[-2000:]}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.01)


def kill(proc: subprocess.Popen[bytes], sig: signal.Signals) -> int:
    kids = children(proc.pid)
    proc.send_signal(sig)
    code = proc.wait(timeout=60)
    proc.communicate()
    if sig == signal.SIGKILL:  # the ffmpeg it started would run on: stop it
        for kid in kids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(kid, signal.SIGKILL)
    return code


def part_file(cache: Path, stem: str) -> Callable[[], bool]:
    """A step is writing ``stem`` in its private work folder (it becomes the entry whole)."""
    return lambda: any((cache / "tmp").glob(f"*.*/{stem}.*"))


def done(cache: StepCache, kind: str) -> list[str]:
    return [r.build for r in cache.journal() if r.kind == kind and r.event == "done"]


def complete_bundles(out: Path) -> list[str]:
    return (
        sorted(p.name for p in out.glob("*") if (p / MANIFEST_NAME).exists())
        if out.exists()
        else []
    )


def test_a_killed_build_resumes_from_the_cache(sample_kit: Path) -> None:
    cache_dir = sample_kit / ".screenkit" / "cache"
    cache = StepCache(cache_dir)
    out = sample_kit / "out"

    # 1. killed in the middle of the film encode
    proc = start(sample_kit)
    wait_until(proc, part_file(cache_dir, "film"), "the film encode started")
    kill(proc, signal.SIGKILL)
    assert complete_bundles(out) == []
    assert not (out / "sample-demo").exists()
    assert done(cache, "film") == [] and len(done(cache, "loudness")) == 1

    # 2. killed after the film encode finished, while the card renders
    proc = start(sample_kit)
    wait_until(proc, part_file(cache_dir, "intro"), "the card started")
    kill(proc, signal.SIGKILL)
    assert complete_bundles(out) == []
    assert len(done(cache, "film")) == 1

    # 3. the rerun finishes from the cache: the film encode is not repeated
    code, stdout, err = run_cli(
        "build", "--kit", str(sample_kit), "demo", "--speed", SPEED, "--json"
    )
    assert code == 0, err
    status = {s["kind"]: s["status"] for s in json.loads(stdout)["steps"]}
    assert status["film"] == status["loudness"] == "cached"
    assert status["card"] == status["join"] == "built"
    assert len(done(cache, "film")) == 1
    assert complete_bundles(out) == ["sample-demo"]
    assert run_cli("verify", str(out / "sample-demo"))[0] == 0
    before = (out / "sample-demo" / MANIFEST_NAME).read_bytes()

    # 4. a new appeal, stopped (SIGTERM) while its card renders: the old bundle stays whole
    (sample_kit / "appeal" / "en.txt").write_text("The roof needs mending.\n")
    proc = start(sample_kit)
    wait_until(proc, part_file(cache_dir, "intro"), "the new card started")
    assert kill(proc, signal.SIGTERM) == 130
    assert (out / "sample-demo" / MANIFEST_NAME).read_bytes() == before
    assert run_cli("verify", str(out / "sample-demo"))[0] == 0
    assert complete_bundles(out) == ["sample-demo"]
    assert not list((cache_dir / "tmp").glob("*/.intro.part-*"))  # cleaned up on SIGTERM

    # 5. and the next build replaces it with the new card
    code, _, err = run_cli("build", "--kit", str(sample_kit), "demo", "--speed", SPEED)
    assert code == 0, err
    assert (out / "sample-demo" / MANIFEST_NAME).read_bytes() != before
    assert "The roof needs mending." in (out / "sample-demo" / "SCREENING.txt").read_text()
    assert [p.name for p in out.iterdir()] == ["sample-demo"]
    assert len(done(cache, "film")) == 1

    # 6. a bundle damaged in place is not taken as up to date: its file is a hard link of
    # a cache entry, which the next build finds damaged too and makes again
    folder = out / "sample-demo"
    video = folder / "Preparing a Screening (en, usb-player).mp4"
    with video.open("r+b") as fh:
        fh.seek(video.stat().st_size // 2)
        byte = fh.read(1)
        fh.seek(-1, os.SEEK_CUR)
        fh.write(bytes([byte[0] ^ 0x01]))
    assert run_cli("verify", str(folder))[0] == 1
    code, stdout, err = run_cli(
        "build", "--kit", str(sample_kit), "demo", "--speed", SPEED, "--json"
    )
    assert code == 0, err
    report = json.loads(stdout)
    status = {s["kind"]: s["status"] for s in report["steps"]}
    assert report["bundles"][0]["status"] == "built"
    assert status["join"] == "built" and status["film"] == "cached"
    assert "corrupt" in {r.event for r in cache.journal()}
    assert run_cli("verify", str(folder))[0] == 0
