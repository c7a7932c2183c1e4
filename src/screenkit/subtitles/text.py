"""What a viewer reads in an event, and whether its markup is well formed.

Counting is done on the text as shown: override tags and HTML-like tags removed, combining
marks and zero-width characters not counted (``é`` written as ``e`` + U+0301 is one
character on screen), every other character — spaces and punctuation included, as the
Netflix guide counts — counted once.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import pysubs2

_DRAWING = re.compile(r"\{[^}]*\\p[1-9]")
_POSITIONED = re.compile(r"\{[^}]*\\(?:pos|move|an\d|a\d)")
_HTML_TAG = re.compile(r"<(/?)\s*([A-Za-z][A-Za-z0-9]*)((?:[.\s][^<>]*)?)>")
_HTML_OPEN_NO_GT = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:[.\s][^<>]*)?(?=<|$)")
_TRACKED = {"i", "b", "u", "s", "font", "c", "ruby", "rt", "span"}
_SELF_CLOSING_OK = {"v", "lang"}  # WebVTT lets these run to the end of the cue


def plain_text(event: pysubs2.SSAEvent) -> str:
    """The event's visible text, lines separated by ``\\n``, outer blank lines removed."""
    return event.plaintext.replace("\u00a0", " ").strip("\n")


def visible_lines(event: pysubs2.SSAEvent) -> list[str]:
    text = plain_text(event)
    return [line.strip() for line in text.split("\n")] if text.strip() else []


@cache
def _invisible() -> re.Pattern[str]:
    """Combining marks and format characters of the Basic Multilingual Plane, as one class."""
    chars = [
        chr(c) for c in range(0x300, 0x10000) if unicodedata.category(chr(c)) in ("Mn", "Me", "Cf")
    ]
    return re.compile("[" + "".join(re.escape(ch) for ch in chars) + "]")


def visible_length(line: str) -> int:
    """Characters a viewer sees: combining marks and zero-width format characters excluded."""
    if line.isascii():
        return len(line)
    return len(line) - len(_invisible().findall(line))


def is_drawing(event: pysubs2.SSAEvent) -> bool:
    """An ASS vector drawing (``{\\p1}m 0 0 l …``): shapes, not text to read."""
    return bool(_DRAWING.search(event.text))


def is_positioned(event: pysubs2.SSAEvent) -> bool:
    """Placed on purpose (``\\pos``, ``\\move``, ``\\an8``): may share the screen with another."""
    return bool(_POSITIONED.search(event.text))


def tag_problems(markup: str, *, html: bool) -> list[str]:
    """What is wrong with the event's tags, in words; empty when all are balanced.

    ``{`` override blocks must close with ``}`` in every format; with ``html`` (SRT and
    WebVTT) ``<i>``, ``<b>``, ``<u>``, ``<s>``, ``<font>``, ``<c>`` … must close, in order.
    """
    problems = _brace_problems(markup)
    if html:
        problems.extend(_html_problems(markup))
    return problems


def _brace_problems(text: str) -> list[str]:
    problems: list[str] = []
    if "{" not in text and "}" not in text:
        return problems
    opened = -1
    for i, ch in enumerate(text):
        if ch == "{":
            if opened >= 0:
                problems.append(f"'{_snippet(text, opened)}' has no closing brace '}}'")
            opened = i
        elif ch == "}":
            if opened < 0:
                problems.append(f"'}}' closes a brace that was never opened ('{_around(text, i)}')")
            opened = -1
    if opened >= 0:
        problems.append(f"'{_snippet(text, opened)}' has no closing brace '}}'")
    return problems


def _html_problems(text: str) -> list[str]:
    problems: list[str] = []
    if "<" not in text:
        return problems
    stack: list[str] = []
    for m in _HTML_OPEN_NO_GT.finditer(text):
        problems.append(f"tag '{_snippet(text, m.start())}' has no closing '>'")
    for m in _HTML_TAG.finditer(text):
        closing, name = m.group(1) == "/", m.group(2).lower()
        if not closing:
            if name in _TRACKED:
                stack.append(name)
            continue
        if name in _SELF_CLOSING_OK:
            continue
        if stack and stack[-1] == name:
            stack.pop()
        elif name in stack:
            inner = stack[-1]
            problems.append(f"tags cross: '</{name}>' closes before '</{inner}>'")
            stack.remove(name)
        elif name in _TRACKED:
            problems.append(f"'</{name}>' closes a tag that was never opened")
    problems.extend(f"'<{name}>' is never closed" for name in stack)
    return problems


def _snippet(text: str, start: int, width: int = 14) -> str:
    piece = text[start : start + width].split("\n")[0].replace("\\N", " ")
    return piece + ("…" if len(text) - start > len(piece) else "")


def _around(text: str, i: int) -> str:
    return text[max(0, i - 8) : i + 1].replace("\n", " ")
