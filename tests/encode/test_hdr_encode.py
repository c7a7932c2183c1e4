"""Phone masters as phones make them: HDR tone-mapped to the SDR a venue shows (issue 21).

Before: an HLG master through usb-player came out as 8-bit H.264 still tagged BT.2020/HLG,
not tone-mapped, and compliance called it fine.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from encode_helpers import SUBTITLES

import support
from screenkit.encode import (
    EncodeOptions,
    EncodeResult,
    SubtitleInput,
    check_compliance,
    encode,
    output_format,
)
from screenkit.encode.colour import TONE_MAPPING, ColourPlan, HdrError
from screenkit.encode.quality import measure_quality
from screenkit.errors import ScreenkitError
from screenkit.media.binaries import FFmpeg, find_ffmpeg
from screenkit.media.colour import Colour, DolbyVision
from screenkit.media.probe import probe
from screenkit.media.runner import input_arg, output_arg, run_ffmpeg, stream_ffmpeg
from screenkit.presets import STANDARD, load_preset
from screenkit.sample.hdr import picture_height
from support import MakeSource

MASTERS = {
    "hlg": {"kind": "hlg"},
    "pq": {"kind": "pq"},
    "sdr709": {"kind": "sdr709"},
    "sdr601": {"kind": "sdr601", "width": 640, "height": 480},
}
PRESETS = [name for name in STANDARD if name != "dvd-ntsc"]  # dvd-pal stands for both
OPTIONS = EncodeOptions(
    burn=SubtitleInput(SUBTITLES / "en.srt", "en"), audio_lang="en", x264_preset="ultrafast"
)
SDR709 = ("bt709", "bt709", "bt709", "tv")
SD_TONE_MAPPED = ("bt709", "bt709", "smpte170m", "tv")


def _master(make_master: MakeSource, name: str) -> Path:
    return make_master(f"{name}.mp4", duration=2.0, **MASTERS[name])


@pytest.fixture(scope="module")
def encoded(
    make_master: MakeSource, tmp_path_factory: pytest.TempPathFactory
) -> dict[tuple[str, str], EncodeResult]:
    """Each master through each preset (each compliance-checked by `encode`)."""
    folder = tmp_path_factory.mktemp("hdr")
    results = {}
    for master in MASTERS:
        for name in PRESETS:
            preset = load_preset(name)
            out = folder / f"{master}-{name}{preset.extension}"
            results[master, name] = encode(_master(make_master, master), preset, out, OPTIONS)
    return results


@pytest.mark.parametrize("name", PRESETS)
@pytest.mark.parametrize("master", sorted(MASTERS))
def test_tags_and_bit_depth(
    encoded: dict[tuple[str, str], EncodeResult], make_master: MakeSource, master: str, name: str
) -> None:
    result = encoded[master, name]
    source = probe(_master(make_master, master)).video
    out = probe(result.out).video  # the container's tags, ffprobe's or PyAV's
    assert source is not None and out is not None
    first = _first_frame_colour(result.out)  # the stream's own (H.264 VUI, MPEG-2 sequence)
    hdr = master in ("hlg", "pq")
    keeps = name == "archive"
    if hdr and keeps:  # HDR kept: 10-bit High 10 with the master's tags
        assert (out.colour.bit_depth, out.pix_fmt, out.profile) == (10, "yuv420p10le", "High 10")
        assert out.colour.tags == source.colour.tags == first
        assert out.colour.dynamic_range == master
        assert result.colour is not None and result.colour.action == "keep"
        return
    assert out.colour.bit_depth == 8 and out.pix_fmt == "yuv420p"
    assert not out.colour.hdr
    if name == "divx":  # MPEG-4 Part 2 in AVI carries no colour tags
        assert out.colour.tags[:3] == first[:3] == (None, None, None)
        assert result.colour is not None and not result.colour.tagged
        assert result.colour.action == ("tone-map" if hdr else "none")
    elif hdr:
        sd = name.startswith("dvd")
        assert out.colour.tags == first == (SD_TONE_MAPPED if sd else SDR709)
        assert result.colour is not None and result.colour.action == "tone-map"
        assert any("tonemap=" in word for word in result.commands[-1])
    else:  # an SDR master is not converted: the same tags, no zscale
        assert out.colour.tags[:3] == source.colour.tags[:3] == first[:3]
        assert result.colour is not None and result.colour.action == "none"
        assert not any("zscale" in word or "tonemap" in word for c in result.commands for word in c)


def _first_frame_colour(path: Path) -> tuple[str | None, ...]:
    """The first decoded frame's tags: what the bitstream itself says."""
    import av

    from screenkit.media.colour import MATRICES, PRIMARIES, RANGES, TRANSFERS, tag_name

    with av.open(str(path)) as container:
        frame = next(container.decode(video=0))
        return (
            tag_name(PRIMARIES, int(frame.color_primaries)),
            tag_name(TRANSFERS, int(frame.color_trc)),
            tag_name(MATRICES, int(frame.colorspace)),
            tag_name(RANGES, int(frame.color_range)),
        )


# -- the grey ramp after tone mapping against the test's own zscale chain -----------------


def _luma(path: Path, chain: str | None = None, at: float = 1.0) -> np.ndarray:
    """The 8-bit luma plane of the frame at ``at`` (after ``chain``, when given)."""
    info = probe(path)
    assert info.video is not None
    width, height = info.video.width, info.video.height
    args = ["-ss", f"{at}", "-i", input_arg(path), "-frames:v", "1"]
    if chain:
        args += ["-vf", chain]
    data = b"".join(stream_ffmpeg([*args, "-f", "rawvideo", "-pix_fmt", "yuv420p", "pipe:1"]))
    return np.frombuffer(data, dtype=np.uint8)[: width * height].reshape(height, width)


def _ramp_mean(y: np.ndarray) -> float:
    """Mean luma of the ramp band (the bottom third), clear of the band's edges."""
    top = picture_height(y.shape[0])
    margin = max(2, (y.shape[0] - top) // 8)
    return float(y[top + margin : y.shape[0] - margin].mean())


def reference_chain(kind: str) -> str:
    """The test's own tone mapping, written out: linear light, BT.709 primaries, the
    operator screenkit chose (its parameters), BT.709 8-bit."""
    tm = TONE_MAPPING
    transfer = {"hlg": "arib-std-b67", "pq": "smpte2084"}[kind]
    param = "" if tm.param is None else f":param={tm.param}"
    return (
        f"zscale=tin={transfer}:pin=bt2020:min=bt2020nc:rin=tv:t=linear:p=bt709:m=gbr:r=full"
        f":npl={tm.npl},format=gbrpf32le,"
        f"tonemap=tonemap={tm.operator}{param}:desat={tm.desat}:peak={1000 / tm.npl},"
        "zscale=tin=linear:pin=bt709:min=gbr:rin=full:t=bt709:p=bt709:m=bt709:r=tv,"
        "format=yuv420p"
    )


@pytest.mark.parametrize("kind", ["hlg", "pq"])
def test_grey_ramp_is_tone_mapped(
    encoded: dict[tuple[str, str], EncodeResult], make_master: MakeSource, kind: str
) -> None:
    master = _master(make_master, kind)
    ours = _ramp_mean(_luma(encoded[kind, "usb-player"].out))
    reference = _ramp_mean(_luma(master, reference_chain(kind)))
    untouched = _ramp_mean(_luma(master, "format=yuv420p"))  # the old output's picture
    assert abs(ours - reference) < 3.0, (ours, reference)
    assert abs(untouched - reference) > 10.0, (untouched, reference)  # the check can fail


def test_sdr_picture_is_unchanged(
    encoded: dict[tuple[str, str], EncodeResult], make_master: MakeSource
) -> None:
    master = _ramp_mean(_luma(_master(make_master, "sdr709")))
    ours = _ramp_mean(_luma(encoded["sdr709", "usb-player"].out))
    assert abs(ours - master) < 2.0


def test_dolby_vision_84_uses_its_hlg_base_layer(make_master: MakeSource, tmp_path: Path) -> None:
    master = make_master("dv84.mp4", kind="hlg", duration=2.0, dolby_vision=DolbyVision(8, 1, 4))
    preset = load_preset("web")
    result = encode(master, preset, tmp_path / "dv.mp4", replace(OPTIONS, burn=None))
    assert result.info.video is not None and result.info.video.colour.tags == SDR709
    assert result.colour is not None and result.colour.action == "tone-map"
    plain = _ramp_mean(_luma(master, reference_chain("hlg")))
    assert abs(_ramp_mean(_luma(result.out)) - plain) < 3.0


def test_dolby_vision_5_is_refused_before_anything_runs(
    make_master: MakeSource, tmp_path: Path
) -> None:
    master = make_master("dv5.mp4", kind="pq", duration=1.0, dolby_vision=DolbyVision(5, 1, 0))
    out = tmp_path / "dv5.mp4"
    with pytest.raises(HdrError) as caught:
        encode(master, load_preset("usb-player"), out, OPTIONS)
    assert caught.value.value == "5" and caught.value.path == master
    assert "no compatible base layer" in caught.value.message and caught.value.hint
    assert not out.exists() and not list(tmp_path.iterdir())


def test_archive_keeps_pq_metadata(
    encoded: dict[tuple[str, str], EncodeResult], make_master: MakeSource
) -> None:
    out = probe(encoded["pq", "archive"].out, route="pyav").video
    source = probe(_master(make_master, "pq"), route="pyav").video
    assert out is not None and source is not None
    assert out.colour.mastering == source.colour.mastering is not None
    assert out.colour.light == source.colour.light is not None


# -- compliance refuses what the old code wrote -------------------------------------------


def test_compliance_refuses_hdr_in_an_sdr_preset(make_master: MakeSource, tmp_path: Path) -> None:
    """What main wrote for an HLG master: 8-bit H.264 still tagged BT.2020/HLG."""
    master = _master(make_master, "hlg")
    old = tmp_path / "old.mp4"
    run_ffmpeg(
        ["-i", input_arg(master), "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt",
         "yuv420p", "-c:a", "aac", "-movflags", "+faststart", output_arg(old)]
    )  # fmt: skip
    preset = load_preset("usb-player")
    info = probe(old)
    found = {m.what: m for m in check_compliance(info, preset)}
    assert found["dynamic range"].expected == "SDR"
    assert "HLG" in found["dynamic range"].found
    promised = output_format(probe(master), preset)  # what a tone-mapped encode promises
    found = {m.what: m for m in check_compliance(info, preset, promised)}
    assert (found["transfer"].expected, found["transfer"].found) == ("bt709", "arib-std-b67")
    assert found["colour primaries"].found == "bt2020"


def test_compliance_refuses_ten_bit_sdr(make_master: MakeSource, tmp_path: Path) -> None:
    ten = tmp_path / "ten.mkv"
    run_ffmpeg(
        ["-i", input_arg(_master(make_master, "sdr709")), "-c:v", "libx264", "-preset",
         "ultrafast", "-pix_fmt", "yuv420p10le", "-c:a", "aac", output_arg(ten)]
    )  # fmt: skip
    found = {m.what: m for m in check_compliance(probe(ten), load_preset("laptop"))}
    assert found["bit depth"].expected == "8-bit" and found["bit depth"].found == "10-bit"


def test_copy_never_copies_hdr_into_an_sdr_preset(make_master: MakeSource) -> None:
    """An 8-bit H.264 HLG clip would meet usb-player's codec, profile and pixel format."""
    info = probe(_master(make_master, "sdr709"))
    assert info.video is not None
    hlg = replace(
        info,
        video=replace(
            info.video,
            colour=Colour("bt2020", "arib-std-b67", "bt2020nc", "tv", 8),
            width=1280,
            height=720,
        ),
    )
    preset = load_preset("laptop")
    sdr = replace(info, video=replace(info.video, width=1280, height=720))
    assert output_format(sdr, preset).copy_video  # the same stream tagged SDR is copied
    fmt = output_format(hlg, preset)
    assert not fmt.copy_video
    assert fmt.colour is not None and fmt.colour.action == "tone-map"


# -- an ffmpeg without zscale --------------------------------------------------------------


@pytest.fixture
def ffmpeg_without_zscale(tmp_path: Path, ffmpeg: FFmpeg) -> FFmpeg:
    """The ffmpeg under test with zscale hidden, as a build without zimg lists its filters."""
    return find_ffmpeg(support.ffmpeg_hiding("zscale", ffmpeg.path, tmp_path / "bin"))


def test_an_ffmpeg_without_zscale_is_refused_before_encoding(
    make_master: MakeSource, tmp_path: Path, ffmpeg_without_zscale: FFmpeg
) -> None:
    out = tmp_path / "out.mp4"
    with pytest.raises(HdrError) as caught:
        encode(_master(make_master, "hlg"), load_preset("web"), out, ffmpeg=ffmpeg_without_zscale)
    assert caught.value.key == "ffmpeg" and caught.value.value == "zscale"
    assert caught.value.hint is not None and "libzimg" in caught.value.hint
    assert not out.exists()
    # an SDR master needs no zscale: it encodes
    encode(_master(make_master, "sdr709"), load_preset("web"), out, ffmpeg=ffmpeg_without_zscale)
    assert out.is_file()


def test_doctor_names_a_missing_zscale(
    ffmpeg_without_zscale: FFmpeg, monkeypatch: pytest.MonkeyPatch
) -> None:
    from screenkit.doctor import diagnose

    monkeypatch.setenv("SCREENKIT_FFMPEG", os.fspath(ffmpeg_without_zscale.path))
    report = diagnose()
    check = next(c for c in report.checks if c.name == "zscale")
    assert not check.ok and not report.ok
    assert check.fix is not None and "libzimg" in check.fix


def test_error_is_a_screenkit_error() -> None:
    assert issubclass(HdrError, ScreenkitError)


# -- quality compares through the same tone mapping ----------------------------------------


def test_quality_is_measured_through_the_same_tone_mapping(
    encoded: dict[tuple[str, str], EncodeResult], make_master: MakeSource, tmp_path: Path
) -> None:
    result = encoded["hlg", "web"]
    preset = load_preset("web")
    fmt = output_format(result.source, preset)
    ffmpeg = find_ffmpeg()
    work = tmp_path / "q"
    work.mkdir()
    options = replace(OPTIONS, burn=None)
    encoded_again = encode(_master(make_master, "hlg"), preset, tmp_path / "w.mp4", options)
    through = measure_quality(
        encoded_again.out, result.source, preset, options, fmt, work, ffmpeg=ffmpeg
    )
    assert fmt.colour is not None
    untouched = replace(fmt, colour=ColourPlan(fmt.colour.source, "none", Colour(bit_depth=8)))
    without = measure_quality(
        encoded_again.out, result.source, preset, options, untouched, work, ffmpeg=ffmpeg
    )
    assert through.ssim > 0.95, through
    assert through.ssim > without.ssim + 0.02, (through, without)


# -- the encode command says it ------------------------------------------------------------


def test_encode_command_says_what_it_did_with_the_colour(
    make_master: MakeSource, tmp_path: Path
) -> None:
    master = _master(make_master, "hlg")
    out = tmp_path / "film.mp4"
    code, _, err = support.run_cli(
        "encode", str(master), "-p", "web", "-o", str(out), "--x264-preset", "ultrafast"
    )
    assert code == 0, err
    assert "tone-mapped from the master's HDR (HLG) to SDR BT.709, 8-bit" in err
    archive = tmp_path / "film.mkv"
    code, out_json, err = support.run_cli(
        "encode", str(master), "-p", "archive", "-o", str(archive), "--x264-preset",
        "ultrafast", "--json",
    )  # fmt: skip
    assert code == 0, err
    document = json.loads(out_json)
    assert document["colour"]["action"] == "keep"
    assert document["info"]["video"]["colour"]["transfer"] == "arib-std-b67"
    code, _, err = support.run_cli(
        "encode", str(master), "-p", "web", "-o", str(tmp_path / "dry.mp4"), "--dry-run"
    )
    assert code == 0 and "# tone-mapped from the master's HDR (HLG)" in err


def test_encode_command_refuses_dolby_vision_5(make_master: MakeSource, tmp_path: Path) -> None:
    master = make_master("dv5.mp4", kind="pq", duration=1.0, dolby_vision=DolbyVision(5, 1, 0))
    code, _, err = support.run_cli(
        "encode", str(master), "-p", "web", "-o", str(tmp_path / "x.mp4")
    )
    assert code == 1
    assert "Error: the master is Dolby Vision 5 (no compatible base layer)" in err
    assert "Hint: export the master again" in err
    assert "Traceback" not in err
