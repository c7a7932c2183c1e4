"""The one benchmark harness: alternate runs of ours and the bare ffmpeg, medians and ratios.

Each case runs a screenkit command (A) and the bare ffmpeg command(s) doing the same work
(B) alternately, A B A B …, after a warm-up of each, so that a noisy 2-core machine slows
both alike. It reports each side's median wall time and peak memory (max RSS of the
process tree's largest process) and the ratio A/B, and can append the figures as JSON.

    from bench.harness import Case, run_cases
    run_cases([Case("probe", ours=[[...]], bare=[[...]])], rounds=5)
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from screenkit.media.binaries import FFmpeg, find_ffmpeg

BENCH_DIR = Path(__file__).resolve().parent
MEDIA_CACHE = BENCH_DIR / ".media"
RESULTS = BENCH_DIR / "results"

Command = Sequence[str]


@dataclass(frozen=True)
class Case:
    """One comparison: ``ours`` and ``bare`` are each a list of commands run in sequence."""

    name: str
    ours: Sequence[Command]
    bare: Sequence[Command]
    before_each: Callable[[], None] | None = None
    """Run before every timed run of either side (e.g. delete an output, clear a cache)."""
    target: float | None = None
    """The ratio ours/bare the issue asks for, shown beside the measurement."""


@dataclass
class Timing:
    wall: list[float] = field(default_factory=list)
    peak_rss_mb: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.wall)

    @property
    def peak(self) -> float:
        return max(self.peak_rss_mb) if self.peak_rss_mb else 0.0


@dataclass(frozen=True)
class CaseResult:
    name: str
    rounds: int
    ours_median_s: float
    bare_median_s: float
    ratio: float
    ours_peak_rss_mb: float
    bare_peak_rss_mb: float
    target: float | None
    ours_runs_s: list[float]
    bare_runs_s: list[float]

    def line(self) -> str:
        verdict = ""
        if self.target is not None:
            verdict = (
                f"  target ≤ {self.target:g}: {'met' if self.ratio <= self.target else 'NOT met'}"
            )
        return (
            f"{self.name:<32} ours {self.ours_median_s:8.3f} s  bare {self.bare_median_s:8.3f} s  "
            f"ratio {self.ratio:6.3f}  peak RSS {self.ours_peak_rss_mb:6.0f} / "
            f"{self.bare_peak_rss_mb:6.0f} MB{verdict}"
        )


def run_sequence(
    commands: Sequence[Command], env: dict[str, str] | None = None
) -> tuple[float, float]:
    """Run commands one after another; (total wall seconds, largest max RSS in MB)."""
    peak = 0.0
    start = time.perf_counter()
    for cmd in commands:
        proc = subprocess.Popen(
            list(cmd), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env
        )
        assert proc.stderr is not None
        err = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            raise RuntimeError(
                f"benchmark command failed ({proc.returncode}): {shlex.join(cmd)}\n"
                + err.decode("utf-8", "replace")[-2000:]
            )
        peak = max(peak, usage.ru_maxrss / 1024.0)
    return time.perf_counter() - start, peak


def run_case(case: Case, rounds: int = 5, warmup: int = 1) -> CaseResult:
    ours, bare = Timing(), Timing()
    for n in range(warmup + rounds):
        for side, commands in ((ours, case.ours), (bare, case.bare)):
            if case.before_each:
                case.before_each()
            wall, peak = run_sequence(commands)
            if n >= warmup:
                side.wall.append(wall)
                side.peak_rss_mb.append(peak)
    return CaseResult(
        name=case.name,
        rounds=rounds,
        ours_median_s=ours.median,
        bare_median_s=bare.median,
        ratio=ours.median / bare.median if bare.median else float("inf"),
        ours_peak_rss_mb=ours.peak,
        bare_peak_rss_mb=bare.peak,
        target=case.target,
        ours_runs_s=ours.wall,
        bare_runs_s=bare.wall,
    )


def run_cases(
    cases: Sequence[Case], rounds: int = 5, json_path: Path | None = None
) -> list[CaseResult]:
    results = []
    for case in cases:
        result = run_case(case, rounds=rounds)
        print(result.line(), flush=True)
        results.append(result)
    if json_path is not None:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps([asdict(r) for r in results], indent=2) + "\n")
    return results


def screenkit_cmd(*args: str) -> list[str]:
    """The installed screenkit, as a user runs it (a whole new process)."""
    return [sys.executable, "-m", "screenkit", *args]


def ffmpeg_for_bench() -> FFmpeg:
    return find_ffmpeg()


def media_path(name: str) -> Path:
    MEDIA_CACHE.mkdir(parents=True, exist_ok=True)
    return MEDIA_CACHE / name


def cli(description: str) -> argparse.Namespace:
    """Common options of every bench script: --rounds, --json."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds per side (default 5)")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    return parser.parse_args()
