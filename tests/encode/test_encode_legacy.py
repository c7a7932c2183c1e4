"""DVD (MPEG-2 in MPEG-PS) and DivX (MPEG-4 ASP in AVI) encodes: the argv, and real files."""

from __future__ import annotations

import json
import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from encode_helpers import SUBTITLES, decode_errors, frame

from screenkit.encode import EncodeOptions, SubtitleInput, encode, plan_encode
from screenkit.encode.divx import avi_fourcc
from screenkit.encode.legacy import conform, legacy_format
from screenkit.encode.legacy_check import check_sidecar
from screenkit.media.binaries import FFmpeg
from screenkit.media.probe import probe
from screenkit.presets import load_preset
from support import MakeSource

PAL, NTSC, DIVX = load_preset("dvd-pal"), load_preset("dvd-ntsc"), load_preset("divx")


def _argv(source: Path, preset_name: str, tmp_path: Path, **options: object) -> list[str]:
    preset = load_preset(preset_name)
    info = probe(source)
    plan = plan_encode(
        info, preset, tmp_path / f"out{preset.extension}", EncodeOptions(**options),  # type: ignore[arg-type]
        workdir=tmp_path,
    )  # fmt: skip
    assert len(plan.commands) == 1
    return list(plan.commands[0])


def _opt(argv: list[str], name: str) -> str:
    return argv[argv.index(name) + 1]


def test_dvd_pal_argv_spells_out_the_dvd_limits(tiny_film: Path, tmp_path: Path) -> None:
    argv = _argv(tiny_film, "dvd-pal", tmp_path)
    assert _opt(argv, "-c:v") == "mpeg2video"
    assert _opt(argv, "-f") == "dvd"
    assert _opt(argv, "-muxrate") == "10080000" and _opt(argv, "-packetsize") == "2048"
    assert _opt(argv, "-maxrate:v") == "8000k" and _opt(argv, "-b:v") == "5000k"
    assert int(_opt(argv, "-bufsize:v")) <= 1_835_008
    assert _opt(argv, "-g:v") == "15" and "+cgop" in _opt(argv, "-flags:v")
    assert _opt(argv, "-aspect:v") == "16:9" and _opt(argv, "-r:v") == "25"
    assert (_opt(argv, "-c:a"), _opt(argv, "-ar"), _opt(argv, "-ac")) == ("ac3", "48000", "2")
    graph = _opt(argv, "-filter_complex")
    assert "scale=1024:576" in graph or "scale=1024:576" in graph.replace(" ", "")
    assert "setdar=16/9" in graph and "atempo" not in graph  # 25 fps: untouched


def test_divx_argv_is_xvid_mp3_avi(tiny_film: Path, tmp_path: Path) -> None:
    argv = _argv(tiny_film, "divx", tmp_path)
    assert (_opt(argv, "-c:v"), _opt(argv, "-vtag")) == ("mpeg4", "XVID")
    assert _opt(argv, "-maxrate:v") == "4000k" and _opt(argv, "-bf:v") == "1"
    assert _opt(argv, "-flags:v") == "-qpel"
    assert (_opt(argv, "-c:a"), _opt(argv, "-ar")) == ("libmp3lame", "48000")
    assert _opt(argv, "-f") == "avi"


def test_a_24_fps_film_goes_to_pal_by_speed_up_with_the_pitch_kept(
    make_media: MakeSource, tmp_path: Path
) -> None:
    source = make_media("film24.mkv", duration=2.4, fps="24")
    info = probe(source)
    assert info.video is not None
    rate = conform(info.video, PAL)
    assert (rate.rate, rate.speed) == (Fraction(25), Fraction(25, 24))
    graph = _opt(_argv(source, "dvd-pal", tmp_path), "-filter_complex")
    assert "setpts=PTS*24/25" in graph and "atempo=1.041667" in graph
    assert "asetrate" not in graph  # atempo keeps the pitch; asetrate would not
    # NTSC: the same film gets frames repeated, never sped up
    ntsc = conform(info.video, NTSC)
    assert (ntsc.rate, ntsc.speed) == (Fraction(30000, 1001), Fraction(1))
    assert legacy_format(info, PAL, EncodeOptions()).duration == pytest.approx(
        info.duration * 24 / 25
    )


def test_other_rates_are_not_sped_up(make_media: MakeSource) -> None:
    for fps in ("25", "50", "30000/1001"):
        info = probe(make_media(f"r{fps.replace('/', '_')}.mkv", duration=0.5, fps=fps))
        assert info.video is not None
        assert conform(info.video, PAL) == conform(info.video, PAL).__class__(Fraction(25))


@pytest.mark.slow
def test_dvd_pal_encode_is_dvd_mpeg_ps(stand_in: Path, tmp_path: Path) -> None:
    result = encode(stand_in, PAL, tmp_path / "film.mpg", EncodeOptions(duration=3.0))
    info = result.info
    assert "mpeg" in info.container.split(",")
    v = info.video
    assert v is not None and (v.codec, v.width, v.height) == ("mpeg2video", 720, 576)
    assert v.frame_rate == Fraction(25) and v.dar == Fraction(16, 9)
    a = info.audio[0]
    assert (a.codec, a.sample_rate, a.channels) == ("ac3", 48000, 2)
    assert decode_errors(result.out) == ""


@pytest.mark.slow
def test_dvd_ntsc_encode_of_a_25_fps_film_is_constant_rate(
    stand_in: Path, tmp_path: Path, system_ffmpeg: FFmpeg
) -> None:
    # the MPEG-PS gives some frames no PTS; their DTS (a B-frame away) stood in for them and
    # read as holes, so the NTSC encode of a 25 fps film was refused as variable-rate
    result = encode(stand_in, NTSC, tmp_path / "film.mpg", EncodeOptions(duration=8.0))
    for route, ffmpeg in (("pyav", None), ("ffprobe", system_ffmpeg)):
        info = probe(result.out, route=route, ffmpeg=ffmpeg)  # type: ignore[arg-type]
        assert info.video is not None and not info.video.vfr, route
        assert info.video.frame_rate == Fraction(30000, 1001)
    assert decode_errors(result.out) == ""


@pytest.mark.slow
def test_a_24_fps_film_on_pal_is_4_percent_shorter_in_sync(
    make_media: MakeSource, tmp_path: Path
) -> None:
    source = make_media("film24-long.mkv", duration=4.8, fps="24")
    result = encode(source, PAL, tmp_path / "film.mpg")
    assert result.info.duration == pytest.approx(4.8 * 24 / 25, abs=0.15)
    assert result.info.video is not None and result.info.video.frame_rate == 25


@pytest.mark.slow
def test_divx_encode_burns_italian_and_writes_the_cp1252_sidecar(
    stand_in: Path, tmp_path: Path
) -> None:
    out = tmp_path / "Film (it, divx).avi"
    it = SubtitleInput(SUBTITLES / "it.srt", "it")
    plain = encode(stand_in, DIVX, tmp_path / "plain.avi", EncodeOptions(duration=4.0))
    result = encode(stand_in, DIVX, out, EncodeOptions(burn=it, duration=4.0))
    info = result.info
    assert info.container == "avi"
    assert info.video is not None and info.video.codec == "mpeg4"
    assert avi_fourcc(out) == ("XVID", "XVID")
    assert (info.video.width, info.video.height) == (320, 180)  # never grown; multiples of 4
    assert info.audio[0].codec == "mp3" and info.audio[0].sample_rate == 48000
    # the sidecar is named exactly like the AVI, in Italian's Windows code page
    assert result.sidecars == (out.with_suffix(".srt"),)
    raw = out.with_suffix(".srt").read_bytes()
    assert "è".encode("cp1252") in raw and "è".encode() not in raw
    assert "Benvenuti" in raw.decode("cp1252")
    assert check_sidecar(out, "it", "cp1252") == []
    assert check_sidecar(out, "it", "utf-8")  # cp1252 bytes are not UTF-8
    out.with_suffix(".srt").write_text("è", encoding="utf-8")
    assert [m.found for m in check_sidecar(out, "it", "cp1252")] == ["utf-8"]
    # burned: text at the bottom at 3 s (an event from 2.0 s), not at the top
    a, b = frame(plain.out, 3.0), frame(out, 3.0)
    diff = np.abs(a - b)
    h = a.shape[0]
    assert (diff[int(h * 0.7) :] > 80).sum() > 100
    assert decode_errors(out) == ""


@pytest.mark.slow
def test_ffprobe_sees_the_xvid_tag(stand_in: Path, tmp_path: Path) -> None:
    ffprobe = shutil.which("ffprobe")
    if ffprobe is None:
        pytest.skip("no ffprobe on PATH to cross-check the AVI's codec tag")
    out = encode(stand_in, DIVX, tmp_path / "f.avi", EncodeOptions(duration=1.0)).out
    done = subprocess.run(
        [ffprobe, "-v", "error", "-show_streams", "-of", "json", str(out)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    streams = json.loads(done.stdout)["streams"]
    video = next(s for s in streams if s["codec_type"] == "video")
    assert (video["codec_name"], video["codec_tag_string"]) == ("mpeg4", "XVID")
    assert video["profile"] == "Advanced Simple Profile"
    assert next(s for s in streams if s["codec_type"] == "audio")["codec_name"] == "mp3"


def test_a_burned_dvd_lays_the_text_out_on_the_square_pixel_canvas(
    tiny_film: Path, tmp_path: Path
) -> None:
    """The preset may burn too (players that ignore subpictures): before the squeeze."""
    from dataclasses import replace

    burned = replace(PAL, subtitles=replace(PAL.subtitles, burn=True))
    info = probe(tiny_film)
    uk = EncodeOptions(burn=SubtitleInput(SUBTITLES / "uk.srt", "uk"))
    plan = plan_encode(info, burned, tmp_path / "f.mpg", uk, workdir=tmp_path)
    graph = _opt(list(plan.commands[0]), "-filter_complex")
    assert graph.index("subtitles=") < graph.index("scale=720:576")
    assert plan.burn_format is not None
    assert (plan.burn_format.width, plan.burn_format.height) == (1024, 576)
    assert (plan.format.width, plan.format.height, plan.format.sar) == (720, 576, Fraction(64, 45))


def test_a_4_3_letterboxed_dvd_pads_the_wide_film(tiny_film: Path, tmp_path: Path) -> None:
    from dataclasses import replace

    boxed = replace(PAL, video=replace(PAL.video, aspect="4:3-letterbox"))
    info = probe(tiny_film)
    plan = plan_encode(info, boxed, tmp_path / "f.mpg", EncodeOptions(), workdir=tmp_path)
    argv = list(plan.commands[0])
    graph = _opt(argv, "-filter_complex")
    assert "scale=768:432" in graph and "pad=768:576" in graph  # 16:9 film in a 4:3 frame
    assert "setdar=4/3" in graph and _opt(argv, "-aspect:v") == "4:3"
    assert plan.format.sar == Fraction(16, 15)


def test_divx_sizes_are_multiples_of_4_and_dvd_fills_its_frame() -> None:
    from screenkit.encode.legacy import fill_size
    from screenkit.encode.options import OutputFormat
    from screenkit.media.info import MediaInfo, VideoStream

    def film(width: int, height: int) -> MediaInfo:
        video = VideoStream(0, "h264", "High", 41, width, height, Fraction(1), Fraction(25),
                            Fraction(25), False, "yuv420p", 0, "progressive")  # fmt: skip
        return MediaInfo(Path("f.mkv"), "matroska", 60.0, 1, None, video)

    fmt: OutputFormat = legacy_format(film(1280, 720), DIVX, EncodeOptions())
    assert (fmt.width, fmt.height, fmt.sar) == (720, 404, 1)
    fmt = legacy_format(film(1080, 1920), DIVX, EncodeOptions())
    assert (fmt.width % 4, fmt.height % 4, fmt.height) == (0, 0, 576)
    assert fill_size((1280, 720), (1024, 576)) == (1024, 576)
    assert fill_size((320, 180), (1024, 576)) == (1024, 576)  # grows: a DVD frame is fixed
    assert fill_size((1280, 720), (720, 404)) == (720, 404)  # 718 is within 1 %: filled
    assert fill_size((1080, 1920), (1024, 576)) == (324, 576)  # pillarboxed
