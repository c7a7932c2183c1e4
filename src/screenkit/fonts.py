"""The font screenkit carries, and which characters a font can draw.

libass with an empty fontconfig finds no font and burns nothing, silently. So every burn-in
and card names a font file explicitly: the shipped Noto Sans (Latin, Cyrillic, Greek) or a
kit font for other scripts. `stage_fonts` copies them under plain names into a private
folder, the ``fontsdir`` given to libass, so that no font path reaches a filter string.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from screenkit.errors import InputError

SHIPPED_FAMILY = "Noto Sans"


@dataclass(frozen=True)
class Font:
    path: Path
    family: str


def shipped_font() -> Font:
    """The Noto Sans regular file from the fontpkg-noto-sans wheel."""
    try:
        import fontpkg
    except ImportError as exc:  # pragma: no cover - a dependency of screenkit
        raise InputError(
            "the shipped font is missing", hint="pip install fontpkg-noto-sans"
        ) from exc
    return Font(path=Path(fontpkg.path(SHIPPED_FAMILY)), family=SHIPPED_FAMILY)


def font_family(path: Path) -> str:
    """The family name a font file declares (what an ASS style's Fontname must say)."""
    from fontTools.ttLib import TTFont

    try:
        with TTFont(str(path), lazy=True, fontNumber=0) as font:
            name = font["name"]
            family = name.getBestFamilyName() or name.getDebugName(1)
    except Exception as exc:  # fontTools raises many kinds on junk input
        raise InputError(f"{path} is not a font file screenkit can read", path=path) from exc
    if not family:
        raise InputError(f"{path} declares no family name", path=path)
    return str(family)


@cache
def coverage(path: Path) -> frozenset[int]:
    """Code points the font's character map holds."""
    from fontTools.ttLib import TTFont

    try:
        with TTFont(str(path), lazy=True, fontNumber=0) as font:
            cmap = font.getBestCmap() or {}
    except Exception as exc:  # fontTools raises many kinds on junk input
        raise InputError(f"{path} is not a font file screenkit can read", path=path) from exc
    return frozenset(cmap)


def missing_glyphs(text: str, fonts: Iterable[Font]) -> list[str]:
    """Characters of ``text`` that none of ``fonts`` can draw (spaces and controls ignored)."""
    covered: set[int] = set()
    for font in fonts:
        covered |= coverage(font.path)
    seen: dict[str, None] = {}
    for ch in text:
        if ch.isspace() or not ch.isprintable() or ord(ch) in covered:
            continue
        if ord(ch) in (0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0xFEFF):  # zero-width marks
            continue
        seen.setdefault(ch, None)
    return list(seen)


def stage_fonts(dest: Path, fonts: Iterable[Font]) -> Path:
    """Copy ``fonts`` into ``dest`` under safe names; return ``dest`` for libass's fontsdir."""
    dest.mkdir(parents=True, exist_ok=True)
    for n, font in enumerate(fonts):
        target = dest / f"font{n}{font.path.suffix.lower() or '.ttf'}"
        if not target.exists():
            shutil.copyfile(font.path, target)
    return dest
