"""MPEG-4 Part 2 for DivX players: the encoder and muxer words, and the AVI's codec tag.

ffmpeg's own ``mpeg4`` encoder, tagged ``XVID`` (``-vtag``), which DivX Home Theater devices
look for. The profile's limits come from the preset (size, peak, the 3,145,728-bit buffer);
quarter-pel stays off (``-flags -qpel``) and global motion compensation is never used
(ffmpeg's encoder has none): the profile allows neither. B-frames: DivX 5-era encoders
wrote "packed" B-frames (a B and a P in one AVI chunk plus an empty placeholder), a
Video-for-Windows hack that ffmpeg calls non-standard; ffmpeg cannot write it (its
``mpeg4_unpack_bframes`` goes the other way) and certified players decode the plain coding
order ffmpeg writes, so at most the preset's one B-frame in a row, unpacked.
"""

from __future__ import annotations

from pathlib import Path

from screenkit.encode.options import OutputFormat
from screenkit.presets.model import VenuePreset


def divx_options(preset: VenuePreset, fmt: OutputFormat, bitrate_kbps: int) -> dict[str, str]:
    """ffmpeg output options of a DivX Home Theater AVI (video, audio, muxer)."""
    video, audio = preset.video, preset.audio
    peak = video.max_bitrate_kbps or bitrate_kbps
    rate = fmt.frame_rate
    return {
        "c:v": "mpeg4",
        "vtag": video.fourcc or "XVID",
        "pix_fmt": video.pix_fmt,
        "b:v": f"{bitrate_kbps}k",
        "maxrate:v": f"{peak}k",
        "bufsize:v": str((video.vbv_kbit or 3145) * 1000),
        "g:v": str(video.gop or 250),
        "bf:v": str(video.b_frames if video.b_frames is not None else 1),
        "flags:v": "-qpel",
        "mbd:v": "rd",
        "r:v": f"{rate.numerator}/{rate.denominator}",
        "c:a": "libmp3lame",
        "b:a": f"{audio.bitrate_kbps or 160}k",
        "ar": str(fmt.sample_rate),
        "ac": str(fmt.channels),
        "format": "avi",
    }


def avi_fourcc(path: Path) -> tuple[str, str] | None:
    """The video stream's codec tags in an AVI's header: (``strh`` handler, ``strf``
    compression). Players read either; both must say XVID. None: not a readable AVI."""
    try:
        with path.open("rb") as fh:
            head = fh.read(1 << 16)
    except OSError:
        return None
    if head[:4] != b"RIFF" or head[8:12] != b"AVI ":
        return None
    at = head.find(b"strh")
    while at >= 0 and head[at + 8 : at + 12] != b"vids":
        at = head.find(b"strh", at + 4)
    if at < 0:
        return None
    handler = head[at + 12 : at + 16]
    strf = head.find(b"strf", at)
    compression = head[strf + 8 + 16 : strf + 8 + 20] if strf >= 0 else b""
    return handler.decode("latin-1"), compression.decode("latin-1")
