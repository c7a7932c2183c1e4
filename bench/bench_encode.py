"""``screenkit encode`` vs the bare ffmpeg command its ``--dry-run`` prints, on a 60 s 720p film.

python -m bench.bench_encode [--rounds N] [--json FILE]

Cases (ratio = ours / bare):
  transcode              screenkit encode --no-copy  vs  the printed command     target ≤ 1.05
  transcode, cold cache  the same with the loudness measured anew each run
                         vs  the printed measuring + encoding commands          (for information)
  copy vs transcode      the stream-copying encode of the compliant film
                         vs  screenkit's transcode of it                         target ≤ 0.05
  transcode, CPU         user+system CPU seconds of both sides of the first case (robust where
                         other work shares the machine: wall time there is mostly noise)
"""

from __future__ import annotations

import os
import shlex
import shutil
import statistics
import subprocess
from collections.abc import Callable

from bench.harness import MEDIA_CACHE, Case, cli, media_path, run_cases, screenkit_cmd
from screenkit.sample.film import render_film

PRESET = "usb-player"


def dry_run(args: list[str]) -> list[list[str]]:
    done = subprocess.run(
        [*screenkit_cmd(*args, "--dry-run")], capture_output=True, text=True, check=True
    )
    return [shlex.split(line) for line in done.stdout.splitlines() if line.strip()]


def cpu_seconds(command: list[str]) -> float:
    """User + system CPU of a command and every process it waited for (ffmpeg included)."""
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    assert proc.returncode == 0, command
    return usage.ru_utime + usage.ru_stime


def cpu_ratio(ours: list[str], bare: list[str], rounds: int, before: Callable[[], None]) -> None:
    """Wall time on a shared 2-core machine is noisy; CPU time is what our layer adds."""
    mine, theirs = [], []
    for _ in range(rounds):
        before()
        mine.append(cpu_seconds(ours))
        before()
        theirs.append(cpu_seconds(bare))
    a, b = statistics.median(mine), statistics.median(theirs)
    print(f"{'transcode, CPU seconds':<32} ours {a:8.3f} s  bare {b:8.3f} s  ratio {a / b:6.3f}")


def main() -> None:
    options = cli(__doc__ or "")
    film = media_path("film-60s-720p.mkv")
    if not film.exists():
        render_film(film, spans=[(t, t + 3.0) for t in range(2, 58, 5)], duration=60.0)
    work = MEDIA_CACHE / "encode-bench"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    cache = work / "cache"
    os.environ["SCREENKIT_CACHE_DIR"] = str(cache)
    os.chdir(work)  # outside any kit: the cache above is the one used

    out = work / "out.mp4"
    transcode = ["encode", str(film), "--preset", PRESET, "-o", str(out), "--quiet", "--no-copy"]
    copy = ["encode", str(film), "--preset", PRESET, "-o", str(out), "--quiet"]

    def clear_out() -> None:
        out.unlink(missing_ok=True)

    def clear_all() -> None:
        clear_out()
        shutil.rmtree(cache, ignore_errors=True)

    cold = dry_run(transcode)  # nothing cached yet: measuring command + encode
    measure = cold[0]
    subprocess.run(screenkit_cmd(*copy), check=True)  # measures and caches the loudness
    warm = dry_run(transcode)
    assert len(warm) == 1, warm
    print("bare command:", shlex.join(warm[0]), flush=True)
    cases = [
        Case("transcode (loudness cached)", [screenkit_cmd(*transcode)], warm, clear_out, 1.05),
        Case("transcode (loudness measured)", [screenkit_cmd(*transcode)], [measure, *warm],
             clear_all),
        Case("copy vs transcode", [screenkit_cmd(*copy)], [screenkit_cmd(*transcode)],
             clear_out, 0.05),
    ]  # fmt: skip
    run_cases(cases, rounds=options.rounds, json_path=options.json)
    cpu_ratio(screenkit_cmd(*transcode), warm[0], options.rounds, clear_out)


if __name__ == "__main__":
    main()
