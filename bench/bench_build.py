"""``screenkit build``: overhead, soft languages, rebuilds (issue 6's targets).

A copy of the sample kit whose master is a 720p stand-in film of a few minutes (rendered
once into bench/.media). Four figures:

1. one usb-player bundle (card + film), cold cache ÷ the bare ffmpeg commands doing the
   same work, taken from the plan's ``--dry-run`` (loudness, film, card, clip, stills; the
   join as the same concat stream copy over a list the bare side writes itself):
   target ≤ 1.05;
2. a laptop bundle with 5 soft languages ÷ the same with 1 (both cold): target ≤ 1.15;
3. rebuild after changing the appeal ÷ cold build: target ≤ 0.05;
4. rebuild with nothing changed: target ≤ 2 s, whatever the film's length.

python -m bench.bench_build [--rounds N] [--minutes M] [--speed X264_PRESET] [--json FILE]
                            [--only bundle soft appeal idle]
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from bench.harness import Case, CaseResult, ffmpeg_for_bench, media_path, run_case, run_sequence
from bench.harness import screenkit_cmd as sk
from screenkit.sample.film import render_film

REPO = Path(__file__).resolve().parent.parent
BUNDLES = """
[bundles.demo]
preset = "usb-player"
lang = "en"

[bundles.laptop5]
preset = "laptop"
lang = "en"

[bundles.laptop1]
preset = "laptop"
lang = "en"
soft = ["en"]
"""


def make_kit(film: Path) -> Path:
    kit = Path(tempfile.mkdtemp(prefix="screenkit-bench-kit-"))
    manifest = (REPO / "screenkit.toml").read_text(encoding="utf-8")
    manifest = manifest[: manifest.index("# Named bundles")] + BUNDLES
    (kit / "screenkit.toml").write_text(manifest, encoding="utf-8")
    for sub in ("subtitles", "appeal", "presets"):
        shutil.copytree(REPO / sub, kit / sub)
    (kit / "media").mkdir()
    (kit / "media" / "film.mkv").hardlink_to(film)
    return kit


def clear(kit: Path) -> None:
    shutil.rmtree(kit / ".screenkit", ignore_errors=True)
    shutil.rmtree(kit / "out", ignore_errors=True)


def build(kit: Path, name: str, speed: str) -> list[str]:
    return sk("build", "--kit", str(kit), name, "--speed", speed, "--quiet")


def bare_commands(kit: Path, speed: str, work: Path) -> list[list[str]]:
    """The ffmpeg commands of the demo bundle, from its dry-run (cache warm), made runnable."""
    from screenkit.encode import EncodeOptions, SubtitleInput, output_format
    from screenkit.encode.subs import stage_burn
    from screenkit.kit import load_kit
    from screenkit.media.probe import probe
    from screenkit.media.runner import full_argv, input_arg, output_arg
    from screenkit.presets import load_preset
    from screenkit.slides import CardTarget, card_spec_from_kit, card_timing, layout_card
    from screenkit.slides.bitstream import read_part_timing
    from screenkit.slides.join import concat_list
    from screenkit.slides.render import stage_card

    run_sequence([build(kit, "demo", speed)])
    done = subprocess.run(
        sk("build", "--kit", str(kit), "demo", "--speed", speed, "--dry-run", "--json"),
        capture_output=True,
        text=True,
        check=True,
    )
    plan = json.loads(done.stdout)
    cache = re.escape(plan["cache"])
    steps = {s["kind"]: s for s in plan["steps"]}
    kit_model = load_kit(kit)
    preset = load_preset("usb-player", kit)
    entries = {
        k: Path(plan["cache"]) / "objects" / s["key"][:2] / s["key"]
        for k, s in steps.items()
        if s["key"]
    }
    film, intro = entries["film"] / "film.mp4", entries["card"] / "intro.mp4"

    # the files each step stages in a private folder, made once, outside the timing
    staged_encode, staged_card = work / "staged-encode", work / "staged-card"
    master = probe(kit_model.master)
    fmt = output_format(master, preset, EncodeOptions(x264_preset=speed))
    stage_burn(SubtitleInput(kit_model.subtitle_path("en"), "en"), preset, fmt, staged_encode, ())
    spec = card_spec_from_kit(kit_model, "en")
    target = CardTarget.from_media_info(probe(film), safe_area=preset.safe_area)
    stage_card(
        layout_card(spec, target), spec, float(card_timing(spec.seconds, target).slot), staged_card
    )
    out = work / "out"
    out.mkdir()
    tmp = re.escape(tempfile.gettempdir())
    scratch = r"screenkit-(?:[0-9]+-[0-9]+-[a-z0-9_]{8}|PID-START-X{8})"  # run, or dry-run
    swaps = [  # the folders the build ran in (as recorded, or X's for a step to run) -> ours
        (re.compile(cache + r"/tmp/[0-9a-f]{64}\.[0-9a-fX]{8}"), str(out)),
        (re.compile(cache + r"/objects/[0-9a-f]{2}/[0-9a-f]{64}"), str(out)),
        (re.compile(tmp + rf"/{scratch}/film-[a-z0-9_X]{{8}}"), str(staged_encode)),
        (re.compile(tmp + rf"/{scratch}/card-[a-z0-9_X]{{8}}"), str(staged_card)),
    ]

    def runnable(argv: list[str]) -> list[str]:
        for pattern, real in swaps:
            argv = [pattern.sub(real, word) for word in argv]
        return argv

    commands = [
        runnable(c) for kind in ("loudness", "film", "card") for c in steps[kind]["commands"]
    ]
    timings = [read_part_timing(intro), read_part_timing(film)]
    listing = work / "parts.ffconcat"
    listing.write_text(
        concat_list(["out/intro.mp4", "out/film.mp4"], [timings[0].slot(timings[1]), None])
    )
    join = [
        "-f",
        "concat",
        "-safe",
        "1",
        "-protocol_whitelist",
        "file,pipe",
        "-i",
        input_arg(listing),
        "-map",
        "0:v",
        "-map",
        "0:a?",
        "-c",
        "copy",
        "-movflags",
        "+faststart",
        output_arg(out / "joined.mp4"),
    ]
    commands.append(full_argv(join, ffmpeg_for_bench(), loglevel="warning", progress=False))
    commands += [
        runnable(c)
        for step in plan["steps"]
        if step["kind"] in ("clip", "stills")  # two stills: the card's and a subtitled frame
        for c in step["commands"]
    ]
    (out / "images").mkdir()
    return commands


def alternate(first: Callable[[], None], second: Callable[[], None]) -> Callable[[], None]:
    """A ``before_each`` for a case whose two sides need different preparation."""
    turns = itertools.cycle([first, second])
    return lambda: next(turns)()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--minutes", type=float, default=3.0, help="the film's length")
    parser.add_argument("--speed", default="veryfast", help="x264 speed on both sides")
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--only",
        nargs="+",
        default=["bundle", "soft", "appeal", "idle"],
        choices=["bundle", "soft", "appeal", "idle"],
        help="which figures to measure (default: all four)",
    )
    args = parser.parse_args()
    seconds = round(args.minutes * 60)
    film = media_path(f"film-{seconds}s-720p.mkv")
    if not film.exists():
        print(f"rendering the {seconds} s 720p film (once) …", flush=True)
        render_film(
            film, spans=[(t, t + 3.0) for t in range(2, seconds - 4, 5)], duration=float(seconds)
        )
    kit = make_kit(film)
    work = Path(tempfile.mkdtemp(prefix="screenkit-bench-bare-"))
    results: list[CaseResult] = []
    try:
        bare = bare_commands(kit, args.speed, work)
        counter = itertools.count()

        def new_appeal() -> None:
            appeal = kit / "appeal" / "en.txt"
            appeal.write_text(f"Please give what you can (round {next(counter)}).\n")

        cases = {
            "bundle": Case(
                "usb-player bundle / bare ffmpeg",
                [build(kit, "demo", args.speed)],
                bare,
                before_each=lambda: clear(kit),
                target=1.05,
            ),
            "soft": Case(
                "laptop 5 soft languages / 1",
                [build(kit, "laptop5", args.speed)],
                [build(kit, "laptop1", args.speed)],
                before_each=lambda: clear(kit),
                target=1.15,
            ),
            "appeal": Case(
                "new appeal rebuild / cold build",
                [build(kit, "demo", args.speed)],
                [build(kit, "demo", args.speed)],
                before_each=alternate(new_appeal, lambda: clear(kit)),
                target=0.05,
            ),
        }
        for name, case in cases.items():
            if name in args.only:
                results.append(run_case(case, rounds=args.rounds))
                print(results[-1].line(), flush=True)
        idle: list[float] = []
        if "idle" in args.only:
            run_sequence([build(kit, "demo", args.speed)])
            idle = [run_sequence([build(kit, "demo", args.speed)])[0] for _ in range(5)]
            print(
                f"{'rebuild, nothing changed':<32} median {statistics.median(idle):.3f} s "
                f"(runs {', '.join(f'{t:.2f}' for t in idle)}) for a {seconds} s film  "
                f"target ≤ 2 s: {'met' if statistics.median(idle) <= 2 else 'NOT met'}"
            )
        if args.json is not None:
            document = [asdict(r) for r in results]
            if idle:
                document.append(
                    {
                        "name": "rebuild, nothing changed",
                        "runs_s": idle,
                        "median_s": statistics.median(idle),
                        "target_s": 2.0,
                    }
                )
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(document, indent=2) + "\n")
    finally:
        shutil.rmtree(kit, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
