"""The catalogue's words in the organiser's language: devices, sizes, what a bundle holds.

Shared by the site's pages and ``screenkit fetch --list``; every message goes through the
language's `Translator` (the ``handover`` part's catalogues, ``locale/handover/<lang>.po``,
chained below the bundle's, whose messages such as "What is inside" are reused as they are).
"""

from __future__ import annotations

from collections.abc import Sequence

from screenkit.bundle.documents.manifest import Manifest
from screenkit.bundle.documents.sheet_words import device_kind
from screenkit.i18n import Translator
from screenkit.presets import VenuePreset


def device_of(preset: VenuePreset) -> str:
    """The catalogue's ``device`` key for a preset (`screenkit.handover.catalogue.DEVICES`)."""
    kind = device_kind(preset)
    if kind == "usb" and preset.subtitles.sidecar_encoding == "legacy":
        return "usb-legacy"
    return str(kind)


def device_words(device: str, tr: Translator) -> str:
    """What plays the bundle, as an organiser would say it."""
    _ = tr.gettext
    words = {
        "usb": _("A TV or projector that plays from a USB stick"),
        "usb-legacy": _("An older TV or media player that plays from a USB stick"),
        "laptop": _("A laptop with VLC or mpv, connected to the projector"),
        "browser": _("Any computer's web browser, with no internet needed"),
        "archive": _("The hand-over copy for another distributor"),
        "dvd": _("A DVD player: a disc image to burn"),
        "divx": _("The USB port of a DVD player or an older TV (DivX)"),
    }
    return words.get(device, device)


def size_words(size: int, tr: Translator) -> str:
    """``1,2 GB`` / ``350 MB`` / ``12 KB`` with the language's decimal mark and units."""
    if size >= 1e9:
        return tr.gettext("{size} GB").format(size=tr.number(size / 1e9, 1))
    if size >= 1e6:
        return tr.gettext("{size} MB").format(size=tr.number(size / 1e6, 0 if size >= 1e8 else 1))
    return tr.gettext("{size} KB").format(size=tr.number(max(size, 1) / 1e3, 0))


def language_list(tags: Sequence[str], tr: Translator) -> str:
    """The languages named in ``tr``'s language (``англійська, італійська``)."""
    return ", ".join(tr.language_name(tag) for tag in tags)


def inside_words(manifest: Manifest, sizes: dict[str, int], tr: Translator) -> list[str]:
    """What the bundle holds, one line each: the film, its subtitles, the clip, the sheet."""
    _ = tr.gettext
    listed = {record.path for record in manifest.files}
    lines = [
        _("The film with the appeal card in front: {name} ({size})").format(
            name=manifest.video, size=size_words(sizes.get(manifest.video, 0), tr)
        )
    ]
    burn = manifest.options.get("burn")
    if burn:
        lines.append(
            _("Subtitles burned into the picture: {language}").format(
                language=tr.language_name(str(burn))
            )
        )
    soft = [str(tag) for tag in manifest.options.get("soft") or []]
    subs = manifest.preset.subtitles
    if soft and subs.subpictures:
        lines.append(_("DVD subtitles: {languages}").format(languages=language_list(soft, tr)))
    elif soft and subs.soft:
        lines.append(
            _("Subtitle tracks to switch on: {languages}").format(languages=language_list(soft, tr))
        )
    elif soft and subs.sidecar != "none":
        lines.append(
            _("Subtitle files beside the film: {languages}").format(
                languages=language_list(soft, tr)
            )
        )
    if manifest.test_clip:
        lines.append(_("A test clip to try on the device first"))
    if "SCREENING.html" in listed:
        lines.append(_("The screening sheet: how to play it, what to check before the doors open"))
    if "poster.pdf" in listed:
        lines.append(_("A poster to print (A4)"))
    if "index.html" in listed:
        lines.append(_("A page that plays the film in a browser (index.html)"))
    return lines
