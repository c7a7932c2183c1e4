"""The build, verify and cache commands: help, exact errors, exit codes (nothing encoded)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bundle_helpers import run_cli

from screenkit.bundle.engine.cache import ENV_VAR, StepCache


@pytest.mark.parametrize(
    "command", [["build"], ["verify"], ["cache"], ["cache", "info"], ["cache", "clear"]]
)
def test_every_command_has_help(command: list[str]) -> None:
    code, out, _ = run_cli(*command, "--help")
    assert code == 0 and "Usage:" in out


def test_names_that_escape_the_output_folder_are_refused(sample_kit: Path) -> None:
    code, out, err = run_cli("build", "--kit", str(sample_kit), "../../etc")
    assert code == 1 and out == ""
    assert err.splitlines()[0] == "Error: bundle name '../../etc' would escape the output folder"
    code, _, err = run_cli("build", "--kit", str(sample_kit), "/tmp/x")
    assert err.splitlines()[0] == "Error: bundle name '/tmp/x' would escape the output folder"
    assert not (sample_kit / "out").exists()


def test_unknown_bundle_and_bad_combinations(sample_kit: Path) -> None:
    code, _, err = run_cli("build", "--kit", str(sample_kit), "dmeo")
    assert code == 1
    assert err.startswith("Error: the kit has no bundle named 'dmeo' (did you mean 'demo'?)")
    code, _, err = run_cli("build", "--kit", str(sample_kit), "--all", "--lang", "en")
    assert code == 1 and "--all builds the whole matrix" in err
    code, _, err = run_cli("build", "--kit", str(sample_kit), "--preset", "laptop", "--burn", "uk")
    assert code == 1
    assert err.startswith("Error: preset laptop does not burn subtitles in")
    code, _, err = run_cli("build", "--kit", str(sample_kit), "--preset", "no-such-preset")
    assert code == 1 and "no-such-preset" in err
    code, _, _ = run_cli("build", "--kit", str(sample_kit), "--jobs", "0")
    assert code == 2


@pytest.mark.parametrize(
    "args",
    [
        ["build", "--kit", "{kit}", "--speed", "turbo"],
        ["encode", "film.mkv", "--preset", "web", "-o", "x.mp4", "--x264-preset", "turbo"],
    ],
)
def test_an_unknown_x264_speed_is_a_usage_error_naming_the_speeds(
    args: list[str], tmp_path: Path
) -> None:
    """Refused before anything runs (x264 itself would refuse it minutes later)."""
    code, out, err = run_cli(*[a.format(kit=tmp_path) for a in args])
    from screenkit.presets import X264_SPEEDS

    assert code == 2 and out == ""
    assert "'turbo'" in err
    assert all(speed in err for speed in X264_SPEEDS)


def test_a_library_caller_s_unknown_speed_is_refused_before_the_probe(sample_kit: Path) -> None:
    from screenkit.bundle import BuildSettings, plan_build, resolve_requests
    from screenkit.errors import ConfigError
    from screenkit.kit import load_kit

    kit = load_kit(sample_kit)
    (sample_kit / "media" / "film.mkv").unlink()  # a probe would fail on the master instead
    with pytest.raises(ConfigError) as caught:
        plan_build(kit, resolve_requests(kit, ["demo"]), BuildSettings(x264_preset="turbo"))
    assert caught.value.value == "turbo" and caught.value.key == "speed"


def test_a_kit_without_its_master_is_a_clear_error(sample_kit: Path) -> None:
    (sample_kit / "media" / "film.mkv").unlink()
    code, _, err = run_cli("build", "--kit", str(sample_kit), "demo")
    assert code == 1 and err.startswith("Error: ") and "film.mkv" in err
    assert "Traceback" not in err


def test_verify_refuses_an_incomplete_bundle(tmp_path: Path) -> None:
    half = tmp_path / ".sample-demo.partial-abcd"
    half.mkdir()
    (half / "film.mp4").write_bytes(b"\0" * 100)
    code, out, err = run_cli("verify", str(half))
    assert code == 1 and out == ""
    assert err.splitlines()[0] == (
        f"Error: {half} is an incomplete bundle: it has no manifest.json"
    )
    code, _, err = run_cli("verify", str(tmp_path / "nowhere"))
    assert code == 1 and "is not a folder" in err


def test_cache_info_and_clear_on_a_kit(sample_kit: Path) -> None:
    cache = StepCache(sample_kit / ".screenkit" / "cache")
    cache.get_or_build("k" * 64, "card", lambda work: (work / "x").write_text("x") and {})
    code, out, _ = run_cli("cache", "info", "--kit", str(sample_kit), "--json")
    info = json.loads(out)
    assert code == 0 and info["entries"] == 1 and info["kinds"] == {"card": 1}
    assert info["root"] == str(cache.root)
    code, out, _ = run_cli("cache", "clear", "--kit", str(sample_kit))
    assert code == 0 and out.startswith("removed 1 entries")
    assert cache.info().entries == 0


def test_cache_info_without_a_kit_shows_the_user_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "user-cache"))
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli("cache", "info")
    assert code == 0 and f"where:   {tmp_path / 'user-cache'}" in out
    code, _, err = run_cli("cache", "info", "--kit", str(tmp_path))
    assert code == 1 and "not a screenkit kit" in err


def test_a_kit_may_keep_its_cache_in_the_user_cache(
    sample_kit: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = sample_kit / "screenkit.toml"
    manifest.write_text(manifest.read_text().replace('cache = "kit"', 'cache = "user"'))
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "user-cache"))
    code, out, err = run_cli("build", "--kit", str(sample_kit), "demo", "--dry-run", "--json")
    assert code == 0, err
    assert json.loads(out)["cache"] == str(tmp_path / "user-cache")


def test_an_outro_bundle_plans_two_cards_joined_around_the_film(sample_kit: Path) -> None:
    manifest = sample_kit / "screenkit.toml"
    manifest.write_text(
        manifest.read_text() + '\n[bundles.hall]\npreset = "web"\n'
        'lang = "pl"\noutro = true\nvenue = "Dom Kultury"\n'
    )
    code, out, err = run_cli("build", "--kit", str(sample_kit), "hall", "--dry-run", "--json")
    assert code == 0, err
    plan = json.loads(out)
    cards = [s for s in plan["steps"] if s["kind"] == "card"]
    assert sorted(c["label"] for c in cards) == ["intro card (pl, web)", "outro card (pl, web)"]
    join = next(s for s in plan["steps"] if s["kind"] == "join")
    film = next(s["id"] for s in plan["steps"] if s["kind"] == "film")
    intro, outro = sorted(cards, key=lambda c: c["label"])
    assert join["deps"] == [intro["id"], film, outro["id"]]
    assert {s["state"] for s in plan["steps"]} == {"to run", "always runs"}
    assert plan["bundles"][0]["burn"] is None  # web carries sidecars, burns nothing
