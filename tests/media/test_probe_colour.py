"""Probe sees a phone master's colour: SDR or HDR (HLG, PQ), tags, depth, metadata, Dolby Vision.

Issue 21: ``screenkit probe`` said ``hevc Main 10 … yuv420p10le`` and nothing about HDR.
Both routes (ffprobe, PyAV) must give the same `Colour`.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

import support
from screenkit.media.binaries import FFmpeg
from screenkit.media.colour import (
    MATRICES,
    TRANSFERS,
    Colour,
    ContentLight,
    DolbyVision,
    bit_depth,
    tag_name,
)
from screenkit.media.dovi import dovi_record
from screenkit.media.info import MediaInfo
from screenkit.media.probe import probe
from screenkit.media.runner import input_arg, output_arg, run_ffmpeg
from support import MakeSource

DV84 = DolbyVision(profile=8, level=1, compatibility=4)
DV81 = DolbyVision(profile=8, level=1, compatibility=1)
DV5 = DolbyVision(profile=5, level=1, compatibility=0)

# name: (MasterSpec fields, dynamic range, (primaries, transfer, matrix, range), depth)
MASTERS: dict[str, tuple[dict[str, object], str, tuple[str, str, str, str], int]] = {
    "hlg.mp4": ({"kind": "hlg"}, "hlg", ("bt2020", "arib-std-b67", "bt2020nc", "tv"), 10),
    "pq.mkv": ({"kind": "pq"}, "pq", ("bt2020", "smpte2084", "bt2020nc", "tv"), 10),
    "sdr709.mp4": ({"kind": "sdr709"}, "sdr", ("bt709", "bt709", "bt709", "tv"), 8),
    "sdr601.mp4": (
        {"kind": "sdr601", "width": 640, "height": 480},
        "sdr",
        ("smpte170m", "smpte170m", "smpte170m", "tv"),
        8,
    ),
    "dv84.mp4": (
        {"kind": "hlg", "dolby_vision": DV84},
        "hlg",
        ("bt2020", "arib-std-b67", "bt2020nc", "tv"),
        10,
    ),
    "dv81.mp4": (
        {"kind": "pq", "dolby_vision": DV81},
        "pq",
        ("bt2020", "smpte2084", "bt2020nc", "tv"),
        10,
    ),
    "dv5.mp4": (
        {"kind": "pq", "dolby_vision": DV5},
        "dolby-vision",
        ("bt2020", "smpte2084", "bt2020nc", "tv"),
        10,
    ),
}


def _master(make_master: MakeSource, name: str) -> Path:
    spec, *_ = MASTERS[name]
    return make_master(name, duration=1.0, **spec)


def _without_route(info: MediaInfo) -> MediaInfo:
    return replace(info, probed_with="")


@pytest.mark.parametrize("name", sorted(MASTERS))
def test_each_master_is_seen_as_it_is(make_master: MakeSource, name: str) -> None:
    spec, kind, tags, depth = MASTERS[name]
    info = probe(_master(make_master, name), route="pyav")
    assert info.video is not None
    colour = info.video.colour
    assert colour.dynamic_range == kind
    assert colour.hdr is (kind != "sdr")
    assert colour.tags == tags
    assert colour.bit_depth == depth
    if spec["kind"] == "pq":  # x265's hdr10 SEI: master-display and max-cll
        assert colour.light == ContentLight(1000, 400)
        assert colour.mastering is not None
        assert colour.mastering.max_luminance == 1000.0
        assert colour.mastering.min_luminance == 0.005
        assert colour.mastering.red == (0.68, 0.32)
        assert colour.mastering.white_point == (0.3127, 0.329)
    else:
        assert colour.mastering is None and colour.light is None


@pytest.mark.parametrize("name", sorted(MASTERS))
def test_both_routes_see_the_same_colour(
    make_master: MakeSource, name: str, system_ffmpeg: FFmpeg
) -> None:
    path = _master(make_master, name)
    via_ffprobe = probe(path, route="ffprobe", ffmpeg=system_ffmpeg)
    via_pyav = probe(path, route="pyav")
    assert via_ffprobe.video is not None and via_pyav.video is not None
    assert via_ffprobe.video.colour == via_pyav.video.colour
    assert _without_route(via_ffprobe) == _without_route(via_pyav)


@pytest.mark.parametrize(
    ("name", "dv", "words"),
    [
        ("dv84.mp4", DV84, "Dolby Vision 8.4 over HLG"),
        ("dv81.mp4", DV81, "Dolby Vision 8.1 over HDR10"),
        ("dv5.mp4", DV5, "Dolby Vision 5 (no compatible base layer)"),
    ],
)
def test_dolby_vision_record(
    make_master: MakeSource, name: str, dv: DolbyVision, words: str
) -> None:
    info = probe(_master(make_master, name), route="pyav")
    assert info.video is not None
    assert info.video.colour.dolby_vision == dv
    assert dv.describe() == words


def test_dolby_vision_in_matroska_both_routes(
    make_master: MakeSource, tmp_path: Path, system_ffmpeg: FFmpeg
) -> None:
    """ffmpeg remuxing an iPhone clip to MKV keeps the record as a block addition mapping."""
    mkv = tmp_path / "dv84.mkv"
    run_ffmpeg(["-i", input_arg(_master(make_master, "dv84.mp4")), "-c", "copy", output_arg(mkv)])
    record = dovi_record(mkv, "matroska,webm")
    assert record is not None and DolbyVision.from_record(record) == DV84
    for route in ("pyav", "ffprobe"):
        info = probe(mkv, route=route, ffmpeg=system_ffmpeg)  # type: ignore[arg-type]
        assert info.video is not None and info.video.colour.dolby_vision == DV84


def test_plain_files_carry_no_record(make_master: MakeSource, tiny_film: Path) -> None:
    assert dovi_record(_master(make_master, "hlg.mp4"), "mov,mp4,m4a,3gp,3g2,mj2") is None
    assert dovi_record(tiny_film, "matroska,webm") is None


def test_record_round_trip() -> None:
    for dv in (DV84, DV81, DV5, DolbyVision(10, 9, 2, rpu=True, enhancement_layer=True)):
        assert DolbyVision.from_record(dv.record()) == dv
    assert DolbyVision.from_record(b"\x01") is None
    assert DV84.base == "hlg" and DV81.base == "pq" and DV5.base is None
    assert DolbyVision(9, 1, 2).name == "9.2" and DolbyVision(7, 6, 6).name == "7"


def test_words_of_a_colour() -> None:
    assert bit_depth("yuv420p10le") == 10 and bit_depth("p010le") == 10
    assert bit_depth("yuv420p") == 8 and bit_depth("yuvj420p") == 8 and bit_depth(None) == 8
    assert bit_depth("gray12le") == 12 and bit_depth("rgb48le") == 16
    assert tag_name(TRANSFERS, 18) == "arib-std-b67" and tag_name(MATRICES, 2) is None
    assert tag_name(TRANSFERS, "unknown") is None and tag_name(TRANSFERS, "bt709") == "bt709"
    hlg = Colour("bt2020", "arib-std-b67", "bt2020nc", "tv", 10, dolby_vision=DV84)
    assert hlg.describe() == "HDR: HLG, BT.2020, 10-bit; Dolby Vision 8.4 over HLG"
    assert Colour().describe() == "SDR: primaries untagged, 8-bit"
    # profile 5's picture is Dolby's IPT whatever its tags say: never tone-mapped as PQ
    assert Colour("bt2020", "smpte2084", dolby_vision=DV5).dynamic_range == "dolby-vision"


# -- probe words and --json ----------------------------------------------------------------

WORDS = {
    "hlg.mp4": "colour     HDR: HLG, BT.2020, 10-bit",
    "pq.mkv": "colour     HDR: PQ (HDR10), BT.2020, 10-bit; mastered on a 1000 cd/m² display; "
    "MaxCLL 1000, MaxFALL 400 cd/m²",
    "sdr709.mp4": "colour     SDR: BT.709, 8-bit",
    "sdr601.mp4": "colour     SDR: BT.601 (NTSC), 8-bit",
    "dv84.mp4": "colour     HDR: HLG, BT.2020, 10-bit; Dolby Vision 8.4 over HLG",
}


@pytest.mark.parametrize("name", sorted(WORDS))
def test_probe_says_it(make_master: MakeSource, name: str) -> None:
    path = _master(make_master, name)
    code, out, _ = support.run_cli("probe", str(path), "-p", "usb-player", "-p", "archive")
    assert code == 0, out
    assert WORDS[name] in out
    usb, archive = out.split("  usb-player ")[1].split("  archive ")
    if MASTERS[name][1] == "sdr":
        assert "tone-mapped" not in out and "HDR" not in usb + archive
    else:
        kind = {"hlg": "HLG", "pq": "PQ"}[MASTERS[name][1]]
        assert f"tone-mapped from the master's HDR ({kind}) to SDR BT.709, 8-bit" in usb
        assert f"the master's HDR ({kind}) kept as it is, 10-bit" in archive
    if name == "dv84.mp4":
        assert "Dolby Vision 8.4 over HLG: its base layer, tone-mapped" in usb


@pytest.mark.parametrize("name", sorted(WORDS))
def test_probe_json(make_master: MakeSource, name: str) -> None:
    _, kind, tags, depth = MASTERS[name]
    path = _master(make_master, name)
    code, out, _ = support.run_cli("probe", str(path), "--json", "-p", "web", "-p", "archive")
    assert code == 0
    document = json.loads(out)
    colour = document["video"]["colour"]
    assert colour["dynamic_range"] == kind and colour["hdr"] is (kind != "sdr")
    assert (colour["primaries"], colour["transfer"], colour["matrix"], colour["range"]) == tags
    assert colour["bit_depth"] == depth
    web, archive = document["outputs"]["web"]["colour"], document["outputs"]["archive"]["colour"]
    assert web["output"]["bit_depth"] == 8 and web["output"]["dynamic_range"] == "sdr"
    if kind == "sdr":
        assert web["action"] == "none" and web["tone_mapping"] is None
        assert web["output"]["matrix"] == tags[2]  # the master's own, untouched
    else:
        assert web["action"] == "tone-map" and web["source"]["dynamic_range"] == kind
        assert (web["output"]["primaries"], web["output"]["transfer"]) == ("bt709", "bt709")
        assert web["tone_mapping"]["operator"] and web["tone_mapping"]["peak"] == 1000.0
        assert archive["action"] == "keep" and archive["output"]["bit_depth"] == 10
    if name == "dv84.mp4":
        assert colour["dolby_vision"]["name"] == "8.4" and colour["dolby_vision"]["base"] == "hlg"
        assert colour["dolby_vision"]["profile"] == 8
    if name == "pq.mkv":
        assert colour["light"] == {"max_cll": 1000, "max_fall": 400}
        assert colour["mastering"]["max_luminance"] == 1000.0


def test_probe_names_a_refused_master(make_master: MakeSource) -> None:
    """Profile 5: probe reads it (exit 0) and says the encode is refused, with the fix."""
    path = _master(make_master, "dv5.mp4")
    code, out, _ = support.run_cli("probe", str(path), "-p", "usb-player")
    assert code == 0
    assert "Dolby Vision 5 (no compatible base layer)" in out
    assert "usb-player refused:" in out and "fix: export the master again" in out
    code, out, _ = support.run_cli("probe", str(path), "--json", "-p", "usb-player")
    assert "refused" in json.loads(out)["outputs"]["usb-player"]
