"""``screenkit init``: the files of a new, empty kit. Never overwrites anything."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from screenkit.errors import InputError
from screenkit.kit import MANIFEST, load_kit
from screenkit.languages import valid_language
from screenkit.media.atomic import write_text_atomic
from screenkit.names import name_problem
from screenkit.placeholders import PLACEHOLDER_LINK, appeal_template, beneficiary_template

_MANIFEST = """\
# A screenkit kit. See `screenkit --help` and the README of screenkit.

[kit]
name = "{name}"
title = "{title}"
master = "media/film.mkv"        # the master file (not committed: large)
languages = [{languages}]
original_language = "{original}"
cache = "kit"                    # "kit": .screenkit/ in this folder; "user": the user cache

# The fundraising appeal on the card. These are placeholders: `screenkit build` refuses
# the kit until they name the real collective and its https donation page (and the texts
# in appeal/ say the real appeal). A demo kit may say `stand_in = true` instead.
[appeal]
beneficiary = "{beneficiary}"   # who the screening raises money for
link = "{link}"   # where to give: an https page (shown and as a QR code)

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
    if (problem := name_problem(name)) is not None:
        raise InputError(f"kit name {problem}", value=name, hint="choose one with --name")
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
            beneficiary=_toml_string(beneficiary_template(langs[0])),
            link=PLACEHOLDER_LINK,
        ),
        folder / ".gitignore": _GITIGNORE,
    }
    for lang in langs:  # in the kit's language: what to write there
        files[folder / "appeal" / f"{lang}.txt"] = appeal_template(lang) + "\n"
    for path, text in files.items():
        if not path.exists():
            write_text_atomic(path, text)
            created.append(path)
    load_kit(folder)  # what we wrote must load
    return created
