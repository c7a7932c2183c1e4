"""WebVTT tracks → the cue list the page embeds, with cue markup limited to WebVTT's own tags.

The browser parses a ``VTTCue``'s text as WebVTT cue text, where an unknown tag such as
``<script>`` is silently dropped — the audience would see ``alert(1)`` and the subtitler
would never learn the line was mangled. So every ``<`` that does not open one of WebVTT's
own tags (b, i, u, c, v, lang, ruby, rt, timestamps) and every ``&`` that does not start a
character reference is escaped here: the cue shows exactly what was written, as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from screenkit.errors import SubtitleError
from screenkit.subtitles.webvtt import read_cues
from screenkit.webpage.errors import WebPageError

_CLASSES = r"(?:\.[^\s.<>&]+)*"
_ALLOWED_TAG = re.compile(
    r"<(?:"
    rf"(?:b|i|u|c|ruby|rt){_CLASSES}"  # plain spans
    rf"|v{_CLASSES}(?:[ \t][^<>]*)?"  # voice, with its annotation
    rf"|lang{_CLASSES}[ \t][A-Za-z0-9-]+"  # language span, with its tag
    r"|/(?:b|i|u|c|v|lang|ruby|rt)"  # end tags
    r"|(?:\d{2,}:)?[0-5]\d:[0-5]\d\.\d{3}"  # timestamps
    r")>"
)
_REFERENCE = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")


_PLAIN = re.compile(r"[^<>&]+")


@dataclass(frozen=True)
class PageCue:
    """One cue as the page holds it: seconds, and cue text safe for ``VTTCue``."""

    start: float
    end: float
    text: str


def safe_cue_text(markup: str) -> str:
    """``markup`` with WebVTT's own tags kept and every other ``<``, ``>``, ``&`` escaped."""
    out: list[str] = []
    i = 0
    while i < len(markup):
        plain = _PLAIN.match(markup, i)
        if plain:  # the run of ordinary text up to the next <, > or &
            out.append(plain.group(0))
            i = plain.end()
            continue
        ch = markup[i]
        if ch == "<":
            m = _ALLOWED_TAG.match(markup, i)
            if m:
                out.append(m.group(0))
                i = m.end()
                continue
            out.append("&lt;")
        elif ch == ">":
            out.append("&gt;")
        elif ch == "&":
            m = _REFERENCE.match(markup, i)
            if m:
                out.append(m.group(0))
                i = m.end()
                continue
            out.append("&amp;")
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def page_cues(tag: str, webvtt: str) -> tuple[PageCue, ...]:
    """The cues of one track; a file that is not clean WebVTT is an error naming the line.

    Skipping a block the browser would also skip is not enough here: the page's cue count is
    what ``verify`` compares with the sidecar, so a cue lost in silence would pass unnoticed.
    """
    text = webvtt.removeprefix("\ufeff")
    first = text.split("\n", 1)[0].rstrip("\r")
    if not (first == "WEBVTT" or first.startswith(("WEBVTT ", "WEBVTT\t"))):
        raise WebPageError(
            f"the '{tag}' track is not WebVTT (it must start with a WEBVTT line)",
            key=f"tracks.{tag}",
            value=first[:40],
        )
    try:
        cues, notes = read_cues(text)
    except SubtitleError as exc:
        raise WebPageError(f"the '{tag}' track: {exc.message}", key=f"tracks.{tag}") from exc
    if notes:
        raise WebPageError(f"the '{tag}' track: {notes[0]}", key=f"tracks.{tag}", value=notes[0])
    out: list[PageCue] = []
    for cue in cues:
        if cue.end <= cue.start:
            raise WebPageError(
                f"the '{tag}' track: the cue at line {cue.line} ends before it starts",
                key=f"tracks.{tag}",
                value=cue.line,
            )
        out.append(PageCue(cue.start / 1000, cue.end / 1000, safe_cue_text(cue.markup)))
    return tuple(out)
