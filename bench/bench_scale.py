"""Scale: chunked encodes on a local Dask cluster, the cluster against the in-process executor.

python -m bench.bench_scale [--speed X264_PRESET] [--all-speed X264_PRESET] [--json FILE]

1. A 3-minute 720p film (one usb-player bundle, burned): unchunked on LocalCluster(1 worker
   x 1 thread, the process pinned to one core) against chunked (30-s chunks) on
   LocalCluster(2 workers x 1 thread, two cores). Goal: >= 1.7x. Wall time and the CPU time
   of the whole process tree (the machine is shared: CPU time is the steadier figure).
2. The same chunked film: how many chunks one edited subtitle line re-encodes.
3. The chunked output's SSIM against the unchunked output's (both against the master).
4. A 60-s 720p sample kit, ``build --all``: LocalCluster(2 x 1) against ``--jobs 2``.
5. On paper, from the measured per-chunk figures: a 70-minute 1080p film x 12 languages
   x 5 presets on 1, 4 and 16 nodes.

Every build runs as a user runs it (``python -m screenkit build``) with a cold cache.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
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


def film_figures(speed: str) -> dict[str, Any]:
    film = _film("film-180s-720p.mkv", 180.0)
    kit = _kit(MEDIA_CACHE / "scale-kit", film)
    one = ["--preset", "usb-player", "--lang", "en", "--burn", "en", "--speed", speed]
    single = _build(kit, *one, "--chunks", "off", "--workers", "1", cores={0})
    q_single = _quality(kit)
    print(
        f"unchunked 1x1 (1 core): wall {single['wall']:6.1f} s  cpu {single['cpu']:6.1f} s  "
        f"SSIM {q_single['ssim']:.4f}",
        flush=True,
    )
    chunked = _build(kit, *one, "--chunks", "30", "--workers", "2", cores={0, 1})
    q_chunked = _quality(kit)
    chunks = _steps(chunked["report"], "chunk")
    print(
        f"chunked   2x1 (2 cores): wall {chunked['wall']:6.1f} s  cpu {chunked['cpu']:6.1f} s  "
        f"SSIM {q_chunked['ssim']:.4f}  ({len(chunks)} chunks)",
        flush=True,
    )
    speedup = single["wall"] / chunked["wall"]
    print(
        f"speed-up (wall): {speedup:.2f}x (goal >= 1.7)  cpu ratio "
        f"{single['cpu'] / chunked['cpu']:.2f}",
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
        "single": {k: single[k] for k in ("wall", "cpu")} | {"quality": q_single},
        "chunked": {k: chunked[k] for k in ("wall", "cpu")} | {"quality": q_chunked},
        "speedup": speedup,
        "chunks": len(chunks),
        "chunk_elapsed": per_chunk,
        "film_seconds": 180.0,
        "edit_rerun_chunks": len(rerun),
        "edit_rebuild_wall": edit_wall,
        "join_elapsed": sum(s["elapsed"] for s in _steps(chunked["report"], "film")),
    }


def all_figures(speed: str) -> dict[str, Any]:
    film = _film("film-60s-720p.mkv", 60.0)
    kit = _kit(MEDIA_CACHE / "scale-all-kit", film)
    args = ["--all", "--speed", speed, "--chunks", "off"]
    local = _build(kit, *args, "--jobs", "2")
    print(
        f"build --all, --jobs 2:      wall {local['wall']:6.1f} s  cpu {local['cpu']:6.1f} s",
        flush=True,
    )
    cluster = _build(kit, *args, "--workers", "2")
    print(
        f"build --all, LocalCluster 2x1: wall {cluster['wall']:6.1f} s  "
        f"cpu {cluster['cpu']:6.1f} s  (ratio cluster/local {cluster['wall'] / local['wall']:.2f})",
        flush=True,
    )
    return {"local": {k: local[k] for k in ("wall", "cpu")},
            "cluster": {k: cluster[k] for k in ("wall", "cpu")}}  # fmt: skip


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
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    film = film_figures(args.speed)
    result: dict[str, Any] = {"film": film, "model": paper_model(film)}
    if not args.skip_all:
        result["all"] = all_figures(args.all_speed)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
