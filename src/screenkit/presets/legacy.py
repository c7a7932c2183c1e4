"""The DVD-Video and DivX presets' extra keys and the limits of those old players.

Kept apart from the H.264 rules in `screenkit.presets.loader`: a DVD player decodes MPEG-2
at exactly 720x576@25 or 720x480@29.97 and reads at most 10.08 Mbit/s off the disc; a DivX
Home Theater device (the USB port of a DVD player, an older TV) decodes MPEG-4 Part 2 ASP in
AVI up to 720x576 and a 4854 kbit/s peak, with MP3 sound. An impossible combination is a
`ConfigError` naming the file and the key, when the preset loads, never a failed encode.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

from screenkit.config import Table
from screenkit.presets.model import LEGACY_CODECS, VenuePreset

DVD_FORMATS: dict[tuple[int, int], Fraction] = {
    (720, 576): Fraction(25),
    (720, 480): Fraction(30000, 1001),
}
"""Stored frame size → the only frame rate a DVD of that system (PAL, NTSC) carries."""
DVD_VIDEO_PEAK_KBPS = 9800
DVD_MUX_KBPS = 10080
PS_OVERHEAD = 0.03
"""Share of the 10.08 Mbit/s mux rate taken by pack, PES and navigation-pack headers."""
DVD_GOP = {Fraction(25): 15, Fraction(30000, 1001): 18}
DVD_AUDIO_KBPS = {"ac3": 448, "mp2": 384}
DIVX_MAX = (720, 576)
DIVX_PEAK_KBPS = 4854
"""The DivX Home Theater profile's peak video rate (its VBV is 3,145,728 bits)."""
CONTAINER_CODEC = {"dvd": "mpeg2video", "avi": "mpeg4"}
CONTAINER_AUDIO = {"dvd": ("ac3", "mp2"), "avi": ("mp3",)}

_LEGACY_KEYS = (
    "frame_width", "frame_height", "frame_rate", "aspect", "bitrate_kbps", "gop",
    "b_frames", "vbv_kbit", "fourcc",
)  # fmt: skip

RateReader = Callable[[str, Fraction], Fraction]


def legacy_video_fields(t: Table, rate: RateReader) -> dict[str, Any]:
    """The ``[video]`` keys only the MPEG-2 / MPEG-4 Part 2 presets use, read and range-checked."""
    fourcc = t.text("fourcc")
    if fourcc is not None and (len(fourcc) != 4 or not fourcc.isascii() or not fourcc.isalnum()):
        raise t.error("fourcc", f"{fourcc!r} is not a four-letter codec tag like XVID", fourcc)
    return {
        "frame_width": t.integer("frame_width", None, min=16, max=8192),
        "frame_height": t.integer("frame_height", None, min=16, max=8192),
        "frame_rate": rate("frame_rate", Fraction(0)) if t.has("frame_rate") else None,
        "aspect": t.choice("aspect", ["16:9", "4:3-letterbox"], None),
        "bitrate_kbps": t.integer("bitrate_kbps", None, min=100, max=50_000),
        "gop": t.integer("gop", None, min=1, max=300),
        "b_frames": t.integer("b_frames", None, min=0, max=2),
        "vbv_kbit": t.integer("vbv_kbit", None, min=100, max=100_000),
        "fourcc": fourcc,
    }


def check_legacy(preset: VenuePreset, top: Table) -> None:
    """Refuse a preset an old player could not play; ``top`` blames the file that set a key."""
    video, container = preset.video, preset.container
    if preset.dvd is not None and container != "dvd" and video.codec != "mpeg2video":
        raise top.error("dvd", "DVD authoring is for container dvd only")
    if video.codec not in LEGACY_CODECS:
        if container in CONTAINER_CODEC:
            raise top.error(
                "container",
                f"{container} holds {CONTAINER_CODEC[container]}, not {video.codec}",
                container,
            )
        for key in _LEGACY_KEYS:
            if getattr(video, key) is not None:
                raise top.error(f"video.{key}", "only the mpeg2video and mpeg4 codecs use it")
        if preset.subtitles.subpictures:
            raise top.error("subtitles.subpictures", "subpictures exist only on a DVD (dvd)")
        return
    if CONTAINER_CODEC.get(container) != video.codec:
        want = next((c for c, v in CONTAINER_CODEC.items() if v == video.codec), "?")
        raise top.error("video.codec", f"{video.codec} goes in container {want!r}", video.codec)
    if preset.audio.codec not in CONTAINER_AUDIO[container]:
        raise top.error(
            "audio.codec",
            f"{preset.audio.codec} does not play from {container}: use "
            + " or ".join(CONTAINER_AUDIO[container]),
            preset.audio.codec,
        )
    if video.bitrate_kbps is None:
        raise top.error("video.bitrate_kbps", f"{video.codec} needs an average bitrate")
    if video.max_bitrate_kbps is None:
        raise top.error("video.max_bitrate_kbps", "an old player needs a peak rate")
    if video.bitrate_kbps > video.max_bitrate_kbps:
        raise top.error(
            "video.bitrate_kbps",
            f"{video.bitrate_kbps} kbit/s is above the peak ({video.max_bitrate_kbps})",
            video.bitrate_kbps,
        )
    if container == "dvd":
        _check_dvd(preset, top)
    else:
        _check_divx(preset, top)


def _check_dvd(preset: VenuePreset, top: Table) -> None:
    video, audio = preset.video, preset.audio
    size = video.fixed_size
    if size not in DVD_FORMATS:
        raise top.error(
            "video.frame_width" if video.frame_width != 720 else "video.frame_height",
            f"a DVD frame is 720x576 (PAL) or 720x480 (NTSC), not "
            f"{video.frame_width}x{video.frame_height}",
        )
    assert size is not None
    rate = DVD_FORMATS[size]
    if video.frame_rate != rate:
        raise top.error(
            "video.frame_rate", f"a {size[0]}x{size[1]} DVD runs at {rate} frames per second"
        )
    if video.aspect is None:
        raise top.error("video.aspect", 'a DVD says its display aspect: "16:9" or "4:3-letterbox"')
    assert video.max_bitrate_kbps is not None
    if video.max_bitrate_kbps > DVD_VIDEO_PEAK_KBPS:
        raise top.error(
            "video.max_bitrate_kbps",
            f"{video.max_bitrate_kbps} kbit/s is above a DVD's {DVD_VIDEO_PEAK_KBPS} video peak",
            video.max_bitrate_kbps,
        )
    mux = int(DVD_MUX_KBPS * (1 - PS_OVERHEAD))
    sound = audio.bitrate_kbps or 0
    if video.max_bitrate_kbps + sound > mux:
        raise top.error(
            "video.max_bitrate_kbps",
            f"{video.max_bitrate_kbps} + {sound} kbit/s of sound exceeds the DVD mux rate "
            f"({DVD_MUX_KBPS} kbit/s less {PS_OVERHEAD:.0%} headers = {mux})",
            video.max_bitrate_kbps,
        )
    if video.gop is None or video.gop > DVD_GOP[rate]:
        raise top.error("video.gop", f"a DVD GOP is at most {DVD_GOP[rate]} frames", video.gop)
    if audio.sample_rate != 48000:
        raise top.error("audio.sample_rate", "DVD sound is 48000 Hz", audio.sample_rate)
    if audio.channels not in (1, 2, 6) or (audio.codec == "mp2" and audio.channels == 6):
        raise top.error("audio.channels", f"{audio.codec} on a DVD: 1, 2 (or 6 for ac3)")
    if audio.codec == "mp2" and rate != Fraction(25):
        raise top.error("audio.codec", "NTSC players need not play MPEG audio: use ac3")
    if sound > DVD_AUDIO_KBPS[audio.codec]:
        raise top.error(
            "audio.bitrate_kbps",
            f"{audio.codec} on a DVD is at most {DVD_AUDIO_KBPS[audio.codec]} kbit/s",
            sound,
        )
    if preset.subtitles.soft or preset.subtitles.sidecar != "none":
        raise top.error("subtitles.soft", "a DVD carries its tracks as subpictures")


def _check_divx(preset: VenuePreset, top: Table) -> None:
    video, audio, subs = preset.video, preset.audio, preset.subtitles
    if video.max_width > DIVX_MAX[0] or video.max_height > DIVX_MAX[1]:
        raise top.error(
            "video.max_width",
            f"DivX Home Theater decodes up to {DIVX_MAX[0]}x{DIVX_MAX[1]}, "
            f"not {video.max_width}x{video.max_height}",
        )
    if video.fixed_size is not None or video.aspect is not None:
        raise top.error("video.frame_width", "an AVI keeps the film's shape: use max_width")
    assert video.max_bitrate_kbps is not None
    if video.max_bitrate_kbps > DIVX_PEAK_KBPS:
        raise top.error(
            "video.max_bitrate_kbps",
            f"{video.max_bitrate_kbps} kbit/s is above DivX Home Theater's {DIVX_PEAK_KBPS}",
            video.max_bitrate_kbps,
        )
    if video.fourcc is None:
        raise top.error("video.fourcc", "AVI players look for a codec tag: XVID or DX50")
    if audio.sample_rate not in (44100, 48000) or audio.channels not in (1, 2):
        raise top.error("audio.channels", "MP3 in AVI: mono or stereo at 44100 or 48000 Hz")
    if (audio.bitrate_kbps or 0) > 320:
        raise top.error("audio.bitrate_kbps", "MP3 is at most 320 kbit/s", audio.bitrate_kbps)
    if subs.soft or subs.sidecar == "vtt" or subs.subpictures:
        raise top.error("subtitles.soft", "an old AVI player reads burned text and an .srt")
