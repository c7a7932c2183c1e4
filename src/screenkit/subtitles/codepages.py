"""Which legacy code pages each language's subtitle files are found in, most likely first.

Subtitlers wrote Windows code pages for decades (cp1250 in Central Europe, cp1251 for
Cyrillic, cp1252 in the West, …), with ISO 8859, KOI8 and Mac pages behind them. The tables
here give, per language tag, the pages worth trying and in which order; `letter_pages`
turns them round (each page and the modelled languages found in it) for the letter models
of `screenkit.subtitles.letters`.
"""

from __future__ import annotations

import codecs
from functools import cache

_CYRILLIC = ("cp1251", "koi8-r", "mac-cyrillic", "cp866", "iso8859-5")
_CENTRAL = ("cp1250", "iso8859-2", "mac-latin2")
_WESTERN = ("cp1252", "iso8859-15", "latin-1", "mac-roman")
_BY_LANGUAGE: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("ru", "be", "bg", "sr", "mk", "kk", "ky", "tg", "mn", "ba", "tt"), _CYRILLIC),
    "uk": ("cp1251", "koi8-u", "mac-cyrillic", "cp866", "iso8859-5"),
    **dict.fromkeys(("pl", "cs", "sk", "hu", "sl", "hr", "bs", "sq"), _CENTRAL),
    "ro": ("cp1250", "iso8859-16", "iso8859-2"),
    **dict.fromkeys(
        (
            "en",
            "it",
            "de",
            "fr",
            "es",
            "pt",
            "nl",
            "da",
            "sv",
            "no",
            "nb",
            "nn",
            "fi",
            "is",
            "ca",
            "gl",
            "eu",
            "ga",
            "cy",
            "af",
            "sw",
            "id",
            "ms",
            "lb",
            "fo",
            "oc",
            "br",
        ),
        _WESTERN,
    ),
    "el": ("cp1253", "iso8859-7"),
    "tr": ("cp1254", "iso8859-9"),
    "az": ("cp1254", "iso8859-9"),
    "he": ("cp1255", "iso8859-8"),
    "yi": ("cp1255", "iso8859-8"),
    **dict.fromkeys(("ar", "fa", "ur"), ("cp1256", "iso8859-6")),
    **dict.fromkeys(("lt", "lv", "et"), ("cp1257", "iso8859-13", "iso8859-4")),
    "vi": ("cp1258",),
    "th": ("cp874", "tis-620"),
    "ja": ("cp932", "euc-jp", "iso2022-jp"),
    "zh": ("gb18030", "big5"),
    "ko": ("cp949", "euc-kr"),
}
_BY_TAG: dict[str, tuple[str, ...]] = {
    "zh-TW": ("big5", "gb18030"),
    "zh-HK": ("big5hkscs", "big5", "gb18030"),
    "zh-Hant": ("big5", "gb18030"),
    "sr-Latn": _CENTRAL,
    "sr-Cyrl": _CYRILLIC,
}
COMMON = (
    *("cp1252", "cp1250", "iso8859-2", "cp1251", "koi8-r", "koi8-u", "mac-cyrillic", "cp866"),
    *("cp1253", "cp1254", "cp1257", "cp1256", "cp1255"),
)
SCRIPT_OF: dict[str, str] = {
    **dict.fromkeys((*_CYRILLIC, "koi8-u"), "CYRILLIC"),
    **dict.fromkeys((*_CENTRAL, *_WESTERN, "iso8859-16", "cp1254", "iso8859-9"), "LATIN"),
    **dict.fromkeys(("cp1257", "iso8859-13", "iso8859-4", "cp1258"), "LATIN"),
    **dict.fromkeys(("cp1253", "iso8859-7"), "GREEK"),
    **dict.fromkeys(("cp1255", "iso8859-8"), "HEBREW"),
    **dict.fromkeys(("cp1256", "iso8859-6"), "ARABIC"),
    **dict.fromkeys(("cp874", "tis-620"), "THAI"),
}


def candidates_for(lang: str | None) -> tuple[str, ...]:
    """Legacy code pages worth trying for a language tag, most likely first."""
    if not lang:
        return ()
    if lang in _BY_TAG:
        return _BY_TAG[lang]
    return _BY_LANGUAGE.get(lang.split("-")[0].lower(), ())


@cache
def letter_pages() -> tuple[tuple[str, ...], dict[str, tuple[str, ...]]]:
    """The code pages of the languages with a letter model, commonest first, and which
    modelled languages keep files in each."""
    from screenkit.subtitles.letters import modelled

    users: dict[str, list[str]] = {}
    for lang in modelled():
        for codec in candidates_for(lang):
            users.setdefault(codecs.lookup(codec).name, []).append(lang)
    common = [codecs.lookup(c).name for c in COMMON]
    ordered = [c for c in common if c in users] + sorted(c for c in users if c not in common)
    return tuple(ordered), {c: tuple(v) for c, v in users.items()}
