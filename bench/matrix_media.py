"""The media of `bench.bench_matrix`: a 70-minute 1080p master and 12 tracks of one timing.

The master is a lavfi picture (``testsrc2`` with a light temporal grain, like a phone's
sensor noise, so that x264's speeds differ as they do on real footage) and a quiet pink
noise for sound, 25 fps, H.264 + AAC in Matroska; rendered once, niced, and kept under
``bench/.media/`` (gitignored). The tracks share one documentary-like timing: spoken
stretches of 40 s to 4 min (cues of 1.5 to 6 s; between them mostly a breath of two frames
to half a second, often up to 2.5 s, now and then a pause of 2.5 to 8 s) between long
stretches without words (titles, music, landscape, 20 s to 3 min), the spoken stretches
covering 60 % of the film (or, read the other way, the cues showing for 60 %: see
`documentary_timing`). Deterministic (seeded).

    python -m bench.matrix_media            # render the master (a 20-minute piece, niced)
"""

from __future__ import annotations

import math
import os
import random
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bench.harness import media_path
from screenkit.media.atomic import atomic_output
from screenkit.media.binaries import find_ffmpeg

SECONDS = 4200.0
WIDTH, HEIGHT, FPS = 1920, 1080, 25
MASTER_NAME = f"matrix-{int(SECONDS)}s-{HEIGHT}p.mkv"
COVERAGE = 0.60
"""The share of the film during which a cue shows (the timing's target)."""


PIECE = 1200.0
"""Seconds rendered: the master is this piece and its repeats, joined by stream copy."""


def master(seconds: float = SECONDS, name: str = MASTER_NAME) -> Path:
    """The cached master (rendered on first use, ``nice 19``; atomically).

    Rendering 70 minutes of noisy 1080p takes over an hour on two cores; the film is a
    20-minute piece rendered once and repeated by stream copy (its GOP of 2 s divides the
    piece, so every repeat starts on a keyframe). What the bench measures is the same:
    every chunk encodes the same kind of picture at its own place in the film.
    """
    out = media_path(name)
    if out.exists():
        return out
    piece = _piece(min(PIECE, seconds))
    ffmpeg = find_ffmpeg()
    repeats = math.ceil(seconds / PIECE)
    listing = "".join(f"file '{piece.name}'\n" for _ in range(repeats - 1))
    listing += f"file '{piece.name}'\noutpoint {seconds - PIECE * (repeats - 1):g}\n"
    concat = piece.parent / f".{out.stem}.concat.txt"
    concat.write_text("ffconcat version 1.0\n" + listing, encoding="utf-8")
    try:
        with atomic_output(out) as part:
            argv = [
                str(ffmpeg.path), "-hide_banner", "-v", "error",
                "-f", "concat", "-safe", "0", "-i", str(concat),
                "-map", "0", "-c", "copy", "-t", str(seconds), str(part),
            ]  # fmt: skip
            subprocess.run(argv, check=True)
    finally:
        concat.unlink(missing_ok=True)
    return out


def _piece(seconds: float) -> Path:
    out = media_path(f"matrix-{int(seconds)}s-{HEIGHT}p-piece.mkv")
    if out.exists():
        return out
    ffmpeg = find_ffmpeg()
    picture = f"testsrc2=size={WIDTH}x{HEIGHT}:rate={FPS}:duration={seconds},noise=alls=4:allf=t"
    sound = f"anoisesrc=color=pink:amplitude=0.06:sample_rate=48000:duration={seconds}"
    with atomic_output(out) as part:
        argv = [
            str(ffmpeg.path), "-hide_banner", "-v", "error", "-stats",
            "-f", "lavfi", "-i", picture, "-f", "lavfi", "-i", sound,
            "-map", "0:v", "-map", "1:a",
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "21", "-pix_fmt", "yuv420p",
            "-g", str(FPS * 2), "-bf", "2",
            "-c:a", "aac", "-b:a", "160k", "-ac", "2", "-metadata:s:a:0", "language=eng",
            "-t", str(seconds), str(part),
        ]  # fmt: skip
        subprocess.run(argv, check=True, preexec_fn=lambda: os.nice(19))
    return out


@dataclass(frozen=True)
class Timing:
    """One timing: cue spans (seconds) and the spoken stretches they come in."""

    cues: tuple[tuple[float, float], ...]
    stretches: tuple[tuple[float, float], ...]
    duration: float

    @property
    def coverage(self) -> float:
        """The share of the film during which a cue shows."""
        return sum(b - a for a, b in self.cues) / self.duration

    @property
    def spoken(self) -> float:
        """The share of the film in spoken stretches (first cue to last, pauses included)."""
        return sum(b - a for a, b in self.stretches) / self.duration


def _pause(rng: random.Random) -> float:
    """A pause between two cues of one speaker: mostly a breath, now and then longer."""
    roll = rng.random()
    if roll < 0.5:
        return rng.uniform(0.08, 0.5)  # speech runs on: two frames to half a second
    if roll < 0.85:
        return rng.uniform(0.5, 2.5)
    return rng.uniform(2.5, 8.0)  # a thought, a cutaway


def documentary_timing(
    duration: float = SECONDS, share: float = COVERAGE, of: str = "stretches", seed: int = 7
) -> Timing:
    """Spoken stretches of 40 s to 4 min between long wordless ones (20 s to 3 min).

    ``of = "stretches"``: the spoken stretches (first cue to last, pauses included) cover
    ``share`` of the film; ``of = "cues"``: the cues themselves show for ``share``.
    """
    rng = random.Random(seed)
    spoken: list[list[tuple[float, float]]] = []
    covered = 0.0
    while covered < share * duration - 20.0:
        want = rng.uniform(40.0, 240.0)
        if of == "stretches":
            want = min(want, share * duration - covered)
        cues: list[tuple[float, float]] = []
        t = 0.0
        while t < want:
            show = rng.uniform(1.5, 6.0)
            cues.append((t, t + show))
            t += show + _pause(rng)
        spoken.append(cues)
        covered += cues[-1][1] if of == "stretches" else sum(b - a for a, b in cues)
    silent_total = duration - sum(c[-1][1] for c in spoken)
    if silent_total <= 0:
        raise ValueError(f"no room for wordless stretches at {share:.0%} of {of}")
    weights = [rng.uniform(20.0, 180.0) for _ in range(len(spoken) + 1)]
    scale = silent_total / sum(weights)
    out: list[tuple[float, float]] = []
    stretches: list[tuple[float, float]] = []
    t = 0.0
    for n, cues in enumerate(spoken):
        t += weights[n] * scale
        stretches.append((round(t, 3), round(t + cues[-1][1], 3)))
        out.extend((round(t + a, 3), round(t + b, 3)) for a, b in cues)
        t += cues[-1][1]
    return Timing(tuple(out), tuple(stretches), duration)


LANGUAGES = ("it", "uk", "pl", "de", "fr", "es", "pt", "nl", "da", "sv", "fi", "cs")
"""The 12 languages of the matrix (the sample kit's four and eight more)."""

_WORDS = {
    "it": "La nostra voce", "uk": "Наш голос", "pl": "Nasz głos", "de": "Unsere Stimme",
    "fr": "Notre voix", "es": "Nuestra voz", "pt": "A nossa voz", "nl": "Onze stem",
    "da": "Vores stemme", "sv": "Vår röst", "fi": "Äänemme", "cs": "Náš hlas",
}  # fmt: skip


def write_tracks(folder: Path, timing: Timing, langs: tuple[str, ...] = LANGUAGES) -> None:
    """One SRT per language, every one on ``timing`` (the words differ, the times do not)."""
    folder.mkdir(parents=True, exist_ok=True)
    for lang in langs:
        lines = []
        for n, (a, b) in enumerate(timing.cues, start=1):
            lines.append(f"{n}\n{_srt_time(a)} --> {_srt_time(b)}\n{_WORDS[lang]} {n}\n")
        (folder / f"{lang}.srt").write_text("\n".join(lines), encoding="utf-8")


def _srt_time(seconds: float) -> str:
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d},{ms:03d}"


if __name__ == "__main__":
    for reading in ("stretches", "cues"):
        t = documentary_timing(of=reading)
        print(
            f"timing ({reading} 60 %): {len(t.cues)} cues in {len(t.stretches)} spoken "
            f"stretches covering {t.spoken:.1%}, cues showing {t.coverage:.1%}",
            flush=True,
        )
    print(master(), file=sys.stderr)
