"""The build's plan: its settings, and every step of every bundle with their shapes.

One bundle's shapes (`BundlePlan`, and what its video part is asked and gives) are what the
kinds see of it: `screenkit.bundle.kinds.shape`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from screenkit.bundle.engine.step import Step
from screenkit.bundle.kinds.shape import BundlePlan
from screenkit.encode.estimate import EncodeEstimate
from screenkit.kit import Kit
from screenkit.media.binaries import FFmpeg
from screenkit.media.info import MediaInfo
from screenkit.names import safe_filename as _safe_filename


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
class FilmEstimate:
    """The expected wall time of one film step."""

    step: str
    label: str
    estimate: EncodeEstimate

    def sentence(self) -> str:
        return self.estimate.sentence(self.label)

    def to_json(self) -> dict[str, object]:
        return {
            "step": self.step,
            "label": self.label,
            **self.estimate.to_json(),
            "text": self.sentence(),
        }


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
