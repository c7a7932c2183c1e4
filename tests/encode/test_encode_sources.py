"""What phones and old cameras hand over: each must become a file the preset accepts."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from encode_helpers import SUBTITLES, decode_errors, frame

from screenkit.encode import EncodeOptions, SubtitleInput, encode, output_format
from screenkit.encode.geometry import STANDARD_RATES
from screenkit.encode.subs import stage_burn
from screenkit.errors import ProbeError
from screenkit.media.atomic import atomic_output
from screenkit.media.binaries import FFmpeg
from screenkit.media.runner import output_arg, run_ffmpeg
from screenkit.presets import load_preset
from screenkit.sample.sources import truncate_copy

MakeSource = Callable[..., Path]
FAST = EncodeOptions(x264_preset="ultrafast")
# white top-left quadrant on black: where it lands tells which way the picture was turned
QUADRANT = (
    "color=c=black:s=320x180:r=25,drawbox=x=0:y=0:w=160:h=90:color=white:t=fill,format=yuv420p"
)


def test_no_audio_gets_a_silent_stereo_track(make_media: MakeSource, tmp_path: Path) -> None:
    source = make_media("silent.mkv", duration=2.0, audio_channels=None)
    result = encode(source, load_preset("usb-player"), tmp_path / "out.mp4", FAST)
    (audio,) = result.info.audio
    assert (audio.codec, audio.channels, audio.sample_rate) == ("aac", 2, 48000)
    assert result.info.duration == pytest.approx(2.0, abs=0.15)
    assert decode_errors(result.out) == ""


def test_odd_size_is_scaled_to_even_within_the_limits(
    make_media: MakeSource, tmp_path: Path
) -> None:
    source = make_media(
        "odd.mkv",
        duration=1.0,
        width=1439,
        height=1081,
        video_codec=("libx264", "-preset", "ultrafast", "-pix_fmt", "yuv444p"),
    )
    result = encode(source, load_preset("usb-player"), tmp_path / "out.mp4", FAST)
    assert result.info.video is not None
    assert (result.info.video.width, result.info.video.height) == (1438, 1080)
    assert result.info.video.pix_fmt == "yuv420p"


def _rotated_case(source: Path, out: Path, rotation: int, ffmpeg: FFmpeg) -> None:
    result = encode(source, load_preset("usb-player"), out, FAST, ffmpeg=ffmpeg)
    video = result.info.video
    assert video is not None and video.rotation == 0  # the matrix is cleared ...
    # turned, then enlarged into usb-player's 1280x720 minimum box, shape kept
    assert (video.width, video.height) == ((404, 720) if rotation in (90, 270) else (1280, 720))
    picture = frame(out, 0.5, ffmpeg)  # ... and the pixels are turned
    h, w = picture.shape
    quadrants = {
        "top-left": picture[: h // 2, : w // 2].mean(),
        "top-right": picture[: h // 2, w // 2 :].mean(),
        "bottom-left": picture[h // 2 :, : w // 2].mean(),
        "bottom-right": picture[h // 2 :, w // 2 :].mean(),
    }
    # clockwise: 90° takes the top-left corner to the top-right, 270° to the bottom-left
    want = {90: "top-right", 180: "bottom-right", 270: "bottom-left"}[rotation]
    assert max(quadrants, key=quadrants.__getitem__) == want, quadrants
    assert quadrants[want] > 200 and min(quadrants.values()) < 30


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_phone_rotation_bundled_ffmpeg(
    make_media: MakeSource, tmp_path: Path, ffmpeg: FFmpeg, rotation: int
) -> None:
    source = make_media("phone.mp4", duration=1.0, rotation=rotation, picture=QUADRANT)
    _rotated_case(source, tmp_path / "out.mp4", rotation, ffmpeg)


def test_phone_rotation_system_ffmpeg(
    make_media: MakeSource, tmp_path: Path, system_ffmpeg: FFmpeg
) -> None:
    """Debian's 5.1 (ffprobe route) turns the picture and clears the matrix the same way."""
    source = make_media("phone.mp4", duration=1.0, rotation=90, picture=QUADRANT)
    _rotated_case(source, tmp_path / "out.mp4", 90, system_ffmpeg)


def test_variable_frame_rate_becomes_constant(make_media: MakeSource, tmp_path: Path) -> None:
    source = make_media("vfr.mkv", duration=2.0, vfr=True)
    result = encode(source, load_preset("usb-player"), tmp_path / "out.mp4", FAST)
    assert result.source.video is not None and result.source.video.vfr
    video = result.info.video
    assert video is not None and not video.vfr
    assert video.frame_rate in STANDARD_RATES and video.frame_rate <= 30


def test_surround_is_downmixed_for_stereo_presets_and_kept_in_the_archive(
    make_media: MakeSource, tmp_path: Path
) -> None:
    source = make_media("surround.mkv", duration=1.5, audio_channels=6)
    stereo = encode(source, load_preset("usb-player"), tmp_path / "out.mp4", FAST)
    assert stereo.info.audio[0].channels == 2
    kept = encode(source, load_preset("archive"), tmp_path / "out.mkv", FAST)
    assert kept.info.audio[0].channels == 6 and kept.info.audio[0].codec == "pcm_s24le"


def test_interlaced_is_deinterlaced(make_media: MakeSource, tmp_path: Path) -> None:
    source = make_media("interlaced.mkv", duration=1.5, interlaced=True)
    result = encode(source, load_preset("laptop"), tmp_path / "out.mkv", FAST)
    assert result.source.video is not None and result.source.video.interlaced
    assert not result.copied_video
    assert any("bwdif=" in word for word in result.commands[-1])
    assert result.info.video is not None and not result.info.video.interlaced


def test_a_hostile_path_everywhere(stand_in: Path, tmp_path: Path) -> None:
    folder = tmp_path / "папка [2024]: 'films'"
    folder.mkdir()
    source = folder / 'My film "cut": [v2] фільм.mkv'
    shutil.copyfile(stand_in, source)
    track = folder / "субтитри 'uk' [final]: v2, c=1.srt"
    shutil.copyfile(SUBTITLES / "uk.srt", track)
    out = folder / "out: 'show' [uk] фільм.mp4"
    options = EncodeOptions(burn=SubtitleInput(track, "uk"), x264_preset="ultrafast")
    result = encode(source, load_preset("usb-player"), out, options)
    assert out.is_file() and decode_errors(out) == ""
    assert [p.name for p in result.sidecars] == ["out: 'show' [uk] фільм.uk.srt"]
    assert all(str(folder) not in arg for cmd in result.commands for arg in cmd
               if "filter_complex" not in arg and not arg.startswith("file:"))  # fmt: skip


def test_a_truncated_source_fails_clearly_and_leaves_nothing(
    make_media: MakeSource, tmp_path: Path
) -> None:
    """A master cut in half (a copy that did not finish) is refused by name, in MP4 with its
    index in front and in Matroska alike: no output, no half-written file left."""
    whole = make_media("whole.mp4", duration=4.0, extra=("-movflags", "+faststart"))
    for name in ("cut.mp4", "cut.mkv"):
        source = tmp_path / name
        if name.endswith(".mkv"):
            with atomic_output(tmp_path / "whole.mkv") as part:
                run_ffmpeg(["-i", output_arg(whole), "-c", "copy", output_arg(part)])
            truncate_copy(tmp_path / "whole.mkv", source, keep=0.5)
        else:
            truncate_copy(whole, source, keep=0.5)
        out = tmp_path / "out" / f"{name}.mp4"
        with pytest.raises(ProbeError) as caught:
            encode(source, load_preset("web"), out, FAST)
        assert caught.value.path == source
        assert "is cut short" in caught.value.message
        assert not out.exists()
        assert not list(tmp_path.glob("out/.*part*"))


def test_burn_in_under_an_empty_fontconfig_draws_text(
    stand_in: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """libass with no system font draws nothing unless fontsdir + the font name are given."""
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
        f"<fontconfig><cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>\n"
    )
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    preset = load_preset("usb-player")
    cut = EncodeOptions(x264_preset="ultrafast", start=2.5, duration=1.0, allow_copy=False)
    plain = encode(stand_in, preset, tmp_path / "plain.mp4", cut)
    burn = SubtitleInput(SUBTITLES / "en.srt", "en")
    burned = encode(
        stand_in, preset, tmp_path / "burned.mp4",
        EncodeOptions(burn=burn, x264_preset="ultrafast", start=2.5, duration=1.0),
    )  # fmt: skip
    a, b = frame(plain.out, 0.5), frame(burned.out, 0.5)
    diff = np.abs(a - b)
    h = a.shape[0]
    bottom, top = diff[int(h * 0.7) :], diff[: h // 2]
    assert (bottom > 80).sum() > 100, "no subtitle pixels were drawn"
    assert bottom.mean() > 5 * max(top.mean(), 0.2)
    # the premise: the same ASS without fontsdir draws nothing in this environment
    staged, _ = stage_burn(burn, preset, output_format(burned.source, preset), tmp_path, (), 2.5)
    control = tmp_path / "control.mp4"
    run_ffmpeg(["-i", output_arg(plain.out), "-vf", f"subtitles=filename={staged}",
                "-c:v", "libx264", "-preset", "ultrafast", output_arg(control)])  # fmt: skip
    assert (np.abs(frame(control, 0.5) - a)[int(h * 0.7) :] > 80).sum() < 20


def test_rate_of_a_50_fps_source_is_halved(make_media: MakeSource, tmp_path: Path) -> None:
    source = make_media("fifty.mkv", duration=1.0, fps="50")
    result = encode(source, load_preset("usb-player"), tmp_path / "out.mp4", FAST)
    assert result.info.video is not None and result.info.video.frame_rate == Fraction(25)


def test_characters_the_font_cannot_draw_are_a_warning(stand_in: Path, tmp_path: Path) -> None:
    track = tmp_path / "ja.srt"
    track.write_text("1\n00:00:00,500 --> 00:00:01,500\n映画へようこそ\n", encoding="utf-8")
    options = EncodeOptions(burn=SubtitleInput(track, "ja"), x264_preset="ultrafast", duration=2.0)
    result = encode(stand_in, load_preset("usb-player"), tmp_path / "ja.mp4", options)
    (warning,) = [w for w in result.warnings if "cannot draw" in w]
    assert "映画へようこそ" in warning and "ja.srt" in warning
