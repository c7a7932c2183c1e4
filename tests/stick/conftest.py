"""Fixtures of the stick tests: the sample kit's demo bundle, built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import kit_with_film, run_cli


@pytest.fixture(scope="session")
def demo_bundle(tmp_path_factory: pytest.TempPathFactory, sample_kit_film: Path) -> Path:
    """The sample kit's ``demo`` bundle (usb-player, en burned) at x264 ultrafast: a real
    bundle with a real manifest. Shared: tests that change a bundle copy it first."""
    kit = kit_with_film(tmp_path_factory.mktemp("stick-kit") / "kit", sample_kit_film)
    code, _, err = run_cli("build", "--kit", str(kit), "demo", "--speed", "ultrafast", "--quiet")
    assert code == 0, err
    return kit / "out" / "sample-demo"


@pytest.fixture
def stick(tmp_path: Path) -> Path:
    """An empty folder standing in for the stick."""
    folder = tmp_path / "STICK"
    folder.mkdir()
    return folder
