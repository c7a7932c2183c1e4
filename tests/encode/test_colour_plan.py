"""The colour plan and its filter chain: pure decisions (issue 21)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from screenkit.encode.colour import (
    PQ_DEFAULT_PEAK,
    TONE_MAPPING,
    HdrError,
    colour_filter_text,
    colour_filters,
    colour_output_options,
    colour_plan,
    source_peak,
    x264_hdr_params,
)
from screenkit.errors import ConfigError
from screenkit.media.colour import Colour, ContentLight, DolbyVision, MasteringDisplay
from screenkit.media.info import MediaInfo, VideoStream
from screenkit.presets import load_preset, load_preset_file

HLG = Colour("bt2020", "arib-std-b67", "bt2020nc", "tv", 10)
MASTERING = MasteringDisplay(
    (0.68, 0.32), (0.265, 0.69), (0.15, 0.06), (0.3127, 0.329), 0.005, 4000.0
)
PQ = Colour("bt2020", "smpte2084", "bt2020nc", "tv", 10, MASTERING, ContentLight(1600, 400))


def _info(colour: Colour) -> MediaInfo:
    video = VideoStream(
        index=0, codec="hevc", profile="Main 10", level=150, width=3840, height=2160,
        sar=Fraction(1), frame_rate=Fraction(30), avg_frame_rate=Fraction(30), vfr=False,
        pix_fmt="yuv420p10le" if colour.bit_depth == 10 else "yuv420p", rotation=0,
        field_order="progressive", colour=colour,
    )  # fmt: skip
    return MediaInfo(Path("phone.mov"), "mov,mp4", 60.0, 10**8, 20_000_000, video)


def test_hlg_through_an_sdr_preset_is_tone_mapped_to_bt709() -> None:
    plan = colour_plan(_info(HLG), load_preset("usb-player"))
    assert plan.action == "tone-map" and plan.peak == 1000.0 and plan.tagged
    assert plan.output.tags == ("bt709", "bt709", "bt709", "tv")
    assert plan.output.bit_depth == 8 and plan.pix_fmt == "yuv420p"
    names = [name for name, _ in colour_filters(plan)]
    assert names == ["zscale", "format", "tonemap", "zscale", "format", "setparams"]
    text = colour_filter_text(plan)
    assert text.startswith("zscale=tin=arib-std-b67:pin=bt2020:min=bt2020nc:rin=tv:t=linear")
    assert f"tonemap=tonemap={TONE_MAPPING.operator}" in text
    assert f"peak={1000 / TONE_MAPPING.npl:g}" in text
    assert colour_output_options(plan) == {
        "color_primaries": "bt709", "color_trc": "bt709", "colorspace": "bt709",
        "color_range": "tv",
    }  # fmt: skip
    assert "tone-mapped from the master's HDR (HLG) to SDR BT.709, 8-bit" in (plan.note() or "")


def test_the_peak_comes_from_the_masters_metadata() -> None:
    assert source_peak(PQ) == 1600.0  # MaxCLL first
    assert source_peak(Colour("bt2020", "smpte2084", mastering=MASTERING)) == 4000.0
    assert source_peak(Colour("bt2020", "smpte2084")) == PQ_DEFAULT_PEAK
    assert source_peak(HLG) == 1000.0


def test_dvd_and_divx_get_bt601s_matrix_and_divx_no_tags() -> None:
    dvd = colour_plan(_info(HLG), load_preset("dvd-pal"))
    assert dvd.action == "tone-map" and dvd.output.matrix == "smpte170m" and dvd.tagged
    divx = colour_plan(_info(PQ), load_preset("divx"))
    assert divx.action == "tone-map" and not divx.tagged


def test_the_archive_keeps_hdr_with_its_metadata() -> None:
    plan = colour_plan(_info(PQ), load_preset("archive"))
    assert plan.action == "keep" and plan.output.bit_depth == 10
    assert plan.pix_fmt == "yuv420p10le" and plan.output.tags == PQ.tags
    assert [name for name, _ in colour_filters(plan)] == ["format", "setparams"]
    assert x264_hdr_params(plan) == (
        "mastering-display=G(13250,34500)B(7500,3000)R(34000,16000)WP(15635,16450)"
        "L(40000000,50):cll=1600,400"
    )
    assert "kept as it is, 10-bit" in (plan.note() or "")


def test_sdr_passes_untouched_and_wide_gamut_sdr_is_converted() -> None:
    sdr = colour_plan(_info(Colour("bt709", "bt709", "bt709", "tv")), load_preset("web"))
    assert sdr.action == "none" and sdr.note() is None
    assert [name for name, _ in colour_filters(sdr)] == ["format", "setparams"]
    assert x264_hdr_params(sdr) is None
    untagged = colour_plan(_info(Colour()), load_preset("web"))
    assert colour_filters(untagged) == [("format", {"pix_fmts": "yuv420p"})]
    wide = colour_plan(
        _info(Colour("bt2020", "bt2020-10", "bt2020nc", "tv", 10)), load_preset("web")
    )
    assert wide.action == "gamut" and "tonemap" not in colour_filter_text(wide)
    assert colour_filter_text(wide).startswith("zscale=tin=bt2020-10:pin=bt2020")


def test_dolby_vision_without_a_base_layer_is_refused() -> None:
    dv5 = Colour("bt2020", "smpte2084", "bt2020nc", "tv", 10, dolby_vision=DolbyVision(5, 6, 0))
    for preset in ("usb-player", "archive", "dvd-pal"):
        with pytest.raises(HdrError) as caught:
            colour_plan(_info(dv5), load_preset(preset))
        assert caught.value.value == "5" and caught.value.path == Path("phone.mov")


def test_an_hlg_base_layer_without_its_own_tags_is_still_hlg() -> None:
    """A Dolby Vision 8.4 stream whose VUI says nothing: its record says HLG."""
    bare = Colour(bit_depth=10, dolby_vision=DolbyVision(8, 6, 4))
    plan = colour_plan(_info(bare), load_preset("usb-player"))
    assert plan.action == "tone-map"
    assert colour_filter_text(plan).startswith(
        "zscale=tin=arib-std-b67:pin=bt2020:min=bt2020nc:rin=tv"
    )


def test_only_h264_presets_can_keep_hdr(tmp_path: Path) -> None:
    bad = tmp_path / "dvd-hdr.toml"
    bad.write_text('extends = "dvd-pal"\n\n[video]\nhdr = "keep"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_preset_file(bad)
    assert caught.value.key == "video.hdr"
    wrong = tmp_path / "wrong.toml"
    wrong.write_text('extends = "web"\n\n[video]\nhdr = "sdr"\n', encoding="utf-8")
    with pytest.raises(ConfigError):
        load_preset_file(wrong)
