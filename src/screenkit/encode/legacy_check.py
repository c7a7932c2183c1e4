"""Does a DVD-ready MPEG-PS or a DivX AVI meet its preset? (`check_compliance` hands over here.)

DVD: MPEG-PS, MPEG-2 at exactly the preset's frame size and rate, the display aspect it says
(16:9 or 4:3), 4:2:0, AC-3/MP2 at 48 kHz with the preset's channels, and an average rate
inside the mux rate. DivX: AVI, MPEG-4 Part 2 (Simple or Advanced Simple profile) tagged with
the preset's fourcc in both header fields, inside 720x576 and the frame-rate cap, constant
rate, MP3 at the preset's rate and channels, and below the file-size limit.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from screenkit.encode.compliance import Mismatch, Need, check_colour
from screenkit.encode.divx import avi_fourcc
from screenkit.encode.options import OutputFormat
from screenkit.media.info import MediaInfo
from screenkit.presets.legacy import DVD_MUX_KBPS
from screenkit.presets.model import VenuePreset

_ASP = ("simple profile", "advanced simple profile", "simple", "advanced simple")
_RATE_SLACK = Fraction(1001, 1000)


def check_legacy_compliance(
    info: MediaInfo, preset: VenuePreset, expected: OutputFormat | None = None
) -> list[Mismatch]:
    """Every way ``info`` fails the DVD or DivX ``preset``; [] = fine."""
    out: list[Mismatch] = []

    def need(ok: bool, what: str, want: object, found: object) -> None:
        if not ok:
            out.append(Mismatch(what, str(want), str(found)))

    spec = preset.video
    family = preset.format_name
    need(family in info.container.split(","), "container", family, info.container)
    limit = preset.file_size_limit
    if limit is not None:
        need(info.size_bytes < limit, "file size", f"< {limit:,} bytes", f"{info.size_bytes:,}")
    video = info.video
    if video is None:
        need(False, "video", spec.codec, "no video stream")
    else:
        need(video.codec == spec.codec, "video codec", spec.codec, video.codec)
        need(video.pix_fmt == spec.pix_fmt, "pixel format", spec.pix_fmt, video.pix_fmt)
        check_colour(info, preset, expected, need)
        size = f"{video.width}x{video.height}"
        fixed = spec.fixed_size
        if fixed is not None:
            need(
                (video.width, video.height) == fixed,
                "picture size",
                "x".join(map(str, fixed)),
                size,
            )
            want = Fraction(16, 9) if spec.aspect == "16:9" else Fraction(4, 3)
            need(abs(video.dar - want) < Fraction(1, 100), "display aspect", want, video.dar)
        else:
            fits = video.width <= spec.max_width and video.height <= spec.max_height
            need(fits, "picture size", f"≤ {spec.max_width}x{spec.max_height}", size)
            mod4 = video.width % 4 == 0 and video.height % 4 == 0
            need(mod4, "picture size", "multiples of 4 (DivX)", size)
        if spec.frame_rate is not None:
            need(
                video.frame_rate == spec.frame_rate, "frame rate", spec.frame_rate, video.frame_rate
            )
        else:
            need(
                video.frame_rate <= spec.max_fps * _RATE_SLACK,
                "frame rate",
                f"≤ {float(spec.max_fps):g}",
                f"{float(video.frame_rate):g}",
            )
        need(not video.vfr, "frame rate", "constant", "variable")
        if spec.codec == "mpeg4":
            profile = (video.profile or "").lower()
            need(profile in _ASP, "profile", "MPEG-4 (Advanced) Simple", video.profile)
        if expected is not None:
            want_size = f"{expected.width}x{expected.height}"
            need(size == want_size, "picture size", want_size, size)
    if preset.family == "divx":
        tags = avi_fourcc(info.path)
        want_tag = spec.fourcc or "XVID"
        need(tags == (want_tag, want_tag), "fourcc", want_tag, tags)
    elif info.bit_rate is not None:
        need(
            info.bit_rate <= DVD_MUX_KBPS * 1000,
            "mux rate",
            f"≤ {DVD_MUX_KBPS} kbit/s",
            info.bit_rate,
        )
    _check_audio(info, preset, need)
    return out


def _check_audio(info: MediaInfo, preset: VenuePreset, need: Need) -> None:
    spec = preset.audio
    if not info.audio:
        need(False, "audio", spec.codec, "no audio stream")
        return
    audio = info.audio[0]
    need(audio.codec == spec.codec, "audio codec", spec.codec, audio.codec)
    if spec.channels is not None:
        need(audio.channels == spec.channels, "audio channels", spec.channels, audio.channels)
    need(audio.sample_rate == spec.sample_rate, "sample rate", spec.sample_rate, audio.sample_rate)


def check_sidecar(film: Path, lang: str, encoding: str) -> list[Mismatch]:
    """A DivX sidecar: named exactly like the film (``.srt``), in ``encoding`` (the language's
    code page), not UTF-8 where the text has letters beyond ASCII."""
    path = film.with_suffix(".srt")
    if not path.is_file():
        return [Mismatch("sidecar", path.name, "missing")]
    raw = path.read_bytes()
    out = []
    try:
        raw.decode(encoding)
    except UnicodeDecodeError:
        out.append(Mismatch("sidecar encoding", encoding, "undecodable"))
    if encoding.lower().replace("-", "") not in ("utf8", "ascii") and not raw.isascii():
        try:
            raw.decode("utf-8")
            out.append(Mismatch("sidecar encoding", f"{encoding} ({lang})", "utf-8"))
        except UnicodeDecodeError:
            pass
    return out
