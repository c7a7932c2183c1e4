"""The collection moment (an outro card of any length) and the time estimate before a build.

Planning only (a probe, hashing, and for the estimate a few seconds of sample encode):
nothing is built here; the outro's encode and join are covered by the dry-run = run test.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from bundle_helpers import SPEED, run_cli

from screenkit.bundle import BuildSettings, plan_build, resolve_requests
from screenkit.errors import ConfigError
from screenkit.kit import OUTRO_SECONDS, load_kit
from screenkit.slides import card_spec_from_kit, card_timing
from screenkit.slides.target import CardTarget
from support import MakeSource

NO_ESTIMATE = BuildSettings(x264_preset=SPEED, estimate_after=None)


def _with_bundle(kit: Path, outro: str) -> None:
    manifest = kit / "screenkit.toml"
    manifest.write_text(
        manifest.read_text() + f'\n[bundles.hall]\npreset = "web"\nlang = "pl"\noutro = {outro}\n'
    )


@pytest.mark.parametrize(
    ("value", "seconds"), [("true", OUTRO_SECONDS), ("45", 45.0), ("600", 600.0)]
)
def test_the_manifest_outro_is_true_or_seconds(
    sample_kit: Path, value: str, seconds: float
) -> None:
    _with_bundle(sample_kit, value)
    assert load_kit(sample_kit).bundles["hall"].outro == seconds


@pytest.mark.parametrize("value", ["0", "601", '"long"'])
def test_an_outro_out_of_range_names_the_key(sample_kit: Path, value: str) -> None:
    _with_bundle(sample_kit, value)
    with pytest.raises(ConfigError) as caught:
        load_kit(sample_kit)
    assert caught.value.key == "bundles.hall.outro"


def _cards(kit_dir: Path, outro: float | None) -> dict[str, float]:
    kit = load_kit(kit_dir)
    requests = resolve_requests(kit, [], preset="web", lang="pl", outro=outro)
    plan = plan_build(kit, requests, NO_ESTIMATE)
    return {s.settings.spec.kind: s.settings.spec.seconds for s in plan.steps if s.kind == "card"}


def test_build_outro_seconds_put_the_card_after_the_film(sample_kit: Path) -> None:
    assert _cards(sample_kit, None) == {"intro": 12.0}
    assert _cards(sample_kit, 90.0) == {"intro": 12.0, "outro": 90.0}


def test_the_outro_option_without_a_number_is_twenty_seconds(sample_kit: Path) -> None:
    args = ["build", "--kit", str(sample_kit), "--preset", "web", "--lang", "pl"]
    code, out, err = run_cli(*args, "--outro", "--dry-run", "--json")
    assert code == 0, err
    labels = sorted(s["label"] for s in json.loads(out)["steps"] if s["kind"] == "card")
    assert labels == ["intro card (pl, web)", "outro card (pl, web)"]
    code, _, err = run_cli(*args, "--outro", "700", "--dry-run")
    assert code == 2 and "700" in err


def test_the_intro_keeps_the_qr_fully_visible_for_ten_seconds(sample_kit: Path) -> None:
    spec = card_spec_from_kit(load_kit(sample_kit), "en")
    timing = card_timing(spec.seconds, CardTarget.plain(1280, 720, 25))
    assert float(timing.slot) - 2 * spec.fade >= 10.0


@pytest.fixture
def long_kit(sample_kit: Path, make_media: MakeSource) -> Path:
    """The sample kit with a 130 s master (past the estimate's threshold), tiny and cheap."""
    master = make_media("long-master.mkv", duration=130.0)
    target = sample_kit / "media" / "film.mkv"
    target.unlink()
    shutil.copyfile(master, target)
    return sample_kit


def test_a_long_build_says_how_long_its_encode_will_take(long_kit: Path) -> None:
    args = ["build", "--kit", str(long_kit), "--preset", "usb-player", "--lang", "it"]
    code, out, err = run_cli(*args, "--speed", SPEED, "--dry-run", "--json")
    assert code == 0, err
    (estimate,) = json.loads(out)["estimates"]
    assert estimate["speed"] == SPEED and estimate["seconds"] > 0
    assert estimate["alternative"]["speed"] == "veryfast"
    assert estimate["text"].startswith("film encode (usb-player, burn it): about ")
    assert not estimate["cached"]

    code, text, err = run_cli(*args, "--speed", SPEED, "--dry-run")
    assert code == 0, err
    assert f"at --speed {SPEED} (about " in text  # the same figure, now from the cache
    code, out, _ = run_cli(*args, "--speed", SPEED, "--dry-run", "--json")
    assert json.loads(out)["estimates"][0]["cached"]


def test_a_short_film_or_a_cached_encode_gets_no_estimate(sample_kit: Path) -> None:
    kit = load_kit(sample_kit)
    requests = resolve_requests(kit, [], preset="usb-player", lang="it")
    plan = plan_build(kit, requests, BuildSettings(x264_preset=SPEED))  # a 60 s master
    assert plan.estimates == ()
    forced = plan_build(kit, requests, BuildSettings(x264_preset=SPEED, estimate_after=0))
    assert [e.label for e in forced.estimates] == ["film encode (usb-player, burn it)"]
