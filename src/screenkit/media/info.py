"""MediaInfo: what a media file holds, in one typed shape whichever probe route made it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from screenkit.media.colour import Colour


@dataclass(frozen=True)
class VideoStream:
    index: int
    codec: str
    profile: str | None
    level: int | None
    width: int
    height: int
    sar: Fraction
    frame_rate: Fraction
    """The nominal rate (r_frame_rate); for a VFR file see ``avg_frame_rate`` and ``vfr``."""
    avg_frame_rate: Fraction | None
    vfr: bool
    pix_fmt: str | None
    rotation: int
    """Clockwise degrees a player turns the picture (0, 90, 180, 270).

    ffprobe's display matrix angle is the opposite sign (counter-clockwise): see
    `display_matrix_rotation`.
    """
    field_order: str
    """``progressive``, ``tt``, ``bb``, ``tb``, ``bt`` or ``unknown``."""
    bit_rate: int | None = None
    colour: Colour = field(default_factory=Colour)
    """Tags, bit depth, HDR metadata and Dolby Vision record (`screenkit.media.colour`)."""

    @property
    def interlaced(self) -> bool:
        return self.field_order in {"tt", "bb", "tb", "bt"}

    @property
    def dar(self) -> Fraction:
        """Display aspect ratio of the stored picture (before rotation)."""
        return Fraction(self.width, self.height) * self.sar

    @property
    def display_size(self) -> tuple[int, int]:
        """Width and height as shown: SAR applied to the width, then rotation."""
        width = round(self.width * self.sar)
        height = self.height
        if self.rotation in (90, 270):
            return height, width
        return width, height

    @property
    def display_matrix_rotation(self) -> int:
        """The rotation as ffprobe prints the display matrix: counter-clockwise, -180..90.

        A phone held upright (turned 90° clockwise to show) is ``-90``, as ffprobe says it.
        """
        return {0: 0, 90: -90, 180: -180, 270: 90}[self.rotation]

    @property
    def orientation(self) -> str:
        """``portrait``, ``landscape`` or ``square``, as the picture is shown."""
        width, height = self.display_size
        return "portrait" if height > width else "landscape" if width > height else "square"

    def shown_as(self) -> str:
        """The stored and shown sizes in words, e.g. ``stored 1920×1080, shown 1080×1920
        (portrait, rotated 90° clockwise)``; just ``1920x1080`` when both are the same."""
        stored = f"{self.width}×{self.height}"
        width, height = self.display_size
        why = []
        if self.rotation:
            why.append(f"rotated {self.rotation}° clockwise")
        if self.sar != 1:
            why.append(f"pixels {self.sar.numerator}:{self.sar.denominator} wide (SAR)")
        if not why:
            return f"{self.width}x{self.height}"
        return f"stored {stored}, shown {width}×{height} ({self.orientation}, {', '.join(why)})"


@dataclass(frozen=True)
class AudioStream:
    index: int
    codec: str
    profile: str | None
    channels: int
    layout: str | None
    sample_rate: int
    language: str | None
    bit_rate: int | None = None


@dataclass(frozen=True)
class SubtitleStream:
    index: int
    codec: str
    language: str | None
    default: bool = False
    title: str | None = None


@dataclass(frozen=True)
class MediaInfo:
    path: Path
    container: str
    """The demuxer's format name list, e.g. ``matroska,webm`` or ``mov,mp4,m4a,3gp,3g2,mj2``."""
    duration: float
    size_bytes: int
    bit_rate: int | None
    video: VideoStream | None
    audio: tuple[AudioStream, ...] = ()
    subtitles: tuple[SubtitleStream, ...] = ()
    probed_with: str = field(default="", compare=False)

    @property
    def has_video(self) -> bool:
        return self.video is not None

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict: fractions as ``"num/den"`` strings, paths as strings."""
        document: dict[str, Any] = _jsonable(asdict(self))
        if self.video is not None:
            document["video"]["dar"] = _jsonable(self.video.dar)
            document["video"]["interlaced"] = self.video.interlaced
            document["video"]["display_size"] = list(self.video.display_size)
            document["video"]["orientation"] = self.video.orientation
            document["video"]["display_matrix_rotation"] = self.video.display_matrix_rotation
            document["video"]["colour"] = self.video.colour.to_json()
        return document


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, Path):
        return str(value)
    return value


def parse_rate(text: str | None) -> Fraction | None:
    """``"30000/1001"`` → Fraction; ``"0/0"`` and junk → None."""
    if not text:
        return None
    num, _, den = text.partition("/")
    try:
        n, d = int(num), int(den or "1")
    except ValueError:
        return None
    if n <= 0 or d <= 0:
        return None
    return Fraction(n, d)


def normalise_rotation(degrees: float) -> int:
    """Any angle → clockwise 0/90/180/270."""
    return round(degrees / 90.0) * 90 % 360
