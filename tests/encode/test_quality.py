"""Picture quality of an encode: SSIM/PSNR against the master fed the same way."""

from __future__ import annotations

import dataclasses
from fractions import Fraction
from pathlib import Path

import pytest
from encode_helpers import SUBTITLES

from screenkit.encode import EncodeOptions, SubtitleInput, encode
from screenkit.encode.options import OutputFormat
from screenkit.encode.quality import Quality, QualityError, parse_quality, sample_step
from screenkit.media.runner import input_arg, output_arg, run_ffmpeg
from screenkit.presets import load_preset

BURN = EncodeOptions(burn=SubtitleInput(SUBTITLES / "en.srt", "en"), x264_preset="ultrafast")


def _fmt(seconds: float) -> OutputFormat:
    return OutputFormat(320, 180, Fraction(25), "yuv420p", 48000, 2, False, seconds)


def test_every_frame_of_a_short_film_is_compared_a_long_one_is_subsampled() -> None:
    assert sample_step(_fmt(40.0)) == 1
    assert sample_step(_fmt(70 * 60.0)) == 70  # 105,000 frames: about 1,500 compared


def test_burned_encode_is_measured_on_every_frame(stand_in: Path, tmp_path: Path) -> None:
    preset = load_preset("usb-player")
    result = encode(stand_in, preset, tmp_path / "film.mp4", BURN, quality=True)
    q = result.quality
    assert q is not None
    assert q.every == 1
    assert q.frames == round(result.info.duration * 25)  # every frame of the output
    assert 0.95 < q.ssim < 1.0
    assert 30 < q.psnr < 80
    assert Quality.from_json(q.to_json()) == q


def test_a_coarser_encode_scores_lower(stand_in: Path, tmp_path: Path) -> None:
    preset = load_preset("usb-player")
    coarse = dataclasses.replace(preset, video=dataclasses.replace(preset.video, crf=45))
    fine = encode(stand_in, preset, tmp_path / "fine.mp4", BURN, quality=True).quality
    rough = encode(stand_in, coarse, tmp_path / "rough.mp4", BURN, quality=True).quality
    assert fine is not None and rough is not None
    assert rough.ssim < fine.ssim - 0.01
    assert rough.psnr < fine.psnr - 3


def test_not_measured_unless_asked(stand_in: Path, tmp_path: Path) -> None:
    result = encode(stand_in, load_preset("usb-player"), tmp_path / "film.mp4", BURN)
    assert result.quality is None


def test_a_log_without_the_summary_is_an_error() -> None:
    with pytest.raises(QualityError):
        parse_quality("frame=  200 fps=0.0 q=-0.0 Lsize=N/A", "", 1)


def test_frames_are_paired_by_time_when_the_sound_starts_first(
    stand_in: Path, tmp_path: Path
) -> None:
    """A master whose sound starts 80 ms before its picture: the encode repeats the first
    frame to start both together. Paired by index, every frame met its neighbour; paired
    by time, the score is the encode's own."""
    delayed = tmp_path / "delayed.mkv"
    streams = ["-map", "1:v", "-map", "0:a", "-c", "copy", output_arg(delayed)]
    run_ffmpeg(
        ["-i", input_arg(stand_in), "-itsoffset", "0.08", "-i", input_arg(stand_in), *streams]
    )
    preset = load_preset("usb-player")
    shifted = encode(delayed, preset, tmp_path / "shifted.mp4", BURN, quality=True).quality
    plain = encode(stand_in, preset, tmp_path / "plain.mp4", BURN, quality=True).quality
    assert shifted is not None and plain is not None
    assert shifted.ssim == pytest.approx(plain.ssim, abs=0.005)
