"""``SCREENING.html`` and ``SCREENING.txt``: the organiser's sheet for the evening.

Written in the bundle's language (gettext catalogues, `screenkit.i18n`; English where a
language has none): what is inside the bundle, how to play it on that kind of device, when
the cards show and how long the test clip is, the file's specs (as probed, not as intended),
a checklist for before the doors open, what to do when it goes wrong, and the appeal.

`sheet_sections` decides *what* the sheet says, once; `render_text` and `render_html` only
lay it out, so the two files cannot drift apart. Every text from the kit (title, appeal,
venue, ...) is HTML-escaped in the HTML sheet.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from screenkit.bundle.documents.files import FileKind
from screenkit.bundle.documents.sheet_specs import specs
from screenkit.bundle.documents.sheet_words import (
    checklist,
    file_what,
    how_to_play,
    stand_in_note,
    timing,
    troubleshooting,
    unzip_step,
)
from screenkit.encode.colour import ColourPlan
from screenkit.encode.quality import Quality
from screenkit.i18n import Translator, translator
from screenkit.media.info import MediaInfo
from screenkit.presets import VenuePreset

SectionKind = Literal["files", "steps", "table", "checks", "paragraphs"]


@dataclass(frozen=True)
class SheetFile:
    path: str
    """Relative to the bundle folder, ``/``-separated."""
    kind: FileKind
    lang: str | None = None
    """For a subtitle file: its language."""
    encoding: str | None = None
    """For a sidecar: its text encoding (``utf-8`` or a legacy code page)."""


@dataclass(frozen=True)
class DiscFacts:
    """What the authoring step measured of a DVD."""

    disc: str
    """``DVD-5`` or ``DVD-9``: the blank it needs."""
    size: int
    langs: tuple[str, ...]
    """Subpicture streams in order (the screening language first, shown from the start)."""
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class SheetData:
    """Everything the sheet says, and (for the bundle step) where its measured parts come from.

    The plan fills the texts and names; the sheet step adds what only exists once the bundle
    is made (``video`` as probed, ``files``, the pictures, the exact card and clip lengths)
    with `dataclasses.replace`. ``*_id`` name the steps whose outputs those are (empty when
    a sheet is rendered outside a bundle). Plain picklable data.
    """

    kit_name: str
    title: str
    bundle: str
    lang: str
    burned: str | None
    soft: tuple[str, ...]
    preset: VenuePreset
    video_name: str
    clip_name: str | None
    appeal_text: str
    beneficiary: str
    link: str
    venue: str | None = None
    date: str | None = None
    contact: str | None = None
    kit_root: str | None = None
    """The kit folder, whose ``locale/<lang>.po`` may add or override the sheet's language."""
    outro_seconds: float | None = None
    """The outro card's length when the bundle has one (the collection moment)."""
    stand_in: tuple[str, ...] = ()
    """Why the appeal is a placeholder (the build allowed it): the sheet says so in red."""
    enlarged_from: tuple[int, int] | None = None
    """The master's stored size when the film was enlarged to the preset's minimum frame."""
    page: bool = False
    """The bundle has ``index.html``, which plays the film in a browser."""
    conformed: tuple[float, float, bool] | None = None
    """An old player's fixed rate: (the master's fps, the disc's, sped up (PAL) or frames
    repeated (NTSC)); None where the master's rate is kept."""
    colour: ColourPlan | None = None
    """What the encode does with the master's colour (tone-maps its HDR, keeps it, nothing)."""
    video: MediaInfo | None = None
    files: tuple[SheetFile, ...] = ()
    card_image: str | None = None
    frame_image: str | None = None
    card_seconds: float | None = None
    clip_seconds: float | None = None
    final_id: str = ""
    sidecars_id: str = ""
    clip_id: str = ""
    card_image_id: str = ""
    frame_image_id: str = ""
    quality: Quality | None = None
    """The film encode's measured picture quality (None: its video was copied)."""
    disc: DiscFacts | None = None
    """For a DVD bundle: the disc it needs and its subpicture streams."""

    @property
    def folder(self) -> str:
        return f"{self.kit_name}-{self.bundle}"

    def translator(self) -> Translator:
        return translator(self.lang, Path(self.kit_root) if self.kit_root else None)


@dataclass(frozen=True)
class Section:
    heading: str
    kind: SectionKind
    items: tuple[str, ...] = ()
    rows: tuple[tuple[str, str], ...] = ()
    files: tuple[tuple[SheetFile, str], ...] = ()
    anchor: str = ""


@dataclass(frozen=True)
class Sheet:
    title: str
    subtitle: str
    organiser: str
    sections: tuple[Section, ...] = field(default=())
    figures: tuple[tuple[str, str], ...] = ()


def sheet_sections(data: SheetData, tr: Translator | None = None) -> Sheet:
    """What the sheet says, in its language, before any layout."""
    tr = tr or data.translator()
    _ = tr.gettext
    subtitle = _("Screening bundle {bundle} · {language} · for {preset}").format(
        bundle=data.folder, language=tr.native_name(data.lang), preset=data.preset.name
    )
    figures = []
    if data.card_image:
        figures.append((data.card_image, _("The appeal card, shown before the film")))
    if data.frame_image:
        figures.append((data.frame_image, _("A subtitled frame: is it readable from the back?")))
    files = tuple((f, file_what(f, tr)) for f in data.files)
    sections = [
        Section(_("What is inside"), "files", files=files, anchor="inside"),
        Section(
            _("How to play it"),
            "steps",
            (unzip_step(data, tr), *how_to_play(data, tr)),
            anchor="play",
        ),
    ]
    if timing(data, tr):
        heading = _("The cards and the test clip") if data.clip_name else _("The cards")
        sections.append(Section(heading, "paragraphs", tuple(timing(data, tr))))
    sections += [
        Section(_("Specs (measured)"), "table", rows=tuple(specs(data, tr)), anchor="specs"),
        Section(_("Before the doors open"), "checks", tuple(checklist(data, tr))),
        Section(
            _("When something goes wrong"),
            "paragraphs",
            tuple(
                troubleshooting(
                    data.preset,
                    data.lang,
                    data.video_name,
                    tr,
                    data.video.size_bytes if data.video else None,
                )
            ),
            anchor="trouble",
        ),
    ]
    organiser = " · ".join(x for x in (data.venue, data.date, data.contact) if x)
    return Sheet(data.title, subtitle, organiser, tuple(sections), tuple(figures))


def render_text(data: SheetData) -> str:
    tr = data.translator()
    sheet = sheet_sections(data, tr)
    lines = [sheet.title, "=" * len(sheet.title), "", sheet.subtitle]
    if sheet.organiser:
        lines.append(sheet.organiser)
    if data.stand_in:  # a placeholder appeal: before anything else
        lines += ["", "!!! " + stand_in_note(data.stand_in, tr)]
    for s in sheet.sections:
        lines += ["", s.heading, "-" * len(s.heading)]
        if s.kind == "files":
            lines += [f"  {f.path}  -  {what}" for f, what in s.files]
        elif s.kind == "steps":
            lines += [f"  {n}. {step}" for n, step in enumerate(s.items, 1)]
        elif s.kind == "table":
            width = max(len(k) for k, _ in s.rows) + 2
            lines += [f"  {k:<{width}}{v}" for k, v in s.rows]
        elif s.kind == "checks":
            lines += [f"  [ ] {c}" for c in s.items]
        else:
            lines += [f"  * {p}" for p in s.items]
    heading = tr.gettext("The appeal")
    lines += ["", heading, "-" * len(heading), data.appeal_text, ""]
    lines += [
        "  " + tr.gettext("For: {beneficiary}").format(beneficiary=data.beneficiary),
        "  " + tr.gettext("Donate: {link}").format(link=data.link),
        "",
    ]
    return "\n".join(lines)


_STYLE = (
    "body{font-family:sans-serif;max-width:50em;margin:2em auto;padding:0 1em;line-height:1.45;"
    "overflow-wrap:break-word}table{border-collapse:collapse;width:100%}"
    "td,th{padding:.2em .8em .2em 0;border-bottom:1px solid #ccc;text-align:left;"
    "vertical-align:top}th{white-space:nowrap}"
    ".pictures{display:flex;flex-wrap:wrap;gap:1em}"
    "figure{flex:1 1 18em;margin:0;min-width:0}"
    "img{display:block;width:100%;height:auto;max-height:32em;object-fit:contain;"
    "border:1px solid #999;background:#15171c}"
    ".appeal{background:#f4f4f4;padding:1em;white-space:pre-wrap}"
    "li{margin:.3em 0}ul.checks{list-style:none;padding-left:0}"
    "@media (max-width:30em){body{margin:1em auto}td,th{display:block;padding:.1em 0}"
    "th{border:0;white-space:normal}}"
)


def _section_html(s: Section) -> str:
    e = html.escape
    head = f'<h2 id="{s.anchor}">{e(s.heading)}</h2>' if s.anchor else f"<h2>{e(s.heading)}</h2>"
    if s.kind == "files":
        body = "".join(
            f'<li><a href="{e(f.path)}">{e(f.path)}</a> — {e(what)}</li>' for f, what in s.files
        )
        return f"{head}<ul>{body}</ul>"
    if s.kind == "steps":
        return head + "<ol>" + "".join(f"<li>{e(i)}</li>" for i in s.items) + "</ol>"
    if s.kind == "table":
        rows = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in s.rows)
        return f"{head}<table>{rows}</table>"
    if s.kind == "checks":
        return (
            head
            + '<ul class="checks">'
            + "".join(f"<li>&#9744; {e(i)}</li>" for i in s.items)
            + "</ul>"
        )
    return head + "".join(f"<p>{e(i)}</p>" for i in s.items)


def render_html(data: SheetData) -> str:
    e = html.escape
    tr = data.translator()
    sheet = sheet_sections(data, tr)
    lang = e(data.lang)
    kind = tr.gettext("screening sheet")
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(sheet.title)} — {e(kind)}</title>",
        f"<style>{_STYLE}</style></head>",
        "<body>",
        f"<h1>{e(sheet.title)}</h1>",
        f"<p>{e(sheet.subtitle)}</p>",
    ]
    if sheet.organiser:
        parts.append(f"<p><b>{e(sheet.organiser)}</b></p>")
    if data.stand_in:  # a placeholder appeal: in red, before anything else
        parts.append(
            '<p class="stand-in" style="color:#c00;font-weight:bold;border:2px solid #c00;'
            f'padding:.5em">{e(stand_in_note(data.stand_in, tr))}</p>'
        )
    if sheet.figures:
        parts.append(
            '<div class="pictures">'
            + "".join(
                f'<figure><img src="{e(src)}" alt="{e(cap)}"><figcaption>{e(cap)}</figcaption>'
                "</figure>"
                for src, cap in sheet.figures
            )
            + "</div>"
        )
    for s in sheet.sections:
        parts.append(_section_html(s))
    parts.append(f"<h2>{e(tr.gettext('The appeal'))}</h2>")
    parts.append(f'<div class="appeal" lang="{lang}">{e(data.appeal_text)}</div>')
    link = e(data.link)
    parts.append(
        "<p>"
        + e(tr.gettext("For: {beneficiary}")).format(beneficiary=f"<b>{e(data.beneficiary)}</b>")
        + " — "
        + e(tr.gettext("Donate: {link}")).format(link=f'<a href="{link}">{link}</a>')
        + "</p>"
    )
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)
