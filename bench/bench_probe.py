"""``screenkit probe`` vs ``ffprobe`` on a 2-minute 720p film.

python -m bench.bench_probe [--rounds N] [--json FILE]
"""

from __future__ import annotations

from bench.harness import Case, cli, ffmpeg_for_bench, media_path, run_cases, screenkit_cmd
from screenkit.sample.film import render_film


def main() -> None:
    args = cli(__doc__ or "")
    ffmpeg = ffmpeg_for_bench()
    film = media_path("film-120s-720p.mkv")
    if not film.exists():
        render_film(film, spans=[(t, t + 3.0) for t in range(2, 118, 5)], duration=120.0)
    cases = []
    if ffmpeg.ffprobe is not None:
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
