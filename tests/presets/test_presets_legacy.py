"""The DVD and DivX presets: the numbers of those players, and the limits enforced at load."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from screenkit.errors import ConfigError
from screenkit.presets import load_preset, load_preset_file


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_dvd_pal_is_dvd_video_pal() -> None:
    p = load_preset("dvd-pal")
    assert (p.container, p.extension) == ("dvd", ".mpg")
    v = p.video
    assert (v.codec, v.fixed_size, v.frame_rate, v.aspect) == (
        "mpeg2video",
        (720, 576),
        Fraction(25),
        "16:9",
    )
    assert v.max_bitrate_kbps is not None and v.max_bitrate_kbps <= 9800
    assert v.gop == 15 and v.vbv_kbit == 1835
    assert (p.audio.codec, p.audio.sample_rate, p.audio.channels) == ("ac3", 48000, 2)
    assert p.audio.loudness is not None and p.audio.loudness.target == -23.0
    assert p.subtitles.subpictures and not p.subtitles.burn
    assert p.dvd is not None and p.dvd.chapter_minutes == 5


def test_dvd_ntsc_extends_pal_with_ntsc_numbers() -> None:
    p = load_preset("dvd-ntsc")
    assert p.video.fixed_size == (720, 480)
    assert p.video.frame_rate == Fraction(30000, 1001)
    assert p.video.gop == 18
    assert p.origin("video.codec") == "standard:dvd-pal.toml"


def test_divx_is_home_theater_avi() -> None:
    p = load_preset("divx")
    assert (p.container, p.extension) == ("avi", ".avi")
    v = p.video
    assert (v.codec, v.fourcc, v.max_width, v.max_height) == ("mpeg4", "XVID", 720, 576)
    assert v.max_bitrate_kbps is not None and v.max_bitrate_kbps <= 4854
    assert v.b_frames == 1 and v.fixed_size is None
    assert (p.audio.codec, p.audio.sample_rate) == ("mp3", 48000)
    s = p.subtitles
    assert (s.burn, s.sidecar, s.sidecar_encoding, s.sidecar_name) == (
        True,
        "srt",
        "legacy",
        "film",
    )


@pytest.mark.parametrize(
    ("body", "key", "words"),
    [
        ("[video]\nframe_height = 500\n", "video.frame_height", "720x576 (PAL)"),
        ("[video]\nframe_rate = 24\n", "video.frame_rate", "25"),
        ("[video]\nmax_bitrate_kbps = 9900\n", "video.max_bitrate_kbps", "9800"),
        ("[video]\nmax_bitrate_kbps = 9700\n", "video.max_bitrate_kbps", "mux rate"),
        ("[video]\ngop = 30\n", "video.gop", "15"),
        ('[audio]\ncodec = "mp3"\n', "audio.codec", "ac3 or mp2"),
        ("[audio]\nbitrate_kbps = 500\n", "audio.bitrate_kbps", "448"),
        ("[audio]\nsample_rate = 44100\n", "audio.sample_rate", "48000"),
        ('[subtitles]\nsidecar = "srt"\n', "subtitles.soft", "subpictures"),
        ('container = "mkv"\n', "video.codec", "'dvd'"),
        ("[video]\nbitrate_kbps = 9000\n", "video.bitrate_kbps", "above the peak"),
    ],
)
def test_a_dvd_preset_outside_the_dvd_spec_is_refused(
    tmp_path: Path, body: str, key: str, words: str
) -> None:
    path = write(tmp_path, "mine", f'extends = "dvd-pal"\n{body}')
    with pytest.raises(ConfigError) as info:
        load_preset_file(path)
    assert info.value.key == key
    assert words in info.value.message
    if key.rpartition(".")[2] in body:  # the error blames the file that set the key
        assert info.value.path == path


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ("[video]\nmax_width = 1280\n", "video.max_width"),
        ("[video]\nmax_bitrate_kbps = 6000\n", "video.max_bitrate_kbps"),
        ('[video]\nfourcc = "XVIDX"\n', "video.fourcc"),
        ('[audio]\ncodec = "aac"\n', "audio.codec"),
        ('[subtitles]\nsidecar = "vtt"\nsidecar_encoding = "utf-8"\n', "subtitles.soft"),
    ],
)
def test_a_divx_preset_outside_home_theater_is_refused(tmp_path: Path, body: str, key: str) -> None:
    path = write(tmp_path, "mine", f'extends = "divx"\n{body}')
    with pytest.raises(ConfigError) as info:
        load_preset_file(path)
    assert info.value.key == key


def test_h264_presets_refuse_the_old_players_keys(tmp_path: Path) -> None:
    path = write(tmp_path, "mine", 'extends = "usb-player"\n[video]\nfourcc = "XVID"\n')
    with pytest.raises(ConfigError) as info:
        load_preset_file(path)
    assert info.value.key == "video.fourcc"
    path = write(tmp_path, "sub", 'extends = "usb-player"\n[subtitles]\nsubpictures = true\n')
    with pytest.raises(ConfigError) as info:
        load_preset_file(path)
    assert info.value.key == "subtitles.subpictures"


def test_an_h264_preset_cannot_go_in_a_dvd(tmp_path: Path) -> None:
    path = write(tmp_path, "mine", 'extends = "usb-player"\ncontainer = "dvd"\n')
    with pytest.raises(ConfigError) as info:
        load_preset_file(path)
    assert info.value.key == "container"
