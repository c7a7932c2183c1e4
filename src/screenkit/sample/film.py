"""Rendering generated films: a lavfi test picture with speech-like sound at given times."""

from __future__ import annotations

import wave
from collections.abc import Sequence
from pathlib import Path

from screenkit.media.atomic import atomic_output
from screenkit.media.binaries import FFmpeg
from screenkit.media.runner import output_arg, run_ffmpeg
from screenkit.progress import ProgressCallback
from screenkit.sample.speech import Audio, room_tone, speech_like, to_pcm16
from screenkit.tempdirs import scratch_dir


def write_wav(path: Path, audio: Audio, *, rate: int = 48000, channels: int = 2) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(to_pcm16(audio, channels))
    return path


def dialogue_audio(
    spans: Sequence[tuple[float, float]], duration: float, *, rate: int = 48000, seed: int = 0
) -> Audio:
    """Speech-like sound in ``spans`` over a quiet room tone."""
    return speech_like(spans, duration, rate=rate, seed=seed) + room_tone(
        duration, rate=rate, seed=seed + 1
    )


def render_film(
    out: Path,
    *,
    spans: Sequence[tuple[float, float]],
    duration: float,
    width: int = 1280,
    height: int = 720,
    fps: int = 25,
    channels: int = 2,
    rate: int = 48000,
    seed: int = 0,
    ffmpeg: FFmpeg | None = None,
    progress: ProgressCallback | None = None,
    x264_preset: str = "veryfast",
) -> Path:
    """Write a film (H.264 + AAC, in the container ``out``'s extension names), atomically."""
    audio = dialogue_audio(spans, duration, rate=rate, seed=seed)
    with scratch_dir("sample-") as tmp:
        wav = write_wav(Path(tmp) / "dialogue.wav", audio, rate=rate, channels=channels)
        with atomic_output(out) as part:
            run_ffmpeg(
                [
                    "-f",
                    "lavfi",
                    "-i",
                    f"testsrc2=size={width}x{height}:rate={fps}:duration={duration}",
                    "-i",
                    str(wav),
                    "-map",
                    "0:v",
                    "-map",
                    "1:a",
                    "-c:v",
                    "libx264",
                    "-preset",
                    x264_preset,
                    "-crf",
                    "23",
                    "-pix_fmt",
                    "yuv420p",
                    "-g",
                    str(fps * 2),
                    "-bf",
                    "2",
                    "-c:a",
                    "aac",
                    "-b:a",
                    "160k",
                    "-metadata:s:a:0",
                    "language=eng",
                    "-t",
                    f"{duration}",
                    output_arg(part),
                ],
                ffmpeg=ffmpeg,
                duration=duration,
                progress=progress,
                step="rendering the stand-in film",
                what=f"rendering {out.name}",
            )
    return out
