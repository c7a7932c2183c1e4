"""After every encode: does the file meet the preset? A mismatch is an error now, not a
surprise at the venue.

The check reads the output's probe (`MediaInfo`) against the preset: container, codec,
profile, level, size, pixel format, colour (SDR and 8-bit for an SDR preset, the promised
tags), frame rate, audio layout and rate, file size, and for MP4 whether the index sits in
front (faststart).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from screenkit.encode.options import OutputFormat
from screenkit.errors import ScreenkitError
from screenkit.media.colour import Colour
from screenkit.media.info import MediaInfo
from screenkit.presets.model import VenuePreset

_RATE_SLACK = Fraction(1001, 1000)
Need = Callable[[bool, str, object, object], None]


@dataclass(frozen=True)
class Mismatch:
    """One way a file fails its preset."""

    what: str
    expected: str
    found: str

    def __str__(self) -> str:
        return f"{self.what}: expected {self.expected}, found {self.found}"


class ComplianceError(ScreenkitError):
    """An output does not meet its preset; ``mismatches`` lists each difference."""

    def __init__(self, path: Path, preset: str, mismatches: list[Mismatch]) -> None:
        listed = "; ".join(str(m) for m in mismatches)
        super().__init__(
            f"{path.name} does not meet preset {preset}: {listed}",
            path=path,
            value=preset,
            hint="this is a screenkit bug or an unusual ffmpeg build: please report it",
        )
        self.preset = preset
        self.mismatches = mismatches


def mp4_index_first(path: Path) -> bool | None:
    """Whether an MP4's ``moov`` box comes before ``mdat`` (None: not readable as MP4)."""
    try:
        with path.open("rb") as fh:
            while True:
                header = fh.read(8)
                if len(header) < 8:
                    return None
                size = int.from_bytes(header[:4], "big")
                kind = header[4:8]
                if kind == b"moov":
                    return True
                if kind == b"mdat":
                    return False
                if size == 1:
                    size = int.from_bytes(fh.read(8), "big")
                    fh.seek(size - 16, 1)
                elif size >= 8:
                    fh.seek(size - 8, 1)
                else:
                    return None
    except OSError:
        return None


def check_file_compliance(
    info: MediaInfo, preset: VenuePreset, expected: OutputFormat | None = None
) -> list[Mismatch]:
    """Every way ``info`` fails the file ``preset`` (and the planned ``expected`` format);
    [] = fine. (DVD and DivX: `screenkit.encode.legacy_check`.)"""
    out: list[Mismatch] = []

    def need(ok: bool, what: str, expected: object, found: object) -> None:
        if not ok:
            out.append(Mismatch(what, str(expected), str(found)))

    need(
        preset.format_name in info.container.split(","),
        "container",
        preset.container,
        info.container,
    )
    if preset.index_first:
        need(mp4_index_first(info.path) is True, "faststart", "index before data", "index last")
    limit = preset.file_size_limit
    if limit is not None:
        need(info.size_bytes < limit, "file size", f"< {limit:,} bytes", f"{info.size_bytes:,}")
    _check_video(info, preset, expected, need)
    _check_audio(info, preset, expected, need)
    return out


def _check_video(
    info: MediaInfo, preset: VenuePreset, expected: OutputFormat | None, need: Need
) -> None:
    video = info.video
    spec = preset.video
    check = need
    if video is None:
        check(False, "video", spec.codec, "no video stream")
        return
    check(video.codec == spec.codec, "video codec", spec.codec, video.codec)
    kept = _keeps_hdr(info, preset, expected)
    if kept:
        check(video.profile == "High 10", "profile", "High 10", video.profile)
    else:
        check(spec.accepts_profile(video.profile), "profile", f"≤ {spec.profile}", video.profile)
    check(
        video.level is not None and video.level <= spec.level_idc,
        "level",
        f"≤ {spec.level}",
        video.level,
    )
    pix_fmt = "yuv420p10le" if kept else spec.pix_fmt
    check(video.pix_fmt == pix_fmt, "pixel format", pix_fmt, video.pix_fmt)
    size = f"{video.width}x{video.height}"
    check(
        video.width <= spec.max_width and video.height <= spec.max_height,
        "picture size",
        f"≤ {spec.max_width}x{spec.max_height}",
        size,
    )
    check(video.width % 2 == 0 and video.height % 2 == 0, "picture size", "even", size)
    check(video.rotation == 0, "rotation", "none (pixels turned)", f"{video.rotation}°")
    check(
        video.frame_rate <= spec.max_fps * _RATE_SLACK,
        "frame rate",
        f"≤ {float(spec.max_fps):g}",
        f"{float(video.frame_rate):g}",
    )
    if spec.cfr:
        check(not video.vfr, "frame rate", "constant", "variable")
    if expected is not None:
        want = f"{expected.width}x{expected.height}"
        check(size == want, "picture size", want, size)
    check_colour(info, preset, expected, need)


def _keeps_hdr(info: MediaInfo, preset: VenuePreset, expected: OutputFormat | None) -> bool:
    """Whether the output is meant to be HDR: the plan says so, or (no plan, as in `verify`)
    the preset keeps HDR and the file is HDR."""
    if expected is not None and expected.colour is not None:
        return expected.colour.action == "keep"
    return preset.video.hdr == "keep" and info.video is not None and info.video.colour.hdr


_TAG_WHAT = ("colour primaries", "transfer", "colour matrix", "colour range")


def check_colour(
    info: MediaInfo, preset: VenuePreset, expected: OutputFormat | None, need: Need
) -> None:
    """An SDR preset's output is SDR and 8-bit (a player shows HLG or PQ in H.264 washed out
    or dark); a kept HDR output is 10-bit; and the tags are those the colour plan promised
    (BT.709 after a tone mapping; the master's own for an SDR master)."""
    video = info.video
    assert video is not None
    colour = video.colour
    if _keeps_hdr(info, preset, expected):
        need(colour.bit_depth == 10, "bit depth", "10-bit (HDR kept)", f"{colour.bit_depth}-bit")
    else:
        need(not colour.hdr, "dynamic range", "SDR", colour.describe())
        need(colour.bit_depth == 8, "bit depth", "8-bit", f"{colour.bit_depth}-bit")
    plan = expected.colour if expected is not None else None
    if plan is not None and plan.tagged:
        check_tags(info, plan.output, need)


def check_tags(info: MediaInfo, promised: Colour, need: Need) -> None:
    """The video carries the tags promised (its dynamic range, then each tag that is set):
    the colour plan's at encode time, the manifest's record in ``verify``."""
    video = info.video
    if video is None:
        return
    colour = video.colour
    got = colour.dynamic_range
    need(got == promised.dynamic_range, "dynamic range", promised.dynamic_range, got)
    for what, want, found in zip(_TAG_WHAT, promised.tags, colour.tags, strict=True):
        if want is not None:
            need(found == want, what, want, found or "untagged")


def promised_colour_mismatches(info: MediaInfo, promised: Colour | None) -> list[Mismatch]:
    """`check_tags` as a list ([] when nothing is promised)."""
    out: list[Mismatch] = []

    def need(ok: bool, what: str, expected: object, found: object) -> None:
        if not ok:
            out.append(Mismatch(what, str(expected), str(found)))

    if promised is not None:
        check_tags(info, promised, need)
    return out


def _check_audio(
    info: MediaInfo, preset: VenuePreset, expected: OutputFormat | None, need: Need
) -> None:
    check = need
    spec = preset.audio
    if not info.audio:
        check(False, "audio", spec.codec, "no audio stream")
        return
    audio = info.audio[0]
    check(audio.codec == spec.codec, "audio codec", spec.codec, audio.codec)
    if spec.codec == "aac":
        check(audio.profile in (None, "LC"), "audio profile", "AAC-LC", audio.profile)
    channels = spec.channels or (expected.channels if expected else None)
    if channels is not None:
        check(audio.channels == channels, "audio channels", channels, audio.channels)
    check(audio.sample_rate == spec.sample_rate, "sample rate", spec.sample_rate, audio.sample_rate)
