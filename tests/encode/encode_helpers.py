"""Probes for encode tests: the CLI in-process, frames, loudness, clean decoding."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

import support
from screenkit.media.binaries import FFmpeg
from screenkit.media.runner import input_arg, run_ffmpeg, stream_ffmpeg

REPO = Path(__file__).resolve().parents[2]
SUBTITLES = REPO / "subtitles"


cli = support.run_cli


def decode_errors(path: Path, ffmpeg: FFmpeg | None = None) -> str:
    """What ``ffmpeg -v error -i PATH -f null -`` prints (nothing for a clean file)."""
    return run_ffmpeg(
        ["-i", input_arg(path), "-f", "null", "-"], ffmpeg=ffmpeg, loglevel="error"
    ).log.strip()


def loudness_of(path: Path) -> tuple[float, float]:
    """(integrated LUFS, true peak dBTP) measured by ffmpeg's ebur128 filter."""
    log = run_ffmpeg(
        ["-i", input_arg(path), "-map", "0:a:0", "-af", "ebur128=peak=true", "-f", "null", "-"],
        loglevel="info",
    ).log
    summary = log[log.rindex("Summary:") :]
    integrated = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))  # type: ignore[union-attr]
    peak = float(re.search(r"Peak:\s+(-?[\d.]+) dBFS", summary).group(1))  # type: ignore[union-attr]
    return integrated, peak


def frame(path: Path, at: float, ffmpeg: FFmpeg | None = None) -> np.ndarray:
    """The picture at ``at`` seconds, as a grey-level array (height x width)."""
    from screenkit.media.probe import probe

    info = probe(path, ffmpeg=ffmpeg)
    assert info.video is not None
    width, height = info.video.display_size
    data = b"".join(
        stream_ffmpeg(
            ["-ss", f"{at}", "-i", input_arg(path), "-frames:v", "1",
             "-f", "rawvideo", "-pix_fmt", "gray", "pipe:1"],
            ffmpeg=ffmpeg,
        )
    )  # fmt: skip
    return np.frombuffer(data, dtype=np.uint8).reshape(height, width).astype(np.int16)
