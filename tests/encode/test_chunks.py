"""A chunked film encode equals a single one: frames, duration, sync, compliance, quality."""

from __future__ import annotations

import dataclasses
from fractions import Fraction
from pathlib import Path

import av
import pytest
from encode_helpers import SUBTITLES

from screenkit.encode import EncodeOptions, EncodeResult, SubtitleInput, check_compliance, encode
from screenkit.encode.chunks import (
    Chunk,
    chunk_bounds,
    chunk_seconds,
    chunkable,
    encode_chunk,
    join_chunks,
    targets,
)
from screenkit.media.binaries import FFmpeg
from screenkit.media.probe import probe
from screenkit.presets import VenuePreset, load_preset
from screenkit.sample.sources import SourceSpec, make_source

RATE = Fraction(25)
MOVING = "testsrc2=size=320x180:rate=25,noise=alls=12:allf=t"
OPTIONS = EncodeOptions(burn=SubtitleInput(SUBTITLES / "en.srt", "en"), x264_preset="ultrafast")


def _usb_player() -> VenuePreset:
    """usb-player keeping the 320x180 picture at its size (the enlargement of a small master
    has its own tests): a noisy 720p picture would fill the 1-s VBV window of the single
    encode as much as of the chunks, and take ten times as long."""
    preset = load_preset("usb-player")
    video = dataclasses.replace(preset.video, min_width=None, min_height=None)
    return dataclasses.replace(preset, video=video)


def test_chunk_lengths_and_the_frame_grid() -> None:
    assert chunk_seconds("off", 4000) is None
    assert chunk_seconds("auto", 170) is None and chunk_seconds("auto", 4200) == 60.0
    assert chunk_seconds("10", 40) == 10.0 and chunk_seconds("30", 40) is None
    assert targets(40.0, 10.0) == [10.0, 20.0, 30.0]
    assert chunk_bounds([10.0, 20.04, 29.99], RATE) == (
        Chunk(0, 0, 250),
        Chunk(1, 250, 251),
        Chunk(2, 501, 249),
        Chunk(3, 750, None),
    )


@pytest.fixture(scope="module")
def film(tmp_path_factory: pytest.TempPathFactory, ffmpeg: FFmpeg) -> Path:
    """40 s of a moving, noisy picture (the encoder has work to do) with sound."""
    out = tmp_path_factory.mktemp("chunks") / "film.mkv"
    return make_source(out, SourceSpec(duration=40.0, picture=MOVING), ffmpeg=ffmpeg)


@pytest.fixture(scope="module")
def encodes(
    film: Path, tmp_path_factory: pytest.TempPathFactory, ffmpeg: FFmpeg
) -> tuple[EncodeResult, EncodeResult, tuple[Chunk, ...]]:
    folder = tmp_path_factory.mktemp("chunked")
    preset = _usb_player()
    single = encode(film, preset, folder / "single.mp4", OPTIONS, quality=True)
    info = probe(film, ffmpeg=ffmpeg)
    bounds = chunk_bounds(targets(info.duration, 10.0), RATE)
    parts = []
    for chunk in bounds:
        part = folder / f"chunk{chunk.index}.mp4"
        encode_chunk(film, info, preset, OPTIONS, chunk, part, ffmpeg=ffmpeg)
        parts.append(part)
    joined = join_chunks(parts, info, preset, OPTIONS, None, folder / "joined.mp4", ffmpeg=ffmpeg)
    return single, joined, bounds


def _video_pts(path: Path) -> list[float]:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        base = stream.time_base
        assert base is not None
        pts = [float(p.pts * base) for p in container.demux(stream) if p.pts is not None]
    return sorted(pts)


def _audio_start(path: Path) -> float:
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        assert stream.time_base is not None
        return float((stream.start_time or 0) * stream.time_base)


def _peak_kbps(path: Path) -> float:
    """The most bits of video in any 1-s window (by decode time), in kbit/s."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        base = stream.time_base
        assert base is not None
        packets = [
            (float(p.dts * base), p.size) for p in container.demux(stream) if p.dts is not None
        ]
    packets.sort()
    peak, total, left = 0, 0, 0
    for t, size in packets:
        total += size
        while packets[left][0] <= t - 1.0:
            total -= packets[left][1]
            left += 1
        peak = max(peak, total)
    return peak * 8 / 1000


def test_chunked_equals_single_in_frames_duration_and_compliance(
    encodes: tuple[EncodeResult, EncodeResult, tuple[Chunk, ...]],
) -> None:
    single, joined, bounds = encodes
    assert len(bounds) == 4
    assert len(_video_pts(joined.out)) == len(_video_pts(single.out))
    assert joined.info.duration == pytest.approx(single.info.duration, abs=1 / 25)
    assert check_compliance(joined.info, _usb_player()) == []


def test_sound_and_picture_within_a_frame_at_every_boundary(
    encodes: tuple[EncodeResult, EncodeResult, tuple[Chunk, ...]],
) -> None:
    _, joined, bounds = encodes
    pts = _video_pts(joined.out)
    origin = _audio_start(joined.out)
    for chunk in bounds:
        assert abs(pts[chunk.first] - origin - chunk.first / 25) < 1 / 25, chunk


def test_peak_rate_in_every_second_and_quality_match_the_single_encode(
    encodes: tuple[EncodeResult, EncodeResult, tuple[Chunk, ...]],
) -> None:
    single, joined, _ = encodes
    limit = load_preset("usb-player").video.max_bitrate_kbps
    assert limit is not None
    assert _peak_kbps(joined.out) <= limit
    assert single.quality is not None and joined.quality is not None
    assert joined.quality.frames == single.quality.frames
    assert abs(joined.quality.ssim - single.quality.ssim) <= 0.002
    assert dataclasses.replace(joined.quality, ssim=0, psnr=0) == dataclasses.replace(
        single.quality, ssim=0, psnr=0
    )


def test_old_player_encodes_are_never_chunked(film: Path, ffmpeg: FFmpeg) -> None:
    # a 70-minute DVD or DivX master was planned as H.264-style chunks joined by copy: the
    # chunk step writes MP4 parts, which no MPEG-PS or AVI join can take
    info = probe(film, ffmpeg=ffmpeg)
    assert chunkable(info, _usb_player(), OPTIONS)
    for name in ("dvd-pal", "dvd-ntsc", "divx"):
        assert not chunkable(info, load_preset(name), EncodeOptions()), name


def _fed_frames(film: Path, options: EncodeOptions, ffmpeg: FFmpeg, work: Path) -> dict[int, str]:
    """The MD5 of every frame the encoder is fed (the encode's own video chain), by its
    slot on the output's frame grid (its pts at 1/25 s)."""
    import ffmpeg as ffm

    from screenkit.encode import output_format
    from screenkit.encode.builder import reference_video
    from screenkit.media.runner import run_ffmpeg

    info = probe(film, ffmpeg=ffmpeg)
    preset = _usb_player()
    chain = reference_video(info, preset, options, output_format(info, preset, options), work)
    out = work / "frames.md5"
    run_ffmpeg(ffm.output(chain, str(out), format="framemd5").get_args(), ffmpeg=ffmpeg)
    rows = [line.split(",") for line in out.read_text(encoding="utf-8").splitlines()]
    return {int(row[2]): row[-1].strip() for row in rows if not row[0].startswith("#")}


@pytest.fixture(scope="module")
def late_picture(film: Path, ffmpeg: FFmpeg, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The film with its picture starting more than half a frame (63 ms) after its sound
    (the bench's master: 21 ms)."""
    from screenkit.media.runner import run_ffmpeg

    out = tmp_path_factory.mktemp("late") / "late.mkv"
    args = ["-i", str(film), "-itsoffset", "0.063", "-i", str(film)]
    run_ffmpeg([*args, "-map", "1:v", "-map", "0:a", "-c", "copy", str(out)], ffmpeg=ffmpeg)
    return out


def test_every_chunk_is_fed_the_frames_the_whole_film_is_fed_from_its_first(
    late_picture: Path, ffmpeg: FFmpeg, tmp_path: Path
) -> None:
    """A chunk cut by seeking to its start lost the master's frame that the whole film
    shows at that time (its picture starts more than half a frame late, and that frame
    lies before the cut) and repeated the next one: a stutter at every boundary, and a
    wrong frame the quality measure saw only where it fell on a sample."""
    film = late_picture
    with av.open(str(film)) as container:  # the case at hand
        starts = [
            float((s.start_time or 0) * (s.time_base or 0))
            for s in (container.streams.video[0], container.streams.audio[0])
        ]
    late = starts[0] - starts[1]
    assert (late * 25) % 1 > 0.5, late
    options = EncodeOptions(x264_preset="ultrafast")
    whole = _fed_frames(film, options, ffmpeg, tmp_path)
    for chunk in chunk_bounds([10.0, 20.04], RATE):
        cut = dataclasses.replace(
            options, start=chunk.start(RATE) or None, duration=chunk.length(RATE)
        )
        fed = _fed_frames(film, cut, ffmpeg, tmp_path)
        assert chunk.first == 0 or min(fed) == 0, chunk  # a cut's picture starts at its start
        slots = range(chunk.first, chunk.first + (chunk.frames or len(fed)))
        assert [fed.get(n - chunk.first) for n in slots] == [whole.get(n) for n in slots], chunk
