"""The plan's shapes: settings, one bundle's plan, the whole build's plan."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from screenkit.bundle.request import BundleRequest
from screenkit.bundle.steps import InputFile, Step
from screenkit.kit import Kit
from screenkit.media.binaries import FFmpeg
from screenkit.media.info import MediaInfo
from screenkit.presets import VenuePreset

_FAT_FORBIDDEN = set('<>:"/\\|?*') | {chr(c) for c in range(32)}


@dataclass(frozen=True)
class BuildSettings:
    out: Path | None = None
    """Where bundles go; default ``<kit>/out``."""
    x264_preset: str | None = None
    """Override every preset's x264 speed (tests and quick previews)."""
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
    clip_name: str
    final_step: str
    step_ids: tuple[str, ...]
    manifest_step: str
    plan_key: str
    up_to_date: bool
    inputs: tuple[InputFile, ...]


@dataclass(frozen=True)
class BuildPlan:
    kit: Kit
    out: Path
    cache_root: Path
    ffmpeg: FFmpeg
    master: MediaInfo
    steps: tuple[Step, ...]
    bundles: tuple[BundlePlan, ...]

    def pending(self) -> list[Step]:
        """The steps the bundles that are not up to date need, in plan order."""
        wanted: set[str] = set()
        for bundle in self.bundles:
            if not bundle.up_to_date:
                wanted.update(bundle.step_ids)
        return [s for s in self.steps if s.id in wanted]


def safe_filename(text: str) -> str:
    """``text`` usable as a file name on FAT32 sticks, Windows and Unix alike."""
    cleaned = "".join("-" if ch in _FAT_FORBIDDEN else ch for ch in text).strip(" .")
    return cleaned[:150].strip(" .") or "film"
