"""The cache-space check against what a build really writes: planned vs written bytes.

Before the long steps a build sums what its steps will write to the step cache and checks
the disk's free space (`screenkit.diskspace`). A check that undercounts lets a
build fill the disk hours in. This bench makes a master (lavfi test picture and tone, a
few minutes at 320x180: the standard usb-player enlarges it to 720 lines), asks a cold
``build --dry-run --json`` what it plans to write to the cache, builds, and sums the bytes
of the cache's entries, chunked (``--chunks 60``) and unchunked (``--chunks off``).

    python -m bench.bench_space [--seconds 240] [--speed ultrafast] [--preset usb-player]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.harness import MEDIA_CACHE
from screenkit.media.binaries import find_ffmpeg

REPO = Path(__file__).resolve().parent.parent


def master(seconds: float) -> Path:
    """A lavfi master of ``seconds`` at 320x180, 25 fps (made once, kept in bench/.media)."""
    out = MEDIA_CACHE / f"space-{seconds:g}s-320x180.mkv"
    if out.is_file():
        return out
    MEDIA_CACHE.mkdir(parents=True, exist_ok=True)
    part = out.with_name(f".{out.name}.part.mkv")
    ffmpeg = find_ffmpeg()
    subprocess.run(
        [str(ffmpeg.path), "-v", "error", "-y",
         "-f", "lavfi", "-i", f"testsrc2=s=320x180:r=25:d={seconds}",
         "-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:d={seconds}",
         "-c:v", "libx264", "-preset", "ultrafast", "-crf", "18", "-c:a", "aac",
         "-shortest", str(part)],
        check=True,
    )  # fmt: skip
    part.replace(out)
    return out


def kit(folder: Path, film: Path) -> Path:
    folder.mkdir(parents=True)
    shutil.copyfile(REPO / "screenkit.toml", folder / "screenkit.toml")
    for sub in ("subtitles", "appeal"):
        shutil.copytree(REPO / sub, folder / sub)
    (folder / "media").mkdir()
    (folder / "media" / "film.mkv").symlink_to(film)
    return folder


def screenkit(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "screenkit", *args], capture_output=True, text=True, check=False
    )


def written(cache: Path) -> int:
    return sum(p.stat().st_size for p in (cache / "objects").rglob("*") if p.is_file())


def measure(film: Path, preset: str, speed: str, chunks: str, work: Path) -> tuple[int, int]:
    folder = kit(work / f"kit-{chunks}", film)
    common = ["--kit", str(folder), "--preset", preset, "--lang", "en", "--speed", speed]
    common += ["--chunks", chunks, "--allow-placeholder"]
    dry = screenkit("build", *common, "--dry-run", "--json")
    if dry.returncode != 0:
        raise SystemExit(dry.stderr)
    space = json.loads(dry.stdout)["space"]
    planned = next(s["need_bytes"] for s in space if "cache" in s["what"])
    done = screenkit("build", *common, "--quiet")
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return planned, written(folder / ".screenkit" / "cache")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=240.0)
    parser.add_argument("--speed", default="ultrafast")
    parser.add_argument("--preset", default="usb-player")
    args = parser.parse_args()
    film = master(args.seconds)
    print(f"master: {args.seconds:g} s at 320x180; preset {args.preset}, --speed {args.speed}")
    print(f"{'chunks':<8} {'planned MB':>11} {'written MB':>11} {'covered':>8}")
    with tempfile.TemporaryDirectory(prefix="bench-space-") as tmp:
        for chunks in ("60", "off"):
            planned, wrote = measure(film, args.preset, args.speed, chunks, Path(tmp))
            print(
                f"{chunks:<8} {planned / 1e6:>11.0f} {wrote / 1e6:>11.0f} {planned >= wrote!s:>8}"
            )


if __name__ == "__main__":
    main()
