"""The matrix at real length: a 70-minute 1080p master, 12 languages burned for usb-player.

python -m bench.bench_matrix [--share 0.05] [--ratio-chunks 3] [--json FILE]

1. The media (`bench.matrix_media`, cached under ``bench/.media/``): a 70-minute 1080p25
   lavfi master and 12 language tracks sharing one documentary timing. Two readings of
   "a timing covering 60 % of the film": its spoken stretches (first cue to last, pauses
   included) cover 60 % (cues then show for 44 %), or its cues show for 60 % (spoken
   stretches then cover 83 %). Both are planned; the first is the headline.
2. x264 frames the 12-language usb-player matrix encodes: 12 full encodes; today's fixed
   60-s chunks (a chunk showing no cue was already keyed alike for every language); gap
   chunks (this build: `screenkit.encode.gaps`), counted from the real plan
   (``plan_build`` of the 12 bundles, ``--chunks auto``): every distinct chunk step once.
   And the floor no plan can go below: a cue's frames once per language, the rest once
   (with cues showing for 60 % of the film it is 0.649x: the 0.55 goal then cannot be met).
3. CPU seconds: a share of the gap plan's chunk steps (``--share`` of its frames, picked
   evenly over the film) is run at ``ultrafast`` exactly as a worker runs it (the step's
   own run: burn-in staged, one ffmpeg), one after another, each one's CPU time taken from
   the kernel (the ffmpeg child's user + system time). A line, CPU = a + b x frames (a:
   what a chunk costs whatever its length: starting ffmpeg, seeking the master, x264's
   start; b: per frame), is fitted to them by least squares and applied to every chunk
   of each plan. A chunk step measures its own picture quality (it decodes its encode and
   its stretch of the master), so the line holds it. The film joins copy the chunks and
   the sound step's file: the sound (one step for every language of the preset) and the
   loudness pass it needs are run once and their CPU added to every plan (a full encode
   encodes the sound in its own pass: about the same).
4. ``--speed auto`` on this master (``pick_speed``: 3 samples of 4 s with the Italian track
   burned, medium down to veryfast): the speed it picks and every speed's SSIM and bitrate.
   ``--ratio-chunks`` chunks are also run at the picked speed and at medium: the CPU
   ratio to ultrafast turns the fitted line into CPU at those speeds.
5. The paper model at the picked speed: the matrix's CPU hours spread over 1, 4 and 16
   nodes of 4 cores (many chunks keep every core busy; the longest chunk is the floor).
   Goals: the matrix encodes <= 0.55x the frames of 12 full encodes, and fits one night
   (<= 10 h) on 4 four-core machines at the quality of medium.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import statistics
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from bench.harness import MEDIA_CACHE
from bench.matrix_media import LANGUAGES, Timing, documentary_timing, master, write_tracks
from screenkit.bundle import BuildSettings, plan_build, resolve_requests
from screenkit.bundle.compose.model import BuildPlan
from screenkit.bundle.engine.cache import StepCache
from screenkit.bundle.engine.registry import run_step
from screenkit.bundle.engine.step import Step
from screenkit.encode import EncodeOptions, SubtitleInput, output_format
from screenkit.encode.chunks import Chunk, chunk_bounds, targets
from screenkit.encode.gaps import busy_frames, cue_frames
from screenkit.encode.speedpick import SpeedChoice, pick_speed
from screenkit.kit import load_kit
from screenkit.media.binaries import find_ffmpeg
from screenkit.presets import load_preset
from screenkit.slides.spec import kit_fonts

PRESET = "usb-player"
KIT = MEDIA_CACHE / "matrix-kit"
CORES_PER_NODE = 4
NIGHT_HOURS = 10.0
FRAMES_GOAL = 0.55


def make_kit(timing: Timing, folder: Path = KIT) -> Path:
    """A kit of the master and the 12 tracks, with one usb-player bundle per language."""
    film = master()
    for sub in ("subtitles", "appeal", "out"):
        shutil.rmtree(folder / sub, ignore_errors=True)
    (folder / "media").mkdir(parents=True, exist_ok=True)
    target = folder / "media" / "film.mkv"
    if not target.exists():
        os.link(film, target)
    write_tracks(folder / "subtitles", timing)
    (folder / "appeal").mkdir()
    for lang in LANGUAGES:
        (folder / "appeal" / f"{lang}.txt").write_text(
            "A stand-in appeal for the matrix bench: give what you can.\n", encoding="utf-8"
        )
    bundles = "".join(
        f'\n[bundles.{lang}]\npreset = "{PRESET}"\nlang = "{lang}"\n' for lang in LANGUAGES
    )
    (folder / "screenkit.toml").write_text(
        '[kit]\nname = "matrix"\ntitle = "The Matrix Bench"\nmaster = "media/film.mkv"\n'
        f'languages = {json.dumps(list(LANGUAGES))}\noriginal_language = "it"\n'
        'cache = "kit"\n\n[appeal]\nbeneficiary = "A Collective (stand-in)"\n'
        'link = "https://example.org/donate"\nstand_in = true\n' + bundles,
        encoding="utf-8",
    )
    return folder


def plan(folder: Path, speed: str = "ultrafast", chunks: str = "auto") -> BuildPlan:
    kit = load_kit(folder)
    requests = resolve_requests(kit, list(LANGUAGES))
    settings = BuildSettings(x264_preset=speed, chunks=chunks, estimate_after=None)
    return plan_build(kit, requests, settings)


@dataclass(frozen=True)
class Counted:
    """One plan's chunk work: the distinct chunk steps and their frames."""

    name: str
    steps: int
    frames: int
    shared_steps: int
    shared_frames: int
    lengths: tuple[int, ...]
    """Frames of every distinct chunk encode."""


def _frames(chunk: Chunk, total: int) -> int:
    return chunk.frames if chunk.frames is not None else total - chunk.first


def count_plan(built: BuildPlan, total: int) -> Counted:
    steps = [s for s in built.steps if s.kind == "chunk"]
    lengths = tuple(_frames(s.settings.chunk, total) for s in steps)
    shared = [n for s, n in zip(steps, lengths, strict=True) if s.settings.burn is None]
    return Counted("gap chunks", len(steps), sum(lengths), len(shared), sum(shared), lengths)


def count_fixed(timing: Timing, rate: Fraction, total: int, langs: int) -> Counted:
    """Today's fixed 60-s chunks: a chunk showing no cue was keyed alike for every language
    (its burn digest held no event), one showing any is one encode per language."""
    spans = [cue_frames((round(a * 1000), round(b * 1000)), rate) for a, b in timing.cues]
    lengths: list[int] = []
    shared_steps = shared = 0
    for chunk in chunk_bounds(targets(timing.duration, 60.0), rate):
        n = _frames(chunk, total)
        if any(a < chunk.first + n and b > chunk.first for a, b in spans):
            lengths += [n] * langs
        else:
            lengths.append(n)
            shared_steps, shared = shared_steps + 1, shared + n
    return Counted(
        "fixed 60-s chunks", len(lengths), sum(lengths), shared_steps, shared, tuple(lengths)
    )


def floor_frames(timing: Timing, rate: Fraction, total: int, langs: int) -> int:
    """The least any plan can encode: every frame a cue shows on, once per language (each
    language's picture differs there), and every other frame once."""
    spans = [(round(a * 1000), round(b * 1000)) for a, b in timing.cues]
    shown = sum(b - a for a, b in busy_frames(spans, rate, total))
    return shown * langs + (total - shown)


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_chunk(step: Step[Any], cache: StepCache) -> float:
    """CPU seconds of one chunk step run as a worker runs it; its entry removed after."""
    before = _child_cpu()
    entry = run_step(step, cache)
    spent = _child_cpu() - before
    shutil.rmtree(entry.folder, ignore_errors=True)
    return spent


def pick_share(steps: Sequence[Step[Any]], total: int, share: float) -> list[Step[Any]]:
    """Chunk steps spread evenly over the plan, about ``share`` of its frames."""
    frames = [_frames(s.settings.chunk, total) for s in steps]
    want = share * sum(frames)
    every = max(1, round(sum(frames) / want))
    return [s for n, s in enumerate(steps) if n % every == every // 2]


def fit_line(points: Sequence[tuple[int, float]]) -> tuple[float, float]:
    """Least squares CPU = a + b x frames; (a, b), a kept >= 0."""
    xs = [float(x) for x, _ in points]
    ys = [y for _, y in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    var = sum((x - mx) ** 2 for x in xs)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / var if var else my / mx
    a = my - b * mx
    if a < 0:
        a, b = 0.0, sum(ys) / sum(xs)
    return a, b


def sound_cpu(built: BuildPlan) -> float:
    """CPU seconds of the plan's loudness pass and sound step (once for the matrix), each
    run as a worker runs it, in a cache of their own (nothing found there: both run)."""
    by_id = {s.id: s for s in built.steps}
    (sound,) = [s for s in built.steps if s.kind == "sound"]
    folder = Path(tempfile.mkdtemp(prefix="sound-cpu-", dir=MEDIA_CACHE))
    try:
        cache = StepCache(folder)
        before = _child_cpu()
        entries = {dep.role: run_step(by_id[dep.id], cache) for dep in sound.deps}
        run_step(sound, cache, deps=entries)
        return _child_cpu() - before
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _h(seconds: float) -> str:
    return f"{seconds / 3600:6.1f} h"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--share", type=float, default=0.05, help="share of frames measured")
    parser.add_argument("--ratio-chunks", type=int, default=3, help="chunks run at each speed")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    started = time.monotonic()
    film = master()
    print(f"master: {film} ({film.stat().st_size / 1e9:.2f} GB)", flush=True)

    readings: dict[str, dict[str, Any]] = {}
    headline: BuildPlan | None = None
    for reading in ("cues", "stretches"):  # the headline last: its kit stays on disk
        timing = documentary_timing(of=reading)
        kit = make_kit(timing)
        built = plan(kit)
        rate = output_format(built.master, load_preset(PRESET, kit), EncodeOptions()).frame_rate
        total = math.floor(Fraction(built.master.duration).limit_denominator(10**6) * rate)
        full = Counted(
            "12 full encodes",
            len(LANGUAGES),
            total * len(LANGUAGES),
            0,
            0,
            (total,) * len(LANGUAGES),
        )
        fixed = count_fixed(timing, rate, total, len(LANGUAGES))
        gaps = count_plan(built, total)
        floor = floor_frames(timing, rate, total, len(LANGUAGES))
        readings[reading] = {"timing": timing, "full": full, "fixed": fixed, "gaps": gaps,
                             "total": total, "floor": floor}  # fmt: skip
        print(
            f"\ntiming '{reading} 60 %': {len(timing.cues)} cues, spoken stretches "
            f"{timing.spoken:.0%} of the film, cues showing {timing.coverage:.0%}; "
            f"{total:,} frames a film",
            flush=True,
        )
        for c in (full, fixed, gaps):
            print(
                f"  {c.name:<18} {c.frames:>11,} x264 frames  {c.frames / full.frames:5.3f} x  "
                f"{c.steps:>5} encodes ({c.shared_steps} shared, {c.shared_frames / total:.0%} of "
                f"the film)",
                flush=True,
            )
        print(
            f"  {'floor (any plan)':<18} {floor:>11,} x264 frames  {floor / full.frames:5.3f} x  "
            f"(each cue's frames once per language, the rest once); gap chunks encode "
            f"{(gaps.frames - floor) / full.frames:.3f}x of the full frames above it",
            flush=True,
        )
        if reading == "stretches":
            headline = built
    assert headline is not None

    # CPU: the headline gap plan's chunks, a share of them, at ultrafast
    built, kit = headline, KIT
    total = readings["stretches"]["total"]
    cache = StepCache(built.cache_root)
    steps = [s for s in built.steps if s.kind == "chunk"]
    sample = pick_share(steps, total, args.share)
    points = []
    for n, step in enumerate(sample):
        frames = _frames(step.settings.chunk, total)
        cpu = run_chunk(step, cache)
        points.append((frames, cpu))
        print(
            f"  measured chunk {n + 1}/{len(sample)}: {frames} frames, {cpu:.1f} CPU s", flush=True
        )
    a, b = fit_line(points)
    print(
        f"ultrafast chunk cost: {a:.2f} CPU s a chunk + {b * 1000:.2f} CPU ms a frame "
        f"(fitted to {len(points)} chunks, {sum(p[0] for p in points):,} frames)",
        flush=True,
    )

    # --speed auto on this master, and the CPU ratio of its pick and of medium to ultrafast
    preset = load_preset(PRESET, kit)
    kit_obj = load_kit(kit)
    track = SubtitleInput(kit_obj.subtitle_path("it"), "it")
    sha = next(i.sha256 for s in built.steps for i in s.inputs if i.role == "master")
    choice, cached = pick_speed(
        built.master,
        preset,
        EncodeOptions(burn=track, fonts=kit_fonts(kit_obj)),
        master_sha256=sha,
        ffmpeg=find_ffmpeg(),
        cache_dir=built.cache_root,
    )
    _print_choice(choice, cached)
    ratio_steps = sorted(sample, key=lambda s: abs(_frames(s.settings.chunk, total) - 25 * 30))
    ratio_steps = ratio_steps[: args.ratio_chunks]
    ratios: dict[str, float] = {}
    for speed in dict.fromkeys((choice.speed, "medium")):
        faster = plan(kit, speed=speed)
        by_chunk = {
            (s.settings.chunk, s.settings.shown): s for s in faster.steps if s.kind == "chunk"
        }
        spent = base = 0.0
        for step in ratio_steps:
            twin = by_chunk[(step.settings.chunk, step.settings.shown)]
            spent += run_chunk(twin, cache)
            base += a + b * _frames(step.settings.chunk, total)
        ratios[speed] = spent / base
        print(
            f"  {speed}: {ratios[speed]:.1f}x the CPU of ultrafast ({len(ratio_steps)} chunks)",
            flush=True,
        )

    once = sound_cpu(built)
    print(f"loudness and sound (once): {once:.1f} CPU s", flush=True)
    rows = _report(readings, a, b, ratios, choice, once)
    elapsed = time.monotonic() - started
    print(f"\n(bench took {elapsed / 60:.0f} min)", flush=True)
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "fit": [a, b],
                    "ratios": ratios,
                    "sound_cpu": once,
                    "choice": choice.to_json(),
                    "rows": rows,
                },
                indent=2,
            )
        )


def _print_choice(choice: SpeedChoice, cached: bool) -> None:
    print(
        f"\n--speed auto picks {choice.speed} (tolerance {choice.tolerance}, "
        f"{len(choice.samples)} samples of {choice.sample_seconds:g} s"
        f"{', cached' if cached else ''}):",
        flush=True,
    )
    for t in choice.trials:
        mark = "  <- picked" if t.speed == choice.speed else ""
        print(
            f"  {t.speed:<9} SSIM {t.ssim:.4f} ({t.ssim - choice.reference.ssim:+.4f})  "
            f"{t.kbps:7.0f} kbit/s  {t.seconds:6.1f} s{mark}",
            flush=True,
        )


def _report(
    readings: dict[str, dict[str, Any]],
    a: float,
    b: float,
    ratios: dict[str, float],
    choice: SpeedChoice,
    once: float,
) -> list[dict[str, Any]]:
    """The table: frames and CPU of each plan; the paper model at the picked speed."""
    rows = []
    picked = ratios[choice.speed]
    for reading, found in readings.items():
        joins = once  # the joins copy; the sound is encoded once (see the module's note)
        print(
            f"\n{reading} 60 %: x264 frames, CPU (fitted line), wall on 4-core nodes at "
            f"{choice.speed} (+ {_h(joins).strip()} of loudness and sound)",
            flush=True,
        )
        print(
            f"  {'':<18} {'frames':>11} {'x full':>7} {'CPU ultrafast':>14} "
            f"{'CPU ' + choice.speed:>14} {'1 node':>8} {'4 nodes':>8} {'16 nodes':>8}",
            flush=True,
        )
        for c in (found["full"], found["fixed"], found["gaps"]):
            cpu = sum(a + b * n for n in c.lengths)
            at_speed = cpu * picked + joins
            longest = (a + b * max(c.lengths)) * picked
            walls = [max(at_speed / (nodes * CORES_PER_NODE), longest) for nodes in (1, 4, 16)]
            print(
                f"  {c.name:<18} {c.frames:>11,} {c.frames / found['full'].frames:>7.3f} "
                f"{_h(cpu):>14} {_h(at_speed):>14} " + " ".join(f"{_h(w):>8}" for w in walls),
                flush=True,
            )
            rows.append(
                {
                    "timing": reading,
                    "plan": c.name,
                    "frames": c.frames,
                    "of_full": c.frames / found["full"].frames,
                    "encodes": c.steps,
                    "cpu_ultrafast_h": cpu / 3600,
                    "cpu_picked_h": at_speed / 3600,
                    "wall_h": {str(n): w / 3600 for n, w in zip((1, 4, 16), walls, strict=True)},
                    "floor": found["floor"] / found["full"].frames,
                }
            )
        gap = rows[-1]
        floor = found["floor"] / found["full"].frames
        reach = ": the goal is out of reach" if floor > FRAMES_GOAL else ""
        print(
            f"  goals: gap chunks {gap['of_full']:.3f}x the frames (<= {FRAMES_GOAL}: "
            f"{'met' if gap['of_full'] <= FRAMES_GOAL else 'NOT met'}; no plan goes below "
            f"{floor:.3f}x with this timing{reach}); 4 nodes "
            f"{gap['wall_h']['4']:.1f} h at {choice.speed} (<= {NIGHT_HOURS:g} h: "
            f"{'met' if gap['wall_h']['4'] <= NIGHT_HOURS else 'NOT met'})",
            flush=True,
        )
    if "medium" in ratios:
        print(
            f"(medium costs {ratios['medium']:.1f}x ultrafast, {choice.speed} "
            f"{picked:.1f}x, on the same chunks)",
            flush=True,
        )
    return rows


if __name__ == "__main__":
    main()
