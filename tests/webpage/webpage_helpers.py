"""Shared data of the screening page tests: five tracks with distinct text, the appeal."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from screenkit.webpage import PageAppeal, PageInputs, PageTrack

LINK = "https://example.org/donate/solidarity?from=page&x=1"
VIDEO_NAME = "Preparing a Screening (uk, web) #1.mp4"
POSTER_NAME = "card 1.png"
DURATION = 12.0
EVIL = "<script>alert(1)</script> and </script> stay text"

# (start, end, text) per language; the times differ per track so a wrong track shows
_LINES = {
    "en": ["Welcome to the <i>screening</i>.", EVIL, "Bread & roses, 3 < 4 > 2"],
    "it": ["Benvenuti alla proiezione.", "Controlliamo il proiettore.", "Pane e rose."],
    "uk": ["Вітаємо на показі.", "Перевірмо проєктор.", "Хліб і троянди."],
    "pl": ["Witamy na pokazie.", "Sprawdźmy projektor.", "Chleb i róże."],
    "de": ["Willkommen zur Vorführung.", "Prüfen wir den Beamer.", "Brot und Rosen."],
}
TAGS = tuple(_LINES)


@dataclass(frozen=True)
class Line:
    start: float
    end: float
    markup: str
    """As written in the WebVTT file."""

    @property
    def shown(self) -> str:
        """What the audience must read: tags of WebVTT's own kind stripped, the rest literal."""
        return re.sub(r"</?i>", "", self.markup)

    @property
    def middle(self) -> float:
        return (self.start + self.end) / 2


def lines(tag: str) -> list[Line]:
    offset = TAGS.index(tag) * 0.1
    return [
        Line(1.0 + 3.5 * n + offset, 3.2 + 3.5 * n + offset, text)
        for n, text in enumerate(_LINES[tag])
    ]


def _stamp(seconds: float) -> str:
    ms = round(seconds * 1000)
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def webvtt(tag: str) -> str:
    """The track as a subtitler might write it; the English one escapes nothing itself."""
    blocks = ["WEBVTT", "NOTE made for the screening page tests"]
    for n, line in enumerate(lines(tag), 1):
        blocks.append(f"{n}\n{_stamp(line.start)} --> {_stamp(line.end)}\n{line.markup}")
    return "\n\n".join(blocks) + "\n"


def shown_at(tag: str, t: float) -> list[str]:
    return [line.shown for line in lines(tag) if line.start <= t < line.end]


def inputs(**over: object) -> PageInputs:
    fields: dict[str, object] = {
        "title": 'Preparing a "Screening" </title><script>alert(2)</script>',
        "video": VIDEO_NAME,
        "language": "uk",
        "tracks": tuple(PageTrack(tag, webvtt(tag)) for tag in TAGS),
        "poster": POSTER_NAME,
        "appeal": PageAppeal(
            title="Support the collective",
            text="The film is free to show.\n\nTonight we collect for <b>the kitchen</b> & rent.",
            beneficiary="Solidarity Collective (stand-in)",
            link=LINK,
        ),
    }
    fields.update(over)
    return PageInputs(**fields)  # type: ignore[arg-type]


def unescape(text: str) -> str:
    return html.unescape(text)
