"""Helpers of the bundle tests: kit copies and running the CLI in-process."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import support

REPO = Path(__file__).resolve().parents[2]
SPEED = "ultrafast"
"""x264 speed for every test build: the cheapest encode the engine offers."""


def kit_with_film(dest: Path, film: Path) -> Path:
    """A private copy of the sample kit with ``film`` (hard-linked) as its master."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(REPO / "screenkit.toml", dest / "screenkit.toml")
    for sub in ("subtitles", "appeal", "presets"):
        if (REPO / sub).is_dir():
            shutil.copytree(REPO / sub, dest / sub, dirs_exist_ok=True)
    kit = support.keep_small_frames(dest)
    (kit / "media").mkdir(exist_ok=True)
    try:
        os.link(film, kit / "media" / "film.mkv")
    except OSError:
        shutil.copyfile(film, kit / "media" / "film.mkv")
    return kit


run_cli = support.run_cli
