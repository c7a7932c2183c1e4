"""Probing: the same MediaInfo through ffprobe and PyAV, and clear errors for what is no media."""

from __future__ import annotations

import json
import subprocess
from fractions import Fraction
from pathlib import Path

import pytest

from screenkit.errors import InputError, ProbeError
from screenkit.media.binaries import FFmpeg
from screenkit.media.info import MediaInfo
from screenkit.media.probe import is_vfr, probe, truncated
from support import MakeSource

ODD_SOURCES = {
    "plain": ("plain.mkv", {}),
    "rotated": ("phone.mp4", {"rotation": 90}),
    "vfr": ("vfr.mkv", {"vfr": True}),
    "interlaced": ("tv.mkv", {"interlaced": True}),
    "surround": ("surround.mkv", {"audio_channels": 6}),
    "silent": ("silent.mp4", {"audio_channels": None}),
    "anamorphic": ("anamorphic.mkv", {"width": 480, "height": 270, "sar": "4/3"}),
    "audio-only": ("audio.m4a", {"no_video": True}),
}


@pytest.fixture(scope="module", params=sorted(ODD_SOURCES))
def odd_source(request: pytest.FixtureRequest, make_media: MakeSource) -> tuple[str, Path]:
    name, spec = ODD_SOURCES[request.param]
    return request.param, make_media(name, **spec)


def _without_route(info: MediaInfo) -> MediaInfo:
    from dataclasses import replace

    return replace(info, probed_with="")


def test_both_routes_agree(odd_source: tuple[str, Path], system_ffmpeg: FFmpeg) -> None:
    _, path = odd_source
    via_ffprobe = probe(path, route="ffprobe", ffmpeg=system_ffmpeg)
    via_pyav = probe(path, route="pyav")
    assert via_ffprobe.probed_with == "ffprobe" and via_pyav.probed_with == "pyav"
    assert _without_route(via_ffprobe) == _without_route(via_pyav)


def test_quirks_are_seen(odd_source: tuple[str, Path]) -> None:
    kind, path = odd_source
    info = probe(path, route="pyav")
    video = info.video
    if kind == "audio-only":
        assert video is None and info.audio[0].channels == 2
        return
    assert video is not None
    assert video.rotation == (90 if kind == "rotated" else 0)
    assert video.vfr is (kind == "vfr")
    assert video.interlaced is (kind == "interlaced")
    assert video.sar == (Fraction(4, 3) if kind == "anamorphic" else 1)
    if kind == "rotated":
        assert video.display_size == (180, 320)
    if kind == "anamorphic":
        assert video.display_size == (640, 270)
    channels = [a.channels for a in info.audio]
    assert channels == {"surround": [6], "silent": []}.get(kind, [2])


def test_matches_ffprobe_itself(tiny_film: Path, system_ffmpeg: FFmpeg) -> None:
    """The acceptance check: width, height, frame rate and duration as ffprobe says them."""
    assert system_ffmpeg.ffprobe is not None
    raw = json.loads(
        subprocess.run(
            [str(system_ffmpeg.ffprobe), "-v", "error", "-print_format", "json",
             "-show_format", "-show_streams", str(tiny_film)],
            capture_output=True, check=True,
        ).stdout
    )  # fmt: skip
    stream = next(s for s in raw["streams"] if s["codec_type"] == "video")
    info = probe(tiny_film, route="pyav")
    assert info.video is not None
    assert (info.video.width, info.video.height) == (stream["width"], stream["height"])
    assert info.video.frame_rate == Fraction(stream["r_frame_rate"])
    one_frame = 1 / float(info.video.frame_rate)
    assert abs(info.duration - float(raw["format"]["duration"])) <= one_frame


def test_bundled_and_system_ffmpeg_make_files_probed_alike(
    tmp_path: Path, ffmpeg: FFmpeg, system_ffmpeg: FFmpeg
) -> None:
    from screenkit.sample.sources import SourceSpec, make_source

    for which in (ffmpeg, system_ffmpeg):
        out = make_source(tmp_path / f"{which.source}.mp4", SourceSpec(rotation=270), ffmpeg=which)
        info = probe(out, route="pyav")
        assert info.video is not None and info.video.rotation == 270


@pytest.mark.parametrize("route", ["ffprobe", "pyav"])
def test_bad_inputs_name_the_file(
    route: str, tmp_path: Path, tiny_film: Path, system_ffmpeg: FFmpeg
) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("this is not a film\n" * 50)
    empty = tmp_path / "empty.mkv"
    empty.write_bytes(b"")
    cut = tmp_path / "cut short.mkv"
    cut.write_bytes(tiny_film.read_bytes()[: tiny_film.stat().st_size // 4])
    cases: list[tuple[Path, type[Exception]]] = [
        (tmp_path / "missing.mkv", InputError),
        (tmp_path, InputError),
        (text, ProbeError),
        (empty, ProbeError),
        (cut, ProbeError),
    ]
    for path, kind in cases:
        with pytest.raises(kind) as info:
            probe(path, route=route, ffmpeg=system_ffmpeg)  # type: ignore[arg-type]
        assert info.value.path == path
        assert str(path) in info.value.message


def test_playlists_are_refused(tmp_path: Path, tiny_film: Path) -> None:
    other = tmp_path / "elsewhere"
    other.mkdir()
    segment = other / "private.ts"
    from screenkit.media.runner import output_arg, run_ffmpeg, safe_input

    run_ffmpeg([*safe_input(tiny_film), "-c", "copy", "-f", "mpegts", output_arg(segment)])
    playlist = tmp_path / "film.m3u8"
    playlist.write_text(
        f"#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:3,\n{segment}\n#EXT-X-ENDLIST\n"
    )
    with pytest.raises(ProbeError) as info:
        probe(playlist, route="pyav")
    assert "playlist" in info.value.message


def test_vfr_rule() -> None:
    assert not is_vfr([n * 0.04 for n in range(100)])
    assert is_vfr([t for n in range(50) for t in (n * 0.1, n * 0.1 + 0.033)])
    assert not is_vfr([0.0, 0.04])
    # one dropped frame at a cut is not variable frame rate
    times = [n * 0.04 for n in range(100) if n != 50]
    assert not is_vfr(times)


def test_truncation_rule() -> None:
    assert truncated(60.0, None)
    assert truncated(60.0, 30.0)
    assert not truncated(60.0, 59.5)
    assert truncated(4.0, 1.0)
    assert not truncated(0.0, None)


def test_a_packet_scan_ffprobe_cannot_finish_is_an_error(
    make_media: MakeSource, system_ffmpeg: FFmpeg, tmp_path: Path
) -> None:
    """The scan of every packet (frame timing) checks ffprobe's exit status: a master it
    cannot read (here an MP4 cut before its index, as a copy that stopped leaves it) is an
    error naming the file, never a short list of frame times taken for the film's."""
    from screenkit.media.atomic import atomic_output
    from screenkit.media.probe_ffprobe import video_times
    from screenkit.media.runner import output_arg, run_ffmpeg
    from screenkit.sample.sources import truncate_copy

    whole = tmp_path / "whole.mp4"  # the index (moov) at the end, as a camera writes it
    with atomic_output(whole) as part:
        source = make_media("plain.mkv")
        run_ffmpeg(["-i", output_arg(source), "-c", "copy", output_arg(part)])
    assert system_ffmpeg.ffprobe is not None
    assert len(video_times(system_ffmpeg.ffprobe, whole, 0)) > 10
    cut = tmp_path / "cut.mp4"
    truncate_copy(whole, cut, keep=0.5)
    with pytest.raises(ProbeError) as caught:
        video_times(system_ffmpeg.ffprobe, cut, 0)
    assert caught.value.path == cut
    assert "cut.mp4" in caught.value.message
