"""A build scans its master once: the plan, the estimate's timed samples and the steps ask
about it many times, and a 70-minute master's scan costs seconds each time."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from bundle_helpers import SPEED, kit_with_film

from screenkit.bundle import BuildSettings, build, plan_build, resolve_requests
from screenkit.kit import load_kit
from screenkit.media import probe_ffprobe, probe_pyav
from screenkit.media.probe import forget_probes

T = TypeVar("T")


def counting(real: Callable[..., T], tally: Counter[Path]) -> Callable[..., T]:
    """``real``, counting in ``tally`` the files it is called on."""

    def counted(path: Path, *args: Any) -> T:
        tally[Path(path).resolve()] += 1
        return real(path, *args)

    return counted


def test_a_build_scans_its_master_once(
    tmp_path: Path, sample_kit_film: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scans: Counter[Path] = Counter()
    monkeypatch.setattr(probe_pyav, "probe", counting(probe_pyav.probe, scans))
    monkeypatch.setattr(probe_ffprobe, "probe", counting(probe_ffprobe.probe, scans))
    forget_probes()
    kit = load_kit(kit_with_film(tmp_path / "kit", sample_kit_film))
    requests = resolve_requests(kit, ["demo"])
    # estimate even this short master: the estimate times samples through encode()
    settings = BuildSettings(x264_preset=SPEED, estimate_after=0.0)
    plan = plan_build(kit, requests, settings)
    assert plan.estimates  # the estimate ran
    build(plan, jobs=2)
    assert scans[kit.master.resolve()] == 1
    assert max(scans.values()) == 1  # and every file the steps read, once each


def test_a_join_reads_each_parts_timing_once(
    tmp_path: Path, sample_kit_film: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The join step planned its join (both parts' packet timing and headers) in its run
    and again for its command: every part read twice, the film's tail included."""
    from screenkit.slides import bitstream, join

    timings: Counter[Path] = Counter()
    headers: Counter[Path] = Counter()
    monkeypatch.setattr(join, "read_part_timing", counting(bitstream.read_part_timing, timings))
    monkeypatch.setattr(
        join, "read_video_bitstream", counting(bitstream.read_video_bitstream, headers)
    )
    kit = load_kit(kit_with_film(tmp_path / "kit", sample_kit_film))
    plan = plan_build(kit, resolve_requests(kit, ["demo"]), BuildSettings(x264_preset=SPEED))
    build(plan, jobs=2)
    assert timings and headers  # the join read both
    assert max(timings.values()) == 1, timings
    assert max(headers.values()) == 1, headers
