"""``[kit] catalogue``: where a kit's ready bundles are published (fetch's default)."""

from __future__ import annotations

from pathlib import Path

import pytest

from screenkit.errors import ConfigError
from screenkit.kit import load_kit
from support import copy_sample_kit


def _kit(tmp_path: Path, line: str) -> Path:
    kit = copy_sample_kit(tmp_path / "kit")
    manifest = kit / "screenkit.toml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("[kit]\n", f"[kit]\n{line}\n"), encoding="utf-8")
    return kit


@pytest.mark.parametrize(
    "address",
    ["https://films.example.net/preparing/", "http://127.0.0.1:8080/", "http://localhost/site/"],
)
def test_a_kit_names_its_catalogue(tmp_path: Path, address: str) -> None:
    assert load_kit(_kit(tmp_path, f'catalogue = "{address}"')).catalogue == address


def test_a_kit_without_one_has_none(tmp_path: Path) -> None:
    assert load_kit(copy_sample_kit(tmp_path / "kit")).catalogue is None


@pytest.mark.parametrize(
    "address", ["http://films.example.net/", "ftp://films.example.net/", "films.example.net"]
)
def test_a_catalogue_that_is_not_https_is_refused(tmp_path: Path, address: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_kit(_kit(tmp_path, f'catalogue = "{address}"'))
    assert caught.value.key == "kit.catalogue" and caught.value.value == address
    assert "is not an https:// address" in caught.value.message
