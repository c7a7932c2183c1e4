"""Low-resolution masters are enlarged to the preset's minimum frame (issue 15)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from screenkit.encode import EncodeOptions, encode, output_format, plan_encode
from screenkit.encode.geometry import copy_blockers, output_size
from screenkit.media.info import MediaInfo, VideoStream
from screenkit.media.probe import probe
from screenkit.presets import load_preset
from support import MakeSource

QCIF = {
    "width": 176, "height": 144, "sar": "128/117:max=1000", "fps": "30000/1001",
    "audio_channels": None,
}  # fmt: skip


def _info(width: int, height: int, sar: Fraction = Fraction(1), **video: object) -> MediaInfo:
    stream = VideoStream(
        index=0, codec="h264", profile="High", level=30, width=width, height=height, sar=sar,
        frame_rate=Fraction(25), avg_frame_rate=Fraction(25), vfr=False, pix_fmt="yuv420p",
        rotation=0, field_order="progressive", bit_rate=500_000,
    )  # fmt: skip
    from dataclasses import replace

    return MediaInfo(
        path=Path("/nowhere/film.mp4"), container="mov,mp4,m4a,3gp,3g2,mj2", duration=60.0,
        size_bytes=4_000_000, bit_rate=600_000, video=replace(stream, **video),  # type: ignore[arg-type]
    )  # fmt: skip


def test_qcif_with_its_sar_reaches_720_lines() -> None:
    """176x144 at SAR 128/117 shows as 192.5x144: x5 to 720 lines is 962x720."""
    video = _info(176, 144, Fraction(128, 117)).video
    assert video is not None
    assert output_size(video, load_preset("usb-player")) == (962, 720)
    assert output_size(video, load_preset("usb-player-legacy")) == (642, 480)


def test_a_wide_frame_is_enlarged_into_the_minimum_box_keeping_its_aspect() -> None:
    """2.35:1 at 640x272 becomes 1280x544: a 720p frame holds a scope film so."""
    video = _info(640, 272).video
    assert video is not None
    width, height = output_size(video, load_preset("usb-player"))
    assert (width, height) == (1280, 544)
    assert width / height == pytest.approx(640 / 272, rel=0.01)


def test_portrait_reaches_the_minimum_height() -> None:
    video = _info(144, 176, rotation=0).video
    assert video is not None
    assert output_size(video, load_preset("usb-player")) == (590, 720)


def test_archive_never_enlarges() -> None:
    video = _info(176, 144, Fraction(128, 117)).video
    assert video is not None
    assert output_size(video, load_preset("archive")) == (192, 144)


def test_large_enough_masters_keep_their_size() -> None:
    video = _info(1280, 720).video
    assert video is not None
    assert output_size(video, load_preset("usb-player")) == (1280, 720)


def test_copy_is_refused_below_the_minimum() -> None:
    info = _info(640, 360, level=30)
    preset = load_preset("laptop")
    assert any("below" in r for r in copy_blockers(info, preset, EncodeOptions()))
    assert not copy_blockers(_info(854, 480), preset, EncodeOptions())


def test_the_plan_says_it_enlarges_with_a_good_scaler(tmp_path: Path) -> None:
    plan = plan_encode(
        _info(176, 144, Fraction(128, 117)), load_preset("usb-player"), tmp_path / "o.mp4",
        workdir=tmp_path,
    )  # fmt: skip
    fmt = plan.format
    assert (fmt.width, fmt.height, fmt.enlarged_from) == (962, 720, (176, 144))
    args = " ".join(plan.commands[-1])
    assert "scale=962:720:flags=lanczos" in args
    assert any("enlarged from the stored 176x144" in n for n in plan.notes)
    assert output_format(_info(1280, 720), load_preset("usb-player")).enlarged_from is None


@pytest.mark.slow
def test_a_qcif_master_is_encoded_at_720_lines(make_media: MakeSource, tmp_path: Path) -> None:
    source = make_media("qcif.mp4", duration=1.0, **QCIF)
    assert probe(source).video.sar == Fraction(128, 117)  # type: ignore[union-attr]
    result = encode(
        source, load_preset("usb-player"), tmp_path / "out.mp4",
        EncodeOptions(x264_preset="ultrafast"),
    )  # fmt: skip
    video = result.info.video
    assert video is not None
    assert (video.width, video.height, video.sar) == (962, 720, 1)
    assert video.frame_rate == Fraction(30000, 1001)
    assert result.enlarged_from == (176, 144)
    kept = encode(
        source, load_preset("archive"), tmp_path / "out.mkv",
        EncodeOptions(x264_preset="ultrafast"),
    )  # fmt: skip
    assert kept.info.video is not None
    assert (kept.info.video.width, kept.info.video.height) == (192, 144)
    assert kept.enlarged_from is None
