"""``screenkit subs check`` over the whole peer corpus (../shared/corpus/peers): target ≤ 10 s.

There is no bare-ffmpeg equivalent to compare with, so this times the command as a user
runs it (one process, every file of the corpus as arguments; exit 1 is expected, since
the corpus holds broken files), takes the median of a few rounds, and shows the in-process
cost per file with the slowest files.

python -m bench.bench_subs_check [--rounds N] [--json FILE]
"""

from __future__ import annotations

import json
import statistics
import subprocess
import time
from pathlib import Path

from bench.harness import BENCH_DIR, cli, screenkit_cmd

CORPUS = BENCH_DIR.parent.parent / "shared" / "corpus" / "peers"
TARGET_S = 10.0


def corpus_files() -> list[Path]:
    lines = (CORPUS / "INDEX.tsv").read_text(encoding="utf-8").splitlines()[1:]
    return [CORPUS / line.split("\t")[0] for line in lines if line.strip()]


def time_command(files: list[Path]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(
        screenkit_cmd("subs", "check", "--json", "--", *map(str, files)),
        capture_output=True,
        check=False,
    )
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 1) or b"Traceback" in proc.stderr:
        raise RuntimeError(proc.stderr.decode("utf-8", "replace")[-2000:])
    json.loads(proc.stdout)  # one document, or the run is broken
    return wall


def per_file(files: list[Path]) -> list[tuple[float, Path]]:
    """In-process time of load + check per file (profile, fonts resolved once)."""
    from screenkit.subtitles.checkrun import check_files

    check_files(files[:1])  # warm the font coverage cache and imports
    timings = []
    for path in files:
        start = time.perf_counter()
        check_files([path])
        timings.append((time.perf_counter() - start, path))
    return sorted(timings, reverse=True)


def main() -> None:
    args = cli(__doc__ or "")
    if not CORPUS.is_dir():
        print(f"no corpus at {CORPUS}: nothing to measure")
        return
    files = corpus_files()
    time_command(files)  # warm-up
    runs = [time_command(files) for _ in range(args.rounds)]
    median = statistics.median(runs)
    verdict = "met" if median <= TARGET_S else "NOT met"
    print(
        f"subs check, {len(files)} corpus files in one process: median {median:.3f} s "
        f"over {len(runs)} runs ({', '.join(f'{r:.2f}' for r in runs)}); "
        f"target ≤ {TARGET_S:g} s: {verdict}"
    )
    timings = per_file(files)
    total = sum(t for t, _ in timings)
    print(f"in-process load + check: {total:.3f} s for all files; slowest:")
    for seconds, path in timings[:5]:
        print(f"  {seconds * 1000:7.1f} ms  {path.relative_to(CORPUS)}")
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {
                    "case": "subs check corpus",
                    "files": len(files),
                    "median_s": median,
                    "runs_s": runs,
                    "target_s": TARGET_S,
                    "in_process_s": total,
                },
                indent=2,
            )
            + "\n"
        )


if __name__ == "__main__":
    main()
