"""The legacy code page a preset's sidecar needs for a language.

Old USB players read sidecar subtitles only in the Windows code page of the language's region.
The table covers the languages the film's collectives screen in and their neighbours; a tag not
listed is a clear error naming the preset key to set. Tags are parsed by `screenkit.languages`
(which also gives the ISO 639-2 codes and names re-exported here for the presets' callers).
"""

from __future__ import annotations

from screenkit.errors import ConfigError
from screenkit.languages import english_name, iso639_2, primary, script

language_name = english_name
__all__ = ["iso639_2", "language_name", "legacy_codepage"]

# the Windows code page an old player of that language's region reads
_CODEPAGES: dict[str, str] = {
    **dict.fromkeys(("cs", "sk", "pl", "hu", "sl", "hr", "bs", "ro", "sq"), "cp1250"),
    **dict.fromkeys(("ru", "uk", "be", "bg", "mk", "kk"), "cp1251"),
    **dict.fromkeys(
        ("en", "de", "fr", "it", "es", "pt", "nl", "da", "sv", "fi", "no", "nb", "nn",
         "is", "ca", "eu", "gl", "ga", "cy", "id", "sw", "eo"),
        "cp1252",
    ),
    "el": "cp1253", "tr": "cp1254", "he": "cp1255", "ar": "cp1256", "fa": "cp1256",
    "ur": "cp1256", "et": "cp1257", "lv": "cp1257", "lt": "cp1257", "vi": "cp1258",
    "th": "cp874", "ja": "cp932", "zh": "cp936", "ko": "cp949",
}  # fmt: skip
# script subtags that change the code page (Serbian is written in both scripts)
_SCRIPT_CODEPAGES = {"Latn": "cp1250", "Cyrl": "cp1251"}


def legacy_codepage(tag: str) -> str:
    """The Windows code page an old player expects for ``tag`` (``sr-Latn`` → cp1250)."""
    written_in = script(tag)
    if written_in in _SCRIPT_CODEPAGES:
        return _SCRIPT_CODEPAGES[written_in]
    lang = primary(tag)
    if lang == "sr":
        return "cp1251"
    try:
        return _CODEPAGES[lang]
    except KeyError:
        raise ConfigError(
            f"no legacy code page is known for '{tag}'",
            value=tag,
            key="subtitles.sidecar_encoding",
            hint='name one in the preset, e.g. sidecar_encoding = "cp1252", or use "utf-8"',
        ) from None
