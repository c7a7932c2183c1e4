"""Probes for encode tests: the CLI in-process, frames, loudness, clean decoding."""

from __future__ import annotations

import re
from pathlib import Path

import support
from screenkit.media.runner import input_arg, run_ffmpeg

REPO = Path(__file__).resolve().parents[2]
SUBTITLES = REPO / "subtitles"


cli = support.run_cli
decode_errors = support.decode_errors
frame = support.frame


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
