"""Reading an authored DVD back, for verify: lsdvd's view of the IFOs, and our own IFO read.

``lsdvd -x -Ox`` lists titles with their length, format, aspect, cells, chapters, audio and
subpicture streams with their languages. lsdvd does not show navigation commands, so the
title's pre-command that switches the screening language's subpictures on is read straight
from the title set's IFO (the PGC command table: a SetSTN with the subpicture field set).
"""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from screenkit.dvd.tools import DvdTools, run_tool
from screenkit.errors import InputError

SECTOR = 2048


@dataclass(frozen=True)
class AudioTrack:
    lang: str
    format: str
    channels: int
    frequency: int


@dataclass(frozen=True)
class DvdTitle:
    length: float
    format: str
    """PAL or NTSC."""
    aspect: str
    """``16/9`` or ``4/3``."""
    width: int
    height: int
    audio: tuple[AudioTrack, ...]
    subpictures: tuple[str, ...]
    """Language codes in stream order."""
    cells: int
    chapters: int


@dataclass(frozen=True)
class DvdReport:
    titles: tuple[DvdTitle, ...]
    shown_subpicture: int | None
    """The subpicture stream (0-based) title 1 switches on as it starts; None: none."""


def _text(node: ET.Element, tag: str, default: str = "") -> str:
    found = node.find(tag)
    return found.text.strip() if found is not None and found.text else default


def parse_lsdvd(xml_text: str) -> tuple[DvdTitle, ...]:
    """lsdvd's ``-Ox`` document as typed titles (lsdvd may print noise before the XML)."""
    start = xml_text.find("<?xml")
    if start < 0:
        start = xml_text.find("<lsdvd")
    root = ET.fromstring(xml_text[start:] if start >= 0 else xml_text)
    titles = []
    for track in root.findall("track"):
        audio = tuple(
            AudioTrack(
                lang=_text(a, "langcode"),
                format=_text(a, "format"),
                channels=int(_text(a, "channels", "0") or 0),
                frequency=int(_text(a, "frequency", "0") or 0),
            )
            for a in track.findall("audio")
        )
        titles.append(
            DvdTitle(
                length=float(_text(track, "length", "0")),
                format=_text(track, "format"),
                aspect=_text(track, "aspect"),
                width=int(_text(track, "width", "0")),
                height=int(_text(track, "height", "0")),
                audio=audio,
                subpictures=tuple(_text(s, "langcode") for s in track.findall("subp")),
                cells=len(track.findall("cell")),
                chapters=len(track.findall("chapter")),
            )
        )
    return tuple(titles)


def shown_subpicture(vts_ifo: Path) -> int | None:
    """The subpicture stream the first title PGC's pre-commands switch on (SetSTN)."""
    data = vts_ifo.read_bytes()
    if data[:12] != b"DVDVIDEO-VTS":
        raise InputError(f"{vts_ifo} is not a DVD title set IFO", path=vts_ifo)
    pgci = struct.unpack(">I", data[0xCC:0xD0])[0] * SECTOR
    pgc = pgci + struct.unpack(">I", data[pgci + 12 : pgci + 16])[0]
    table = pgc + struct.unpack(">H", data[pgc + 0xE4 : pgc + 0xE6])[0]
    if table == pgc:
        return None
    pre = struct.unpack(">H", data[table : table + 2])[0]
    for n in range(pre):
        command = data[table + 8 + 8 * n : table + 16 + 8 * n]
        if command[0] in (0x51, 0x41) and command[4] & 0x80:  # SetSTN, subpicture given
            value = command[4] & 0x7F
            return value & 0x1F if value & 0x40 else None
    return None


def read_dvd(root: Path, tools: DvdTools) -> DvdReport:
    """What a player sees in the DVD folder ``root`` (holding VIDEO_TS/)."""
    text = run_tool([tools.lsdvd, "-x", "-Ox", root], what="reading the DVD back")
    vts = root / "VIDEO_TS" / "VTS_01_0.IFO"
    return DvdReport(
        titles=parse_lsdvd(text),
        shown_subpicture=shown_subpicture(vts) if vts.is_file() else None,
    )


def disc_problems(
    report: DvdReport, langs: tuple[str, ...], aspect: str, *, shown: bool = True
) -> list[str]:
    """What is wrong with a read-back disc against what was authored ([] = fine): one title,
    the aspect, one audio stream, the subpicture languages in order, the first one shown."""
    problems = []
    if len(report.titles) != 1:
        return [f"expected one title, found {len(report.titles)}"]
    title = report.titles[0]
    want_aspect = aspect.split("-")[0].replace(":", "/")
    if title.aspect != want_aspect:
        problems.append(f"aspect {title.aspect}, expected {want_aspect}")
    if len(title.audio) != 1:
        problems.append(f"{len(title.audio)} audio streams, expected one")
    want = tuple(lang.split("-")[0].lower() for lang in langs)
    if title.subpictures != want:
        problems.append(f"subpicture streams {title.subpictures}, expected {want}")
    if want and shown and report.shown_subpicture != 0:
        problems.append("the screening language's subpictures are not switched on at the start")
    if want and not shown and report.shown_subpicture is not None:
        problems.append("subpictures are switched on over the burned-in subtitles")
    return problems
