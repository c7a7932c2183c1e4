"""Fixtures of the bundle tests: one shared ``--all`` build of the sample kit, kit copies."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from screenkit.cli import cli

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
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def built_all(tmp_path_factory: pytest.TempPathFactory, sample_kit_film: Path) -> Path:
    """The sample kit after ``screenkit build --all`` (25 bundles); shared by a module."""
    kit = kit_with_film(tmp_path_factory.mktemp("all") / "kit", sample_kit_film)
    code, _, err = run_cli("build", "--kit", str(kit), "--all", "--jobs", "2", "--speed", SPEED,
                           "--quiet")  # fmt: skip
    assert code == 0, err
    return kit
