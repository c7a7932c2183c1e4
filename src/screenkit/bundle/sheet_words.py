"""The sheet's longer wording: what each file is, and what to do when the evening goes wrong.

Kept apart from `screenkit.bundle.sheet` (the layout) so that the wording translators see is
in one place. Every message goes through the bundle language's `Translator`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from screenkit.i18n import Translator
from screenkit.presets import VenuePreset

if TYPE_CHECKING:
    from screenkit.bundle.sheet import SheetFile

FileKind = Literal[
    "film",
    "clip",
    "clip-subtitles",
    "sidecar",
    "card-image",
    "frame-image",
    "sheet-html",
    "sheet-text",
    "manifest",
    "poster",
]
FAT32_LIMIT = 4 << 30


def file_what(f: SheetFile, tr: Translator) -> str:
    """One line saying what ``f`` is for, in the sheet's language."""
    _ = tr.gettext
    if f.kind == "sidecar":
        language = tr.language_name(f.lang or "und")
        if f.encoding in (None, "utf-8"):
            return _("{language} subtitles (UTF-8)").format(language=language)
        return _("{language} subtitles ({encoding}, for older players)").format(
            language=language, encoding=f.encoding
        )
    words = {
        "film": _("the film with the appeal card in front: play this"),
        "clip": _("about a minute (card + subtitled stretch): try it first"),
        "clip-subtitles": _("the test clip's subtitles"),
        "card-image": _("a picture of the card"),
        "frame-image": _("a subtitled frame"),
        "sheet-html": _("this sheet, for a browser"),
        "sheet-text": _("this sheet, as plain text"),
        "manifest": _("what is in the bundle and its checksums (screenkit verify)"),
        "poster": _("a poster to print: A4, with the QR code"),
    }
    return words[f.kind]


def usb_stick_format(preset: VenuePreset, tr: Translator) -> str:
    limit = preset.file_size_limit
    if limit and limit <= FAT32_LIMIT:
        return tr.gettext("FAT32 or exFAT")
    return tr.gettext("exFAT: the film is larger than FAT32 allows")


def troubleshooting(preset: VenuePreset, lang: str, video_name: str, tr: Translator) -> list[str]:
    """The usual failures of an evening and the fix for each, for this kind of device."""
    _ = tr.gettext
    legacy = f"screenkit build --preset usb-player-legacy --lang {lang}"
    out = [
        _(
            "The file is not listed: the stick's format may be one the player cannot read "
            "(use {format}, not NTFS or a Mac format), or the name was changed. Keep the "
            "file at the top of the stick, named '{name}'."
        ).format(format=usb_stick_format(preset, tr), name=video_name),
        _(
            "No sound: choose another audio output in the player's or TV's settings (stereo "
            "or PCM instead of passthrough or bitstream, TV speakers instead of HDMI ARC), "
            "and check the volume of the amplifier."
        ),
        _(
            "The picture stutters, or the player refuses the file: make the legacy bundle for "
            "old players ({command}) and try its test clip, or play the film from a laptop."
        ).format(command=legacy),
        _(
            "The subtitles are cut off at the edges: set the TV's or projector's picture format "
            "to 'just scan', 'full pixel' or 16:9 and compare with the picture of a subtitled "
            "frame in this bundle."
        ),
    ]
    return out
