"""A minimum frame per preset, as data (issue 15)."""

from __future__ import annotations

from pathlib import Path

import pytest

from screenkit.errors import ConfigError
from screenkit.presets import load_preset, load_preset_file


def test_standard_minimums() -> None:
    got = {
        name: (load_preset(name).video.min_width, load_preset(name).video.min_height)
        for name in ("usb-player", "usb-player-legacy", "laptop", "web", "archive")
    }
    assert got == {
        "usb-player": (1280, 720),
        "usb-player-legacy": (854, 480),
        "laptop": (854, 480),
        "web": (854, 480),
        "archive": (None, None),
    }


def test_a_minimum_is_said_where_it_came_from() -> None:
    legacy = load_preset("usb-player-legacy")
    assert legacy.origin("video.min_height") == "standard:usb-player-legacy.toml"


@pytest.mark.parametrize(
    ("video", "fragment"),
    [
        ("min_height = 1082", "above max_height"),
        ("min_width = 2000", "above max_width"),
        ("min_height = 721", "odd"),
        ("min_height = -2", "below the smallest"),
    ],
)
def test_impossible_minimums_name_file_and_key(tmp_path: Path, video: str, fragment: str) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(f'extends = "usb-player"\n[video]\n{video}\n')
    with pytest.raises(ConfigError) as err:
        load_preset_file(path)
    assert err.value.key == f"video.{video.split(' ')[0]}"
    assert fragment in err.value.message


def test_zero_turns_an_inherited_minimum_off(tmp_path: Path) -> None:
    path = tmp_path / "small.toml"
    path.write_text('extends = "usb-player"\n[video]\nmin_width = 0\nmin_height = 0\n')
    preset = load_preset_file(path)
    assert (preset.video.min_width, preset.video.min_height) == (None, None)


def test_a_lower_maximum_caps_an_inherited_minimum(tmp_path: Path) -> None:
    """A kit preset that only lowers usb-player's maximum: the later file wins."""
    path = tmp_path / "tiny.toml"
    path.write_text('extends = "usb-player"\n[video]\nmax_width = 640\nmax_height = 360\n')
    video = load_preset_file(path).video
    assert (video.min_width, video.min_height) == (640, 360)
