"""The poster step: ``poster.pdf``, A4, in the bundle's language (`screenkit.poster`).

No ffmpeg: fpdf2 lays out the title, the organiser's line, the appeal and the QR code of the
donation link with the shipped font (and the kit's) embedded. Keyed by every text, the
language's catalogues and the fonts, so a new appeal or venue redraws only the poster.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from screenkit.bundle.documents import files
from screenkit.bundle.engine.kind import Kind
from screenkit.bundle.engine.planner import Planner
from screenkit.bundle.engine.step import StepRun
from screenkit.bundle.kinds.shape import BundleShape
from screenkit.poster import PosterSpec, poster_spec_from_kit, render_poster

NAME = files.POSTER


@dataclass(frozen=True)
class Settings:
    spec: PosterSpec


@dataclass(frozen=True)
class Result:
    out: str


class PosterKind(Kind[Settings, Result]):
    """No ffmpeg: a PDF written by fpdf2. A part of every bundle (`compose`)."""

    name = "poster"
    runs_ffmpeg = False
    placed = "whole"
    unkeyed: ClassVar[Mapping[str, str]] = {
        "spec.kit_root": "the catalogues found there are the step's inputs"
    }

    def run(self, run: StepRun[Settings]) -> Result:
        render_poster(run.step.settings.spec, run.work / NAME)
        return Result(NAME)

    def compose(self, p: Planner, shape: BundleShape) -> str | None:
        """The bundle's poster, in its language, with the organiser's line."""
        request = shape.video.request
        spec = poster_spec_from_kit(
            p.kit, request.lang, venue=request.venue, date=request.date, contact=request.contact
        )
        return plan(p, spec)


KIND = PosterKind()


def plan(p: Planner, spec: PosterSpec) -> str:
    return p.add(
        KIND,
        f"poster ({spec.lang})",
        settings=Settings(spec),
        inputs=[*p.font_files, *p.catalogues(spec.lang, spec.kit_root)],
        weight=0.5,
    )
