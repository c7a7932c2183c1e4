"""What a step kind sees of the bundle being composed.

The composition (`screenkit.bundle.compose`) fills these in; a kind reads them: the
bundle's assembly (`kinds.manifest`) its `BundlePlan`, a kind that adds a step to every
bundle (a ``compose(planner, shape)`` method, like the poster's) its `BundleShape`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from screenkit.bundle.engine.step import InputFile
from screenkit.encode.options import SubtitleInput
from screenkit.kit import BundleSpec
from screenkit.presets import VenuePreset

if TYPE_CHECKING:
    from screenkit.slides import CardSpec

BundleRequest = BundleSpec
"""What the user asked for has the very shape of a named bundle in the manifest."""


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
    ``compose(planner, shape)`` method, see `screenkit.bundle.compose.plan`)."""

    video: VideoRequest
    planned: PlannedVideo
    images: Mapping[str, str]
    """The ``card_image`` and ``frame_image`` steps."""


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
