"""The plan's shapes: settings, one bundle's plan, the whole build's plan."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from screenkit.bundle.request import BundleRequest
from screenkit.bundle.step import InputFile, Step
from screenkit.encode.options import SubtitleInput
from screenkit.kit import Kit
from screenkit.media.binaries import FFmpeg
from screenkit.media.info import MediaInfo
from screenkit.names import safe_filename as _safe_filename
from screenkit.presets import VenuePreset

if TYPE_CHECKING:
    from screenkit.bundle.estimates import FilmEstimate
    from screenkit.slides import CardSpec


@dataclass(frozen=True)
class VideoRequest:
    """What the video part of a bundle is asked for (resolved against the preset)."""

    request: BundleRequest
    preset: VenuePreset
    burn: str | None
    soft: tuple[str, ...]
    """Every track the bundle carries, the screening language first."""
    stem: str
    intro: CardSpec
    outro: CardSpec | None


@dataclass(frozen=True)
class PlannedVideo:
    """The steps of a bundle's video part and what the rest of the bundle reads of it."""

    video_name: str
    clip_name: str | None
    film_id: str
    intro_id: str
    final_id: str
    """The step whose main file is the bundle's video (``video_name``)."""
    ends: Mapping[str, str]
    """What the sheet reads, by role: ``final`` (the file it probes), ``joined``,
    ``sidecars``, ``clip`` (a file bundle); ``final``, ``disc``, ``image``, ``card`` (a DVD)."""
    screening: SubtitleInput | None
    tracks: tuple[SubtitleInput, ...]
    track_inputs: tuple[InputFile, ...]
    inputs: tuple[InputFile, ...]


@dataclass(frozen=True)
class BundleShape:
    """A bundle as composed so far: what a part added to every bundle reads (a kind with a
    ``compose(planner, shape)`` method, see `screenkit.bundle.plan`)."""

    video: VideoRequest
    planned: PlannedVideo
    images: Mapping[str, str]
    """The ``card_image`` and ``frame_image`` steps."""


@dataclass(frozen=True)
class BuildSettings:
    out: Path | None = None
    """Where bundles go; default ``<kit>/out``."""
    x264_preset: str | None = None
    """Override every preset's x264 speed (tests and quick previews)."""
    allow_placeholder: bool = False
    """Build even when the appeal still holds placeholders (the bundle is flagged)."""
    estimate_after: float | None = 120.0
    """Estimate the film encodes' wall time (a timed sample) for masters at least this many
    seconds long; None never estimates."""
    chunks: str = "off"
    """Film encodes in chunks: ``off``, ``auto`` (films over 3 minutes) or the seconds."""


@dataclass(frozen=True)
class BundlePlan:
    request: BundleRequest
    preset: VenuePreset
    burn: str | None
    soft: tuple[str, ...]
    folder: Path
    video_name: str
    clip_name: str | None
    """None: no test clip (a DVD bundle)."""
    final_step: str
    film_step: str
    """The film encode (its measured quality goes into the manifest)."""
    step_ids: tuple[str, ...]
    manifest_step: str
    plan_key: str
    up_to_date: bool
    inputs: tuple[InputFile, ...]
    stand_in: tuple[str, ...] = ()
    """Why the appeal is a stand-in (placeholders allowed); empty for a real appeal."""


@dataclass(frozen=True)
class BuildPlan:
    kit: Kit
    out: Path
    cache_root: Path
    ffmpeg: FFmpeg
    master: MediaInfo
    steps: tuple[Step[Any], ...]
    bundles: tuple[BundlePlan, ...]
    estimates: tuple[FilmEstimate, ...] = ()
    """The expected wall time of each film encode still to run (a long master only)."""

    def pending(self) -> list[Step[Any]]:
        """The steps the bundles that are not up to date need, in plan order."""
        wanted: set[str] = set()
        for bundle in self.bundles:
            if not bundle.up_to_date:
                wanted.update(bundle.step_ids)
        return [s for s in self.steps if s.id in wanted]


def safe_filename(text: str) -> str:
    """``text`` usable as a file name on FAT32 sticks, Windows and Unix alike."""
    return _safe_filename(text)
