"""Fixtures of the bundle tests: one shared ``--all`` build of the sample kit."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_helpers import SPEED, kit_with_film, run_cli


@pytest.fixture(scope="module")
def built_all(tmp_path_factory: pytest.TempPathFactory, sample_kit_film: Path) -> Path:
    """The sample kit after ``screenkit build --all`` (25 bundles); shared by a module."""
    kit = kit_with_film(tmp_path_factory.mktemp("all") / "kit", sample_kit_film)
    code, _, err = run_cli(
        "build", "--kit", str(kit), "--all", "--jobs", "2", "--speed", SPEED, "--quiet"
    )
    assert code == 0, err
    return kit
