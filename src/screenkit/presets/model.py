"""The venue preset model: what a playback device accepts, not ffmpeg flags.

Frozen dataclasses whose field names are the TOML keys (so ``presets show`` can say where
each value came from by the same dotted name). The loader validates; everything here may
assume valid values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

Container = Literal["mp4", "mkv", "avi", "dvd"]
SidecarFormat = Literal["none", "srt", "vtt"]
VideoCodec = Literal["h264", "mpeg2video", "mpeg4"]
Aspect = Literal["16:9", "4:3-letterbox"]
SidecarName = Literal["language", "film"]
HdrHandling = Literal["tone-map", "keep"]

Family = Literal["file", "divx", "dvd"]
"""What kind of player a preset is for, and so how a bundle for it is made: a video file
(H.264, with the card joined in front), a DivX AVI for a DVD player's USB port (MPEG-4
Part 2, the card in its codec) or a DVD (MPEG-2 VOBs authored into VIDEO_TS/ and an image).
What differs between them lives in one family module per layer: `screenkit.encode.family`
(the encode builder, compliance, chunking, rates), `screenkit.bundle.compose.families` (the video
plan, the card kind) and `screenkit.bundle.documents.families` (what verify checks, the sheet)."""
FAMILIES: tuple[Family, ...] = ("file", "divx", "dvd")
FAMILY_OF: dict[str, Family] = {"mp4": "file", "mkv": "file", "avi": "divx", "dvd": "dvd"}
"""Container → family (the loader checks that the codecs fit: `presets.legacy`)."""

LEGACY_CODECS = ("mpeg2video", "mpeg4")
"""The codecs of the DVD and DivX presets (their options live in encode/mpeg2.py, divx.py)."""
EXTENSIONS: dict[str, str] = {"mp4": ".mp4", "mkv": ".mkv", "avi": ".avi", "dvd": ".mpg"}
FORMAT_NAMES: dict[str, str] = {"mp4": "mp4", "mkv": "matroska", "avi": "avi", "dvd": "mpeg"}
"""Container → the format name ffmpeg writes and ffprobe reports (a DVD's VOB: MPEG-PS)."""

H264_PROFILES = ("baseline", "main", "high")
"""Ordered: a decoder of a later profile decodes the earlier ones (constrained baseline ⊂ main)."""

X264_SPEEDS = (
    "ultrafast", "superfast", "veryfast", "faster", "fast",
    "medium", "slow", "slower", "veryslow", "placebo",
)  # fmt: skip


def speed_problem(value: str) -> str | None:
    """What is wrong with ``value`` as an x264 speed (None: it is one of x264's presets)."""
    if value in X264_SPEEDS:
        return None
    return f"{value!r} is not an x264 preset: use one of {', '.join(X264_SPEEDS)}"


# H.264 Table A-1: level → (max frame size in macroblocks, max macroblocks/s, max kbit/s for
# Baseline/Main; High allows 1.25x)
H264_LEVELS: dict[str, tuple[int, int, int]] = {
    "3.0": (1620, 40500, 10000),
    "3.1": (3600, 108000, 14000),
    "3.2": (5120, 216000, 20000),
    "4.0": (8192, 245760, 20000),
    "4.1": (8192, 245760, 50000),
    "4.2": (8704, 522240, 50000),
    "5.0": (22080, 589824, 135000),
    "5.1": (36864, 983040, 240000),
    "5.2": (36864, 2073600, 240000),
}


def macroblocks(width: int, height: int) -> int:
    return -(-width // 16) * -(-height // 16)


@dataclass(frozen=True)
class VideoSpec:
    codec: VideoCodec = "h264"
    profile: str = "high"
    level: str = "4.1"
    pix_fmt: str = "yuv420p"
    max_width: int = 1920
    max_height: int = 1080
    min_width: int | None = None
    min_height: int | None = None
    """The smallest frame the film is shown at: a smaller master is enlarged until it
    reaches this box in one dimension, keeping its shape (a 2.35:1 film reaches 1280x720's
    box at 1280x544, a 4:3 one at 960x720). None: never enlarged."""
    max_fps: Fraction = Fraction(30)
    cfr: bool = True
    max_bitrate_kbps: int | None = None
    """The peak (VBV maxrate) a player's decoder and USB reads keep up with."""
    crf: int = 20
    speed: str = "medium"
    """The x264 preset: quality per bit against encode time."""
    copy_when_compliant: bool = True
    hdr: HdrHandling = "tone-map"
    """An HDR master (HLG, PQ, Dolby Vision): ``tone-map`` it to SDR BT.709 8-bit, what the
    venue's screen shows; ``keep`` it HDR, 10-bit with its tags (the archive)."""
    frame_width: int | None = None
    frame_height: int | None = None
    """A fixed stored frame size (DVD: 720x576 or 720x480); None fits the picture in the box."""
    frame_rate: Fraction | None = None
    """A fixed output rate (DVD: 25 or 30000/1001); other rates are conformed to it."""
    aspect: Aspect | None = None
    """The display aspect of a fixed frame: 16:9 anamorphic, or 4:3 with the film letterboxed."""
    bitrate_kbps: int | None = None
    """The average video bitrate of the MPEG-2 / MPEG-4 Part 2 encoders (they have no CRF)."""
    gop: int | None = None
    """The longest GOP in frames (DVD: 15 PAL, 18 NTSC)."""
    b_frames: int | None = None
    """Consecutive B-frames (DivX Home Theater: at most 1)."""
    vbv_kbit: int | None = None
    """The decoder's video buffer in kbit (DVD 1835, DivX Home Theater 3145)."""
    fourcc: str | None = None
    """The AVI codec tag players look for (XVID)."""

    @property
    def fixed_size(self) -> tuple[int, int] | None:
        if self.frame_width is None or self.frame_height is None:
            return None
        return self.frame_width, self.frame_height

    @property
    def level_idc(self) -> int:
        """``"4.1"`` → 41, as ffprobe reports it."""
        major, _, minor = self.level.partition(".")
        return int(major) * 10 + int(minor or 0)

    def accepts_profile(self, profile: str | None) -> bool:
        """Whether a stream of ``profile`` (ffprobe's name, e.g. "Constrained Baseline") plays."""
        if profile is None:
            return False
        name = profile.lower().replace("constrained ", "")
        if name not in H264_PROFILES:
            return False
        return H264_PROFILES.index(name) <= H264_PROFILES.index(self.profile)


@dataclass(frozen=True)
class LoudnessSpec:
    """EBU R128 normalisation: integrated loudness target, true-peak ceiling, loudness range."""

    target: float = -23.0
    true_peak: float = -1.0
    lra: float = 20.0


@dataclass(frozen=True)
class AudioSpec:
    codec: Literal["aac", "pcm_s16le", "pcm_s24le", "ac3", "mp2", "mp3"] = "aac"
    channels: int | None = 2
    """None keeps the source's layout (the archive); 2 downmixes 5.1 to stereo."""
    sample_rate: int = 48000
    bitrate_kbps: int | None = 192
    loudness: LoudnessSpec | None = LoudnessSpec()

    @property
    def is_pcm(self) -> bool:
        return self.codec.startswith("pcm_")


@dataclass(frozen=True)
class SubtitleSpec:
    burn: bool = False
    """Burn the screening language into the picture (a device that shows no soft tracks)."""
    soft: bool = False
    """Carry the tracks inside the container (mov_text in MP4, SubRip/ASS in Matroska)."""
    sidecar: SidecarFormat = "none"
    sidecar_encoding: str = "utf-8"
    """``utf-8``, ``legacy`` (each language's Windows code page) or a Python codec name."""
    font_size: float = 0.055
    """Burned text height as a fraction of the picture's height."""
    subpictures: bool = False
    """DVD subpicture streams for every kit language, the screening language shown first."""
    sidecar_name: SidecarName = "language"
    """``language``: ``<film>.<lang>.srt`` per track; ``film``: one ``<film>.srt`` named exactly
    like the film (old players pick the sidecar up by name)."""


@dataclass(frozen=True)
class DvdSpec:
    chapter_minutes: int = 5
    """A chapter mark every this many minutes of the film."""
    outro_cell: bool = True
    """Author the outro card, when the build asks for one, as its own cell after the film."""


@dataclass(frozen=True)
class VenuePreset:
    name: str
    description: str = ""
    container: Container = "mp4"
    faststart: bool = True
    file_size_limit: int | None = None
    """Bytes the file must stay below (FAT32: 4 GiB); None: no limit."""
    safe_area: float = 0.05
    """Fraction of width and height kept clear of text at each edge (overscan, projector crop)."""
    video: VideoSpec = VideoSpec()
    audio: AudioSpec = AudioSpec()
    subtitles: SubtitleSpec = SubtitleSpec()
    dvd: DvdSpec | None = None
    """DVD authoring (the dvd container only)."""
    extends: str | None = None
    source: str = field(
        default="", metadata={"unkeyed": "where its file is: a kit moved keeps its cache"}
    )
    """Where the preset's own file is: ``standard:usb-player.toml`` or a path."""
    origins: Mapping[str, str] = field(
        default_factory=lambda: MappingProxyType({}), compare=False, repr=False
    )
    """Dotted key → where its value came from (a file label, or ``default``)."""

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.container]

    @property
    def family(self) -> Family:
        """The player family the preset is for (see `Family`)."""
        return FAMILY_OF[self.container]

    @property
    def format_name(self) -> str:
        """The container's format name, as ffmpeg writes it and ffprobe reports it."""
        return FORMAT_NAMES[self.container]

    @property
    def index_first(self) -> bool:
        """An MP4 whose index goes before the data (players start without seeking)."""
        return self.container == "mp4" and self.faststart

    @property
    def plays_in_a_browser(self) -> bool:
        """MP4 with H.264 and AAC: what every current browser plays from a file."""
        return self.container == "mp4" and self.video.codec == "h264" and self.audio.codec == "aac"

    def safe_margins(self, width: int, height: int) -> tuple[int, int]:
        """(horizontal, vertical) pixels kept clear at each edge of a ``width``x``height`` frame."""
        return round(width * self.safe_area), round(height * self.safe_area)

    def origin(self, key: str) -> str:
        return self.origins.get(key, "default")

    def __reduce__(self) -> tuple[Any, ...]:
        # the read-only origins do not pickle; a preset crosses processes as plain data
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values["origins"] = dict(self.origins)
        return (_preset, (values,))


def _preset(values: dict[str, Any]) -> VenuePreset:
    return VenuePreset(**{**values, "origins": MappingProxyType(values["origins"])})


def flatten(preset: VenuePreset) -> list[tuple[str, object]]:
    """The preset's settings as (dotted TOML key, value), in declaration order."""
    out: list[tuple[str, object]] = []

    def walk(obj: object, prefix: str) -> None:
        for f in fields(obj):  # type: ignore[arg-type]
            if f.name in ("name", "source", "origins", "extends"):
                continue
            value = getattr(obj, f.name)
            if f.name == "dvd" and value is None:
                continue  # the [dvd] table exists only for DVD presets
            key = f"{prefix}{f.name}"
            if is_dataclass(value):
                walk(value, f"{key}.")
            else:
                out.append((key, value))

    walk(preset, "")
    return out


def describe_value(value: object) -> str:
    """A value as ``presets show`` prints it (and as it could be written in TOML)."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Fraction):
        return str(value.numerator) if value.denominator == 1 else f"{value}"
    if isinstance(value, Path):
        return str(value)
    return str(value)
