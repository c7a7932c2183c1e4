"""A full disk is found before the long steps, and the message names the disk that is full.

The plan estimates each output's size (bitrate x duration, from the preset and the probed
film) and checks the free space of the output and the cache disks before anything runs.
The output disk is a real small filesystem (tmpfs, as root: CI runs as root); where mount
is not allowed the tests skip. The cache disk is on the machine's big disk, so its case
mocks ``shutil.disk_usage`` (a real run cannot fill it cheaply).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from bundle_helpers import SPEED, run_cli

from screenkit.bundle.engine.cache import StepCache


@pytest.fixture
def stick(tmp_path: Path) -> Iterator[Path]:
    """A 1 MiB filesystem: a USB stick with almost no room left."""
    where = tmp_path / "stick"
    where.mkdir()
    if shutil.which("mount") is None:
        pytest.skip("no mount command")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(where)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def _journal_kinds(kit: Path, event: str) -> list[str]:
    cache = StepCache(kit / ".screenkit" / "cache")
    return [r.kind for r in cache.journal() if r.event == event]


def test_a_nearly_full_output_disk_is_named_before_anything_runs(
    sample_kit: Path, stick: Path
) -> None:
    code, out, err = run_cli(
        "build", "--kit", str(sample_kit), "demo", "--out", str(stick), "--speed", SPEED, "--quiet"
    )
    assert code == 1 and out == ""
    first = err.splitlines()[0]
    assert first.startswith("Error: not enough space on the disk holding ")
    assert str(stick) in first and "needs about" in first and "MB free" in first
    assert ".screenkit" not in first  # not the cache's disk
    assert "cache clear" not in err  # clearing the cache frees nothing on the stick
    assert _journal_kinds(sample_kit, "start") == []  # not one step started
    assert list(stick.iterdir()) == []


def test_a_full_cache_disk_is_named_with_what_clearing_would_do(
    sample_kit: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from screenkit import diskspace

    real = shutil.disk_usage
    cache = (sample_kit / ".screenkit" / "cache").resolve()

    def usage(path: str | Path) -> object:
        found = real(path)
        if Path(path).resolve() == cache or cache.is_relative_to(Path(path).resolve()):
            return type(found)(found.total, found.total - 3_000_000, 3_000_000)
        return found

    monkeypatch.setattr(diskspace.shutil, "disk_usage", usage)
    monkeypatch.setattr(diskspace, "device_of", lambda path: 1 if path == cache else 2)
    code, _, err = run_cli("build", "--kit", str(sample_kit), "demo", "--speed", SPEED, "--quiet")
    assert code == 1
    first = err.splitlines()[0]
    assert first.startswith("Error: not enough space on the disk holding ")
    assert str(cache) in first and "cache" in first
    assert "3 MB free" in first
    assert _journal_kinds(sample_kit, "start") == []


def test_a_disk_that_fills_up_anyway_is_the_one_named(
    sample_kit: Path, stick: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When an estimate is beaten (the check is skipped here), the error still blames the
    disk that is full, not the cache file being copied from."""
    from screenkit import diskspace

    monkeypatch.setattr(diskspace, "check_space", lambda needs: None)
    code, _, err = run_cli(
        "build", "--kit", str(sample_kit), "demo", "--out", str(stick), "--speed", SPEED, "--quiet"
    )
    assert code == 1
    first = err.splitlines()[0]
    assert first.startswith("Error: no space left on the disk holding ")
    assert str(stick) in first and ".screenkit" not in first
    assert "cache clear" not in err
    assert "Traceback" not in err


def test_an_output_folder_that_cannot_be_made_fails_before_anything_runs(
    sample_kit: Path,
) -> None:
    code, out, err = run_cli(
        "build", "--kit", str(sample_kit), "demo", "--out", "/proc/nope/out", "--speed", SPEED
    )
    assert code == 1 and out == ""
    assert err.startswith("Error: ") and "/proc/nope" in err.splitlines()[0]
    assert "Traceback" not in err
    assert _journal_kinds(sample_kit, "start") == []  # found before the encode, not after


def test_dry_run_shows_the_space_each_disk_needs(sample_kit: Path, stick: Path) -> None:
    code, out, err = run_cli(
        "build", "--kit", str(sample_kit), "demo", "--out", str(stick), "--dry-run", "--json"
    )
    assert code == 0, err
    space = {row["path"]: row for row in json.loads(out)["space"]}
    stick_row = space[str(stick)]
    assert stick_row["need_bytes"] > stick_row["free_bytes"]  # the build itself would refuse
    cache_row = space[str((sample_kit / ".screenkit" / "cache").resolve())]
    assert cache_row["need_bytes"] > stick_row["need_bytes"]  # encodes, joins, clips


def test_a_dvd_build_counts_the_disc_its_image_and_the_subtitled_film(sample_kit: Path) -> None:
    # the DVD steps were counted as small files: a 4 GB disc needs about four times the
    # film in the cache (film, film with subpictures, VIDEO_TS, image)
    from screenkit.bundle import BuildSettings, plan_build, plan_needs, resolve_requests
    from screenkit.dvd import missing_tools
    from screenkit.encode.family import expected_bytes_per_second
    from screenkit.kit import load_kit
    from screenkit.presets import load_preset

    if missing_tools():
        pytest.skip(f"DVD tools missing: {', '.join(missing_tools())}")
    kit = load_kit(sample_kit)
    requests = resolve_requests(kit, [], preset="dvd-pal", lang="uk")
    plan = plan_build(kit, requests, BuildSettings(estimate_after=None))
    rate = expected_bytes_per_second(plan.master, load_preset("dvd-pal"), False)
    assert rate == pytest.approx((5000 + 192) * 1000 / 8 * 1.03)  # the preset's average
    cache, _ = plan_needs(plan)
    assert cache.size > 3.9 * rate * plan.master.duration


@pytest.mark.parametrize("chunks", ["10", "off"])
def test_a_cold_plan_counts_at_least_what_the_build_writes(sample_kit: Path, chunks: str) -> None:
    """The space a cold plan sets aside in the cache covers what the build then writes there,
    chunked or not, at the fastest x264 speed (the most bytes a second): every step's output
    counted (each chunk of a chunked film too) at a rate the encode cannot exceed."""
    args = ["--kit", str(sample_kit), "--preset", "usb-player", "--lang", "it"]
    args += ["--speed", SPEED, "--chunks", chunks]
    code, out, err = run_cli("build", *args, "--dry-run", "--json")
    assert code == 0, err
    (planned,) = [s["need_bytes"] for s in json.loads(out)["space"] if ".screenkit" in s["path"]]
    code, _, err = run_cli("build", *args, "--quiet")
    assert code == 0, err
    objects = sample_kit / ".screenkit" / "cache" / "objects"
    written = sum(p.stat().st_size for p in objects.rglob("*") if p.is_file())
    kinds = _journal_kinds(sample_kit, "done")
    assert ("chunk" in kinds) is (chunks != "off")
    assert written <= planned, f"planned {planned:,} bytes, the build wrote {written:,}"
