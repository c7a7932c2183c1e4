"""What each `Finding` says, in the organiser's language, in the words of the bundle's sheet.

Where the sheet already has the words (the stick's format, the old player's top folder),
its own messages are used, so that the stick check and the printed sheet never disagree.
"""

from __future__ import annotations

from screenkit.bundle.documents.sheet_words import stick_format
from screenkit.i18n import Translator
from screenkit.stick.checks import Finding


def size_words(size: int, tr: Translator) -> str:
    """A size as people read it: ``812,4 MB``, ``4,3 GB`` (decimal units, as on the box)."""
    if size >= 1_000_000_000:
        return tr.gettext("{size} GB").format(size=tr.number(size / 1e9))
    return tr.gettext("{size} MB").format(size=tr.number(size / 1e6))


def _param(finding: Finding, key: str) -> str:
    return str(finding.params.get(key, ""))


def _number(finding: Finding, key: str) -> int:
    value = finding.params.get(key, 0)
    return value if isinstance(value, int) else int(str(value) or 0)


def _filesystem(finding: Finding, tr: Translator) -> str:
    _ = tr.gettext
    fstype = _param(finding, "fstype")
    if _param(finding, "device") == "divx":
        return _(
            "The stick is formatted as {fstype}: the USB port of an old DVD player or TV often "
            "reads only FAT32. If the player does not list the film, copy it onto a FAT32 stick."
        ).format(fstype=fstype)
    return _(
        "The stick is formatted as {fstype}: many TVs and projectors read only FAT32 or exFAT. "
        "If the player does not list the film, copy it onto a stick formatted as {format}."
    ).format(fstype=fstype, format=stick_format(_number(finding, "largest"), tr))


def _existing(finding: Finding, tr: Translator) -> str:
    _ = tr.gettext
    folder, created = _param(finding, "folder"), _param(finding, "created")
    if finding.code == "replaces":
        return _(
            "'{folder}' on the stick holds another bundle or another build of this one: it "
            "will be replaced once the new copy has been read back and checked."
        ).format(folder=folder)
    if created:
        return _(
            "'{folder}' is already on the stick and holds another build of a bundle (made "
            "{created}). It is left as it is unless you choose to replace it."
        ).format(folder=folder, created=created.replace("T", " ")[:16])
    return _(
        "'{folder}' is already on the stick and holds something else. It is left as it is "
        "unless you choose to replace it."
    ).format(folder=folder)


def describe_finding(finding: Finding, tr: Translator) -> str:
    """``finding`` as a sentence or two in ``tr``'s language: what is wrong and what to do."""
    _ = tr.gettext
    code = finding.code
    if code == "filesystem":
        return _filesystem(finding, tr)
    if code in ("exists-other", "replaces"):
        return _existing(finding, tr)
    if code == "top-folder":
        sheet = _(
            "Copy '{name}' and '{srt}' to the top folder of a USB stick (FAT32), not into a "
            "folder, and keep their names: the player finds the subtitles by the name."
        ).format(name=_param(finding, "name"), srt=_param(finding, "srt"))
        return _(
            "The bundle is copied as a folder, but an old player looks only at the top of the "
            "stick. {advice}"
        ).format(advice=sheet)
    if code == "file-too-large":
        return _(
            "'{file}' is {size}: too large for a FAT32 stick, which holds at most 4 GiB in one "
            "file. Reformat the stick as exFAT, which most TVs and projectors read (this erases "
            "everything on it); NTFS also holds large files, but many players cannot read it."
        ).format(file=_param(finding, "file"), size=size_words(_number(finding, "size"), tr))
    if code == "no-space":
        return _(
            "Not enough space on the stick: the bundle needs {need}, the stick has {free} "
            "free. Delete what is not needed from it, or use a larger stick."
        ).format(
            need=size_words(_number(finding, "need"), tr),
            free=size_words(_number(finding, "free"), tr),
        )
    words = {
        "bundle-missing": _("{bundle} is not a folder: choose the bundle's folder."),
        "bundle-incomplete": _(
            "{bundle} is not a finished bundle: it has no manifest.json. Build it again, then "
            "copy it."
        ),
        "bundle-damaged": _(
            "The manifest.json of {bundle} cannot be read: build the bundle again."
        ),
        "bundle-changed": _(
            "'{file}' in the bundle is missing or has changed since the build: build the "
            "bundle again, then copy it."
        ),
        "dest-missing": _(
            "{dest} does not exist: is the stick plugged in? Choose its folder again."
        ),
        "dest-not-folder": _("{dest} is not a folder: choose the stick or a folder on it."),
        "dest-inside-bundle": _("{dest} is inside the bundle itself: choose the stick."),
        "dest-holds-bundle": _(
            "The bundle is already in {dest}: that is where it was built. Choose the stick."
        ),
        "dest-not-writable": _(
            "Nothing can be written to {dest}: the stick may be locked (a switch on its side) "
            "or read-only."
        ),
        "already": _(
            "This bundle is already on the stick ('{folder}'): it is read back and checked, "
            "not copied again."
        ),
    }
    text = words.get(code)
    if text is None:
        return code  # a code from a newer screenkit: still shown, never dropped
    return text.format(**{k: str(v) for k, v in finding.params.items()})
