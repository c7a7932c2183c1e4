"""dvdauthor: one title whose cells are the card, the film (and the outro), then VIDEO_TS/.

The card is its own VOB and so its own cell: a new appeal re-renders that short VOB and
re-authors (seconds), the film's VOB with its subpicture streams is reused untouched. The
title declares one subpicture stream per kit language, screening language first, each
tagged with its ISO 639-1 code; the title's pre-command ``subtitle=64`` selects stream 1 and
switches it on (SPRM 2: bit 6 = display), so the screening language shows from the start
and the remote's subtitle button steps through the others. Chapters every few minutes of
the film; the card is chapter 1.
"""

from __future__ import annotations

import os
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from screenkit.dvd.tools import DvdTools, run_tool
from screenkit.languages import primary
from screenkit.media.atomic import link_or_copy
from screenkit.presets.model import VenuePreset

VIDEO_TS = "VIDEO_TS"
AUDIO_TS = "AUDIO_TS"
SHOW_FIRST_STREAM = 64
"""SPRM 2 value: subpicture stream 0, displayed."""


@dataclass(frozen=True)
class TitleLayout:
    """What the one title plays, in order, and what it declares."""

    card: Path | None
    film: Path
    outro: Path | None
    film_seconds: float
    subtitle_langs: tuple[str, ...]
    """Subpicture stream languages in stream order (screening language first)."""
    audio_lang: str | None = None
    show_first: bool = True
    """Switch stream 1 on as the title starts (off where the screening language is burned
    into the picture as well: it would show twice)."""


def chapter_marks(seconds: float, every_minutes: int) -> str:
    """dvdauthor's chapter list for the film VOB: ``0,5:00,10:00,...`` (none at the very end)."""
    step = every_minutes * 60
    marks = ["0"]
    at = step
    while at < seconds - 30:  # a chapter in the last half minute is of no use
        marks.append(f"{at // 3600}:{at // 60 % 60:02d}:00" if at >= 3600 else f"{at // 60}:00")
        at += step
    return ",".join(marks)


def _lang(tag: str) -> str:
    code = primary(tag)
    return code if len(code) == 2 else "nolang"


def author_xml(layout: TitleLayout, preset: VenuePreset, names: dict[str, str]) -> str:
    """The dvdauthor control file; ``names`` maps card/film/outro to file names in its folder."""
    size = preset.video.fixed_size
    assert size is not None and preset.dvd is not None
    system = "pal" if size[1] == 576 else "ntsc"
    aspect = "16:9" if preset.video.aspect == "16:9" else "4:3"
    root = ET.Element("dvdauthor")
    vmgm = ET.SubElement(root, "vmgm")
    ET.SubElement(vmgm, "fpc").text = "jump title 1;"
    titles = ET.SubElement(ET.SubElement(root, "titleset"), "titles")
    video = ET.SubElement(titles, "video", format=system, aspect=aspect)
    if aspect == "16:9":
        video.set("widescreen", "nopanscan")
    audio = ET.SubElement(titles, "audio", format=preset.audio.codec)
    if layout.audio_lang:
        audio.set("lang", _lang(layout.audio_lang))
    for lang in layout.subtitle_langs:
        ET.SubElement(titles, "subpicture", lang=_lang(lang))
    pgc = ET.SubElement(titles, "pgc")
    if layout.subtitle_langs and layout.show_first:
        ET.SubElement(pgc, "pre").text = f"subtitle={SHOW_FIRST_STREAM};"
    if layout.card is not None:
        ET.SubElement(pgc, "vob", file=names["card"], chapters="0")
    marks = chapter_marks(layout.film_seconds, preset.dvd.chapter_minutes)
    ET.SubElement(pgc, "vob", file=names["film"], chapters=marks)
    if layout.outro is not None and preset.dvd.outro_cell:
        ET.SubElement(pgc, "vob", file=names["outro"])
    ET.SubElement(pgc, "post").text = "exit;"
    return ET.tostring(root, encoding="unicode") + "\n"


def author(layout: TitleLayout, preset: VenuePreset, workdir: Path, tools: DvdTools) -> Path:
    """Author the title in ``workdir``; returns the folder holding VIDEO_TS/ and AUDIO_TS/.

    The VOBs are linked (or copied) under plain names, so the XML holds no user path.
    """
    root = workdir / "disc"
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    names: dict[str, str] = {}
    for role, path in (("card", layout.card), ("film", layout.film), ("outro", layout.outro)):
        if path is None:
            continue
        names[role] = f"{role}.mpg"
        staged = workdir / names[role]
        staged.unlink(missing_ok=True)
        link_or_copy(path, staged)
    (workdir / "dvd.xml").write_text(author_xml(layout, preset, names), encoding="utf-8")
    env = {**os.environ, "VIDEO_FORMAT": "PAL" if preset.video.frame_height == 576 else "NTSC"}
    run_tool(
        [tools.dvdauthor, "-o", root, "-x", "dvd.xml"],
        what="authoring the DVD",
        cwd=workdir,
        env=env,
    )
    (root / AUDIO_TS).mkdir(exist_ok=True)
    for name in names.values():
        (workdir / name).unlink()
    return root


def vob_names(video_ts: Path) -> Sequence[str]:
    return sorted(p.name for p in video_ts.iterdir() if p.suffix.upper() == ".VOB")
