"""BCP-47 language tags: parse any valid tag, name a language as its speakers do.

Built on langcodes (the IANA subtag registry) and language-data (CLDR's names), so any tag
the registry knows is accepted — ``fil``, ``es-419``, ``sr-Latn``, ``zh-Hant-TW`` — and
written one way (`parse_tag`: ``PT-br`` → ``pt-BR``, ``iw`` → ``he``), which is also how a
kit names a track's file. Names come in two kinds: `native_name` for people choosing their
language (a sheet, a web page's track picker: ``uk`` → ``українська``), and `english_name`
for the container's track title that older tools list (``Portuguese (pt-BR)``).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from screenkit.errors import ScreenkitError

if TYPE_CHECKING:
    import langcodes


class LanguageTagError(ScreenkitError):
    """Text that is not a valid BCP-47 tag; ``value`` is the text."""


@functools.lru_cache(maxsize=512)
def _get(tag: str) -> langcodes.Language | None:
    # imported on first use: its tables cost ~70 ms, which `screenkit probe` need not pay
    import langcodes

    try:
        if not langcodes.tag_is_valid(tag):
            return None
        return langcodes.Language.get(tag)
    except ValueError:  # langcodes' LanguageTagError is one
        return None


def parse_tag(text: str) -> str:
    """The canonical spelling of a valid BCP-47 tag (``pt_br`` → ``pt-BR``, ``eng`` → ``en``).

    Raises `LanguageTagError` for anything the subtag registry does not know (``english``,
    ``xx``, ``en-``).
    """
    language = _get(text.strip())
    if language is None:
        raise LanguageTagError(
            f"'{text}' is not a language tag like 'en', 'uk' or 'pt-BR'",
            value=text,
            hint="use a BCP-47 tag: a language code, optionally a script and a region "
            "(sr-Latn, pt-BR, es-419)",
        )
    import langcodes

    return langcodes.standardize_tag(language.to_tag())


def is_tag(text: str) -> bool:
    """Whether ``text`` is a valid tag in any spelling (``EN`` and ``pt_BR`` are)."""
    return _get(text.strip()) is not None


def is_canonical_tag(text: str) -> bool:
    """Whether ``text`` is a valid tag written the one way `parse_tag` writes it."""
    return is_tag(text) and parse_tag(text) == text


def valid_language(tag: str) -> bool:
    """A valid BCP-47 tag in its canonical spelling: ``en``, ``pt-BR``, ``sr-Latn``, ``es-419``.

    One spelling per language, because a tag also names its track's file (``pt-BR.srt``);
    `screenkit.languages.parse_tag` turns ``PT_br`` or ``por`` into it.
    """
    return is_canonical_tag(tag)


def primary(tag: str) -> str:
    """The language subtag: ``pt-BR`` → ``pt``; the lower-cased first part for a bad tag."""
    language = _get(tag)
    if language is None or language.language is None:
        return tag.split("-", 1)[0].lower()
    return language.language


def script(tag: str) -> str | None:
    """The script subtag when the tag names one: ``sr-Latn`` → ``Latn``."""
    language = _get(tag)
    return None if language is None else language.script


def native_name(tag: str) -> str:
    """The language as its speakers write it: ``uk`` → ``українська``, ``pt-BR`` →
    ``português (Brasil)``; the English name where CLDR has no native one, the tag where the
    registry knows no name at all."""
    language = _get(tag)
    if language is None or language.language in (None, "und"):
        return tag
    name = language.autonym()
    if name.startswith("Unknown language"):
        return tag
    if not name or name == language.language:
        return english_name(tag)
    return str(name)


def english_name(tag: str) -> str:
    """A track title in English: ``Portuguese (pt-BR)``, ``Ukrainian``; the tag when unknown."""
    language = _get(tag)
    if language is None or language.language in (None, "und"):
        return tag
    name = str(language.language_name("en"))
    if name.startswith("Unknown language"):
        return tag
    return name if "-" not in tag else f"{name} ({tag})"


def iso639_2(tag: str) -> str:
    """The three-letter ISO 639-2/B code a container's language field holds (``und`` when
    unknown): ``de`` → ``ger``, ``pt-BR`` → ``por`` (ffmpeg maps B codes to the T codes MP4
    wants)."""
    language = _get(tag)
    if language is None or language.language is None:
        return "und"
    try:
        return str(language.to_alpha3(variant="B"))
    except LookupError:
        return "und"
