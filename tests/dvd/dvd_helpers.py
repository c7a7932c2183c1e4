"""Shared by the DVD tests: the skip without the DVD tools, mpv on a VIDEO_TS folder."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from screenkit.dvd.tools import missing_tools

_MISSING = missing_tools()
NEEDS_TOOLS = pytest.mark.skipif(
    bool(_MISSING),
    reason=f"DVD tools not on PATH: {', '.join(_MISSING)} "
    "(apt-get install dvdauthor xorriso lsdvd)",
)
NEEDS_MPV = pytest.mark.skipif(shutil.which("mpv") is None, reason="mpv is not installed")


FAST = ("--speed=20", "--audio-pitch-correction=no", "--framedrop=no")
"""Play 20 times faster than real time, every frame decoded (no sound device paces it)."""


def mpv(video_ts: Path, *args: str) -> str:
    """mpv on the DVD folder (no config, no window, no sound device): everything it printed."""
    done = subprocess.run(
        ["mpv", "--no-config", f"--dvd-device={video_ts}", "dvd://", "--ao=null",
         "--msg-level=all=info", *FAST, *args],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr
