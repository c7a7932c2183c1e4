"""Fixtures of the encode tests: a short stand-in film."""

from __future__ import annotations

from pathlib import Path

import pytest

from screenkit.media.atomic import atomic_output
from screenkit.media.runner import input_arg, output_arg, run_ffmpeg


@pytest.fixture(scope="session")
def stand_in(sample_kit_film: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first 8 s of the sample kit's stand-in film (320x180): two subtitle events."""
    out = tmp_path_factory.mktemp("stand-in") / "film.mkv"
    with atomic_output(out) as part:
        run_ffmpeg(["-i", input_arg(sample_kit_film), "-t", "8", "-c", "copy", output_arg(part)])
    return out
