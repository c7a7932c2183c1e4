"""A build scans its master once: the plan, the estimate's timed samples and the steps ask
about it many times, and a 70-minute master's scan costs seconds each time."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bundle_helpers import SPEED, kit_with_film

from screenkit.bundle import BuildSettings, build, plan_build, resolve_requests
from screenkit.kit import load_kit
from screenkit.media import probe_ffprobe, probe_pyav
from screenkit.media.info import MediaInfo
from screenkit.media.probe import forget_probes


def test_a_build_scans_its_master_once(
    tmp_path: Path, sample_kit_film: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scans: Counter[Path] = Counter()

    def counting(real: Callable[..., MediaInfo]) -> Callable[..., MediaInfo]:
        def scan(path: Path, *args: Any) -> MediaInfo:
            scans[Path(path).resolve()] += 1
            return real(path, *args)

        return scan

    monkeypatch.setattr(probe_pyav, "probe", counting(probe_pyav.probe))
    monkeypatch.setattr(probe_ffprobe, "probe", counting(probe_ffprobe.probe))
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
    from screenkit.slides import join

    reads: Counter[tuple[str, Path]] = Counter()

    def counting(real: Callable[[Path], Any]) -> Callable[[Path], Any]:
        def read(path: Path) -> Any:
            reads[real.__name__, Path(path).resolve()] += 1
            return real(path)

        return read

    monkeypatch.setattr(join, "read_part_timing", counting(join.read_part_timing))
    monkeypatch.setattr(join, "read_video_bitstream", counting(join.read_video_bitstream))
    kit = load_kit(kit_with_film(tmp_path / "kit", sample_kit_film))
    plan = plan_build(kit, resolve_requests(kit, ["demo"]), BuildSettings(x264_preset=SPEED))
    build(plan, jobs=2)
    assert {name for name, _ in reads} == {"read_part_timing", "read_video_bitstream"}
    assert max(reads.values()) == 1, reads
