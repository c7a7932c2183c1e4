"""Fixtures of the hand-over tests: two bundles of the sample kit, built once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from handover_helpers import SPEED, publish_site

from support import kit_with_film, run_cli

BUNDLES = (("uk", "usb-player"), ("it", "web"))
"""A USB-player bundle (burned subtitles, the acceptance's) and a web one (the page)."""


@pytest.fixture(scope="session")
def built_kit(tmp_path_factory: pytest.TempPathFactory, sample_kit_film: Path) -> Path:
    """The sample kit with ``out/sample-uk-usb-player`` and ``out/sample-it-web`` built."""
    kit = kit_with_film(tmp_path_factory.mktemp("handover") / "kit", sample_kit_film)
    for lang, preset in BUNDLES:
        code, _, err = run_cli(
            "build", "--kit", str(kit), "--preset", preset, "--lang", lang,
            "--speed", SPEED, "--quiet",
        )  # fmt: skip
        assert code == 0, err
    return kit


@pytest.fixture
def kit_copy(tmp_path: Path, built_kit: Path) -> Path:
    """A private copy of the built kit (its out/ and cache too), to change and rebuild."""
    dest = tmp_path / "kit"
    shutil.copytree(built_kit, dest, symlinks=True)
    return dest


@pytest.fixture
def site(tmp_path: Path, built_kit: Path) -> Path:
    """A fresh site published from the built kit (no --base-url)."""
    publish_site(built_kit, tmp_path / "site")
    return tmp_path / "site"
