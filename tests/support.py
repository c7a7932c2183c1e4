"""Helpers shared by test modules (import as ``from support import …``; tests/ is on sys.path)."""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
from click.testing import CliRunner

from screenkit.media.binaries import FFmpeg
from screenkit.media.runner import input_arg, run_ffmpeg, stream_ffmpeg

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus" / "peers"

MakeSource = Callable[..., Path]


def copy_sample_kit(dest: Path) -> Path:
    """The repository's sample kit (manifest, tracks, appeal, presets) without media."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(REPO / "screenkit.toml", dest / "screenkit.toml")
    for sub in ("subtitles", "appeal", "presets"):
        if (REPO / sub).is_dir():
            shutil.copytree(REPO / sub, dest / sub, dirs_exist_ok=True)
    return dest


def link_film(film: Path, kit: Path) -> Path:
    """``film`` as the kit's master ``media/film.mkv``: hard-linked, copied where the disk
    does not link."""
    (kit / "media").mkdir(exist_ok=True)
    try:
        os.link(film, kit / "media" / "film.mkv")
    except OSError:
        shutil.copyfile(film, kit / "media" / "film.mkv")
    return kit


def kit_with_film(dest: Path, film: Path) -> Path:
    """A private copy of the sample kit (small frames allowed) with ``film`` as its master."""
    return link_film(film, keep_small_frames(copy_sample_kit(dest)))


SMALL_FRAME_PRESETS = ("usb-player", "usb-player-legacy", "laptop", "web")


def keep_small_frames(kit: Path) -> Path:
    """Kit presets that turn the standard presets' minimum frame off.

    The tests' stand-in film is 320x180, which every standard preset but the archive
    enlarges (to 720 or 480 lines): right for a real small master, but it would make every
    bundle test encode ten times the pixels. The enlargement has tests of its own
    (tests/encode/test_enlarge.py, test_small_master_build.py), on kits without these.
    """
    presets = kit / "presets"
    presets.mkdir(exist_ok=True)
    for name in SMALL_FRAME_PRESETS:
        (presets / f"{name}.toml").write_text(
            f'# test kit: {name} without its minimum frame\nextends = "{name}"\n\n'
            "[video]\nmin_width = 0\nmin_height = 0\n",
            encoding="utf-8",
        )
    return kit


def run_cli(*args: str) -> tuple[int, str, str]:
    """``screenkit ARGS`` in-process through `main`'s error path: (exit code, stdout, stderr)."""
    from screenkit.cli import main

    with CliRunner().isolation() as streams:
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        out, err = streams[0].getvalue(), streams[1].getvalue()
    return code, out.decode(), err.decode()


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextlib.contextmanager
def system_chromium(*extra_args: str) -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (its own browser download is not needed),
    started with `CHROMIUM_ARGS` and ``extra_args``; skips the test where either is missing."""
    import pytest

    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (CI installs the 'chromium' package)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install -e '.[dev]')")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, *extra_args]
        )
        yield browser
        browser.close()


def decode_errors(path: Path, ffmpeg: FFmpeg | None = None) -> str:
    """What ``ffmpeg -v error -i PATH -f null -`` prints (nothing for a clean file)."""
    return run_ffmpeg(
        ["-i", input_arg(path), "-f", "null", "-"], ffmpeg=ffmpeg, loglevel="error"
    ).log.strip()


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


def ffmpeg_hiding(name: str, real: Path, folder: Path) -> Path:
    """A wrapper of the ``real`` ffmpeg whose ``-filters`` leaves filter ``name`` out: a build
    without it (no machine here has one), otherwise the same ffmpeg."""
    import stat

    script = folder / "ffmpeg"
    folder.mkdir(parents=True, exist_ok=True)
    script.write_text(
        "#!/bin/sh\n"
        'for a in "$@"; do\n'
        f'  if [ "$a" = "-filters" ]; then "{real}" "$@" | grep -v " {name} "; exit 0; fi\n'
        "done\n"
        f'exec "{real}" "$@"\n',
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script
