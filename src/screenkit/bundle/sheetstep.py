"""The sheet step: probe the finished video and write ``SCREENING.html`` and ``.txt``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from screenkit.bundle.actions import Tools, main_file
from screenkit.bundle.manifest import MANIFEST_NAME, preset_to_json
from screenkit.bundle.sheet import SheetData, SheetFile, render_html, render_text
from screenkit.bundle.steps import StepRun
from screenkit.encode.quality import Quality
from screenkit.media.atomic import write_text_atomic
from screenkit.media.probe import probe
from screenkit.presets import VenuePreset, language_name

HTML_NAME = "SCREENING.html"
TEXT_NAME = "SCREENING.txt"


@dataclass(frozen=True)
class SheetInputs:
    kit_name: str
    title: str
    bundle: str
    lang: str
    burn: str | None
    soft: tuple[str, ...]
    preset: VenuePreset
    video_name: str
    clip_name: str
    appeal_text: str
    beneficiary: str
    link: str
    venue: str | None
    date: str | None
    contact: str | None
    final_id: str
    sidecars_id: str
    clip_id: str
    card_image_id: str
    frame_image_id: str
    film_id: str


def params(inputs: SheetInputs) -> dict[str, Any]:
    """What the sheet says depends on: every text, the names, the preset."""
    document = {k: v for k, v in vars(inputs).items() if not k.endswith("_id")}
    document["preset"] = preset_to_json(inputs.preset)
    return document


def _files(
    inputs: SheetInputs,
    sidecar_files: list[dict[str, str]],
    stills: dict[str, Any],
    clip_extras: list[str],
) -> list[SheetFile]:
    files = [
        SheetFile(inputs.video_name, "the film with the appeal card in front: play this"),
        SheetFile(inputs.clip_name, "about a minute (card + subtitled stretch): try it first"),
    ]
    files += [SheetFile(name, "the test clip's subtitles", inputs.lang) for name in clip_extras]
    for record in sidecar_files:
        enc = record["encoding"]
        note = "UTF-8" if enc == "utf-8" else f"{enc}, for older players"
        what = f"{language_name(record['lang'])} subtitles ({note})"
        files.append(SheetFile(record["path"], what, record["lang"]))
    if stills.get("card"):
        files.append(SheetFile(str(stills["card"]), "a picture of the card"))
    if stills.get("frame"):
        files.append(SheetFile(str(stills["frame"]), "a subtitled frame"))
    files += [
        SheetFile(HTML_NAME, "this sheet (for a browser)"),
        SheetFile(TEXT_NAME, "this sheet (plain text)"),
        SheetFile(MANIFEST_NAME, "what is in the bundle and its checksums (screenkit verify)"),
    ]
    return files


def _quality(measured: Any) -> str | None:
    return Quality.from_json(measured).describe() if measured else None


def write_sheet(tools: Tools, inputs: SheetInputs, run: StepRun) -> dict[str, Any]:
    final = main_file(run.deps[inputs.final_id])
    stills = {**run.deps[inputs.card_image_id].meta, **run.deps[inputs.frame_image_id].meta}
    sidecar_files = list(run.deps[inputs.sidecars_id].meta.get("files", []))
    clip = run.deps[inputs.clip_id]
    clip_extras = sorted(name for name in clip.files if name != clip.meta["out"])
    data = SheetData(
        title=inputs.title,
        bundle=f"{inputs.kit_name}-{inputs.bundle}",
        lang=inputs.lang,
        burned=inputs.burn,
        soft=inputs.soft,
        preset=inputs.preset,
        video=probe(final, ffmpeg=tools.ffmpeg),
        video_name=inputs.video_name,
        clip_name=inputs.clip_name,
        files=tuple(_files(inputs, sidecar_files, stills, clip_extras)),
        appeal_text=inputs.appeal_text,
        beneficiary=inputs.beneficiary,
        link=inputs.link,
        venue=inputs.venue,
        date=inputs.date,
        contact=inputs.contact,
        card_image=stills.get("card"),
        frame_image=stills.get("frame"),
        quality=_quality(run.deps[inputs.film_id].meta.get("quality")),
    )
    write_text_atomic(run.work / HTML_NAME, render_html(data))
    write_text_atomic(run.work / TEXT_NAME, render_text(data))
    return {"out": HTML_NAME}
