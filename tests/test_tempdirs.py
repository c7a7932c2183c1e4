"""Temporary folders never outlive their process for long.

Scratch work lives in a screenkit-named folder of the process (``screenkit-<pid>-<start>-…``,
holding a lock the kernel drops when the process dies), removed by the next run once its
owner is gone; build steps work under the cache's own ``tmp/``, cleaned by the next build.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support import REPO, run_cli

SRC = REPO / "src" / "screenkit"
ALLOWED = {
    "tempdirs.py",
    # the hidden partial/old bundle folders beside the bundle (not scratch work): each is
    # removed by the next build of that bundle (`recover`, a locked `.building` file)
    "bundle/documents/assemble.py",
}


def test_no_module_makes_temporary_folders_of_its_own() -> None:
    """Every temporary folder comes from screenkit.tempdirs (one place that cleans up)."""
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        if path.relative_to(SRC).as_posix() in ALLOWED:
            continue
        text = path.read_text(encoding="utf-8")
        for n, line in enumerate(text.splitlines(), 1):
            if re.search(r"\btempfile\.|^\s*import tempfile|from tempfile import", line):
                offenders.append(f"{path.relative_to(REPO)}:{n}: {line.strip()}")
    assert offenders == []


def _screenkit(*args: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "screenkit", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(c) for c in (task / "children").read_text().split()]
    return found


def test_a_card_killed_midway_leaves_nothing_after_the_next_run(
    tmp_path: Path, sample_kit: Path
) -> None:
    if not Path("/proc/self/task").is_dir():
        pytest.skip("needs /proc to find the ffmpeg of the killed process")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(tmp)}
    card = tmp_path / "card.mp4"
    args = ("slide", str(card), "--kit", str(sample_kit), "--lang", "uk", "--quiet")
    proc = _screenkit(*args, env=env)
    deadline = time.monotonic() + 60
    while not any("card" in p.name for p in tmp.rglob("*")):
        assert proc.poll() is None, proc.communicate()[1].decode()[-2000:]
        assert time.monotonic() < deadline, "no card folder appeared"
        time.sleep(0.005)
    kids = _children(proc.pid)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    proc.communicate()
    for kid in kids:  # ffmpeg runs in its own session: the kill missed it
        with contextlib.suppress(ProcessLookupError):
            os.kill(kid, signal.SIGKILL)
    assert any("card" in p.name for p in tmp.rglob("*"))  # the killed run left its folder
    again = _screenkit(*args, env=env)
    _, err = again.communicate(timeout=120)
    assert again.returncode == 0, err.decode()
    assert card.is_file()
    assert sorted(p.name for p in tmp.iterdir()) == []  # nothing left, the killed run's neither


def test_a_folder_whose_owner_lives_is_kept(tmp_path: Path) -> None:
    from screenkit import tempdirs

    code = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from screenkit.tempdirs import scratch_dir\n"
        "with scratch_dir('card-', base=Path(sys.argv[1])) as d:\n"
        "    print(d, flush=True)\n"
        "    time.sleep(60)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        held = Path(proc.stdout.readline().strip())
        assert held.is_dir() and held.name.startswith("card-")
        owner = held.parent
        assert re.fullmatch(rf"screenkit-{proc.pid}-\d+-\w+", owner.name), owner.name
        tempdirs.sweep(tmp_path)
        assert held.is_dir()  # its process runs: kept
        proc.kill()
        proc.wait()
        tempdirs.sweep(tmp_path)
        assert not owner.exists()  # its process is gone: removed
    finally:
        proc.kill()
        proc.wait()


def test_the_next_build_cleans_what_a_killed_build_left_in_the_cache(
    tmp_path: Path, sample_kit: Path
) -> None:
    from screenkit.bundle.engine.cache import StepCache

    cache = StepCache(sample_kit / ".screenkit" / "cache")
    tmp = cache.root / "tmp"
    abandoned = tmp / f"{'a' * 64}.0badc0de"  # a step's work folder, its builder killed
    abandoned.mkdir(parents=True)
    (abandoned / "film.mp4").write_bytes(b"\0" * 1000)
    dead_root = tmp / "screenkit-999999999-1-abc"  # a killed builder's scratch (no lock)
    (dead_root / "run-x").mkdir(parents=True)
    busy = tmp / f"{'b' * 64}.feedf00d"  # a step another build is running right now
    busy.mkdir()
    lock_path = cache.root / "locks" / f"{'b' * 64}.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        code, _, err = run_cli(
            "build", "--kit", str(sample_kit), "--preset", "web", "--lang", "en",
            "--speed", "ultrafast", "--quiet",
        )  # fmt: skip
        assert code == 0, err
        assert not abandoned.exists() and not dead_root.exists()
        assert busy.is_dir()
        assert sorted(p.name for p in tmp.iterdir()) == [busy.name]
    finally:
        os.close(fd)
