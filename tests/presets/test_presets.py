"""Preset loading: the standard presets' numbers, extends and origins, strict validation."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from screenkit.errors import ConfigError
from screenkit.presets import (
    STANDARD,
    PresetNotFound,
    iso639_2,
    language_name,
    legacy_codepage,
    list_presets,
    load_preset,
    load_preset_file,
)
from screenkit.presets.registry import STANDARD_DIR

REPO = Path(__file__).resolve().parents[2]
GiB = 2**30


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def kit(tmp_path: Path) -> Path:
    (tmp_path / "presets").mkdir()
    return tmp_path


def test_every_standard_preset_ships_and_loads() -> None:
    assert sorted(p.stem for p in STANDARD_DIR.glob("*.toml")) == sorted(STANDARD)
    for name in STANDARD:
        preset = load_preset(name)
        assert preset.name == name
        assert preset.description
        assert preset.source == f"standard:{name}.toml"


def test_usb_player_numbers_follow_the_device_spec() -> None:
    p = load_preset("usb-player")
    assert (p.container, p.faststart, p.extension) == ("mp4", True, ".mp4")
    assert (p.video.profile, p.video.level, p.video.level_idc) == ("high", "4.1", 41)
    assert (p.video.max_width, p.video.max_height, p.video.pix_fmt) == (1920, 1080, "yuv420p")
    assert p.video.cfr and p.video.max_bitrate_kbps == 10000
    assert (p.audio.codec, p.audio.channels, p.audio.sample_rate) == ("aac", 2, 48000)
    assert p.audio.loudness is not None
    assert (p.audio.loudness.target, p.audio.loudness.true_peak) == (-23.0, -1.0)
    assert p.subtitles.burn and p.subtitles.sidecar == "srt"
    assert p.subtitles.sidecar_encoding == "utf-8"
    assert p.file_size_limit == 4 * GiB


def test_legacy_extends_usb_player_and_says_where_values_came_from() -> None:
    p = load_preset("usb-player-legacy")
    assert p.extends == "usb-player"
    assert (p.video.profile, p.video.level, p.video.max_height) == ("main", "4.0", 720)
    assert p.video.max_bitrate_kbps == 6000
    assert p.file_size_limit == 2_000_000_000
    assert p.subtitles.sidecar_encoding == "legacy" and p.subtitles.burn
    assert p.origin("video.profile") == "standard:usb-player-legacy.toml"
    assert p.origin("audio.codec") == "standard:usb-player.toml"  # inherited


def test_laptop_web_archive() -> None:
    laptop, web, archive = (load_preset(n) for n in ("laptop", "web", "archive"))
    assert laptop.container == "mkv" and laptop.subtitles.soft and not laptop.subtitles.burn
    assert laptop.audio.loudness is not None and laptop.audio.loudness.target == -16.0
    assert web.container == "mp4" and web.subtitles.sidecar == "vtt"
    assert web.audio.loudness is not None and web.audio.loudness.target == -16.0
    assert archive.audio.codec == "pcm_s24le" and archive.audio.channels is None
    assert archive.subtitles.soft and archive.video.crf < laptop.video.crf


def test_safe_margins_scale_with_the_frame() -> None:
    p = load_preset("usb-player")
    assert p.safe_margins(1920, 1080) == (96, 54)
    assert load_preset("usb-player-legacy").safe_margins(1280, 720) == (96, 54)


def test_sample_kit_preset_extends_a_standard_one() -> None:
    p = load_preset("usb-player-fi", REPO)
    assert p.audio.loudness is not None and p.audio.loudness.target == -18.0
    assert p.video.level == "4.1"  # inherited
    assert p.origin("audio.loudness.target").endswith("presets/usb-player-fi.toml")
    assert p.origin("audio.loudness.true_peak") == "standard:usb-player.toml"


def test_kit_preset_replaces_a_standard_one_of_the_same_name(kit: Path) -> None:
    write(kit / "presets", "web", 'extends = "web"\n[video]\ncrf = 30\n')
    p = load_preset("web", kit)
    assert p.video.crf == 30 and p.video.level == "4.0"  # own name = the standard layer below
    entry = next(e for e in list_presets(kit) if e.name == "web")
    assert entry.origin == "kit" and entry.overrides_standard
    assert load_preset("web").video.crf == 23  # without the kit: untouched


def test_kit_preset_chain_and_a_table_replaced_whole(kit: Path) -> None:
    write(kit / "presets", "hall", 'extends = "laptop"\n[audio]\nchannels = 1\n')
    write(kit / "presets", "hall-quiet", 'extends = "hall"\n[audio.loudness]\nenabled = false\n')
    p = load_preset("hall-quiet", kit)
    assert p.audio.channels == 1 and p.audio.loudness is None
    assert p.container == "mkv"
    names = [e.name for e in list_presets(kit)]
    assert {"hall", "hall-quiet", *STANDARD} == set(names)


@pytest.mark.parametrize(
    ("text", "key", "fragment"),
    [
        ("[video]\nmax_heigth = 720\n", "video.max_heigth", "did you mean 'max_height'"),
        ("colour = 1\n", "colour", "unknown key"),
        ("[video]\nmax_width = 1279\n", "video.max_width", "odd"),
        ('[video]\nlevel = "3.0"\n', "video.level", "larger than H.264 level 3.0"),
        ('[video]\nlevel = "4.3"\n', "video.level", "not one of"),
        ("[video]\nmax_bitrate_kbps = 90000\n", "video.max_bitrate_kbps", "above H.264"),
        ("[video]\nmax_fps = 0\n", "video.max_fps", "not a rate"),
        ('[video]\nmax_fps = "fast"\n', "video.max_fps", "frame rate like"),
        ('[audio]\ncodec = "pcm_s16le"\n', "audio.codec", "use mkv"),
        ("[audio]\nchannels = 4\n", "audio.channels", "use 1, 2, 6"),
        ("[audio]\nsample_rate = 22050\n", "audio.sample_rate", "use 44100"),
        ("[audio.loudness]\ntarget = 3\n", "audio.loudness.target", "above the largest"),
        ('[subtitles]\nsidecar_encoding = "klingon"\n', "subtitles.sidecar_encoding", "not a"),
        ('file_size_limit = "big"\n', "file_size_limit", 'size like "4 GiB"'),
        ('file_size_limit = "10 kB"\n', "file_size_limit", "too small"),
        ("safe_area = 0.5\n", "safe_area", "above the largest"),
        ('[video]\nspeed = "warp"\n', "video.speed", "not one of"),
    ],
)
def test_impossible_values_name_file_and_key(kit: Path, text: str, key: str, fragment: str) -> None:
    path = write(kit / "presets", "bad", 'extends = "usb-player"\n' + text)
    with pytest.raises(ConfigError) as caught:
        load_preset("bad", kit)
    assert caught.value.key == key
    assert caught.value.path == path
    assert fragment in caught.value.message
    assert str(path) in caught.value.message


def test_webvtt_sidecars_are_utf8(kit: Path) -> None:
    write(kit / "presets", "bad", 'extends = "web"\n[subtitles]\nsidecar_encoding = "cp1251"\n')
    with pytest.raises(ConfigError) as caught:
        load_preset("bad", kit)
    assert caught.value.key == "subtitles.sidecar_encoding"


def test_unknown_preset_and_unknown_parent(kit: Path) -> None:
    with pytest.raises(PresetNotFound) as caught:
        load_preset("usb-playr")
    assert caught.value.value == "usb-playr"
    assert "did you mean 'usb-player'" in caught.value.message
    path = write(kit / "presets", "orphan", 'extends = "nowhere"\n')
    with pytest.raises(PresetNotFound) as caught:
        load_preset("orphan", kit)
    assert caught.value.key == "extends" and caught.value.path == path


def test_extends_loop_is_an_error(kit: Path) -> None:
    write(kit / "presets", "a", 'extends = "b"\n')
    write(kit / "presets", "b", 'extends = "a"\n')
    with pytest.raises(ConfigError) as caught:
        load_preset("a", kit)
    assert caught.value.key == "extends"
    assert "loop" in caught.value.message


def test_not_toml_is_a_config_error(kit: Path) -> None:
    path = write(kit / "presets", "broken", "[video\n")
    with pytest.raises(ConfigError) as caught:
        load_preset_file(path)
    assert caught.value.path == path


def test_a_file_outside_any_kit_can_extend_a_standard_preset(tmp_path: Path) -> None:
    path = write(tmp_path, "mine", 'extends = "usb-player"\n[video]\ncrf = 18\n')
    p = load_preset_file(path)
    assert p.name == "mine" and p.video.crf == 18 and p.origin("video.crf") == str(path)


def test_frame_rate_as_ratio(kit: Path) -> None:
    write(kit / "presets", "ntsc", 'extends = "usb-player"\n[video]\nmax_fps = "30000/1001"\n')
    assert load_preset("ntsc", kit).video.max_fps == Fraction(30000, 1001)


def test_accepts_profile_orders_profiles() -> None:
    high = load_preset("usb-player").video
    main = load_preset("usb-player-legacy").video
    assert high.accepts_profile("Main") and high.accepts_profile("Constrained Baseline")
    assert not main.accepts_profile("High")
    assert not high.accepts_profile("High 4:4:4 Predictive")
    assert not high.accepts_profile(None)


@pytest.mark.parametrize(
    ("tag", "page"),
    [("pl", "cp1250"), ("uk", "cp1251"), ("de", "cp1252"), ("el", "cp1253"),
     ("sr-Latn", "cp1250"), ("sr", "cp1251"), ("pt-BR", "cp1252"), ("lt", "cp1257")],
)  # fmt: skip
def test_legacy_code_pages(tag: str, page: str) -> None:
    assert legacy_codepage(tag) == page


def test_unknown_legacy_code_page_is_a_config_error() -> None:
    with pytest.raises(ConfigError) as caught:
        legacy_codepage("xx")
    assert caught.value.value == "xx"


def test_container_language_codes() -> None:
    assert iso639_2("pt-BR") == "por"
    assert iso639_2("de") == "ger"
    assert iso639_2("uk") == "ukr"
    assert iso639_2("xx") == "und"
    assert language_name("pt-BR") == "Portuguese (pt-BR)"
    assert language_name("uk") == "Ukrainian"
