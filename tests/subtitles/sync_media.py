"""Generated sound and tracks with known truth, for the sync tests (``from sync_media import …``).

A clip is a minute of speech-like lines under a score as loud as the voices, with a loud
music-only stretch (20-28 s, no lines), written as PCM in Matroska so that what the
decoder hands out is exactly what was written (no codec delay): a line's true time is its
time in the sound. 16 kHz keeps generation quick.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pysubs2

from screenkit.media.binaries import FFmpeg
from screenkit.sample.music import dialogue_spans, recut, scored_dialogue, write_media
from screenkit.sample.speech import Audio

RATE = 16000
DURATION = 60.0
LOUD = ((20.0, 28.0),)
CUT = (30.0, 34.0)  # the scene removed from the "cut" clip


@dataclass(frozen=True)
class Clip:
    path: Path
    audio: Audio
    spans: list[tuple[float, float]]
    """Lines in the original cut's time (the clip's own time unless it was recut)."""


def lines(seed: int) -> list[tuple[float, float]]:
    return dialogue_spans(DURATION, seed=seed, quiet=LOUD, lengths=(0.8, 2.0), gaps=(0.25, 1.0))


def make_clip(folder: Path, name: str, *, seed: int, ffmpeg: FFmpeg, cut: bool = False) -> Clip:
    spans = lines(seed)
    audio = scored_dialogue(spans, DURATION, rate=RATE, seed=seed, gain_db=0.0, loud=LOUD)
    if cut:
        audio = recut(audio, rate=RATE, remove=CUT)
    path = write_media(
        folder / f"{name}.mka",
        audio,
        rate=RATE,
        picture=None,
        audio_codec=("pcm_s16le",),
        ffmpeg=ffmpeg,
    )
    return Clip(path, audio, spans)


def write_track(
    path: Path, spans: list[tuple[float, float]], *, scale: float = 1.0, shift: float = 0.0
) -> Path:
    """An SRT of ``spans`` mapped by ``t → t·scale + shift`` (lines pushed before 0 left out)."""
    subs = pysubs2.SSAFile()
    for n, (a, b) in enumerate(spans):
        start, end = round((a * scale + shift) * 1000), round((b * scale + shift) * 1000)
        if start >= 0:
            subs.append(pysubs2.SSAEvent(start=start, end=end, text=f"line {n + 1}"))
    subs.save(str(path))
    return path


def starts_by_line(path: Path) -> dict[int, float]:
    """Start (s) of every ``line N`` event of a written track, by N - 1."""
    return {
        int(e.text.split()[1]) - 1: e.start / 1000
        for e in pysubs2.load(str(path))
        if e.text.startswith("line ")
    }


def errors(path: Path, truth: dict[int, float]) -> np.ndarray:
    """|written start - truth| per line of ``truth`` (inf where a line is missing)."""
    got = starts_by_line(path)
    return np.array([abs(got[n] - t) if n in got else np.inf for n, t in truth.items()])


def write_sound(folder: Path, name: str, audio: Audio, *, ffmpeg: FFmpeg) -> Path:
    """``audio`` (mono, RATE) as a sound-only film (PCM in Matroska)."""
    return write_media(
        folder / f"{name}.mka",
        audio,
        rate=RATE,
        picture=None,
        audio_codec=("pcm_s16le",),
        ffmpeg=ffmpeg,
    )


def tone(seconds: float, hz: float) -> Audio:
    t = np.arange(round(seconds * RATE)) / RATE
    return (0.5 * np.sin(2 * np.pi * hz * t)).astype(np.float32)


def noise(seconds: float, seed: int = 3) -> Audio:
    rng = np.random.default_rng(seed)
    return (0.2 * rng.standard_normal(round(seconds * RATE))).astype(np.float32)
