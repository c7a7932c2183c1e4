"""Languages by the name their speakers use, for the page's subtitle picker.

A stop-gap: screenkit is gaining a langcodes-based ``native_name(tag)``; until the page is
wired to it, callers may pass their own mapping and this table fills the gaps. A tag it does
not know is shown as the tag itself (never an empty option in the picker).
"""

from __future__ import annotations

from collections.abc import Mapping

_NATIVE: dict[str, str] = {
    "ar": "العربية", "be": "беларуская", "bg": "български", "ca": "català", "cs": "čeština",
    "cy": "Cymraeg", "da": "dansk", "de": "Deutsch", "el": "Ελληνικά", "en": "English",
    "eo": "Esperanto", "es": "español", "et": "eesti", "eu": "euskara", "fa": "فارسی",
    "fi": "suomi", "fr": "français", "ga": "Gaeilge", "gl": "galego", "he": "עברית",
    "hr": "hrvatski", "hu": "magyar", "is": "íslenska", "it": "italiano", "ja": "日本語",
    "ka": "ქართული", "ko": "한국어", "lt": "lietuvių", "lv": "latviešu", "mk": "македонски",
    "nb": "norsk bokmål", "nl": "Nederlands", "nn": "norsk nynorsk", "no": "norsk",
    "pl": "polski", "pt": "português", "pt-BR": "português (Brasil)",
    "pt-PT": "português (Portugal)", "ro": "română", "ru": "русский", "sk": "slovenčina",
    "sl": "slovenščina", "sq": "shqip", "sr": "српски", "sr-Latn": "srpski", "sv": "svenska",
    "tr": "Türkçe", "uk": "українська", "zh": "中文",
}  # fmt: skip


def native_name(tag: str) -> str:
    """``uk`` → ``українська``; ``pt-BR`` → ``português (Brasil)``; unknown → the tag."""
    for key in (tag, tag.split("-", 1)[0].lower()):
        for known, name in _NATIVE.items():
            if known.lower() == key.lower():
                return name
    return tag


def native_names(tags: list[str] | tuple[str, ...], given: Mapping[str, str]) -> dict[str, str]:
    """The picker's label of every tag: ``given`` where it names one, else `native_name`."""
    return {tag: (given.get(tag) or "").strip() or native_name(tag) for tag in tags}
