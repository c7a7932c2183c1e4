"""Reading WebVTT block by block, as the format defines it.

pysubs2 reads WebVTT with its SubRip parser, which glues ``NOTE`` comments, ``STYLE``
blocks and the next cue's identifier onto the previous cue's text (a cue id ``intro``
becomes a third subtitle line). Subtitlers' WebVTT from YouTube, Netflix or Apple carry all
of these, so screenkit splits the file into blocks first: header, comments, style and
region blocks are skipped, a cue is an optional id, one timing line and its text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pysubs2

from screenkit.errors import SubtitleError

_TIME = re.compile(r"^\s*(?:(\d+):)?(\d+):(\d+)[.,](\d{1,3})(?!\d)")
_SIMPLE_TAGS = {"i": "i", "b": "b", "u": "u", "s": "s"}
_TAG = re.compile(r"<\s*(/?)\s*([A-Za-z][A-Za-z0-9]*)[^>]*>|<\d[^>]*>")
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&nbsp;": "\u00a0", "&lrm;": "\u200e"}
_ENTITIES["&rlm;"] = "\u200f"
_ENTITY = re.compile("|".join(re.escape(e) for e in _ENTITIES))


@dataclass(frozen=True)
class Cue:
    """One cue as written: its times, the text with its tags, and where it stood."""

    start: int
    end: int
    markup: str
    line: int


def parse_time(text: str, line: int) -> tuple[int, str] | None:
    """``01:02:03.456`` or ``02:03.456`` at the start of ``text``: (ms, rest); None if absent.

    Minutes or seconds past 59 are an error, not a time: a file with ``99:99:99`` is broken
    and every later step (sync, burn-in) would inherit the nonsense.
    """
    m = _TIME.match(text)
    if not m:
        return None
    hours, minutes, seconds, frac = m.groups()
    if int(minutes) > 59 or int(seconds) > 59:
        raise SubtitleError(
            f"line {line}: '{m.group(0).strip()}' is not a valid time "
            "(minutes and seconds run from 00 to 59)",
            value=m.group(0).strip(),
        )
    ms = int(frac) * 10 ** (3 - len(frac))
    total = ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + ms
    return total, text[m.end() :]


def _timing(line_text: str, line: int) -> tuple[int, int] | None:
    first = parse_time(line_text, line)
    if first is None:
        return None
    start, rest = first
    rest = rest.lstrip(" \t")
    if not rest.startswith("-->"):
        return None
    second = parse_time(rest[3:].lstrip(" \t"), line)
    if second is None:
        return None
    end, tail = second
    if tail and not tail[0].isspace():
        return None
    return start, end


def read_cues(text: str) -> tuple[list[Cue], list[str]]:
    """The cues of a WebVTT document, and notes on lines that were skipped."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cues: list[Cue] = []
    notes: list[str] = []
    i = 0
    # header: everything up to the first blank line
    while i < len(lines) and lines[i].strip():
        i += 1
    while i < len(lines):
        while i < len(lines) and not lines[i].strip():
            i += 1
        block_start = i
        block: list[str] = []
        while i < len(lines) and lines[i].strip():
            block.append(lines[i])
            i += 1
        if not block:
            break
        head = block[0].strip()
        if head.startswith(("NOTE", "STYLE", "REGION")) and "-->" not in head:
            continue
        timing_at = 0 if "-->" in block[0] else 1
        if timing_at >= len(block) or "-->" not in block[timing_at]:
            notes.append(f"line {block_start + 1}: a block without a timing line was skipped")
            continue
        _take_cues(block, timing_at, block_start, cues, notes)
    return cues, notes


def _take_cues(
    block: list[str], at: int, block_start: int, cues: list[Cue], notes: list[str]
) -> None:
    """A block may hold several cues when blank lines between them are missing."""
    while at < len(block):
        number = block_start + at + 1
        timing = _timing(block[at], number)
        body: list[str] = []
        j = at + 1
        while j < len(block) and "-->" not in block[j]:
            body.append(block[j])
            j += 1
        if timing is None:
            notes.append(f"line {number}: timing line not understood, cue skipped")
        else:
            cues.append(Cue(timing[0], timing[1], "\n".join(body), number))
        at = j


def to_ass_markup(markup: str) -> str:
    """Cue text → the SubStation markup pysubs2 keeps: ``<i>`` → ``{\\i1}``, other tags dropped."""

    def tag(m: re.Match[str]) -> str:
        name = (m.group(2) or "").lower()
        if name in _SIMPLE_TAGS:
            return f"{{\\{_SIMPLE_TAGS[name]}{0 if m.group(1) else 1}}}"
        return ""

    text = _TAG.sub(tag, markup)
    text = _ENTITY.sub(lambda m: _ENTITIES[m.group(0)], text)
    return "\\N".join(part.strip() for part in text.split("\n")).strip()


def read_webvtt(text: str) -> tuple[pysubs2.SSAFile, list[str], list[str]]:
    """A WebVTT document as an SSAFile, the cue texts as written, and notes on skipped lines."""
    cues, notes = read_cues(text)
    subs = pysubs2.SSAFile()
    subs.format = "vtt"
    for cue in cues:
        subs.append(pysubs2.SSAEvent(start=cue.start, end=cue.end, text=to_ass_markup(cue.markup)))
    return subs, [c.markup for c in cues], notes
