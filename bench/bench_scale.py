"""Scale: chunked encodes on a local Dask cluster, the cluster against the in-process executor.

python -m bench.bench_scale [--speed X264_PRESET] [--all-speed X264_PRESET] [--rounds N]
                            [--film-seconds S] [--skip-film] [--skip-all] [--json FILE]

1. A 3-minute 720p film (``--film-seconds``: another length; one usb-player bundle,
   burned): unchunked on LocalCluster(1 worker x 1 thread, the process pinned to one core)
   against chunked (30-s chunks) on LocalCluster(2 workers x 1 thread, two cores).
   Goal: >= 1.7x. Wall time and the CPU time of the whole process tree (the machine is
   shared: CPU time is the steadier figure).
2. The same chunked film: how many chunks one edited subtitle line re-encodes.
3. The chunked output's SSIM against the unchunked output's (both against the master).
4. A 60-s 720p sample kit, ``build --all``: LocalCluster(2 x 1) against ``--jobs 2``.
5. On paper, from the measured per-chunk figures: a 70-minute 1080p film x 12 languages
   x 5 presets on 1, 4 and 16 nodes.

Every build runs as a user runs it (``python -m screenkit build``) with a cold cache. The
two sides of each comparison alternate for ``--rounds`` rounds, each round's order the
reverse of the last (A B, B A, A B, ...), so that a shared machine's load slows both alike
and neither side always runs first; the medians are compared, and for ``build --all`` each
round's ratio too (its two runs a few minutes apart: the pair the load affects least).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pysubs2

from bench.harness import MEDIA_CACHE, media_path
from screenkit.presets import STANDARD, load_preset
from screenkit.sample.film import render_film

REPO = Path(__file__).resolve().parent.parent


def _kit(dest: Path, film: Path) -> Path:
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    shutil.copyfile(REPO / "screenkit.toml", dest / "screenkit.toml")
    for sub in ("subtitles", "appeal", "presets"):
        if (REPO / sub).is_dir():
            shutil.copytree(REPO / sub, dest / sub)
    (dest / "media").mkdir()
    os.link(film, dest / "media" / "film.mkv")
    return dest


def _film(name: str, seconds: float) -> Path:
    film = media_path(name)
    if not film.exists():
        spans = [(float(t), t + 3.0) for t in range(2, int(seconds) - 2, 5)]
        render_film(film, spans=spans, duration=seconds)
    return film


def _build(kit: Path, *args: str, cores: set[int] | None = None) -> dict[str, Any]:
    """One cold build; its JSON report, wall time and the CPU time of its process tree."""
    shutil.rmtree(kit / ".screenkit", ignore_errors=True)
    shutil.rmtree(kit / "out", ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()

    def pin() -> None:
        if cores is not None:
            os.sched_setaffinity(0, cores)

    done = subprocess.run(
        [sys.executable, "-m", "screenkit", "build", "--kit", str(kit), *args, "--json"],
        capture_output=True,
        text=True,
        preexec_fn=pin,
        check=False,
    )
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"build failed: {done.stderr[-2000:]}")
    report = json.loads(done.stdout)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu, "report": report}


def _quality(kit: Path) -> dict[str, Any]:
    folder = next(p for p in (kit / "out").iterdir() if not p.name.startswith("."))
    data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return dict(data["quality"])


def _steps(report: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [s for s in report["steps"] if s["kind"] == kind]


def _median(runs: list[dict[str, Any]], key: str) -> float:
    return float(statistics.median(float(r[key]) for r in runs))


def _runs(runs: list[dict[str, Any]]) -> str:
    return ", ".join(f"{r['wall']:.1f}" for r in runs)


def _alternate(
    rounds: int, first: Any, second: Any
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``rounds`` runs of each side, alternating, each round in the reverse order of the
    last (first second, second first, ...)."""
    a: list[dict[str, Any]] = []
    b: list[dict[str, Any]] = []
    for n in range(rounds):
        if n % 2:
            b.append(second())
            a.append(first())
        else:
            a.append(first())
            b.append(second())
    return a, b


def film_figures(speed: str, rounds: int = 1, seconds: float = 180.0) -> dict[str, Any]:
    film = _film(f"film-{seconds:g}s-720p.mkv", seconds)
    kit = _kit(MEDIA_CACHE / "scale-kit", film)
    one = ["--preset", "usb-player", "--lang", "en", "--burn", "en", "--speed", speed]

    def single_run() -> dict[str, Any]:
        done = _build(kit, *one, "--chunks", "off", "--workers", "1", cores={0})
        return done | {"quality": _quality(kit)}

    def chunked_run() -> dict[str, Any]:
        done = _build(kit, *one, "--chunks", "30", "--workers", "2", cores={0, 1})
        return done | {"quality": _quality(kit)}

    singles, chunkeds = _alternate(rounds, single_run, chunked_run)
    q_single, q_chunked = singles[-1]["quality"], chunkeds[-1]["quality"]
    chunks = _steps(chunkeds[-1]["report"], "chunk")
    single_wall, chunked_wall = _median(singles, "wall"), _median(chunkeds, "wall")
    print(
        f"unchunked 1x1 (1 core): wall {single_wall:6.1f} s (runs "
        f"{_runs(singles)})  cpu {_median(singles, 'cpu'):6.1f} s"
        f"  SSIM {q_single['ssim']:.4f}",
        flush=True,
    )
    print(
        f"chunked   2x1 (2 cores): wall {chunked_wall:6.1f} s (runs "
        f"{_runs(chunkeds)})  cpu {_median(chunkeds, 'cpu'):6.1f} s"
        f"  SSIM {q_chunked['ssim']:.4f}  ({len(chunks)} chunks)",
        flush=True,
    )
    speedup = single_wall / chunked_wall
    print(
        f"speed-up (median wall): {speedup:.2f}x (goal >= 1.7)  cpu ratio "
        f"{_median(singles, 'cpu') / _median(chunkeds, 'cpu'):.2f}",
        flush=True,
    )
    print(
        f"SSIM chunked - unchunked: {q_chunked['ssim'] - q_single['ssim']:+.4f} (goal |d| <= "
        "0.002)",
        flush=True,
    )

    # 2. one edited line: which chunks are encoded again
    track = kit / "subtitles" / "en.srt"
    subs = pysubs2.load(str(track))
    subs.events[len(subs.events) // 2].text = "An edited line"
    subs.save(str(track))
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "screenkit", "build", "--kit", str(kit), *one, "--chunks", "30",
         "--workers", "2", "--json"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    edit_wall = time.monotonic() - started
    again = json.loads(done.stdout)
    rerun = [s for s in _steps(again, "chunk") if s["status"] == "built"]
    print(
        f"one edited line re-encodes {len(rerun)} of {len(chunks)} chunks "
        f"(rebuild {edit_wall:.1f} s)",
        flush=True,
    )
    per_chunk = [s["elapsed"] for s in chunks]
    return {
        "single": {"wall": single_wall, "cpu": _median(singles, "cpu"), "quality": q_single,
                   "runs": [r["wall"] for r in singles]},
        "chunked": {"wall": chunked_wall, "cpu": _median(chunkeds, "cpu"), "quality": q_chunked,
                    "runs": [r["wall"] for r in chunkeds]},
        "speedup": speedup,
        "chunks": len(chunks),
        "chunk_elapsed": per_chunk,
        "film_seconds": seconds,
        "edit_rerun_chunks": len(rerun),
        "edit_rebuild_wall": edit_wall,
        "join_elapsed": sum(s["elapsed"] for s in _steps(chunkeds[-1]["report"], "film")),
    }  # fmt: skip


def all_figures(speed: str, rounds: int = 1) -> dict[str, Any]:
    film = _film("film-60s-720p.mkv", 60.0)
    kit = _kit(MEDIA_CACHE / "scale-all-kit", film)
    args = ["--all", "--speed", speed, "--chunks", "off"]
    locals_, clusters = _alternate(
        rounds,
        lambda: _build(kit, *args, "--jobs", "2"),
        lambda: _build(kit, *args, "--workers", "2"),
    )
    local, cluster = _median(locals_, "wall"), _median(clusters, "wall")
    paired = [c["wall"] / lo["wall"] for lo, c in zip(locals_, clusters, strict=True)]
    print(
        f"build --all, --jobs 2:         wall {local:6.1f} s (runs "
        f"{_runs(locals_)})  cpu {_median(locals_, 'cpu'):6.1f} s",
        flush=True,
    )
    print(
        f"build --all, LocalCluster 2x1: wall {cluster:6.1f} s (runs "
        f"{_runs(clusters)})  cpu {_median(clusters, 'cpu'):6.1f} s"
        f"  (median ratio cluster/local {cluster / local:.2f}, goal <= 1.0)",
        flush=True,
    )
    print(
        f"  each round's ratio: {', '.join(f'{r:.3f}' for r in paired)}"
        f"  (median {statistics.median(paired):.3f}, geometric mean "
        f"{statistics.geometric_mean(paired):.3f})",
        flush=True,
    )
    return {
        "local": {"wall": local, "cpu": _median(locals_, "cpu"),
                  "runs": [r["wall"] for r in locals_]},
        "cluster": {"wall": cluster, "cpu": _median(clusters, "cpu"),
                    "runs": [r["wall"] for r in clusters]},
        "ratio": cluster / local,
        "paired": paired,
    }  # fmt: skip


def paper_model(film: dict[str, Any], cores_per_node: int = 4) -> dict[str, Any]:
    """70-min 1080p x 12 languages x 5 presets from the measured per-chunk CPU cost.

    CPU seconds per second of 720p film = the chunked build's CPU time (its whole process
    tree: chunks, loudness, join, quality, card, clip: an upper bound of the film's share)
    over the film's seconds; wall times are no measure on a loaded shared machine. 1080p
    costs 2.25x (pixels). Burning presets need one encode per language,
    the others one encode shared by every language. 70 chunks a film keep every core of 16
    four-core nodes busy, so the wall time is the CPU time shared out over the cores.
    """
    minutes, languages = 70, 12
    presets = [load_preset(n) for n in STANDARD][:5]
    burning = sum(1 for p in presets if p.subtitles.burn)
    encodes = burning * languages + (len(presets) - burning)
    chunk_cpu_per_s = film["chunked"]["cpu"] / film["film_seconds"]
    cpu_per_film = chunk_cpu_per_s * 2.25 * minutes * 60
    rows = {}
    for nodes in (1, 4, 16):
        cores = nodes * cores_per_node
        wall = encodes * cpu_per_film / cores
        rows[nodes] = wall / 3600
    print(f"paper model: {encodes} encodes ({burning} burning presets x {languages} + "
          f"{len(presets) - burning} shared), {cpu_per_film / 3600:.1f} CPU-h each at this speed, "
          f"{cores_per_node} cores a node:", flush=True)  # fmt: skip
    for nodes, hours in rows.items():
        print(f"  {nodes:2d} nodes: {hours:7.1f} h", flush=True)
    return {"encodes": encodes, "cpu_hours_per_film": cpu_per_film / 3600, "hours": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--speed", default="veryfast", help="x264 speed of the film encodes")
    parser.add_argument("--all-speed", default="ultrafast", help="x264 speed of build --all")
    parser.add_argument("--skip-all", action="store_true", help="leave out the build --all pair")
    parser.add_argument("--skip-film", action="store_true", help="leave out the film pair")
    parser.add_argument("--rounds", type=int, default=3, help="alternating runs of each side")
    parser.add_argument(
        "--film-seconds", type=float, default=180.0, help="length of the film pair's film"
    )
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    result: dict[str, Any] = {}
    if not args.skip_film:
        film = film_figures(args.speed, args.rounds, args.film_seconds)
        result |= {"film": film, "model": paper_model(film)}
    if not args.skip_all:
        result["all"] = all_figures(args.all_speed, args.rounds)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
