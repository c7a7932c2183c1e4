"""How good is the wall-time estimate? Estimate ÷ actual on a 3-minute 720p film.

python -m bench.bench_estimate [--rounds N] [--speed S] [--json FILE]

Each round: estimate the usb-player film encode afresh (no cached figures: a sample timed at
the chosen speed and at veryfast), then run the real encode (loudness measured once before
the rounds, as a build's loudness step does) and time it. Prints each round and the median
ratio; the goal is 0.8–1.25. The machine is shared and noisy: look at the median.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import time
from pathlib import Path

from bench.harness import MEDIA_CACHE, media_path
from screenkit.encode import EncodeOptions, encode
from screenkit.encode.estimate import estimate_encode
from screenkit.media.binaries import find_ffmpeg
from screenkit.media.probe import probe
from screenkit.presets import load_preset
from screenkit.sample.film import render_film

PRESET = "usb-player"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--speed", default=None, help="x264 speed (default: the preset's)")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()

    film = media_path("film-180s-720p.mkv")
    if not film.exists():
        render_film(film, spans=[(t, t + 3.0) for t in range(2, 178, 5)], duration=180.0)
    ffmpeg = find_ffmpeg()
    info = probe(film, ffmpeg=ffmpeg)
    preset = load_preset(PRESET)
    options = EncodeOptions(x264_preset=args.speed, allow_copy=False)
    work = MEDIA_CACHE / "estimate-bench"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    out = work / "out.mp4"
    encode(film, preset, out, options, cache_dir=work / "loudness", ffmpeg=ffmpeg)  # warm-up

    rows = []
    for n in range(args.rounds):
        shutil.rmtree(work / "estimates", ignore_errors=True)
        started = time.monotonic()
        estimate = estimate_encode(film, info, preset, options, ffmpeg=ffmpeg, cache_dir=work)
        cost = time.monotonic() - started
        out.unlink(missing_ok=True)
        started = time.monotonic()
        encode(film, preset, out, options, cache_dir=work / "loudness", ffmpeg=ffmpeg)
        actual = time.monotonic() - started
        ratio = estimate.seconds / actual
        rows.append({"estimate": estimate.seconds, "actual": actual, "ratio": ratio, "cost": cost})
        print(
            f"round {n + 1}: estimate {estimate.seconds:7.1f} s  actual {actual:7.1f} s  "
            f"ratio {ratio:5.2f}  (estimating took {cost:.1f} s; {estimate.sentence()})",
            flush=True,
        )
    median = statistics.median(r["ratio"] for r in rows)
    print(f"median estimate/actual: {median:.2f} (goal 0.8-1.25)")
    if args.json:
        args.json.write_text(json.dumps({"rounds": rows, "median_ratio": median}, indent=2))


if __name__ == "__main__":
    main()
