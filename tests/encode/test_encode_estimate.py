"""The wall-time estimate of a film encode: timed on a short sample, cached per machine."""

from __future__ import annotations

from pathlib import Path

import pytest

from screenkit.encode import EncodeOptions
from screenkit.encode.estimate import (
    EncodeEstimate,
    SpeedFigure,
    estimate_encode,
    human_duration,
    machine_key,
)
from screenkit.media.binaries import FFmpeg
from screenkit.media.probe import probe
from screenkit.presets import load_preset


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0.2, "1 s"),
        (40, "40 s"),
        (59.4, "59 s"),
        (61, "1 min"),
        (55 * 60, "55 min"),
        (3 * 3600 + 40 * 60 + 40, "3 h 40 min"),
        (2 * 3600 + 58 * 60, "3 h"),
        (13 * 3600, "13 h"),
    ],
)
def test_human_duration(seconds: float, text: str) -> None:
    assert human_duration(seconds) == text


def test_sentence_names_both_speeds() -> None:
    estimate = EncodeEstimate(
        duration=4200,
        two_pass=False,
        chosen=SpeedFigure("medium", 3.14),
        alternative=SpeedFigure("veryfast", 0.79),
        cached=False,
    )
    assert estimate.sentence() == (
        "encoding the film: about 3 h 40 min at --speed medium (about 55 min at --speed veryfast)"
    )
    assert estimate.to_json()["seconds"] == pytest.approx(4200 * 3.14)


def test_estimate_times_a_sample_then_reads_the_cache(
    stand_in: Path, ffmpeg: FFmpeg, tmp_path: Path
) -> None:
    info = probe(stand_in, ffmpeg=ffmpeg)
    preset = load_preset("usb-player")
    options = EncodeOptions(x264_preset="ultrafast")
    first = estimate_encode(
        stand_in, info, preset, options, ffmpeg=ffmpeg, cache_dir=tmp_path, sample=2.0
    )
    assert not first.cached
    assert first.chosen.speed == "ultrafast"
    assert first.alternative is not None and first.alternative.speed == "veryfast"
    assert first.seconds > 0 and first.duration == pytest.approx(info.duration, abs=0.1)
    assert len(list((tmp_path / "estimates").glob("*.json"))) == 2
    assert not any((tmp_path / "tmp").glob("*")), "the sample's scratch files are removed"

    again = estimate_encode(
        stand_in, info, preset, options, ffmpeg=ffmpeg, cache_dir=tmp_path, sample=2.0
    )
    assert again.cached
    assert again.chosen == first.chosen


def test_machine_key_follows_the_settings(stand_in: Path, ffmpeg: FFmpeg) -> None:
    info = probe(stand_in, ffmpeg=ffmpeg)
    usb, legacy = load_preset("usb-player"), load_preset("usb-player-legacy")
    assert machine_key(info, usb, "medium", ffmpeg) != machine_key(info, usb, "veryfast", ffmpeg)
    assert machine_key(info, usb, "medium", ffmpeg) != machine_key(info, legacy, "medium", ffmpeg)
    assert machine_key(info, usb, "medium", ffmpeg) == machine_key(info, usb, "medium", ffmpeg)
