"""Lines of real synthetic speech (flite, through ffmpeg's ``flite`` source) under a score.

`screenkit.sample.speech` makes speech-*like* sound, and a detector could be tuned to it
without anyone noticing. Text-to-speech has real phonetics and prosody: tests and the
benchmark use it, where the ffmpeg has libflite (Debian's does; the bundled one does not),
to check that sync does not depend on our own generator. Lines are seeded random sentences
read by four voices; each subtitle starts at its line's first sound and lingers 0.5 s after
the last, as subtitlers time them.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from screenkit.errors import ScreenkitError
from screenkit.media.binaries import FFmpeg, find_ffmpeg
from screenkit.media.runner import output_arg, run_ffmpeg
from screenkit.sample.music import score_under
from screenkit.sample.speech import Audio, room_tone
from screenkit.tempdirs import scratch_dir

RATE = 16000
VOICES = ("slt", "kal16", "awb", "rms")
LINGER = 0.5
_WHO = (
    "the projector",
    "our collective",
    "the union hall",
    "a volunteer",
    "the sound desk",
    "every screening",
    "the organiser",
    "the back row",
    "this film",
    "the translator",
)
_DOES = ("needs", "shows", "checks", "brings", "opens", "follows", "remembers", "carries")
_WHAT = (
    "a second cable",
    "the fundraising appeal",
    "subtitles in Polish",
    "a warm room",
    "the test clip first",
    "bread and soup",
    "the whole trilogy",
    "a quiet corner",
    "the donation link",
    "a spare lamp",
)
_AFTER = ("before the doors open", "after the discussion", "on Thursday evening", "",
          "when the lights go down", "", "for everyone who comes", "without any fuss")  # fmt: skip


def flite_ffmpeg() -> FFmpeg | None:
    """The ffmpeg on PATH if it was built with libflite, else None."""
    path = shutil.which("ffmpeg")
    if path is None:
        return None
    try:
        found = find_ffmpeg(path)
    except ScreenkitError:
        return None
    return found if found.has_enabled("libflite") else None


def sentences(count: int, seed: int = 3) -> list[str]:
    rng = np.random.default_rng(seed)

    def pick(words: Sequence[str]) -> str:
        return words[int(rng.integers(len(words)))]

    return [
        " ".join(w for w in (pick(_WHO), pick(_DOES), pick(_WHAT), pick(_AFTER)) if w) + "."
        for _ in range(count)
    ]


def speak(ffmpeg: FFmpeg, text: str, voice: str, folder: Path) -> Audio:
    """``text`` read by ``voice``: mono float32 at RATE (the text reaches flite as a file)."""
    (folder / "line.txt").write_text(text)
    raw = folder / "line.raw"
    run_ffmpeg(
        ["-f", "lavfi", "-i", f"flite=textfile={folder / 'line.txt'}:voice={voice}",
         "-ar", str(RATE), "-ac", "1", "-f", "s16le", output_arg(raw)],
        ffmpeg=ffmpeg,
        what="speaking a line with flite",
    )  # fmt: skip
    return np.fromfile(raw, dtype="<i2").astype(np.float32) / 32768.0


def spoken_dialogue(
    ffmpeg: FFmpeg,
    duration: float,
    *,
    loud: Sequence[tuple[float, float]] = (),
    gain_db: float | None = 0.0,
    seed: int = 3,
    gaps: tuple[float, float] = (0.2, 2.5),
) -> tuple[Audio, list[tuple[float, float]]]:
    """(audio at RATE, subtitle spans): spoken lines, none inside ``loud`` (a music-only
    stretch), over room tone and a score ``gain_db`` relative to the voices (None: none)."""
    rng = np.random.default_rng(seed)
    audio = np.zeros(round(duration * RATE), dtype=np.float32)
    spans: list[tuple[float, float]] = []
    t = 1.0
    with scratch_dir("voices-") as tmp:
        for n, text in enumerate(sentences(int(duration), seed)):
            line = speak(ffmpeg, text, VOICES[n % len(VOICES)], Path(tmp))
            length = len(line) / RATE
            clash = [b for a, b in loud if t < b and t + length > a]
            if clash:
                t = max(clash) + 0.5
            if t + length > duration - 1.0:
                break
            line *= 0.5 * float(rng.uniform(0.6, 1.0)) / (float(np.abs(line).max()) or 1.0)
            i = round(t * RATE)
            audio[i : i + len(line)] += line
            sound = np.flatnonzero(np.abs(line) > 0.02)
            spans.append((t + sound[0] / RATE, t + sound[-1] / RATE + LINGER))
            t += length + float(rng.uniform(*gaps))
    audio += room_tone(duration, rate=RATE, seed=seed + 1)
    if gain_db is None:
        return audio, spans
    return score_under(audio, spans, rate=RATE, seed=seed, gain_db=gain_db, loud=loud), spans
