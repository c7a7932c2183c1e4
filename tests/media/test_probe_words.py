"""``probe`` says sizes as players show them (issue 10 item 9)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

import support
from screenkit.media.binaries import FFmpeg
from support import MakeSource


@pytest.fixture(scope="module")
def phone(make_media: MakeSource) -> Path:
    """A phone clip held upright: stored 320x180, turned 90° clockwise to show."""
    return make_media("phone.mp4", rotation=90, duration=1.0)


def test_a_phone_clip_is_said_as_shown(phone: Path) -> None:
    code, out, _ = support.run_cli("probe", str(phone))
    assert code == 0
    assert "stored 320×180, shown 180×320 (portrait, rotated 90° clockwise)" in out


def test_anamorphic_pixels_are_said_too(make_media: MakeSource) -> None:
    source = make_media("anamorphic.mkv", width=480, height=270, sar="4/3", duration=1.0)
    code, out, _ = support.run_cli("probe", str(source))
    assert code == 0
    assert "stored 480×270, shown 640×270 (landscape, pixels 4:3 wide (SAR))" in out


def test_json_carries_ffprobes_sign(phone: Path, system_ffmpeg: FFmpeg) -> None:
    """--json: rotation is clockwise, display_matrix_rotation is ffprobe's own number."""
    code, out, _ = support.run_cli("probe", str(phone), "--json")
    video = json.loads(out)["video"]
    assert code == 0
    assert (video["rotation"], video["orientation"]) == (90, "portrait")
    assert video["display_size"] == [180, 320]
    assert system_ffmpeg.ffprobe is not None
    raw = json.loads(
        subprocess.run(
            [str(system_ffmpeg.ffprobe), "-v", "error", "-of", "json", "-show_streams", str(phone)],
            capture_output=True,
            check=True,
        ).stdout
    )
    side = raw["streams"][0]["side_data_list"]
    ffprobe_says = next(int(s["rotation"]) for s in side if "rotation" in s)
    assert video["display_matrix_rotation"] == ffprobe_says == -90


def test_ffprobes_sign_for_every_turn() -> None:
    from fractions import Fraction

    from screenkit.media.info import VideoStream

    def turned(rotation: int) -> VideoStream:
        return VideoStream(0, "h264", None, None, 1920, 1080, Fraction(1), Fraction(25),
                           None, False, "yuv420p", rotation, "progressive")  # fmt: skip

    assert [turned(r).display_matrix_rotation for r in (0, 90, 180, 270)] == [0, -90, -180, 90]
    assert turned(270).shown_as() == (
        "stored 1920×1080, shown 1080×1920 (portrait, rotated 270° clockwise)"
    )
    assert turned(0).shown_as() == "1920x1080"
