"""The pure builders: decisions and argv, without running ffmpeg."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import pytest

from screenkit.encode import (
    EncodeOptions,
    Loudness,
    SizeLimitError,
    SubtitleInput,
    bitrate_budget,
    check_compliance,
    choose_rate,
    copy_blockers,
    fit_size,
    output_format,
    plan_encode,
    video_codec_args,
)
from screenkit.encode.chunks import Chunk, chunk_args, chunk_peak, chunkable
from screenkit.media.info import AudioStream, MediaInfo, VideoStream
from screenkit.presets import load_preset

WORK = Path("/tmp/screenkit-encode-test")
ODD = Path("/films/My film: 'final' [v2] фильм.mov")


def video(**kw: object) -> VideoStream:
    base = VideoStream(
        index=0, codec="h264", profile="High", level=40, width=1920, height=1080,
        sar=Fraction(1), frame_rate=Fraction(25), avg_frame_rate=Fraction(25), vfr=False,
        pix_fmt="yuv420p", rotation=0, field_order="progressive", bit_rate=4_000_000,
    )  # fmt: skip
    return replace(base, **kw)  # type: ignore[arg-type]


def stereo(index: int = 1, channels: int = 2) -> AudioStream:
    layout = {2: "stereo", 6: "5.1(side)"}[channels]
    return AudioStream(index, "aac", "LC", channels, layout, 48000, None, 192_000)


def media(v: VideoStream | None = None, audio: tuple[AudioStream, ...] | None = None) -> MediaInfo:
    return MediaInfo(
        path=ODD,
        container="mov,mp4,m4a,3gp,3g2,mj2",
        duration=60.0,
        size_bytes=40_000_000,
        bit_rate=4_200_000,
        video=v or video(),
        audio=(stereo(),) if audio is None else audio,
    )


def plan(info: MediaInfo, preset: str = "usb-player", **opts: object):  # type: ignore[no-untyped-def]
    return plan_encode(
        info,
        load_preset(preset),
        Path("/out/film.mp4" if preset != "laptop" else "/out/film.mkv"),
        EncodeOptions(**opts),  # type: ignore[arg-type]
        workdir=WORK,
        loudness=Loudness(-30.5, -9.2, 8.1, -41.0),
    )


def filter_graph(args: tuple[str, ...]) -> str:
    return args[args.index("-filter_complex") + 1] if "-filter_complex" in args else ""


@pytest.mark.parametrize(
    ("size", "box", "want"),
    [
        ((1439, 1081), (1920, 1080), (1438, 1080)),
        ((1920, 1080), (1920, 1080), (1920, 1080)),
        ((1080, 1920), (1920, 1080), (608, 1080)),
        ((3840, 2160), (1280, 720), (1280, 720)),
        ((320, 180), (1920, 1080), (320, 180)),
        ((321, 181), (1920, 1080), (320, 180)),
        ((1024, 576), (1280, 720), (1024, 576)),
    ],
)
def test_fit_size_keeps_shape_even_and_never_grows(
    size: tuple[int, int], box: tuple[int, int], want: tuple[int, int]
) -> None:
    got = fit_size(*size, *box)
    assert got == want
    assert got[0] % 2 == 0 and got[1] % 2 == 0
    assert got[0] <= box[0] and got[1] <= box[1]


def test_display_size_applies_sar_and_rotation() -> None:
    anamorphic = output_format(
        media(video(width=720, height=576, sar=Fraction(64, 45))), load_preset("usb-player")
    )
    # shown 1024x576, below usb-player's 1280x720 minimum: enlarged into it, shape kept
    assert (anamorphic.width, anamorphic.height) == (1280, 720)
    kept = output_format(
        media(video(width=720, height=576, sar=Fraction(64, 45))), load_preset("archive")
    )
    assert (kept.width, kept.height) == (1024, 576)
    portrait = output_format(media(video(rotation=90)), load_preset("usb-player"))
    assert (portrait.width, portrait.height) == (608, 1080)


@pytest.mark.parametrize(
    ("rate", "vfr", "avg", "want"),
    [
        (Fraction(25), False, None, Fraction(25)),
        (Fraction(50), False, None, Fraction(25)),
        (Fraction(60000, 1001), False, None, Fraction(30000, 1001)),
        (Fraction(120), False, None, Fraction(30)),
        (Fraction(30), True, Fraction(21), Fraction(30)),
        (Fraction(90000), True, Fraction(2997, 100), Fraction(30000, 1001)),
        (Fraction(15), False, None, Fraction(15)),
    ],
)
def test_choose_rate(rate: Fraction, vfr: bool, avg: Fraction | None, want: Fraction) -> None:
    v = video(frame_rate=rate, vfr=vfr, avg_frame_rate=avg or rate)
    assert choose_rate(v, Fraction(30)) == want


def test_no_user_path_in_the_filter_graph() -> None:
    burn = SubtitleInput(Path("/subs/it's: [bad],name;.srt"), "it")
    p = plan(media(), burn=burn)
    (args,) = p.commands
    graph = filter_graph(args)
    assert "subtitles=filename=/tmp/screenkit-encode-test/burn.ass" in graph
    assert "fontsdir=/tmp/screenkit-encode-test/fonts" in graph
    assert "bad" not in graph and "films" not in graph
    # the source appears once, as a literal file: input behind the protocol whitelist
    assert args[:4] == ("-protocol_whitelist", "file,pipe", "-i", f"file:{ODD}")
    assert args[-1] == "file:/out/film.mp4"


def test_force_style_names_the_font_and_the_safe_area() -> None:
    p = plan(media(), burn=SubtitleInput(Path("en.srt"), "en"))
    graph = filter_graph(p.commands[0])
    # ffmpeg-python escapes '=' and ',' for the two levels of filter-graph parsing
    assert r"force_style=FontName\\=Noto Sans\,MarginL\\=96\,MarginR\\=96\,MarginV\\=54" in graph


def test_video_chain_order_and_codec_options() -> None:
    p = plan(media(video(field_order="tt", width=1440, height=1080, sar=Fraction(4, 3))))
    args = p.commands[0]
    graph = filter_graph(args)
    assert graph.index("bwdif=") < graph.index("fps=fps=25/1") < graph.index("scale=1920:1080")
    assert "setsar=1" in graph and "format=pix_fmts=yuv420p" in graph
    words = " ".join(args)
    for option in ("-c:v libx264", "-profile:v high", "-level:v 4.1", "-crf 20",
                   "-maxrate:v 10000k", "-bufsize:v 20000k", "-pix_fmt yuv420p",
                   "-movflags +faststart", "-fps_mode:v cfr", "-map_metadata -1"):  # fmt: skip
        assert option in words
    assert "video re-encoded" in p.notes[0] and "interlaced" in p.notes[0]


def test_old_ffmpeg_gets_vsync() -> None:
    info = media(video(vfr=True))
    args = plan_encode(
        info, load_preset("web"), Path("/o.mp4"), workdir=WORK, ffmpeg_version=(4, 4)
    ).commands[0]
    assert "-vsync" in args and "-fps_mode:v" not in args


def test_loudness_as_a_plain_gain_when_the_peak_allows() -> None:
    p = plan(media(audio=(stereo(channels=6),)))  # -30.5 LUFS, peak -9.2: +7.5 dB fits
    graph = filter_graph(p.commands[0])
    assert "aformat=channel_layouts=stereo" in graph
    assert "volume=volume=7.50dB" in graph and "loudnorm" not in graph
    assert graph.index("aformat") < graph.index("volume") < graph.index("aresample=48000")
    words = " ".join(p.commands[0])
    assert "-c:a aac" in words and "-ac 2" in words and "-b:a 192k" in words


def test_loudnorm_second_pass_when_the_peak_would_clip() -> None:
    loud_peaks = Loudness(-30.5, -3.0, 8.1, -41.0)  # +7.5 dB would put the peak at +4.5 dBTP
    p = plan_encode(media(), load_preset("usb-player"), Path("/o.mp4"), workdir=WORK,
                    loudness=loud_peaks)  # fmt: skip
    graph = filter_graph(p.commands[0])
    assert "loudnorm=I=-23:LRA=20:TP=-1:linear=true:measured_I=-30.50" in graph
    assert "measured_LRA=8.10:measured_TP=-3.00:measured_thresh=-41.00" in graph
    assert graph.index("loudnorm") < graph.index("aresample=48000")


def test_silent_source_needs_no_loudnorm() -> None:
    info = media()
    p = plan_encode(info, load_preset("web"), Path("/o.mp4"), workdir=WORK,
                    loudness=Loudness(float("-inf"), float("-inf"), 0.0, -70.0))  # fmt: skip
    assert "loudnorm" not in filter_graph(p.commands[0])


def test_no_audio_gets_a_silent_track() -> None:
    p = plan(media(audio=()))
    args = p.commands[0]
    assert "anullsrc=r=48000:cl=stereo" in args
    assert args[args.index("anullsrc=r=48000:cl=stereo") - 1] == "-i"
    assert "-t" in args and "60.000" in args
    assert any("silent track" in n for n in p.notes)


def test_compliant_source_is_copied() -> None:
    info = media()
    preset = load_preset("usb-player")
    assert copy_blockers(info, preset, EncodeOptions()) == []
    p = plan(info)
    args = p.commands[0]
    assert p.copy_video and "-c:v" in args and args[args.index("-c:v") + 1] == "copy"
    assert "-map" in args and "0:0" in args
    assert "scale" not in filter_graph(args)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"profile": "High 4:2:2"}, "profile"),
        ({"level": 51}, "level"),
        ({"width": 3840, "height": 2160}, "larger"),
        ({"vfr": True}, "variable"),
        ({"rotation": 90}, "rotation"),
        ({"field_order": "bb"}, "interlaced"),
        ({"frame_rate": Fraction(50)}, "above"),
        ({"bit_rate": 9_500_000}, "bitrate"),
        ({"pix_fmt": "yuv420p10le"}, "pixel format"),
        ({"codec": "hevc"}, "codec"),
        ({"sar": Fraction(4, 3)}, "SAR"),
    ],
)
def test_what_blocks_a_copy(change: dict[str, object], reason: str) -> None:
    blockers = copy_blockers(media(video(**change)), load_preset("usb-player"), EncodeOptions())
    assert any(reason in b for b in blockers), blockers


def test_burn_in_or_a_cut_blocks_a_copy() -> None:
    preset = load_preset("usb-player")
    burn = EncodeOptions(burn=SubtitleInput(Path("en.srt"), "en"))
    assert copy_blockers(media(), preset, burn) == ["subtitles are burned in"]
    assert copy_blockers(media(), preset, EncodeOptions(start=10.0, duration=60.0))
    assert copy_blockers(media(), preset, EncodeOptions(allow_copy=False))


def test_soft_tracks_languages_and_default() -> None:
    soft = (SubtitleInput(Path("a.srt"), "uk"), SubtitleInput(Path("b.ass"), "pt-BR"))
    p = plan(media(), "laptop", soft=soft, screening_lang="pt-BR")
    args = list(p.commands[0])
    assert "file:/tmp/screenkit-encode-test/soft0.srt" in args
    assert "file:/tmp/screenkit-encode-test/soft1.ass" in args
    text = " ".join(args)
    assert "-c:s:0 srt -metadata:s:s:0 language=ukr -metadata:s:s:0 title=Ukrainian" in text
    assert "-c:s:1 ass -metadata:s:s:1 language=por" in text
    assert "-metadata:s:s:1 title=Portuguese (pt-BR)" in text
    assert "-disposition:s:0 0" in text and "-disposition:s:1 default" in text
    assert args[-1] == "file:/out/film.mkv"


def test_mp4_soft_tracks_are_mov_text(tmp_path: Path) -> None:
    preset = replace(load_preset("usb-player"), subtitles=replace(load_preset("laptop").subtitles))
    p = plan_encode(media(), preset, Path("/o.mp4"), EncodeOptions(
        soft=(SubtitleInput(Path("x.srt"), "de"),)), workdir=WORK)  # fmt: skip
    text = " ".join(p.commands[0])
    assert "-c:s:0 mov_text" in text and "language=ger" in text


def test_size_limit_two_pass_budget() -> None:
    preset = load_preset("usb-player")
    long_film = media(video(bit_rate=30_000_000))
    long_film = replace(long_film, duration=80 * 60.0)
    budget = bitrate_budget(preset, output_format(long_film, preset))
    assert budget is not None and 6000 < budget < 7100  # 4 GiB over 80 minutes, less audio
    p = plan(long_film)
    assert p.two_pass and len(p.commands) == 2 and p.steps == ("encode (pass 1)", "encode (pass 2)")
    first, second = (" ".join(c) for c in p.commands)
    assert f"-b:v {budget}k" in first and "-pass 1" in first and "-f null -" in first
    assert "-an" in p.commands[0] and f"-b:v {budget}k" in second and "-pass 2" in second
    assert "-passlogfile /tmp/screenkit-encode-test/x264-pass" in second
    short = media(video(bit_rate=30_000_000))
    assert bitrate_budget(preset, output_format(short, preset)) is None  # the peak rate suffices


def test_a_size_limited_film_in_chunks_keeps_the_limit_by_its_peak(tmp_path: Path) -> None:
    """A two-pass average needs the whole film: 70 minutes for a USB player (4 GiB) were
    never chunked. Chunks keep the limit by a lower peak instead, worst case included."""
    preset = load_preset("usb-player")
    film = replace(media(video(bit_rate=30_000_000)), duration=70 * 60.0)
    fmt = output_format(film, preset)
    assert bitrate_budget(preset, fmt) is not None and chunkable(film, preset, EncodeOptions())
    chunks = 120
    peak = chunk_peak(preset, fmt, chunks)
    assert peak is not None and 7000 < peak < 8000
    # every chunk spends its rate and the half-full buffer it counts on: still below the limit
    worst = peak * 1000 / 8 * (fmt.duration + chunks * 1.0 + 1.8) + 192_000 / 8 * fmt.duration
    assert preset.file_size_limit is not None and worst < preset.file_size_limit * 0.99
    args = chunk_args(film, preset, EncodeOptions(), Chunk(3, 900, 250), tmp_path, Path("/c.mp4"),
                      peak_kbps=peak)  # fmt: skip
    text = " ".join(args)
    assert f"-maxrate:v {peak}k" in text and f"-bufsize:v {2 * peak}k" in text
    assert "-x264-params vbv-init=0.500" in text and "-crf 20" in text and "-frames:v 250" in text
    assert chunk_peak(preset, output_format(media(), preset), 3) == 10_000  # the peak suffices


def test_size_limit_that_cannot_be_met() -> None:
    preset = replace(load_preset("usb-player"), file_size_limit=2_000_000)
    with pytest.raises(SizeLimitError) as caught:
        bitrate_budget(preset, output_format(media(video(bit_rate=30_000_000)), preset))
    assert caught.value.key == "file_size_limit" and caught.value.value == 2_000_000


def test_a_cut_seeks_the_input_from_a_little_before_its_start() -> None:
    """Read from `SEEK_LEAD` before the cut, put back on the cut's timeline: the frame rate
    filter's grid starts at the cut, the sound is trimmed to it (see
    ``test_chunks.py::test_every_chunk_is_fed_the_frames_the_whole_film_is_fed_from_its_first``)."""
    p = plan(media(), start=12.5, duration=30.0)
    args = p.commands[0]
    assert args[:6] == ("-protocol_whitelist", "file,pipe", "-ss", "12.000", "-t", "30.500")
    graph = args[args.index("-filter_complex") + 1]
    assert "setpts=PTS-0.500/TB" in graph and "start_time=0" in graph
    assert "asetpts=PTS-0.500/TB" in graph and "atrim=start=0" in graph
    assert p.format.duration == 30.0
    whole = plan(media()).commands[0]
    assert "-ss" not in whole and "setpts" not in whole[whole.index("-filter_complex") + 1]


def test_video_codec_args_for_a_matching_card() -> None:
    preset = load_preset("usb-player-legacy")
    fmt = output_format(media(), preset)
    args = video_codec_args(preset, fmt, EncodeOptions(x264_preset="ultrafast"))
    assert args[args.index("-profile:v") + 1] == "main"
    assert args[args.index("-level:v") + 1] == "4.0"
    assert args[args.index("-preset:v") + 1] == "ultrafast"
    assert (fmt.width, fmt.height) == (1280, 720)


def test_compliance_lists_each_mismatch(tmp_path: Path) -> None:
    bad = media(video(profile="High 4:4:4 Predictive", level=52, width=1921, rotation=90,
                      vfr=True, frame_rate=Fraction(60)),
                audio=(AudioStream(1, "mp3", None, 6, "5.1", 44100, None),))  # fmt: skip
    found = {m.what for m in check_compliance(bad, load_preset("usb-player-legacy"))}
    assert {
        "profile", "level", "picture size", "rotation", "frame rate", "audio codec",
        "audio channels", "sample rate", "faststart",
    } <= found  # fmt: skip
