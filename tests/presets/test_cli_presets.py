"""``screenkit presets list | show | check`` through the CLI's one error path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import support
from screenkit.presets import STANDARD

REPO = Path(__file__).resolve().parents[2]


run = support.run_cli


def test_list_json_has_standard_and_kit_presets() -> None:
    code, out, _ = run("presets", "list", "--json", "--kit", str(REPO))
    assert code == 0
    entries = {e["name"]: e for e in json.loads(out)}
    assert set(STANDARD) <= set(entries)
    assert entries["usb-player"]["origin"] == "standard"
    assert entries["usb-player-fi"]["origin"] == "kit"
    assert entries["usb-player-fi"]["extends"] == "usb-player"


def test_list_outside_a_kit_shows_only_standard(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("presets", "list")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == sorted(STANDARD)


def test_show_gives_each_value_and_its_origin() -> None:
    code, out, _ = run("presets", "show", "usb-player-fi", "--kit", str(REPO))
    assert code == 0
    lines = {line.split()[0]: line for line in out.splitlines()[1:]}
    assert "-18.0" in lines["audio.loudness.target"]
    assert lines["audio.loudness.target"].endswith("presets/usb-player-fi.toml")
    assert lines["video.level"].split()[1:] == ["4.1", "standard:usb-player.toml"]


def test_show_json() -> None:
    code, out, _ = run("presets", "show", "usb-player-legacy", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["extends"] == "usb-player"
    assert doc["video.level"] == {"value": "4.0", "from": "standard:usb-player-legacy.toml"}
    assert doc["video.max_fps"] == {"value": "30", "from": "standard:usb-player.toml"}
    assert doc["file_size_limit"]["value"] == 2_000_000_000


def test_show_unknown_preset_is_an_error() -> None:
    code, out, err = run("presets", "show", "usb-playa")
    assert code == 1 and out == ""
    assert err.splitlines()[0] == "Error: no preset named 'usb-playa' (did you mean 'usb-player'?)"


def test_check_reports_each_file(tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text('extends = "web"\n[video]\ncrf = 25\n')
    bad = tmp_path / "bad.toml"
    bad.write_text('extends = "web"\n[video]\ncfr = "yes"\n')
    code, out, err = run("presets", "check", str(good), str(bad))
    assert code == 1
    assert out.strip() == f"ok  {good} (good, extends web)"
    assert err.strip() == f"Error: {bad}: video.cfr: expected true or false, got 'yes'"


def test_check_all_standard_files_pass() -> None:
    files = [str(p) for p in (REPO / "src" / "screenkit" / "presets" / "standard").glob("*.toml")]
    code, out, _ = run("presets", "check", *files, str(REPO / "presets" / "usb-player-fi.toml"))
    assert code == 0 and out.count("ok  ") == len(files) + 1
