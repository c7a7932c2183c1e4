"""Fixtures of the DVD tests: a 12 s DVD film VOB, a card VOB, and the disc made from them.

They need dvdauthor/spumux, xorriso and lsdvd (Debian: dvdauthor xorriso lsdvd); without
them every test here skips, naming what is missing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from screenkit.dvd.build import DvdBuild, make_dvd
from screenkit.dvd.card import encode_card_vob
from screenkit.encode import EncodeOptions, SubtitleInput, encode
from screenkit.encode.legacy import legacy_format
from screenkit.encode.options import OutputFormat
from screenkit.media.runner import output_arg, run_ffmpeg
from screenkit.presets import load_preset
from support import REPO

LANGS = ("en", "it", "uk", "pl", "de")
"""The sample kit's order; the disc puts the screening language (uk) first."""


@pytest.fixture(scope="session")
def tracks() -> list[SubtitleInput]:
    return [SubtitleInput(REPO / "subtitles" / f"{lang}.srt", lang) for lang in LANGS]


@pytest.fixture(scope="session")
def dvd_parts(
    sample_kit_film: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path, OutputFormat]:
    """(film VOB, card VOB, the film's DVD format): 12 s of the stand-in, a 2 s card."""
    folder = tmp_path_factory.mktemp("dvd-parts")
    preset = load_preset("dvd-pal")
    options = EncodeOptions(duration=12.0)
    film = encode(sample_kit_film, preset, folder / "film.mpg", options)
    card_png = folder / "card.png"
    run_ffmpeg(
        ["-f", "lavfi", "-i", "color=c=0x203040:s=1280x720,drawbox=x=100:y=100:w=400:h=200:"
         "color=white:t=fill", "-frames:v", "1", output_arg(card_png)]
    )  # fmt: skip
    fmt = legacy_format(film.source, preset, options)
    card = encode_card_vob(card_png, 2.0, preset, fmt, folder / "card.mpg")
    return film.out, card, fmt


@pytest.fixture(scope="session")
def disc(
    dvd_parts: tuple[Path, Path, OutputFormat],
    tracks: list[SubtitleInput],
    tmp_path_factory: pytest.TempPathFactory,
) -> DvdBuild:
    film, card, fmt = dvd_parts
    return make_dvd(
        film=film,
        card=card,
        outro=None,
        tracks=tracks,
        screening_lang="uk",
        preset=load_preset("dvd-pal"),
        fmt=fmt,
        out_dir=tmp_path_factory.mktemp("dvd-bundle"),
        title="Sample (uk, dvd-pal)",
        audio_lang="en",
    )
