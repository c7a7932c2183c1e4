"""One loudness path: ``screenkit encode`` and the build's loudness step share the measurement."""

from __future__ import annotations

import json
from pathlib import Path

from bundle_helpers import SPEED, kit_with_film, run_cli

from screenkit.bundle.engine.cache import StepCache


def test_a_build_reuses_what_screenkit_encode_measured(
    tmp_path: Path, sample_kit_film: Path
) -> None:
    kit = kit_with_film(tmp_path / "kit", sample_kit_film)
    out = tmp_path / "encoded.mp4"
    code, _, err = run_cli(
        "encode", str(kit / "media" / "film.mkv"), "--kit", str(kit), "-p", "usb-player",
        "-o", str(out), "--x264-preset", SPEED, "--quiet",
    )  # fmt: skip
    assert code == 0, err
    args = ("build", "--kit", str(kit), "--preset", "usb-player", "--lang", "en", "--speed", SPEED)
    code, _, err = run_cli(*args, "--quiet")
    assert code == 0, err
    code, printed, err = run_cli(*args, "--dry-run", "--json")
    assert code == 0, err
    plan = json.loads(printed)
    (loudness,) = [s for s in plan["steps"] if s["kind"] == "loudness"]
    assert loudness["state"] == "cached"
    assert loudness["commands"] == []  # found the encode's measurement: ran no ffmpeg
    entry = StepCache(Path(plan["cache"])).peek_entry(loudness["key"])
    assert entry is not None and -40 < float(entry.meta["input_i"]) < -10
    # and the film encode applied that measurement (a gain, not loudnorm's placeholders)
    (film,) = [s for s in plan["steps"] if s["kind"] == "film"]
    assert "nan" not in " ".join(film["shell"])
