"""What an encode is asked for and what it yields: the typed values crossing module lines."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

from screenkit.encode.colour import ColourPlan, ToneMapping
from screenkit.fonts import Font
from screenkit.media.info import MediaInfo

if TYPE_CHECKING:
    from screenkit.encode.quality import Quality


@dataclass(frozen=True)
class SubtitleInput:
    """A subtitle track file and the BCP-47 tag of its language."""

    path: Path
    lang: str


@dataclass(frozen=True)
class EncodeOptions:
    """Choices of one encode beyond the preset."""

    burn: SubtitleInput | None = None
    """The track burned into the picture (when the preset burns); None burns nothing."""
    soft: tuple[SubtitleInput, ...] = ()
    """Tracks carried inside the container or written as sidecars, as the preset says."""
    screening_lang: str | None = None
    """The language flagged default; None: the burned track's, else the first soft one's."""
    audio_lang: str | None = None
    """The language spoken in the film, written on the audio track."""
    fonts: tuple[Font, ...] = ()
    """Fonts for burn-in, first one named in the style; () means the shipped Noto Sans."""
    x264_preset: str | None = None
    """Override the preset's x264 speed (tests and previews use ``ultrafast``)."""
    start: float | None = None
    duration: float | None = None
    """A cut of the source (the bundle's test clip); the film's loudness gain still applies."""
    allow_copy: bool = True
    """Copy the video stream untouched when the source already meets the preset."""
    tone_mapping: ToneMapping | None = None
    """How an HDR master is tone-mapped to SDR (None: `TONE_MAPPING`); a bundle step keys
    its encode by it."""

    @property
    def default_lang(self) -> str | None:
        if self.screening_lang:
            return self.screening_lang
        if self.burn is not None:
            return self.burn.lang
        return self.soft[0].lang if self.soft else None


@dataclass(frozen=True)
class OutputFormat:
    """The picture and sound an encode produces: what a card joined to it must match."""

    width: int
    height: int
    frame_rate: Fraction
    pix_fmt: str
    sample_rate: int
    channels: int
    copy_video: bool
    """The video stream is the source's, copied untouched."""
    duration: float
    sar: Fraction = Fraction(1)
    enlarged_from: tuple[int, int] | None = None
    """The stored size of a master below the preset's minimum frame, which the encode
    enlarges to ``width`` x ``height`` (for the sheet's specs); None: not enlarged."""
    colour: ColourPlan | None = None
    """What the encode does with the master's colour (tone-maps HDR, keeps it, nothing);
    None: a picture not made from the master's (a card alone), SDR as the preset's."""

    def to_json(self) -> dict[str, object]:
        """The picture's numbers as ``probe --preset --json`` and ``encode --json`` give them."""
        rate = self.frame_rate
        return {
            "width": self.width,
            "height": self.height,
            "frame_rate": f"{rate.numerator}/{rate.denominator}",
            "copy_video": self.copy_video,
            "enlarged_from": list(self.enlarged_from) if self.enlarged_from else None,
            "colour": self.colour.to_json() if self.colour is not None else None,
        }

    @property
    def size_note(self) -> str | None:
        """``962x720, enlarged from the stored 176x144`` for an enlarged film, else None."""
        if self.enlarged_from is None:
            return None
        stored = f"{self.enlarged_from[0]}x{self.enlarged_from[1]}"
        return f"{self.width}x{self.height}, enlarged from the stored {stored}"


@dataclass(frozen=True)
class EncodeResult:
    """A finished, compliance-checked encode."""

    out: Path
    info: MediaInfo
    """The output, as probed for the compliance check."""
    source: MediaInfo
    commands: tuple[tuple[str, ...], ...]
    """The ffmpeg argv lists run, in order."""
    copied_video: bool
    two_pass: bool
    sidecars: tuple[Path, ...]
    warnings: tuple[str, ...]
    elapsed: float
    enlarged_from: tuple[int, int] | None = None
    """The source's stored size when the encode enlarged it to the preset's minimum frame."""
    quality: Quality | None = None
    """SSIM/PSNR against the master, when asked for (None: not measured, or video copied)."""
    colour: ColourPlan | None = None
    """What the encode did with the master's colour (tone-mapped its HDR, kept it, nothing)."""
