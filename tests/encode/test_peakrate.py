"""The peak rate a player meets, checked with compliance: chunks joined must keep it too."""

from __future__ import annotations

import dataclasses
from fractions import Fraction
from pathlib import Path

import pytest

from screenkit.encode import EncodeOptions, check_compliance, encode
from screenkit.encode.chunks import (
    Chunk,
    chunk_bounds,
    encode_chunk,
    fit_buffer,
    join_chunks,
    targets,
)
from screenkit.encode.compliance import ComplianceError
from screenkit.encode.peakrate import buffer_model, peak_window
from screenkit.media.binaries import FFmpeg
from screenkit.media.probe import probe
from screenkit.presets import VenuePreset, load_preset
from screenkit.sample.sources import SourceSpec, make_source

PEAK = 300
"""kbit/s: far below what the grain of the test picture asks at CRF 20 (about 1.5 Mbit/s),
so x264's buffer model decides every frame's size, as on a heavy 1080p film."""
OPTIONS = EncodeOptions(x264_preset="ultrafast")


def test_the_buffer_model_and_the_one_second_window() -> None:
    steady = [(n / 25, 400) for n in range(100)]  # 10 kbit/s at 25 fps
    assert buffer_model(steady, 10_000, 20_000) == (0.0, None)
    assert peak_window(steady) == 25 * 400
    burst = [*steady[:50], (2.0, 30_000), *steady[51:]]  # one frame of 30 kbit at 2 s
    dry, at = buffer_model(burst, 10_000, 20_000)
    assert dry == pytest.approx(30_000 - 18_000) and at == 2.0  # the buffer starts 90 % full
    assert peak_window(burst) == 24 * 400 + 30_000


def _capped() -> VenuePreset:
    preset = load_preset("usb-player")
    video = dataclasses.replace(
        preset.video, min_width=None, min_height=None, max_bitrate_kbps=PEAK
    )
    return dataclasses.replace(preset, video=video)


@pytest.fixture(scope="module")
def grainy(tmp_path_factory: pytest.TempPathFactory, ffmpeg: FFmpeg) -> Path:
    out = tmp_path_factory.mktemp("peak") / "grain.mkv"
    picture = "testsrc2=size=320x180:rate=25,noise=alls=20:allf=t"
    return make_source(out, SourceSpec(duration=16.0, picture=picture), ffmpeg=ffmpeg)


def _chunks(film: Path, folder: Path, ffmpeg: FFmpeg) -> tuple[list[Path], tuple[Chunk, ...]]:
    info = probe(film, ffmpeg=ffmpeg)
    bounds = chunk_bounds(targets(info.duration, 2.0), Fraction(25))
    parts = []
    for chunk in bounds:
        part = folder / f"chunk{chunk.index}.mp4"
        encode_chunk(film, info, _capped(), OPTIONS, chunk, part, ffmpeg=ffmpeg)
        parts.append(part)
    return parts, bounds


def test_a_single_encode_under_a_low_peak_meets_it(
    grainy: Path, tmp_path: Path, ffmpeg: FFmpeg
) -> None:
    done = encode(grainy, _capped(), tmp_path / "single.mp4", OPTIONS)
    assert check_compliance(done.info, _capped()) == []


def test_chunks_that_spend_the_buffer_are_encoded_again_and_the_join_keeps_the_peak(
    grainy: Path, tmp_path: Path, ffmpeg: FFmpeg
) -> None:
    info = probe(grainy, ffmpeg=ffmpeg)
    parts, bounds = _chunks(grainy, tmp_path, ffmpeg)
    # as cached, every chunk counts on a half-full buffer the one before it has spent
    with pytest.raises(ComplianceError) as caught:
        join_chunks(parts, info, _capped(), OPTIONS, None, tmp_path / "as-is.mp4", ffmpeg=ffmpeg)
    (mismatch,) = caught.value.mismatches
    assert mismatch.what == "peak rate" and f"{PEAK * 2} kbit buffer" in mismatch.expected
    fitted, again = fit_buffer(parts, bounds, info, _capped(), OPTIONS, tmp_path, ffmpeg=ffmpeg)
    assert 1 <= len(again) < len(parts)  # the first chunk finds the buffer it counted on
    assert all("vbv-init=" in " ".join(argv) for argv in again)
    joined = join_chunks(
        fitted, info, _capped(), OPTIONS, None, tmp_path / "joined.mp4", ffmpeg=ffmpeg
    )
    assert check_compliance(joined.info, _capped()) == []
    # join_chunks does the same when it is given the chunks' bounds
    join_chunks(parts, info, _capped(), OPTIONS, None, tmp_path / "j2.mp4", ffmpeg=ffmpeg,
                pieces=bounds)  # fmt: skip
