"""Fixtures of the card tests: encoded films like the bundle's, a card spec."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from screenkit.media.atomic import atomic_output
from screenkit.media.runner import output_arg, run_ffmpeg, safe_input
from screenkit.slides import CardSpec

USB_LIKE = (
    "libx264", "-preset", "veryfast", "-profile:v", "high", "-level", "4.1", "-crf", "23",
    "-maxrate", "2M", "-bufsize", "4M", "-pix_fmt", "yuv420p",
)  # fmt: skip


@pytest.fixture(scope="session")
def mp4_film(make_media: Callable[..., Path]) -> Path:
    """4 s, 320x180, H.264 High@4.1 with B-frames and VBV, AAC stereo, MP4 with faststart."""
    return make_media(
        "film.mp4",
        duration=4.0,
        video_codec=USB_LIKE,
        audio_codec=("aac", "-b:a", "128k"),
        extra=("-movflags", "+faststart"),
    )


@pytest.fixture(scope="session")
def mkv_film(speech_film: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 8 s speech film in Matroska with a soft Italian subtitle track."""
    folder = tmp_path_factory.mktemp("mkv-film")
    srt = folder / "it.srt"
    srt.write_text("1\n00:00:01,000 --> 00:00:02,500\nCiao a tutti\n", encoding="utf-8")
    out = folder / "film.mkv"
    with atomic_output(out) as part:
        args = [*safe_input(speech_film), *safe_input(srt), "-map", "0", "-map", "1"]
        args += ["-c", "copy", "-metadata:s:s:0", "language=ita", output_arg(part)]
        run_ffmpeg(args)
    return out


@pytest.fixture
def short_spec() -> CardSpec:
    return CardSpec(
        title="Preparing a Screening",
        appeal="Give what you can.",
        beneficiary="Solidarity Collective",
        link="https://example.org/donate/solidarity",
        duration=2.0,
        fade=0.4,
    )
