"""Variable frame rate is found from the packet timestamps of the whole file.

A clip at 25 fps whose frames stop for about a second at a time (a phone dropping frames in
bursts) has a steady 40 ms between most frames: looking at the first packets, or at the
spread of the typical frame durations, calls it constant. A CFR preset must not copy it.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from screenkit.encode import EncodeOptions, check_compliance, encode
from screenkit.encode.geometry import copy_blockers
from screenkit.media.binaries import FFmpeg
from screenkit.media.probe import is_vfr, probe
from screenkit.presets import load_preset
from support import MakeSource

# frames dropped for a second three times: 4 s at 25 fps, then bursts of holes
BURSTY = (
    "testsrc2=size=320x180:rate=25:duration=10,"
    "select='not(between(t,2,3)+between(t,5,6)+between(t,8,9))'"
)


@pytest.fixture(scope="module")
def bursty(make_media: MakeSource) -> Path:
    return make_media(
        "bursty.mp4",
        duration=10.0,
        audio_channels=None,
        picture=BURSTY,
        extra=("-fps_mode", "passthrough"),
    )


def test_bursty_vfr_is_found_by_pyav(bursty: Path) -> None:
    video = probe(bursty, route="pyav").video
    assert video is not None
    assert video.vfr


def test_bursty_vfr_is_found_by_ffprobe_and_both_routes_agree(
    bursty: Path, system_ffmpeg: FFmpeg
) -> None:
    via_ffprobe = probe(bursty, route="ffprobe", ffmpeg=system_ffmpeg)
    via_pyav = probe(bursty, route="pyav")
    assert via_ffprobe.video is not None and via_ffprobe.video.vfr
    assert replace(via_ffprobe, probed_with="") == replace(via_pyav, probed_with="")


def test_a_hole_late_in_a_long_file_is_seen() -> None:
    """The whole file counts: 20 minutes of steady 25 fps, then one burst of drops."""
    steady = [n * 0.04 for n in range(30_000)]
    late = steady[:29_000] + [t + 1.2 for t in steady[29_000:]]
    assert not is_vfr(steady)
    assert is_vfr(late)


def test_cfr_files_stay_cfr(make_media: MakeSource) -> None:
    for name, spec in (("cfr.mkv", {}), ("ntsc.mkv", {"fps": "30000/1001"})):
        video = probe(make_media(name, **spec), route="pyav").video
        assert video is not None and not video.vfr, name


def test_a_bursty_source_is_not_copied_and_the_output_is_cfr(bursty: Path, tmp_path: Path) -> None:
    preset = load_preset("usb-player")
    info = probe(bursty)
    assert "variable frame rate" in copy_blockers(info, preset, EncodeOptions())
    result = encode(bursty, preset, tmp_path / "out.mp4", EncodeOptions(x264_preset="ultrafast"))
    assert not result.copied_video
    assert result.info.video is not None and not result.info.video.vfr


def test_compliance_finds_a_vfr_output(bursty: Path) -> None:
    """Checked as if it were an output, the bursty file fails a CFR preset."""
    mismatches = check_compliance(probe(bursty), load_preset("usb-player"))
    assert any(m.what == "frame rate" and m.expected == "constant" for m in mismatches)
