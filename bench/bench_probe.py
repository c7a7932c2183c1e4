"""``screenkit probe`` vs ``ffprobe`` on a 2-minute 720p film and on a 70-minute master.

The probe reads the timestamps of every video packet (demuxed, not decoded) to find
variable frame rate anywhere in the file; the 70-minute case (the 2-minute film looped by
stream copy: ~105 000 packets) shows what that costs beside ffprobe reading the headers and
beside ffprobe listing the same packets alone.

python -m bench.bench_probe [--rounds N] [--json FILE]
"""

from __future__ import annotations

from pathlib import Path

from bench.harness import Case, cli, ffmpeg_for_bench, media_path, run_cases, screenkit_cmd
from screenkit.media.atomic import atomic_output
from screenkit.media.binaries import FFmpeg
from screenkit.media.runner import output_arg, run_ffmpeg, safe_input
from screenkit.sample.film import render_film

LONG_LOOPS = 35  # x 120 s = 70 minutes


def long_master(short: Path, ffmpeg: FFmpeg) -> Path:
    """The 2-minute film looped to 70 minutes by stream copy (no encode)."""
    film = media_path("film-70min-720p.mkv")
    if not film.exists():
        with atomic_output(film) as part:
            run_ffmpeg(
                ["-stream_loop", str(LONG_LOOPS - 1), *safe_input(short), "-c", "copy",
                 output_arg(part)],
                ffmpeg=ffmpeg,
            )  # fmt: skip
    return film


def main() -> None:
    args = cli(__doc__ or "")
    ffmpeg = ffmpeg_for_bench()
    film = media_path("film-120s-720p.mkv")
    if not film.exists():
        render_film(film, spans=[(t, t + 3.0) for t in range(2, 118, 5)], duration=120.0)
    cases = []
    long = long_master(film, ffmpeg)
    if ffmpeg.ffprobe is not None:
        headers = [[str(ffmpeg.ffprobe), "-v", "error", "-show_format", "-show_streams", str(long)]]
        packets = [
            [str(ffmpeg.ffprobe), "-v", "error", "-select_streams", "0", "-show_entries",
             "packet=pts_time,dts_time", "-of", "csv=p=0", str(long)]
        ]  # fmt: skip
        for route in ("ffprobe", "pyav"):
            ours = [screenkit_cmd("probe", "--route", route, "--json", str(long))]
            cases.append(Case(f"70-min probe ({route}) vs ffprobe headers", ours, headers))
            cases.append(Case(f"70-min probe ({route}) vs ffprobe packets", ours, packets))
        bare = [[str(ffmpeg.ffprobe), "-v", "error", "-show_format", "-show_streams", str(film)]]
        cases.append(
            Case(
                "probe (ffprobe route)",
                [screenkit_cmd("probe", "--route", "ffprobe", "--json", str(film))],
                bare,
            )
        )
        cases.append(
            Case(
                "probe (PyAV route)",
                [screenkit_cmd("probe", "--route", "pyav", "--json", str(film))],
                bare,
            )
        )
    else:
        print("no ffprobe beside the ffmpeg in use: nothing to compare the probe with")
    run_cases(cases, rounds=args.rounds, json_path=args.json)


if __name__ == "__main__":
    main()
