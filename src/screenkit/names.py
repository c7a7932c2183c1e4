"""File-name rules: every name a bundle creates must fit the strictest disk it meets.

A bundle is built on the local disk (ext4 and most Unix filesystems: at most 255 *bytes* a
name) and copied onto a FAT32 or exFAT stick (at most 255 UTF-16 units a name; no
``<>:"/\\|?*``, no control characters, no trailing dot or space, no ``CON``/``NUL``/…
device names). UTF-8 never takes fewer bytes than UTF-16 takes units, so the byte count
decides the length, but both are checked so that a message can say which.

The names are checked when they are first known (the manifest loaded, the request
resolved), against the longest file name the build will make from them: a hidden
``.<kit>-<bundle>.partial-XXXXXXXX`` folder, a sidecar ``.<stem>.<lang>.<codepage>.part-
XXXXXXXX.srt`` being written. Nothing that a check could have caught fails after an encode.
"""

from __future__ import annotations

import re

NAME_MAX = 255
"""Bytes (UTF-8) a name may take on the build's disk; UTF-16 units on FAT32/exFAT."""

RESERVED_CHARS = frozenset('<>:"/\\|?*')
_DEVICE_NAMES = frozenset(
    {"CON", "PRN", "AUX", "NUL"}
    | {f"COM{n}" for n in range(1, 10)}
    | {f"LPT{n}" for n in range(1, 10)}
)

BUNDLE_FOLDER_EXTRA = len(".") + len(".partial-") + 8
"""What assembling adds to a bundle folder's name: ``.<name>.partial-`` + 8 random letters."""

NAME_LIMIT = NAME_MAX - BUNDLE_FOLDER_EXTRA - 2
"""Characters a kit or bundle name may have alone (``<kit>-<bundle>`` must fit as well)."""
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")

STEM_BUDGET = 160
"""Bytes the video's stem may take: room for ``.<stem>.<lang>.<codepage>.part-XXXXXXXX.srt``
(a legacy sidecar while it is written: at most ~90 bytes more)."""


def utf16_units(name: str) -> int:
    return len(name.encode("utf-16-le", "surrogatepass")) // 2


def utf8_bytes(name: str) -> int:
    return len(name.encode("utf-8", "surrogatepass"))


def _shown(name: str) -> str:
    text = name if len(name) <= 40 else f"{name[:37]}..."
    return repr(text)


def file_name_problem(name: str) -> str | None:
    """Why ``name`` cannot be one file or folder name on every disk a bundle meets, or None."""
    if not name:
        return "an empty name"
    if name in (".", ".."):
        return f"{name!r} is not a file name"
    controls = sorted({ch for ch in name if _control(ch)})
    if controls:
        shown = ", ".join(f"U+{ord(ch):04X}" for ch in controls)
        return f"{_shown(name)} holds control characters ({shown})"
    reserved = sorted(set(name) & RESERVED_CHARS)
    if reserved:
        return (
            f"{_shown(name)} holds {', '.join(repr(c) for c in reserved)}, "
            "which FAT32 and exFAT sticks do not allow"
        )
    if name.endswith((".", " ")):
        end = "dot" if name.endswith(".") else "space"
        return f"{_shown(name)} ends in a {end}, which a FAT32 or exFAT stick drops"
    if name.split(".")[0].rstrip(" ").upper() in _DEVICE_NAMES:
        return f"{_shown(name)} is a reserved device name on Windows and FAT32"
    units, size = utf16_units(name), utf8_bytes(name)
    if size > NAME_MAX:
        unit_note = f"{units} UTF-16 units on a stick, " if units > NAME_MAX else ""
        return (
            f"{_shown(name)} is too long: {unit_note}{size} bytes on this disk (at most {NAME_MAX})"
        )
    return None


def bundle_folder_problem(kit_name: str, bundle_name: str) -> str | None:
    """Why the bundle folder ``<kit>-<bundle>`` (and its hidden build folder) cannot be made."""
    folder = f"{kit_name}-{bundle_name}"
    problem = file_name_problem(folder)
    if problem is not None:
        return f"its folder {problem}"
    room = NAME_MAX - BUNDLE_FOLDER_EXTRA
    if utf8_bytes(folder) > room:
        return (
            f"its folder name '{kit_name}-{bundle_name[:20]}...' is too long: "
            f"{utf8_bytes(folder)} characters, at most {room} for the kit and bundle names "
            f"together (the hidden folder it is built in adds {BUNDLE_FOLDER_EXTRA})"
        )
    return None


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a kit or bundle name, or None.

    Letters, digits, ``.``, ``_``, ``-``, starting with a letter or digit; usable as (part
    of) one folder name on every disk a bundle meets (see `screenkit.names`).
    """
    shown = f"'{name}'" if name.isprintable() else repr(name)
    if len(name) > NAME_LIMIT:
        return f"'{name[:30]}...' is too long: {len(name)} characters, at most {NAME_LIMIT}"
    if not _NAME.fullmatch(name) or ".." in name:
        return f"{shown} must be letters, digits, '.', '_' or '-'"
    return file_name_problem(name)


def valid_name(name: str) -> bool:
    """A bundle or kit name usable as one folder name (no ``/``, no ``..``, no leading dot)."""
    return name_problem(name) is None


def fit(text: str, budget: int) -> str:
    """``text`` cut (on a character boundary) to at most ``budget`` UTF-8 bytes."""
    out = text
    while utf8_bytes(out) > budget:
        out = out[:-1]
    return out


def clean(text: str) -> str:
    """``text`` with what no stick allows replaced by ``-`` (names from free text: titles)."""
    return "".join("-" if ch in RESERVED_CHARS or _control(ch) else ch for ch in text)


def _control(ch: str) -> bool:
    return ord(ch) < 32 or ord(ch) == 127


def video_stem(title: str, lang: str, preset: str) -> str:
    """``<Title> (<lang>, <preset>)``, the title shortened so every name made from it fits."""
    tail = clean(f" ({lang}, {preset})")
    room = STEM_BUDGET - utf8_bytes(tail)
    head = fit(clean(title).strip(" ."), max(room, 0)).rstrip(" .") or "film"
    return fit(f"{head}{tail}", STEM_BUDGET).strip(" .") or "film"


def safe_filename(text: str) -> str:
    """Free ``text`` as one file name: cleaned and cut to fit (never an error)."""
    head = fit(clean(text).strip(" ."), STEM_BUDGET).rstrip(" .")
    return head or "film"
