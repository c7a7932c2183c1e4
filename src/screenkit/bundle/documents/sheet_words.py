"""The sheet's wording: how to play, when the cards show, the checklist, what each file is,
and what to do when the evening goes wrong.

Kept apart from `screenkit.bundle.documents.sheet` (the layout) so that the wording
translators see is in one place. Every message goes through the bundle language's `Translator`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from screenkit.bundle.documents.families import FAMILIES
from screenkit.bundle.documents.files import Device
from screenkit.i18n import Translator
from screenkit.presets import VenuePreset

if TYPE_CHECKING:
    from screenkit.bundle.documents.sheet import SheetData, SheetFile

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
        "page": _("open it in a browser: the film with every subtitle track, no internet needed"),
        "disc-image": _("the DVD as a disc image: burn this onto a blank DVD"),
        "dvd-folder": _("the DVD's files: burn as a DVD-Video disc, or open in VLC to try it"),
    }
    return words[f.kind]


def usb_stick_format(preset: VenuePreset, tr: Translator, size: int | None = None) -> str:
    """The stick's file system: from the film's measured ``size``, else the preset's limit."""
    return stick_format(size if size is not None else preset.file_size_limit, tr)


def stick_format(largest: int | None, tr: Translator) -> str:
    """The stick's file system for files up to ``largest`` bytes (None: no limit known).

    Also the words of ``screenkit copy``'s checks, so that the stick and the sheet agree."""
    if largest and largest < FAT32_LIMIT:
        return tr.gettext("FAT32 or exFAT")
    return tr.gettext("exFAT: the film is larger than FAT32 allows")


def troubleshooting(
    preset: VenuePreset, lang: str, video_name: str, tr: Translator, size: int | None = None
) -> list[str]:
    """The usual failures of an evening and the fix for each, for this kind of device."""
    _ = tr.gettext
    if device_kind(preset) == "dvd":
        return [
            _(
                "The player does not start the disc: burn it again at a low speed on a DVD-R, "
                "as a disc image; or play the VIDEO_TS folder from a laptop with VLC."
            ),
            _(
                "No subtitles: press the remote's subtitle button (SUBTITLE or SUB) until the "
                "language shows."
            ),
            _(
                "No sound: choose stereo or PCM instead of Dolby Digital or bitstream in the "
                "player's audio settings, and check the volume of the amplifier."
            ),
            _(
                "The picture is squeezed or stretched: set the player's TV type to 16:9 "
                "(widescreen), or 4:3 letterbox on an old square TV."
            ),
        ]
    legacy = f"screenkit build --preset usb-player-legacy --lang {lang}"
    return [
        _(
            "The file is not listed: the stick's format may be one the player cannot read "
            "(use {format}, not NTFS or a Mac format), or the name was changed. Keep the "
            "file at the top of the stick, named '{name}'."
        ).format(format=usb_stick_format(preset, tr, size), name=video_name),
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


def device_kind(preset: VenuePreset) -> Device:
    """Which playing guide fits: the family's own, or from what the preset does (not from
    its name)."""
    own = FAMILIES[preset.family].device
    if own is not None:
        return own
    if preset.audio.is_pcm:
        return "archive"
    if preset.subtitles.burn:
        return "usb"
    if preset.subtitles.sidecar == "vtt":
        return "browser"
    return "laptop"


def how_to_play(data: SheetData, tr: Translator) -> list[str]:
    _ = tr.gettext
    kind = device_kind(data.preset)
    name = data.video_name
    lang_name = tr.language_name(data.burned or data.lang)
    if kind in ("dvd", "divx"):
        return old_player_steps(data, tr)
    if kind == "usb":
        return [
            _("Copy the whole folder onto a USB stick ({format}); eject it properly.").format(
                format=usb_stick_format(
                    data.preset, tr, data.video.size_bytes if data.video else None
                )
            ),
            _(
                "Plug the stick into the TV or projector and open its media player "
                "('USB', 'Media', 'Movie' or 'Video' in the source or home menu)."
            ),
            _(
                "Choose '{name}'. The {language} subtitles are burned into the picture: there "
                "is nothing to switch on."
            ).format(name=name, language=lang_name),
            _(
                "Do not copy a subtitle file from subtitles/ beside the film: the player would "
                "show two subtitles at once. Those files are for another player, a laptop or "
                "another evening: they are the same words as text."
            ),
        ]
    if kind == "laptop":
        return [
            _("Open '{name}' in VLC (Media > Open File) or mpv.").format(name=name),
            _(
                "The {language} subtitles are on by default. Other languages: VLC: Subtitle > "
                "Sub Track; mpv: press j to cycle, J to go back."
            ).format(language=tr.language_name(data.lang)),
            _(
                "Full screen: f (both players). Connect the projector before opening the film; "
                "mirror the screen or move the player window onto it."
            ),
            _("Switch off sleep, the screen saver and notifications; plug in the charger."),
        ]
    if kind == "browser":
        return [
            _(
                "Open index.html (double-click it): it plays '{name}' in the browser with the "
                "subtitles of every language, straight from the stick, with no internet."
            ).format(name=name),
            _(
                "Choose the subtitle language under the picture (or press s); at the end the "
                "appeal and its QR code fill the screen."
            ),
            _("Full screen: the player's button or f. Turn off notifications first."),
            _(
                "The subtitles are also in subtitles/ as WebVTT (.vtt) files, for another "
                "player or web page."
            ),
        ]
    return [
        _(
            "This is the hand-over copy for another distributor: high quality, every subtitle "
            "track soft, uncompressed sound."
        ),
        _("Check it with `screenkit verify` on the receiving side; play it with VLC or mpv."),
    ]


def old_player_steps(data: SheetData, tr: Translator) -> list[str]:
    """How to play a DVD or a DivX file: burn the image, or copy the AVI and its .srt."""
    _ = tr.gettext
    name = data.video_name
    if device_kind(data.preset) == "dvd":
        disc = data.disc.disc if data.disc else "DVD-5"
        blank = _("a dual-layer DVD-9 (DVD+R DL)") if disc == "DVD-9" else _("a blank DVD-R")
        if data.burned:
            button = _(
                "The {language} subtitles are burned into the picture: leave the remote's "
                "subtitle button alone (another language would show over them); next and "
                "previous skip five minutes (a chapter)."
            ).format(language=tr.language_name(data.burned))
        else:
            button = _(
                "The remote's subtitle button (SUBTITLE or SUB) switches to another language "
                "or turns the subtitles off; next and previous skip five minutes (a chapter)."
            )
        return [
            _(
                "Burn '{name}' onto {blank} with any burning program, as a disc image (Windows: "
                "right-click > Burn disc image; macOS: Finder or Disk Utility; Linux: Brasero "
                "or K3b: 'burn image'), not as a data disc of files."
            ).format(name=name, blank=blank),
            _(
                "Put the disc in the DVD player: the appeal card plays, then the film, by "
                "themselves. The {language} subtitles show from the start."
            ).format(language=tr.language_name(data.lang)),
            button,
            _(
                "Try the disc on the evening's very player before the doors open: some older "
                "players read only DVD-R, not DVD+RW or dual-layer discs."
            ),
        ]
    srt = f"{PurePosixPath(name).stem}.srt"
    return [
        _(
            "Copy '{name}' and '{srt}' to the top folder of a USB stick (FAT32), not into a "
            "folder, and keep their names: the player finds the subtitles by the name."
        ).format(name=name, srt=srt),
        _(
            "Plug the stick into the DVD player or TV and open its USB or media menu; choose "
            "'{name}'."
        ).format(name=name),
        _(
            "The {language} subtitles are burned into the picture. If the player also shows "
            "the .srt's text (the same words twice), press the subtitle button until one "
            "shows, or leave '{srt}' off the stick."
        ).format(language=tr.language_name(data.burned or data.lang), srt=srt),
    ]


def stand_in_note(problems: Sequence[str], tr: Translator) -> str:
    """The red line at the top of a sheet whose appeal is a placeholder (the reasons are the
    kit check's own words)."""
    return tr.gettext(
        "STAND-IN APPEAL: this bundle was built with a placeholder appeal ({reasons}). Do not "
        "screen it as it is: the card does not name a real collective or link."
    ).format(reasons="; ".join(problems))


def timing(data: SheetData, tr: Translator) -> list[str]:
    """When the cards show and how long the test clip is, to the millisecond as measured."""
    _ = tr.gettext
    out = []
    if data.card_seconds is not None:
        out.append(
            _("The appeal card shows for {length} before the film, with the QR code.").format(
                length=tr.seconds(data.card_seconds)
            )
        )
    if data.outro_seconds is not None:
        out.append(
            _(
                "The appeal card shows again after the film for {length}; pause on it during "
                "the collection."
            ).format(length=tr.seconds(data.outro_seconds))
        )
    if data.clip_seconds is not None:
        out.append(
            _("The test clip {name} lasts {length}: the card, then a subtitled stretch.").format(
                name=data.clip_name, length=tr.seconds(data.clip_seconds)
            )
        )
    return out


def checklist(data: SheetData, tr: Translator) -> list[str]:
    _ = tr.gettext
    if data.clip_name is None:
        first = _(
            "Play the first minutes of the burned disc on the very player of the evening, with "
            "its sound system, and press the subtitle button once to see the languages."
        )
    else:
        first = _(
            "Play the test clip ({clip}) on the very device of the evening, with its sound system."
        ).format(clip=data.clip_name)
    return [
        first,
        _("Check the subtitles are readable from the back row."),
        _("Set the sound level with the card and the first minutes: voices clear at the back."),
        _("Check the QR code on the card can be scanned from the seats (try with two phones)."),
        _(
            "Set up the fundraiser: the link or QR code works, a box or a card reader is ready, "
            "someone says a word before or after the film."
        ),
    ]


def unzip_step(data: SheetData, tr: Translator) -> str:
    """The first step for a bundle downloaded as one ZIP (``screenkit publish`` offers one):
    unpack it, and copy the folder it holds, not the archive."""
    return tr.gettext(
        "Downloaded as one ZIP file? Unpack it first (Windows: right-click it > Extract All; "
        "macOS: double-click it), then copy the folder '{folder}' that comes out of it, not "
        "the ZIP, onto the stick or the laptop."
    ).format(folder=data.folder)
