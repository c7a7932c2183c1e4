"""The card's ASS script (pysubs2): one style and one event per text block.

Every user text goes through `escape_ass`, so braces, backslashes and the rest appear
literally; our own override tags (``\\an``, ``\\pos``) are the only markup in the file.
Styles name the font family libass must find in the staged ``fontsdir`` and set
Encoding -1, libass's "detect the base direction" (Arabic and Hebrew lines start at the
right, punctuation lands where it belongs).
"""

from __future__ import annotations

import pysubs2

from screenkit.slides.layout import CardLayout, TextBlock
from screenkit.slides.text import escape_ass

WHITE = pysubs2.Color(255, 255, 255)
ACCENT = pysubs2.Color(255, 210, 74)
SOFT = pysubs2.Color(200, 204, 212)
COLOURS = {"link": ACCENT, "organiser": SOFT}


def _style(block: TextBlock) -> pysubs2.SSAStyle:
    return pysubs2.SSAStyle(
        fontname=block.font.family,
        fontsize=round(block.size, 1),
        primarycolor=COLOURS.get(block.name, WHITE),
        outlinecolor=pysubs2.Color(0, 0, 0),
        backcolor=pysubs2.Color(0, 0, 0),
        bold=block.bold,
        borderstyle=1,
        outline=0,
        shadow=0,
        alignment=pysubs2.Alignment(block.align),
        marginl=0,
        marginr=0,
        marginv=0,
        encoding=-1,
    )


def block_text(block: TextBlock) -> str:
    """The event text: our position tags, then the escaped lines joined by ``\\N``."""
    lines = [escape_ass(line) if line else "\\h" for line in block.lines]
    return f"{{\\an{block.align}\\pos({block.x},{block.y})}}" + "\\N".join(lines)


def card_script(layout: CardLayout, duration: float) -> pysubs2.SSAFile:
    """The ASS script drawing ``layout``'s texts from 0 to ``duration`` seconds."""
    subs = pysubs2.SSAFile()
    subs.info["PlayResX"] = str(layout.width)
    subs.info["PlayResY"] = str(layout.height)
    subs.info["WrapStyle"] = "2"
    subs.info["ScaledBorderAndShadow"] = "yes"
    subs.styles.clear()
    end = round(duration * 1000) + 1000
    for block in layout.blocks:
        name = block.name.capitalize()
        subs.styles[name] = _style(block)
        subs.append(pysubs2.SSAEvent(start=0, end=end, style=name, text=block_text(block)))
    return subs
