"""Every standard preset, from the stand-in film, with the real ffmpeg."""

from __future__ import annotations

from pathlib import Path

import pytest
from encode_helpers import SUBTITLES, decode_errors, loudness_of

from screenkit.encode import EncodeOptions, EncodeResult, SubtitleInput, encode
from screenkit.media.probe import probe
from screenkit.presets import STANDARD, load_preset
from screenkit.progress import Progress

OPTIONS = EncodeOptions(
    burn=SubtitleInput(SUBTITLES / "en.srt", "en"),
    soft=(SubtitleInput(SUBTITLES / "uk.srt", "uk"), SubtitleInput(SUBTITLES / "pl.srt", "pl")),
    audio_lang="en",
    x264_preset="ultrafast",
)


@pytest.fixture(scope="module")
def encoded(stand_in: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, EncodeResult]:
    """Each standard preset's output of the stand-in (compliance-checked by `encode`)."""
    folder = tmp_path_factory.mktemp("presets")
    cache = folder / "cache"
    results = {}
    for name in STANDARD:
        preset = load_preset(name)
        results[name] = encode(
            stand_in, preset, folder / f"film-{name}{preset.extension}", OPTIONS, cache_dir=cache
        )
    return results


@pytest.mark.parametrize("name", STANDARD)
def test_output_meets_its_preset_and_decodes_cleanly(
    encoded: dict[str, EncodeResult], name: str
) -> None:
    result = encoded[name]
    assert result.out.is_file()
    assert decode_errors(result.out) == ""
    again = probe(result.out)  # the compliance check ran inside encode; the file is what it said
    assert again.video is not None and again.video.rotation == 0
    assert again.audio[0].sample_rate == 48000
    assert not list(result.out.parent.glob(".*.part-*"))


def test_usb_player_burns_and_writes_utf8_sidecars(encoded: dict[str, EncodeResult]) -> None:
    result = encoded["usb-player"]
    assert not result.copied_video  # burning needs a new picture
    names = sorted(p.name for p in result.sidecars)
    assert names == ["film-usb-player.en.srt", "film-usb-player.pl.srt", "film-usb-player.uk.srt"]
    uk = next(p for p in result.sidecars if p.name.endswith(".uk.srt"))
    assert "Вітаємо" in uk.read_text(encoding="utf-8")
    assert result.info.container.startswith("mov,mp4")
    assert result.info.audio[0].codec == "aac" and result.info.audio[0].channels == 2


def test_legacy_sidecars_are_in_each_languages_code_page(
    encoded: dict[str, EncodeResult],
) -> None:
    result = encoded["usb-player-legacy"]
    sidecars = {p.name.split(".")[-2]: p.read_bytes() for p in result.sidecars}
    assert "Вітаємо" in sidecars["uk"].decode("cp1251")
    polish = sidecars["pl"].decode("cp1250")
    assert any(ch in polish for ch in "ąęłńśźż")
    for data in (sidecars["uk"], sidecars["pl"]):
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")
    video = result.info.video
    # ultrafast turns CABAC off, so x264 signals Constrained Baseline: a subset of Main
    assert video is not None and video.profile in ("Main", "Constrained Baseline")
    assert (video.level or 0) <= 40


def test_laptop_carries_every_track_soft_with_languages(encoded: dict[str, EncodeResult]) -> None:
    result = encoded["laptop"]
    # nothing burned, but the 320x180 stand-in is below laptop's 854x480 minimum: enlarged
    assert not result.copied_video and result.enlarged_from == (320, 180)
    subs = result.info.subtitles
    assert [s.language for s in subs] == ["eng", "ukr", "pol"]
    assert [s.default for s in subs] == [True, False, False]  # the screening language
    assert [s.title for s in subs] == ["English", "Ukrainian", "Polish"]
    assert result.sidecars == ()
    assert any("burns no subtitles" in w for w in result.warnings)


def test_web_writes_webvtt_sidecars(encoded: dict[str, EncodeResult]) -> None:
    result = encoded["web"]
    assert {p.suffix for p in result.sidecars} == {".vtt"}
    assert all(p.read_text(encoding="utf-8").startswith("WEBVTT") for p in result.sidecars)
    assert result.info.subtitles == ()


def test_archive_keeps_pcm_and_soft_tracks(encoded: dict[str, EncodeResult]) -> None:
    result = encoded["archive"]
    assert result.info.audio[0].codec == "pcm_s24le"
    assert len(result.info.subtitles) == 3


@pytest.mark.parametrize("name", ["usb-player", "web", "archive"])
def test_loudness_within_one_lu_of_the_target(encoded: dict[str, EncodeResult], name: str) -> None:
    target = load_preset(name).audio.loudness
    assert target is not None
    integrated, peak = loudness_of(encoded[name].out)
    assert abs(integrated - target.target) <= 1.0, (name, integrated)
    assert peak <= target.true_peak + 0.5, (name, peak)


def test_progress_reaches_the_end(stand_in: Path, tmp_path: Path) -> None:
    events: list[Progress] = []
    preset = load_preset("web")
    encode(stand_in, preset, tmp_path / "p.mp4", EncodeOptions(allow_copy=False,
           x264_preset="ultrafast"), progress=events.append)  # fmt: skip
    steps = {e.step for e in events}
    assert {"loudness", "encode"} <= steps
    last = [e for e in events if e.step == "encode"][-1]
    assert last.total == pytest.approx(8.0, abs=0.2) and last.fraction == 1.0


def test_size_limit_two_pass_stays_below_the_limit(stand_in: Path, tmp_path: Path) -> None:
    kit = tmp_path / "kit"
    (kit / "presets").mkdir(parents=True)
    (kit / "presets" / "tiny-stick.toml").write_text(
        'extends = "usb-player"\nfile_size_limit = "1 MB"\n[subtitles]\nsidecar = "none"\n'
    )
    preset = load_preset("tiny-stick", kit)
    options = EncodeOptions(x264_preset="ultrafast", allow_copy=False)
    result = encode(stand_in, preset, tmp_path / "tiny.mp4", options)
    assert result.two_pass and len(result.commands) == 2
    assert result.out.stat().st_size < 1_000_000
    assert result.out.stat().st_size > 500_000  # the budget is used, not wasted
    assert decode_errors(result.out) == ""
    assert not list(tmp_path.glob("*.log*")) and not list(Path.cwd().glob("x264-pass*"))
