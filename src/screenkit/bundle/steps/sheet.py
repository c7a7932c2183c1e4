"""The sheet step: probe the finished video and write ``SCREENING.html`` and ``.txt``.

The texts themselves are rendered by `screenkit.bundle.sheet`; this step gathers what they
say from the other steps' results (the sidecars written, the stills, the clip's extras).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from screenkit.bundle.cache import Entry
from screenkit.bundle.manifest import MANIFEST_NAME, preset_key
from screenkit.bundle.planner import Planner
from screenkit.bundle.results import result_of
from screenkit.bundle.sheet import SheetData, SheetFile, render_html, render_text
from screenkit.bundle.step import Command, Folders, Step, StepRun, main_file
from screenkit.bundle.steps import clip, film, poster, sidecars, stills, webpage
from screenkit.media.atomic import write_text_atomic
from screenkit.media.probe import probe

KIND = "sheet"
HTML_NAME = "SCREENING.html"
TEXT_NAME = "SCREENING.txt"


Settings = SheetData
"""What the plan knows of the sheet: every text and name; the measured parts stay empty."""

_MEASURED = (
    "video",
    "files",
    "card_image",
    "frame_image",
    "card_seconds",
    "clip_seconds",
    "quality",
)


@dataclass(frozen=True)
class Result:
    out: str


def params(settings: Settings) -> dict[str, Any]:
    """What the sheet says depends on: every text, the names, the preset, the catalogues."""
    document = {
        k: v
        for k, v in vars(settings).items()
        if not k.endswith("_id") and k not in (*_MEASURED, "kit_root")
    }
    document["preset"] = preset_key(settings.preset)
    document["catalogues"] = [
        hashlib.sha256(path.read_bytes()).hexdigest() for path in settings.translator().catalogues
    ]
    return document


def plan(p: Planner, settings: Settings, ids: Mapping[str, str]) -> str:
    """``ids``: the ``final``, ``sidecars``, ``clip``, ``card_image``, ``frame_image``,
    ``film`` steps."""
    return p.add(
        KIND,
        f"screening sheet ({settings.bundle})",
        settings=settings,
        params=params(settings),
        deps=dict(ids),
        weight=0.3,
    )


def _files(
    s: Settings,
    written: tuple[sidecars.Sidecar, ...],
    images: list[stills.Result],
    clip_extras: list[str],
) -> list[SheetFile]:
    files = [SheetFile(s.video_name, "film"), SheetFile(s.clip_name, "clip")]
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


def commands(step: Step, deps: Mapping[str, Entry], folders: Folders) -> list[Command]:
    return []  # no ffmpeg: a probe of the video and two text files


def run(run: StepRun) -> Result:
    s: Settings = run.step.settings
    final = main_file(run.deps["final"])
    card = result_of(run.deps["card_image"], stills.Result)
    frame = result_of(run.deps["frame_image"], stills.Result)
    written = result_of(run.deps["sidecars"], sidecars.Result).files
    clip_entry = run.deps["clip"]
    clip_out = result_of(clip_entry, clip.Result).out
    clip_extras = sorted(name for name in clip_entry.files if name != clip_out)
    clip_result = result_of(clip_entry, clip.Result)
    data = replace(
        s,
        video=probe(final, ffmpeg=run.ffmpeg),
        files=tuple(_files(s, written, [card, frame], clip_extras)),
        card_image=card.image,
        frame_image=frame.image,
        card_seconds=clip_result.card,
        clip_seconds=probe(clip_entry.path(clip_out), ffmpeg=run.ffmpeg).duration,
        quality=result_of(run.deps["film"], film.Result).quality,
    )
    write_text_atomic(run.work / HTML_NAME, render_html(data))
    write_text_atomic(run.work / TEXT_NAME, render_text(data))
    return Result(HTML_NAME)
