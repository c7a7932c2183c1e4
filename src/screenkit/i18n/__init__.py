"""The organiser's texts in their language: gettext catalogues, Babel for plurals and numbers.

Catalogues are ``.po`` files under ``screenkit/i18n/locale/<lang>.po`` (the convention
translators know): the bundle's words (sheet, card, poster, page) there, and one catalogue per
further part of screenkit under ``locale/<part>/<lang>.po`` (the organiser's app, the
subtitlers' tools, the catalogue of bundles), so a translator can take one part at a time.
A kit adds or overrides a language with ``locale/<lang>.po`` in the kit folder, which wins
over every shipped part. A wheel carries the ``.mo`` files compiled at build time (see
``setup.py``); an editable install or a kit's catalogue is compiled in memory from the
``.po`` (Babel), once per file and modification time. A language without a catalogue falls
back to English, the msgids themselves.

Library code marks a message with ``tr.gettext("…")`` / ``tr.ngettext("…", "…", n)`` on a
`Translator`; ``tests/i18n`` extracts those msgids from the source and fails when a
catalogue lacks one.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from screenkit.errors import ConfigError

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
KIT_LOCALE = "locale"
"""The folder of a kit's own catalogues, relative to the kit."""
FALLBACK = "en"


def shipped_languages() -> tuple[str, ...]:
    """Languages screenkit carries a catalogue for (English is the msgids themselves)."""
    return tuple(sorted({FALLBACK, *(p.stem for p in LOCALE_DIR.glob("*.po"))}))


def shipped_folders() -> tuple[Path, ...]:
    """The folders of screenkit's own catalogues: the bundle's, then each part's."""
    parts = sorted(p for p in LOCALE_DIR.iterdir() if p.is_dir() and not p.name.startswith("."))
    return (LOCALE_DIR, *parts)


def shipped_catalogues(lang: str) -> tuple[Path, ...]:
    """Every shipped ``.po`` file that holds ``lang`` (the bundle's first)."""
    return tuple(p for p in (_find(f, lang) for f in shipped_folders()) if p is not None)


@cache
def _mo_bytes(path: Path, mtime_ns: int) -> bytes:
    """``path`` (a .po) compiled: its .mo beside it when current, else compiled here."""
    del mtime_ns  # part of the cache key only: an edited catalogue is read again
    mo = path.with_suffix(".mo")
    if mo.is_file() and mo.stat().st_mtime_ns >= path.stat().st_mtime_ns:
        return mo.read_bytes()
    try:
        with path.open("rb") as fh:
            catalog = read_po(fh, abort_invalid=True)
    except Exception as exc:  # Babel raises several kinds on a broken catalogue
        raise ConfigError(
            f"{path} is not a gettext catalogue Babel can read: {exc}", path=path
        ) from exc
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def _load(path: Path) -> gettext.GNUTranslations:
    """A fresh translations object (fallbacks are chained onto it, so never a shared one)."""
    return gettext.GNUTranslations(io.BytesIO(_mo_bytes(path, path.stat().st_mtime_ns)))


def _candidates(lang: str) -> list[str]:
    """``pt-BR`` → ``pt_BR``, ``pt-BR``, ``pt``: the catalogue names that may hold it."""
    parts = lang.split("-")
    names = ["_".join(parts), lang] if len(parts) > 1 else [lang]
    names += [parts[0]] if len(parts) > 1 else []
    return list(dict.fromkeys(names))


def _find(folder: Path, lang: str) -> Path | None:
    for name in _candidates(lang):
        path = folder / f"{name}.po"
        if path.is_file():
            return path
    return None


def _locale(lang: str) -> Locale:
    for name in (*_candidates(lang), FALLBACK):
        try:
            return Locale.parse(name.replace("-", "_"))
        except (UnknownLocaleError, ValueError):
            continue
    return Locale.parse(FALLBACK)  # pragma: no cover - English is always known


@dataclass(frozen=True)
class Translator:
    """One language's messages, plural rules and number/date formats.

    ``catalogues`` are the files used, the kit's first; empty means English (the msgids).
    """

    lang: str
    catalogues: tuple[Path, ...]
    translations: gettext.NullTranslations

    @property
    def translated(self) -> bool:
        return bool(self.catalogues)

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    @property
    def locale(self) -> Locale:
        return _locale(self.lang)

    def number(self, value: float, digits: int = 1) -> str:
        """``value`` with the language's decimal mark: ``12,5`` in Italian."""
        pattern = "#,##0." + "0" * digits if digits else "#,##0"
        return str(format_decimal(value, format=pattern, locale=self.locale))

    def seconds(self, value: float) -> str:
        """A length in seconds to the millisecond, trailing zeros dropped: ``12,011 s``."""
        text = str(format_decimal(round(value, 3), format="0.###", locale=self.locale))
        return self.gettext("{seconds} s").format(seconds=text)

    def language_name(self, tag: str) -> str:
        """``tag``'s name in this language (``ucraino`` in Italian); the tag when unknown."""
        try:
            parsed = Locale.parse(tag.replace("-", "_"))
        except (UnknownLocaleError, ValueError):
            return tag
        if "-" not in tag and "_" not in tag:  # "ukr", "uk": the language, no region
            return parsed.get_language_name(self.locale) or tag
        return parsed.get_display_name(self.locale) or tag

    def native_name(self, tag: str) -> str:
        """``tag``'s name in itself (``українська``), as a language picker shows it."""
        try:
            named = Locale.parse(tag.replace("-", "_")).get_display_name()
        except (UnknownLocaleError, ValueError):
            return tag
        return named or tag

    def date(self, value: date) -> str:
        from babel.dates import format_date

        return str(format_date(value, format="long", locale=self.locale))


def translator(lang: str, kit_root: Path | None = None) -> Translator:
    """The messages for ``lang``: the kit's ``locale/<lang>.po`` over screenkit's own.

    A message the kit's catalogue lacks comes from screenkit's (each part's catalogue in
    turn); a language none has is English. Raises `ConfigError` for a catalogue that cannot
    be read.
    """
    kit: Sequence[Path] = [kit_root / KIT_LOCALE] if kit_root is not None else []
    found = [p for p in (_find(f, lang) for f in kit) if p is not None]
    found += shipped_catalogues(lang)
    chain: gettext.NullTranslations = gettext.NullTranslations()
    for path in reversed(found):  # the shipped ones at the bottom, the kit's on top
        layer = _load(path)
        layer.add_fallback(chain)
        chain = layer
    return Translator(lang=lang, catalogues=tuple(found), translations=chain)
