"""``screenkit init``: the files of a new, empty kit. Never overwrites anything."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from screenkit.errors import InputError
from screenkit.kit import MANIFEST, load_kit, valid_language, valid_name
from screenkit.media.atomic import write_text_atomic

_MANIFEST = """\
# A screenkit kit. See `screenkit --help` and the README of screenkit.

[kit]
name = "{name}"
title = "{title}"
master = "media/film.mkv"        # the master file (not committed: large)
languages = [{languages}]
original_language = "{original}"
cache = "kit"                    # "kit": .screenkit/ in this folder; "user": the user cache

[appeal]
beneficiary = "The collective this screening supports"
link = "https://example.org/donate"

[bundles.usb]
preset = "usb-player"
lang = "{original}"
burn = "{original}"
"""

_GITIGNORE = "media/\n.screenkit/\nout/\n"


def _toml_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def init_kit(
    folder: Path | str,
    *,
    name: str | None = None,
    title: str | None = None,
    languages: Sequence[str] | None = None,
) -> list[Path]:
    """Create the kit's folders and files that are missing; return what was created."""
    folder = Path(folder)
    if (folder / MANIFEST).exists():
        raise InputError(
            f"{folder / MANIFEST} exists already: {folder} is a kit",
            path=folder / MANIFEST,
            hint="edit it, or choose another folder",
        )
    name = name or re.sub(r"[^A-Za-z0-9._-]+", "-", folder.absolute().name).strip("-.") or "kit"
    if not valid_name(name):
        raise InputError(f"kit name '{name}' must be letters, digits, '.', '_' or '-'", value=name)
    langs = list(languages or ["en"])
    for tag in langs:
        if not valid_language(tag):
            raise InputError(f"'{tag}' is not a language tag like 'en', 'uk' or 'pt-BR'", value=tag)
    created: list[Path] = []
    for sub in ("subtitles", "appeal", "presets", "media"):
        path = folder / sub
        if not path.exists():
            path.mkdir(parents=True)
            created.append(path)
    files = {
        folder / MANIFEST: _MANIFEST.format(
            name=name,
            title=_toml_string(title or name),
            languages=", ".join(f'"{t}"' for t in langs),
            original=langs[0],
        ),
        folder / ".gitignore": _GITIGNORE,
    }
    for lang in langs:
        files[folder / "appeal" / f"{lang}.txt"] = (
            "This film is free to screen on one condition: the screening raises money for "
            "the collective it supports. Please give what you can.\n"
        )
    for path, text in files.items():
        if not path.exists():
            write_text_atomic(path, text)
            created.append(path)
    load_kit(folder)  # what we wrote must load
    return created
