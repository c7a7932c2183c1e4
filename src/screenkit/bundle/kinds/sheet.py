"""The sheet step: probe the finished video and write ``SCREENING.html`` and ``.txt``.

The texts themselves are rendered by `screenkit.bundle.documents.sheet`; this step gathers what they
say from the other steps' results (the sidecars written, the stills, the clip's extras).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import ClassVar

from screenkit.bundle.documents import files
from screenkit.bundle.documents.families import FAMILIES
from screenkit.bundle.documents.manifest import MANIFEST_NAME
from screenkit.bundle.documents.sheet import (
    DiscFacts,
    SheetData,
    SheetFile,
    render_html,
    render_text,
)
from screenkit.bundle.engine.kind import Kind
from screenkit.bundle.engine.planner import Planner
from screenkit.bundle.engine.registry import main_file
from screenkit.bundle.engine.results import result_of
from screenkit.bundle.engine.step import StepRun
from screenkit.bundle.kinds import clip, dvdauthor, film, poster, sidecars, stills, webpage
from screenkit.bundle.kinds.card import Result as CardResult
from screenkit.media.atomic import write_text_atomic
from screenkit.media.probe import probe

HTML_NAME = files.SHEET_HTML
TEXT_NAME = files.SHEET_TEXT


Settings = SheetData
"""What the plan knows of the sheet: every text and name; the measured parts stay empty."""


@dataclass(frozen=True)
class Result:
    out: str


def plan(p: Planner, settings: Settings, ids: Mapping[str, str]) -> str:
    """``ids``: the ``final`` (the video it probes), ``card_image``, ``frame_image`` and
    ``film`` steps; ``sidecars`` and ``clip`` for a file bundle, ``disc`` for a DVD."""
    kit_root = Path(settings.kit_root) if settings.kit_root else None
    return p.add(
        KIND,
        f"screening sheet ({settings.bundle})",
        settings=settings,
        inputs=p.catalogues(settings.lang, kit_root),
        deps=dict(ids),
        weight=0.3,
    )


def _files(
    s: Settings,
    written: tuple[sidecars.Sidecar, ...],
    images: list[stills.Result],
    clip_extras: list[str],
) -> list[SheetFile]:
    rows = FAMILIES[s.preset.family].video_files
    files = [SheetFile(name.format(video=s.video_name), role) for name, role in rows]
    if s.clip_name is not None:
        files.append(SheetFile(s.clip_name, "clip"))
    files += [SheetFile(name, "clip-subtitles", s.lang) for name in clip_extras]
    files += [SheetFile(r.path, "sidecar", r.lang, r.encoding) for r in written]
    card, frame = images
    if card.image:
        files.append(SheetFile(card.image, "card-image"))
    if frame.image:
        files.append(SheetFile(frame.image, "frame-image"))
    files.append(SheetFile(poster.NAME, "poster"))
    if s.page:
        files.append(SheetFile(webpage.NAME, "page"))
    files += [
        SheetFile(HTML_NAME, "sheet-html"),
        SheetFile(TEXT_NAME, "sheet-text"),
        SheetFile(MANIFEST_NAME, "manifest"),
    ]
    return files


class SheetKind(Kind[Settings, Result]):
    """No ffmpeg: a probe of the video and two text files."""

    name = "sheet"
    runs_ffmpeg = False
    placed = "whole"
    unkeyed: ClassVar[Mapping[str, str]] = {
        "kit_root": "the catalogues found there are the step's inputs"
    }

    def run(self, run: StepRun[Settings]) -> Result:
        s = run.step.settings
        final = main_file(run.deps["final"])
        card = result_of(run.deps["card_image"], stills.Result)
        frame = result_of(run.deps["frame_image"], stills.Result)
        written: tuple[sidecars.Sidecar, ...] = ()
        if "sidecars" in run.deps:
            written = sidecars.KIND.result(run.deps["sidecars"]).files
        clip_extras: list[str] = []
        card_seconds = clip_seconds = None
        if "clip" in run.deps:
            clip_entry = run.deps["clip"]
            clip_result = clip.KIND.result(clip_entry)
            clip_extras = sorted(name for name in clip_entry.files if name != clip_result.out)
            card_seconds = clip_result.card
            clip_seconds = probe(clip_entry.path(clip_result.out), ffmpeg=run.ffmpeg).duration
        disc = None
        if "disc" in run.deps:
            authored = dvdauthor.KIND.result(run.deps["disc"])
            disc = DiscFacts(authored.disc, authored.size, authored.langs, authored.warnings)
            card_seconds = result_of(run.deps["card"], CardResult).duration
        data = replace(
            s,
            video=probe(final, ffmpeg=run.ffmpeg),
            files=tuple(_files(s, written, [card, frame], clip_extras)),
            card_image=card.image,
            frame_image=frame.image,
            card_seconds=card_seconds,
            clip_seconds=clip_seconds,
            quality=film.KIND.result(run.deps["film"]).quality,
            disc=disc,
        )
        write_text_atomic(run.work / HTML_NAME, render_html(data))
        write_text_atomic(run.work / TEXT_NAME, render_text(data))
        return Result(HTML_NAME)


KIND = SheetKind()
