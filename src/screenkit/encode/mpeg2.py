"""MPEG-2 for DVD-Video: the encoder and muxer words, spelled out instead of ``-target``.

``-target pal-dvd`` would pick the right family of settings but hides them and fixes a
9 Mbit/s peak; here each comes from the preset: 720x576@25 (or 720x480@29.97), the display
aspect written in the sequence header, a closed GOP of at most 15 (18) frames so that every
cell dvdauthor cuts starts cleanly, two B-frames, the peak and the DVD's 1,835,008-bit video
buffer (VBV), AC-3 (or MP2) at 48 kHz, and the DVD flavour of MPEG-PS: 2048-byte packs at a
10.08 Mbit/s mux rate with the navigation packets dvdauthor fills in.
"""

from __future__ import annotations

from screenkit.encode.options import OutputFormat
from screenkit.presets.legacy import DVD_MUX_KBPS
from screenkit.presets.model import VenuePreset

DVD_PACK = 2048
DVD_VBV_BITS = 1_835_008


def dvd_options(preset: VenuePreset, fmt: OutputFormat, bitrate_kbps: int) -> dict[str, str]:
    """ffmpeg output options of a DVD-ready MPEG-PS (video, audio, muxer)."""
    video, audio = preset.video, preset.audio
    peak = video.max_bitrate_kbps or bitrate_kbps
    vbv = min(DVD_VBV_BITS, (video.vbv_kbit or 1835) * 1000)
    opts = {
        "c:v": "mpeg2video",
        "pix_fmt": video.pix_fmt,
        "b:v": f"{bitrate_kbps}k",
        "maxrate:v": f"{peak}k",
        "minrate:v": "0",
        "bufsize:v": str(vbv),
        "g:v": str(video.gop or 15),
        "bf:v": "2",
        "flags:v": "+cgop",
        "sc_threshold:v": "1000000000",  # closed GOPs need it: I-frames every gop frames
        "aspect:v": "16:9" if video.aspect == "16:9" else "4:3",
        "c:a": audio.codec,
        "b:a": f"{audio.bitrate_kbps or 192}k",
        "ar": str(fmt.sample_rate),
        "ac": str(fmt.channels),
        "format": "dvd",
        "muxrate": str(DVD_MUX_KBPS * 1000),
        "packetsize": str(DVD_PACK),
    }
    if fmt.frame_rate.denominator != 1:
        opts["r:v"] = f"{fmt.frame_rate.numerator}/{fmt.frame_rate.denominator}"
    else:
        opts["r:v"] = str(fmt.frame_rate.numerator)
    return opts
