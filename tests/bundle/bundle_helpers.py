"""Helpers of the bundle tests: kit copies and running the CLI in-process."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from click.testing import CliRunner

from screenkit.cli import main

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
    kit = dest
    (kit / "media").mkdir(exist_ok=True)
    try:
        os.link(film, kit / "media" / "film.mkv")
    except OSError:
        shutil.copyfile(film, kit / "media" / "film.mkv")
    return kit


def run_cli(*args: str) -> tuple[int, str, str]:
    """Run the CLI in-process through `main`'s error path; (exit code, stdout, stderr)."""
    with CliRunner().isolation() as streams:
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        out, err = streams[0].getvalue(), streams[1].getvalue()
    return code, out.decode(), err.decode()
