"""Reading norms per language: line length and reading speed, with where each figure comes from.

A Finnish audience reads a subtitle at a different speed than an English one, and the public
style guides (Netflix's Timed Text Style Guides, one per language; a translators' union's
rules) give their own figures. They are data, ``screenkit/data/reading_norms.toml``; every
language there names its source and says which figure was read where and which is assumed.

`for_language` applies a language's norms to a QC profile: a profile with
``language_norms = true`` (the default, netflix) takes the language's characters per line
and per second; one that sets its own (bbc, relaxed, a kit's profile that writes
``max_cps``) keeps them. `subs check --lang L` (or a track named ``L.srt``), ``subs compare``
and the PO notes all go through it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Literal

from screenkit.config import Table, read_toml
from screenkit.subtitles.profiles import Profile

LineBreak = Literal["balanced", "bottom-heavy"]
LINE_BREAKS: tuple[str, ...] = ("balanced", "bottom-heavy")


@dataclass(frozen=True)
class ReadingNorms:
    """One language's limits for adult programmes, and where they come from."""

    tag: str
    """The table's key: ``fi``, ``pt-BR``."""
    name: str
    max_chars_per_line: int
    max_cps: float
    line_break: LineBreak
    url: str
    chars_from: str
    cps_from: str

    def to_json(self) -> dict[str, object]:
        return dataclasses.asdict(self)


def table_path() -> Path:
    return Path(str(resources.files("screenkit") / "data" / "reading_norms.toml"))


@cache
def all_norms() -> MappingProxyType[str, ReadingNorms]:
    """Every language of the table, validated (a broken table is a `ConfigError` naming it)."""
    path = table_path()
    root = Table(read_toml(path), path)
    languages = root.table("languages", required=True)
    found: dict[str, ReadingNorms] = {}
    for tag in list(languages.data):
        t = languages.table(tag)
        found[tag] = ReadingNorms(
            tag=tag,
            name=t.text("name", required=True),
            max_chars_per_line=t.integer("max_chars_per_line", required=True, min=10, max=200),
            max_cps=t.number("max_cps", required=True, min=1, max=100),
            line_break=t.choice("line_break", LINE_BREAKS, required=True),
            url=t.text("url", required=True),
            chars_from=t.text("chars_from", required=True),
            cps_from=t.text("cps_from", required=True),
        )
        t.done()
    languages.done()
    root.done()
    return MappingProxyType(found)


def norms_for(lang: str | None) -> ReadingNorms | None:
    """The norms of ``lang`` (``pt-BR`` itself, else its language ``pt``); None when unknown."""
    if not lang:
        return None
    table = all_norms()
    if lang in table:
        return table[lang]
    from screenkit.languages import primary

    return table.get(primary(lang))


def for_language(profile: Profile, lang: str | None) -> Profile:
    """``profile`` held to ``lang``'s norms where it takes them (``language_norms = true``).

    The result names the language in ``profile.lang``; a profile that keeps its own figures,
    or a language the table lacks, comes back unchanged.
    """
    norms = norms_for(lang)
    if norms is None or not profile.language_norms:
        return profile
    return dataclasses.replace(
        profile,
        max_chars_per_line=norms.max_chars_per_line,
        max_cps=norms.max_cps,
        lang=norms.tag,
    )
