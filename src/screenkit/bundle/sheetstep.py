"""The sheet step: probe the finished video and write ``SCREENING.html`` and ``.txt``."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path
from typing import Any

from screenkit.bundle.actions import Tools, main_file
from screenkit.bundle.manifest import MANIFEST_NAME, preset_to_json
from screenkit.bundle.sheet import SheetData, SheetFile, render_html, render_text
from screenkit.bundle.steps import StepRun
from screenkit.media.atomic import write_text_atomic
from screenkit.media.probe import probe

HTML_NAME = "SCREENING.html"
TEXT_NAME = "SCREENING.txt"
_MEASURED = ("video", "files", "card_image", "frame_image", "card_seconds", "clip_seconds")


def params(inputs: SheetData) -> dict[str, Any]:
    """What the sheet says depends on: every text, the names, the preset, the catalogues."""
    document = {
        k: v
        for k, v in vars(inputs).items()
        if not k.endswith("_id") and k not in (*_MEASURED, "kit_root")
    }
    document["preset"] = preset_to_json(inputs.preset)
    document["catalogues"] = [
        hashlib.sha256(path.read_bytes()).hexdigest() for path in inputs.translator().catalogues
    ]
    return document


def _files(
    inputs: SheetData,
    sidecar_files: list[dict[str, str]],
    stills: dict[str, Any],
    clip_extras: list[str],
) -> list[SheetFile]:
    files = [SheetFile(inputs.video_name, "film"), SheetFile(inputs.clip_name, "clip")]
    files += [SheetFile(name, "clip-subtitles", inputs.lang) for name in clip_extras]
    for record in sidecar_files:
        files.append(SheetFile(record["path"], "sidecar", record["lang"], record["encoding"]))
    if stills.get("card"):
        files.append(SheetFile(str(stills["card"]), "card-image"))
    if stills.get("frame"):
        files.append(SheetFile(str(stills["frame"]), "frame-image"))
    files += [
        SheetFile(HTML_NAME, "sheet-html"),
        SheetFile(TEXT_NAME, "sheet-text"),
        SheetFile(MANIFEST_NAME, "manifest"),
    ]
    return files


def write_sheet(tools: Tools, inputs: SheetData, run: StepRun) -> dict[str, Any]:
    final = main_file(run.deps[inputs.final_id])
    stills = {**run.deps[inputs.card_image_id].meta, **run.deps[inputs.frame_image_id].meta}
    sidecar_files = list(run.deps[inputs.sidecars_id].meta.get("files", []))
    clip = run.deps[inputs.clip_id]
    clip_extras = sorted(name for name in clip.files if name != clip.meta["out"])
    data = replace(
        inputs,
        video=probe(final, ffmpeg=tools.ffmpeg),
        files=tuple(_files(inputs, sidecar_files, stills, clip_extras)),
        card_image=stills.get("card"),
        frame_image=stills.get("frame"),
        card_seconds=float(clip.meta["card"]),
        clip_seconds=probe(Path(clip.path(str(clip.meta["out"]))), ffmpeg=tools.ffmpeg).duration,
    )
    write_text_atomic(run.work / HTML_NAME, render_html(data))
    write_text_atomic(run.work / TEXT_NAME, render_text(data))
    return {"out": HTML_NAME}
