"""Changing the appeal and rebuilding card + join vs encoding the film (issue 5's target).

A 10-minute 720p film is encoded once (as the usb-player bundle would: H.264 High@4.1 with
B-frames and a VBV cap, AAC stereo, MP4 faststart). Then, alternately:

- ours: a new appeal text -> render the intro (12 s) and outro (20 s) cards matched to the
  encoded film, join intro + film + outro by stream copy (the film is not re-encoded);
- bare: ffmpeg encoding the film from its source, with the same settings.

Target: ours / bare <= 0.05.

python -m bench.bench_card [--rounds N] [--json FILE]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from bench.harness import Case, cli, ffmpeg_for_bench, media_path, run_case
from screenkit.sample.film import render_film

DURATION = 600.0
FILM_ARGS = [
    "-c:v", "libx264", "-preset", "veryfast", "-profile:v", "high", "-level", "4.1",
    "-crf", "20", "-maxrate", "10M", "-bufsize", "20M", "-pix_fmt", "yuv420p",
    "-c:a", "aac", "-b:a", "160k", "-movflags", "+faststart",
]  # fmt: skip


def rebuild(film: Path, out: Path) -> None:
    """What a changed appeal costs: both cards rendered anew and joined to the film."""
    import dataclasses

    from screenkit.slides import CardSpec, attach_cards

    stamp = time.strftime("%H:%M:%S")
    intro = CardSpec(
        title="Preparing a Screening",
        appeal=f"This film is free to screen on one condition ({stamp}): tonight's screening "
        "raises money for the collective whose work you are about to see. Please give.",
        beneficiary="Solidarity Collective (stand-in)",
        link="https://example.org/donate/solidarity",
        venue="Ex-Fabbrica",
        date="Friday 20:30",
    )
    outro = dataclasses.replace(intro, kind="outro")
    attach_cards(film, out, intro=intro, outro=outro, workdir=out.parent)


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "rebuild":
        rebuild(Path(sys.argv[2]), Path(sys.argv[3]))
        return
    args = cli(__doc__ or "")
    ffmpeg = ffmpeg_for_bench()
    source = media_path("film-600s-720p.mkv")
    if not source.exists():
        print("rendering the 10-minute source film (once) …", flush=True)
        render_film(source, spans=[(t, t + 3.0) for t in range(2, 596, 5)], duration=DURATION)
    film = media_path("film-600s-720p-encoded.mp4")
    bare = [str(ffmpeg.path), "-hide_banner", "-loglevel", "error", "-y", "-i", str(source)]
    bare += [*FILM_ARGS, str(film)]
    if not film.exists():
        print("encoding the film (once, for the joins) …", flush=True)
        from bench.harness import run_sequence

        run_sequence([bare])
    encoded_copy = media_path("film-600s-720p-timed.mp4")
    bare_timed = [*bare[:-1], str(encoded_copy)]
    joined = media_path("card-join") / "joined.mp4"
    joined.parent.mkdir(parents=True, exist_ok=True)
    ours = [sys.executable, "-m", "bench.bench_card", "rebuild", str(film), str(joined)]
    case = Case(
        "new appeal: cards + join / encode",
        ours=[ours],
        bare=[bare_timed],
        target=0.05,
    )
    # the film encode takes minutes: no warm-up round (the ours side warms nothing up)
    result = run_case(case, rounds=args.rounds, warmup=0)
    print(result.line(), flush=True)
    print(
        f"ours runs {[f'{r:.2f}' for r in result.ours_runs_s]} s; "
        f"bare runs {[f'{r:.1f}' for r in result.bare_runs_s]} s"
    )
    if args.json is not None:
        import json
        from dataclasses import asdict

        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps([asdict(result)], indent=2) + "\n")


if __name__ == "__main__":
    main()
