"""``--speed auto``: the fastest x264 speed that keeps medium's picture, measured on the film."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bundle_helpers import kit_with_film, run_cli

from screenkit.bundle.documents.manifest import read_manifest
from screenkit.bundle.kinds.sheet import TEXT_NAME

pytestmark = pytest.mark.slow
BUNDLE = "sample-en-usb-player"


def _chunk_speeds(plan: dict[str, object]) -> set[str]:
    """The x264 speeds the plan's chunk steps run at (from their exact argv)."""
    found = set()
    for step in plan["steps"]:  # type: ignore[attr-defined]
        if step["kind"] == "chunk":
            argv = step["commands"][0]
            found.add(argv[argv.index("-preset:v") + 1])
    return found


def test_auto_picks_a_faster_speed_on_easy_content_and_says_by_which_figures(
    tmp_path: Path, sample_kit_film: Path
) -> None:
    kit = kit_with_film(tmp_path / "kit", sample_kit_film)
    args = ("build", "--kit", str(kit), "--preset", "usb-player", "--lang", "en",
            "--speed", "auto", "--chunks", "20")  # fmt: skip
    code, out, err = run_cli(*args, "--quiet")
    assert code == 0, err
    manifest = read_manifest(kit / "out" / BUNDLE)
    assert manifest.speed is not None
    chosen = manifest.speed["chosen"]
    trials = {t["speed"]: t for t in manifest.speed["trials"]}
    assert list(trials) == ["medium", "fast", "faster", "veryfast"]
    assert chosen != "medium"  # the test picture is easy: a faster speed keeps it
    assert trials[chosen]["ssim"] >= trials["medium"]["ssim"] - manifest.speed["tolerance"]
    assert all(0.9 < t["ssim"] <= 1.0 and t["kbps"] > 0 for t in trials.values())
    assert manifest.speed["limit_kbps"] == 10000 and len(manifest.speed["samples"]) == 3
    sheet = (kit / "out" / BUNDLE / TEXT_NAME).read_text(encoding="utf-8")
    assert f"x264 {chosen}, the fastest that keeps medium's picture" in sheet
    assert f"SSIM {trials[chosen]['ssim']:.4f} against {trials['medium']['ssim']:.4f}" in sheet

    # the next plan reads the choice: nothing is sampled or encoded again
    speeds = kit / ".screenkit" / "cache" / "speeds"
    (record,) = speeds.iterdir()
    before = record.stat().st_mtime_ns
    code, out, err = run_cli(*args, "--dry-run", "--json")
    assert code == 0, err
    plan = json.loads(out)
    assert record.stat().st_mtime_ns == before
    assert {s["state"] for s in plan["steps"] if s["kind"] != "manifest"} == {"cached"}
    assert _chunk_speeds(plan) == {chosen}
    assert plan["speeds"]["usb-player"] == manifest.speed


def test_a_preset_asks_for_auto_and_a_preset_of_medium_is_left_alone(
    tmp_path: Path, sample_kit_film: Path
) -> None:
    kit = kit_with_film(tmp_path / "kit", sample_kit_film)
    preset = kit / "presets" / "usb-player.toml"
    plain = preset.read_text(encoding="utf-8")
    args = ("build", "--kit", str(kit), "--preset", "usb-player", "--lang", "en",
            "--chunks", "20", "--dry-run", "--json")  # fmt: skip
    preset.write_text(plain + 'speed = "medium"\n', encoding="utf-8")
    code, out, err = run_cli(*args)
    assert code == 0, err
    assert _chunk_speeds(json.loads(out)) == {"medium"}
    assert not (kit / ".screenkit" / "cache" / "speeds").exists()  # nothing measured

    preset.write_text(plain + 'speed = "auto"\nspeed_tolerance = 0.1\n', encoding="utf-8")
    code, out, err = run_cli(*args)
    assert code == 0, err
    assert _chunk_speeds(json.loads(out)) == {"veryfast"}  # anything goes within 0.1


@pytest.mark.parametrize("value", ["fastest", "Auto"])
def test_speed_is_an_x264_preset_or_auto(value: str, tmp_path: Path) -> None:
    code, _, err = run_cli("build", "--kit", str(tmp_path), "--speed", value)
    assert code == 2
    assert "is not an x264 preset" in err and "or auto" in err
