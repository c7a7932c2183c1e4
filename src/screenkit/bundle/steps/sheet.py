"""The sheet step: probe the finished video and write ``SCREENING.html`` and ``.txt``.

The texts themselves are rendered by `screenkit.bundle.sheet`; this step gathers what they
say from the other steps' results (the sidecars written, the stills, the clip's extras).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from screenkit.bundle.cache import Entry
from screenkit.bundle.manifest import MANIFEST_NAME, preset_to_json
from screenkit.bundle.planner import Planner
from screenkit.bundle.results import result_of
from screenkit.bundle.sheet import SheetData, SheetFile, render_html, render_text
from screenkit.bundle.step import Command, Folders, Step, StepRun, main_file
from screenkit.bundle.steps import clip, sidecars, stills
from screenkit.media.atomic import write_text_atomic
from screenkit.media.probe import probe
from screenkit.presets import VenuePreset, language_name

KIND = "sheet"
HTML_NAME = "SCREENING.html"
TEXT_NAME = "SCREENING.txt"


@dataclass(frozen=True)
class Settings:
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


@dataclass(frozen=True)
class Result:
    out: str


def params(settings: Settings) -> dict[str, Any]:
    """What the sheet says depends on: every text, the names, the preset."""
    document = dict(vars(settings))
    document["preset"] = preset_to_json(settings.preset)
    return document


def plan(p: Planner, settings: Settings, ids: Mapping[str, str]) -> str:
    """``ids``: the ``final``, ``sidecars``, ``clip``, ``card_image``, ``frame_image`` steps."""
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
    files = [
        SheetFile(s.video_name, "the film with the appeal card in front: play this"),
        SheetFile(s.clip_name, "about a minute (card + subtitled stretch): try it first"),
    ]
    files += [SheetFile(name, "the test clip's subtitles", s.lang) for name in clip_extras]
    for record in written:
        note = "UTF-8" if record.encoding == "utf-8" else f"{record.encoding}, for older players"
        what = f"{language_name(record.lang)} subtitles ({note})"
        files.append(SheetFile(record.path, what, record.lang))
    card, frame = images
    if card.image:
        files.append(SheetFile(card.image, "a picture of the card"))
    if frame.image:
        files.append(SheetFile(frame.image, "a subtitled frame"))
    files += [
        SheetFile(HTML_NAME, "this sheet (for a browser)"),
        SheetFile(TEXT_NAME, "this sheet (plain text)"),
        SheetFile(MANIFEST_NAME, "what is in the bundle and its checksums (screenkit verify)"),
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
    data = SheetData(
        title=s.title,
        bundle=f"{s.kit_name}-{s.bundle}",
        lang=s.lang,
        burned=s.burn,
        soft=s.soft,
        preset=s.preset,
        video=probe(final, ffmpeg=run.ffmpeg),
        video_name=s.video_name,
        clip_name=s.clip_name,
        files=tuple(_files(s, written, [card, frame], clip_extras)),
        appeal_text=s.appeal_text,
        beneficiary=s.beneficiary,
        link=s.link,
        venue=s.venue,
        date=s.date,
        contact=s.contact,
        card_image=card.image,
        frame_image=frame.image,
    )
    write_text_atomic(run.work / HTML_NAME, render_html(data))
    write_text_atomic(run.work / TEXT_NAME, render_text(data))
    return Result(HTML_NAME)
