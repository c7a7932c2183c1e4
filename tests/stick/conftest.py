"""Fixtures of the stick tests: the sample kit's demo bundle, built once per session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from support import copy_sample_kit, keep_small_frames, run_cli


@pytest.fixture(scope="session")
def demo_bundle(tmp_path_factory: pytest.TempPathFactory, sample_kit_film: Path) -> Path:
    """The sample kit's ``demo`` bundle (usb-player, en burned) at x264 ultrafast: a real
    bundle with a real manifest. Shared: tests that change a bundle copy it first."""
    kit = keep_small_frames(copy_sample_kit(tmp_path_factory.mktemp("stick-kit") / "kit"))
    (kit / "media").mkdir(exist_ok=True)
    try:
        os.link(sample_kit_film, kit / "media" / "film.mkv")
    except OSError:
        shutil.copyfile(sample_kit_film, kit / "media" / "film.mkv")
    code, _, err = run_cli("build", "--kit", str(kit), "demo", "--speed", "ultrafast", "--quiet")
    assert code == 0, err
    return kit / "out" / "sample-demo"


@pytest.fixture
def stick(tmp_path: Path) -> Path:
    """An empty folder standing in for the stick."""
    folder = tmp_path / "STICK"
    folder.mkdir()
    return folder
