"""What differs between the preset families in the encode layer, in one table.

A preset knows its family (`screenkit.presets.Family`: a video file, a DivX AVI, a DVD);
here each family names its encode builder (`builder.plan_file_encode`, or
`legacy.plan_legacy_encode` for MPEG-2 and MPEG-4 Part 2), its compliance check
(`compliance.check_file_compliance`, `legacy_check.check_legacy_compliance`), whether its
film may be encoded in chunks, and the bytes a second of its film takes: the rate to expect
and the most it can be (what a space check counts). `plan_encode` and `check_compliance`
hand over to the family's own; the builders and checks import no family but their own, so
no import circle hides in a function any more.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from screenkit.encode.builder import (
    MUX_OVERHEAD,
    EncodePlan,
    audio_bitrate_bps,
    bitrate_budget,
    plan_file_encode,
)
from screenkit.encode.compliance import Mismatch, check_file_compliance
from screenkit.encode.geometry import output_format
from screenkit.encode.legacy import legacy_format, plan_legacy_encode
from screenkit.encode.legacy_check import check_legacy_compliance
from screenkit.encode.loudness import Loudness
from screenkit.encode.options import EncodeOptions, OutputFormat
from screenkit.errors import ScreenkitError
from screenkit.media.info import MediaInfo
from screenkit.presets.legacy import PS_OVERHEAD
from screenkit.presets.model import Family, VenuePreset

NO_PEAK_FACTOR = 8.0
"""A preset without a peak rate has no bound: its CRF model's rate times this (x264 at
``ultrafast`` writes ~7x the model's rate on a synthetic test picture, measured)."""


Check = Callable[[MediaInfo, VenuePreset, OutputFormat | None], list[Mismatch]]


@dataclass(frozen=True)
class EncodeFamily:
    plan: Callable[..., EncodePlan]
    """The builder: the family's commands for one encode (pure)."""
    check: Check
    """Every way an output fails a preset of the family."""
    chunked: bool
    """Whether a long film may be encoded in chunks (x264 only: see `chunks.chunkable`)."""
    container_overhead: float
    """Headers, index and packs over the streams' own bytes."""
    format: Callable[[MediaInfo, VenuePreset, EncodeOptions], OutputFormat]
    """The picture and sound the family's encode makes of a master (pure)."""


def _plan_legacy(
    info: MediaInfo,
    preset: VenuePreset,
    out: Path,
    options: EncodeOptions,
    *,
    loudness: Loudness | None,
    workdir: Path,
    ffmpeg_version: tuple[int, int] = (6, 0),
) -> EncodePlan:
    return plan_legacy_encode(info, preset, out, options, loudness=loudness, workdir=workdir)


FAMILIES: dict[Family, EncodeFamily] = {
    "file": EncodeFamily(
        plan_file_encode, check_file_compliance, True, 3 * MUX_OVERHEAD, output_format
    ),
    "divx": EncodeFamily(
        _plan_legacy, check_legacy_compliance, False, 3 * MUX_OVERHEAD, legacy_format
    ),
    "dvd": EncodeFamily(_plan_legacy, check_legacy_compliance, False, PS_OVERHEAD, legacy_format),
}


def encoded_format(
    info: MediaInfo, preset: VenuePreset, options: EncodeOptions | None = None
) -> OutputFormat:
    """What an encode of ``info`` for ``preset`` makes, whatever the preset's family. Pure."""
    return FAMILIES[preset.family].format(info, preset, options or EncodeOptions())


def plan_encode(
    info: MediaInfo,
    preset: VenuePreset,
    out: Path,
    options: EncodeOptions | None = None,
    *,
    loudness: Loudness | None = None,
    workdir: Path,
    ffmpeg_version: tuple[int, int] = (6, 0),
) -> EncodePlan:
    """The commands that encode ``info`` to ``out`` under ``preset``. Pure.

    ``workdir`` is the private folder where the caller stages the burned track, fonts,
    soft tracks and the two-pass log (see `screenkit.encode.subs`); ``loudness`` is the
    source's measurement (None: no normalisation).
    """
    return FAMILIES[preset.family].plan(
        info,
        preset,
        out,
        options or EncodeOptions(),
        loudness=loudness,
        workdir=workdir,
        ffmpeg_version=ffmpeg_version,
    )


def check_compliance(
    info: MediaInfo, preset: VenuePreset, expected: OutputFormat | None = None
) -> list[Mismatch]:
    """Every way ``info`` fails ``preset`` (and the planned ``expected`` format); [] = fine."""
    return FAMILIES[preset.family].check(info, preset, expected)


def chunked_family(preset: VenuePreset) -> bool:
    return FAMILIES[preset.family].chunked


def _copied(master: MediaInfo, audio: float) -> float:
    return master.size_bytes / master.duration + audio


def expected_bytes_per_second(master: MediaInfo, preset: VenuePreset, burn: bool) -> float:
    """About how many bytes a second of the finished film takes under ``preset``."""
    fmt = output_format(master, preset, EncodeOptions())
    audio = audio_bitrate_bps(preset, fmt) / 8
    if fmt.copy_video and not burn and master.duration > 0:
        return _copied(master, audio)
    family = FAMILIES[preset.family]
    try:
        budget = bitrate_budget(preset, fmt)
    except ScreenkitError:
        budget = None  # the encode itself will say the film cannot fit
    if budget is not None:
        return budget * 1000 / 8 + audio
    spec = preset.video
    if not family.chunked and spec.bitrate_kbps:  # an old player's fixed average
        return (spec.bitrate_kbps * 1000 / 8 + audio) * (1 + family.container_overhead)
    video = _crf_model(fmt, spec.crf)
    if spec.max_bitrate_kbps is not None:
        video = min(video, spec.max_bitrate_kbps * 1000 / 8)
    return video + audio


def peak_bytes_per_second(master: MediaInfo, preset: VenuePreset, burn: bool) -> float:
    """Bytes a second of the finished film cannot exceed under ``preset``: what a space
    check counts. The preset's peak (x264's VBV, MPEG-2's and MPEG-4's ``maxrate``), the
    two-pass budget where a size limit sets a lower one, the source's own rate where the
    video is copied; without a peak there is no bound, only the CRF model, generously
    scaled (`NO_PEAK_FACTOR`)."""
    fmt = output_format(master, preset, EncodeOptions())
    audio = audio_bitrate_bps(preset, fmt) / 8
    if fmt.copy_video and not burn and master.duration > 0:
        return _copied(master, audio)
    try:
        budget = bitrate_budget(preset, fmt)
    except ScreenkitError:
        budget = None
    kbps = budget if budget is not None else preset.video.max_bitrate_kbps
    if kbps is not None:
        video = kbps * 1000 / 8
    else:
        video = _crf_model(fmt, preset.video.crf) * NO_PEAK_FACTOR
    return (video + audio) * (1 + FAMILIES[preset.family].container_overhead)


def _crf_model(fmt: OutputFormat, crf: int) -> float:
    """x264's typical video bytes a second at ``crf``: ~0.1 bit a pixel at CRF 20, x2 per -6."""
    bpp = 0.1 * 2 ** ((20 - crf) / 6)
    return fmt.width * fmt.height * float(fmt.frame_rate) * bpp / 8
