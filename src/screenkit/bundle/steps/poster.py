"""The poster step: ``poster.pdf``, A4, in the bundle's language (`screenkit.poster`).

No ffmpeg: fpdf2 lays out the title, the organiser's line, the appeal and the QR code of the
donation link with the shipped font (and the kit's) embedded. Keyed by every text, the
language's catalogues and the fonts, so a new appeal or venue redraws only the poster.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from screenkit.bundle.cache import Entry
from screenkit.bundle.planner import Planner
from screenkit.bundle.step import Command, Folders, Step, StepRun
from screenkit.i18n import translator
from screenkit.poster import PosterSpec, render_poster

KIND = "poster"
RUNS_FFMPEG = False
"""Its `commands` are always empty: ``--dry-run`` has nothing more to show once it can run."""
NAME = "poster.pdf"


@dataclass(frozen=True)
class Settings:
    spec: PosterSpec


@dataclass(frozen=True)
class Result:
    out: str


def params(spec: PosterSpec) -> dict[str, Any]:
    texts = {k: v for k, v in vars(spec).items() if k not in ("fonts", "kit_root")}
    catalogues = translator(spec.lang, spec.kit_root).catalogues
    texts["catalogues"] = [hashlib.sha256(p.read_bytes()).hexdigest() for p in catalogues]
    return texts


def plan(p: Planner, spec: PosterSpec) -> str:
    return p.add(
        KIND,
        f"poster ({spec.lang})",
        settings=Settings(spec),
        params=params(spec),
        inputs=p.font_files,
        weight=0.5,
    )


def commands(step: Step, deps: Mapping[str, Entry], folders: Folders) -> list[Command]:
    return []  # no ffmpeg: a PDF written by fpdf2


def run(run: StepRun) -> Result:
    s: Settings = run.step.settings
    render_poster(s.spec, run.work / NAME)
    return Result(NAME)
