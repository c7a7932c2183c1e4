"""Fixtures of the screening page tests: a tiny web bundle on disk and the system Chromium."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from webpage_helpers import DURATION, POSTER_NAME, VIDEO_NAME, inputs

from screenkit.media.binaries import FFmpeg
from screenkit.media.runner import output_arg, run_ffmpeg
from screenkit.webpage import write_index_html
from support import MakeSource, system_chromium


@pytest.fixture(scope="session")
def web_film(make_media: MakeSource) -> Path:
    """12 s, 320x180, H.264 + AAC in MP4 with the index in front (what the web preset makes)."""
    return make_media("web.mp4", duration=DURATION, extra=("-movflags", "+faststart"))


@pytest.fixture(scope="session")
def card_picture(media_dir: Path, ffmpeg: FFmpeg) -> Path:
    out = media_dir / "card.png"
    if not out.exists():
        run_ffmpeg(
            ["-f", "lavfi", "-i", "color=c=0x203080:s=320x180", "-frames:v", "1", output_arg(out)],
            ffmpeg=ffmpeg,
            what="making a card picture",
        )
    return out


def _link(src: Path, dest: Path) -> None:
    try:
        os.link(src, dest)
    except OSError:
        shutil.copyfile(src, dest)


@pytest.fixture(scope="session")
def web_bundle(
    tmp_path_factory: pytest.TempPathFactory, web_film: Path, card_picture: Path
) -> Path:
    """A folder as the web bundle holds it: the film, the card picture and index.html."""
    folder = tmp_path_factory.mktemp("web-bundle")
    _link(web_film, folder / VIDEO_NAME)
    _link(card_picture, folder / POSTER_NAME)
    write_index_html(folder / "index.html", inputs())
    return folder


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (its own browser download is not needed)."""
    with system_chromium() as browser:
        yield browser
