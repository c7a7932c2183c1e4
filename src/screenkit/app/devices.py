"""The device cards: one per venue preset, in plain words, with a drawing of the device kind.

A standard preset has its own title and description here (in the page's language); a kit's
preset is shown by its name and its own description (the kit's text) and draws the device of
the standard preset it extends. `suggest` is the "which one is mine?" helper: a few answers
in, one preset out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from screenkit.i18n import Translator
from screenkit.presets import STANDARD, PresetInfo, list_presets

DeviceKind = Literal["usb", "laptop", "browser", "dvd", "usb-dvd", "archive"]
KINDS: Mapping[str, DeviceKind] = {
    "usb-player": "usb",
    "usb-player-legacy": "usb",
    "laptop": "laptop",
    "web": "browser",
    "archive": "archive",
    "dvd-pal": "dvd",
    "dvd-ntsc": "dvd",
    "divx": "usb-dvd",
}
ORDER = ("usb-player", "usb-player-legacy", "laptop", "web", "divx", "dvd-pal", "dvd-ntsc")
"""The standard presets an organiser picks from, most common first (``archive`` is the
distributor's and comes last)."""


@dataclass(frozen=True)
class Device:
    preset: str
    kind: DeviceKind
    title: str
    description: str
    standard: bool
    based_on: str | None
    """The standard preset a kit's preset extends (None for a standard one)."""

    def to_json(self) -> dict[str, object]:
        return {
            "preset": self.preset,
            "kind": self.kind,
            "title": self.title,
            "description": self.description,
            "standard": self.standard,
            "based_on": self.based_on,
        }


def standard_words(tr: Translator, name: str) -> tuple[str, str]:
    """(title, description) of a standard preset in the page's language."""
    words = {
        "usb-player": (
            tr.gettext("USB stick in a TV or projector"),
            tr.gettext(
                "Most TVs and projectors of the last ten years: the film plays from a USB "
                "stick, with the subtitles in the picture."
            ),
        ),
        "usb-player-legacy": (
            tr.gettext("USB stick in an older TV or projector"),
            tr.gettext(
                "For players that refuse the usual file: a smaller picture and a simpler "
                "format. Try it when the first one does not play."
            ),
        ),
        "laptop": (
            tr.gettext("Laptop connected to the screen"),
            tr.gettext(
                "VLC or mpv on a laptop, by cable to the projector: every subtitle language "
                "can be switched on and off."
            ),
        ),
        "web": (
            tr.gettext("Web browser"),
            tr.gettext(
                "The film plays in a browser, with or without internet: open index.html "
                "from the folder."
            ),
        ),
        "divx": (
            tr.gettext("DVD player with a USB port"),
            tr.gettext("Older DVD players and TVs that play AVI (DivX) files from a USB stick."),
        ),
        "dvd-pal": (
            tr.gettext("DVD player (Europe and most of the world)"),
            tr.gettext(
                "A disc to burn for the DVD player under the TV; the remote switches the "
                "subtitles. PAL: Europe, Ukraine, Africa, most of Asia, Australia."
            ),
        ),
        "dvd-ntsc": (
            tr.gettext("DVD player (the Americas, Japan)"),
            tr.gettext(
                "A disc to burn for the DVD player under the TV; the remote switches the "
                "subtitles. NTSC: North and South America, Japan, South Korea."
            ),
        ),
        "archive": (
            tr.gettext("Hand the film to another distributor"),
            tr.gettext(
                "The highest quality with every track apart. Very large files: not for a screening."
            ),
        ),
    }
    return words.get(name, (name, ""))


def _root(info: PresetInfo, by_name: Mapping[str, PresetInfo]) -> str | None:
    seen = set()
    current: PresetInfo | None = info
    while current is not None and current.name not in seen:
        seen.add(current.name)
        if current.origin == "standard" or (current.extends is None and current.name in STANDARD):
            return current.name
        if current.extends is None:
            return None
        if current.extends == current.name:  # a kit's file overriding the standard one
            return current.name if current.name in STANDARD else None
        current = by_name.get(current.extends)
        if current is None:
            return None
    return None


def devices(tr: Translator, kit_root: Path | None) -> list[Device]:
    """Every preset the kit can build, standard ones in `ORDER`, then the kit's own."""
    infos = list_presets(kit_root)
    by_name = {i.name: i for i in infos}
    found = []
    for info in infos:
        root = _root(info, by_name) if info.origin != "standard" else info.name
        if info.name in STANDARD:
            title, text = standard_words(tr, info.name)
            found.append(Device(info.name, KINDS.get(info.name, "usb"), title, text, True, None))
            continue
        based = standard_words(tr, root)[0] if root else None
        found.append(
            Device(
                info.name,
                KINDS.get(root or "", "usb"),
                info.name,
                info.description,
                False,
                based,
            )
        )

    def rank(device: Device) -> tuple[int, int, str]:
        if device.standard:
            position = ORDER.index(device.preset) if device.preset in ORDER else len(ORDER) + 1
            return (0 if device.preset != "archive" else 2, position, device.preset)
        return (1, 0, device.preset)

    return sorted(found, key=rank)


@dataclass(frozen=True)
class Question:
    name: str
    text: str
    answers: tuple[tuple[str, str], ...]


def questions(tr: Translator) -> tuple[Question, ...]:
    """The "which one is mine?" helper's questions, in the page's language."""
    return (
        Question(
            "how",
            tr.gettext("How will the film reach the screen?"),
            (
                ("usb", tr.gettext("From a USB stick plugged into the TV, projector or player")),
                ("laptop", tr.gettext("From a laptop connected by cable")),
                ("disc", tr.gettext("From a DVD disc")),
                ("browser", tr.gettext("In a web browser")),
            ),
        ),
        Question(
            "usb",
            tr.gettext("If from a USB stick: what is the stick plugged into?"),
            (
                ("new", tr.gettext("A TV or projector from the last ten years")),
                ("old", tr.gettext("An older TV or projector, or one that refused a file")),
                ("dvd", tr.gettext("A DVD player")),
            ),
        ),
        Question(
            "region",
            tr.gettext("If from a DVD: where is the screening?"),
            (
                ("pal", tr.gettext("Europe, Ukraine, Africa, Asia, Australia")),
                ("ntsc", tr.gettext("North or South America, Japan, South Korea")),
            ),
        ),
    )


def suggest(answers: Mapping[str, str]) -> str | None:
    """The standard preset for the helper's answers; None until the first is answered."""
    how = answers.get("how")
    if how == "laptop":
        return "laptop"
    if how == "browser":
        return "web"
    if how == "disc":
        return "dvd-ntsc" if answers.get("region") == "ntsc" else "dvd-pal"
    if how == "usb":
        return {"old": "usb-player-legacy", "dvd": "divx"}.get(answers.get("usb", ""), "usb-player")
    return None
