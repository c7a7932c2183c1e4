"""Language facts a container or an old player needs: ISO 639-2 codes and legacy code pages.

Containers predate BCP-47: MP4 and Matroska's ``Language`` element hold a three-letter ISO 639-2
code (ffmpeg turns a bibliographic code into the terminological one MP4 wants). Old USB players
read sidecar subtitles only in the Windows code page of the language's region. Both tables cover
the languages the film's collectives screen in and their neighbours; a tag not listed gets
``und`` / UTF-8 with a clear error where that is not enough.
"""

from __future__ import annotations

from screenkit.errors import ConfigError

# ISO 639-1 → (ISO 639-2/B, English name)
_ISO639: dict[str, tuple[str, str]] = {
    "ar": ("ara", "Arabic"), "be": ("bel", "Belarusian"), "bg": ("bul", "Bulgarian"),
    "bs": ("bos", "Bosnian"), "ca": ("cat", "Catalan"), "cs": ("cze", "Czech"),
    "cy": ("wel", "Welsh"), "da": ("dan", "Danish"), "de": ("ger", "German"),
    "el": ("gre", "Greek"), "en": ("eng", "English"), "eo": ("epo", "Esperanto"),
    "es": ("spa", "Spanish"), "et": ("est", "Estonian"), "eu": ("baq", "Basque"),
    "fa": ("per", "Persian"), "fi": ("fin", "Finnish"), "fr": ("fre", "French"),
    "ga": ("gle", "Irish"), "gl": ("glg", "Galician"), "he": ("heb", "Hebrew"),
    "hi": ("hin", "Hindi"), "hr": ("hrv", "Croatian"), "hu": ("hun", "Hungarian"),
    "hy": ("arm", "Armenian"), "id": ("ind", "Indonesian"), "is": ("ice", "Icelandic"),
    "it": ("ita", "Italian"), "ja": ("jpn", "Japanese"), "ka": ("geo", "Georgian"),
    "kk": ("kaz", "Kazakh"), "ko": ("kor", "Korean"), "ku": ("kur", "Kurdish"),
    "lt": ("lit", "Lithuanian"), "lv": ("lav", "Latvian"), "mk": ("mac", "Macedonian"),
    "mt": ("mlt", "Maltese"), "nb": ("nob", "Norwegian Bokmål"), "nl": ("dut", "Dutch"),
    "nn": ("nno", "Norwegian Nynorsk"), "no": ("nor", "Norwegian"), "pl": ("pol", "Polish"),
    "pt": ("por", "Portuguese"), "ro": ("rum", "Romanian"), "ru": ("rus", "Russian"),
    "sk": ("slo", "Slovak"), "sl": ("slv", "Slovenian"), "sq": ("alb", "Albanian"),
    "sr": ("srp", "Serbian"), "sv": ("swe", "Swedish"), "sw": ("swa", "Swahili"),
    "th": ("tha", "Thai"), "tr": ("tur", "Turkish"), "uk": ("ukr", "Ukrainian"),
    "ur": ("urd", "Urdu"), "vi": ("vie", "Vietnamese"), "zh": ("chi", "Chinese"),
}  # fmt: skip

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


def primary(tag: str) -> str:
    """``pt-BR`` → ``pt``."""
    return tag.split("-", 1)[0].lower()


def iso639_2(tag: str) -> str:
    """The three-letter code for a container's language field (``und`` when unknown)."""
    lang = primary(tag)
    if len(lang) == 3:
        return lang
    return _ISO639.get(lang, ("und", ""))[0]


def language_name(tag: str) -> str:
    """A track title players show: ``Portuguese (pt-BR)``, ``Ukrainian``; the tag when unknown."""
    name = _ISO639.get(primary(tag), ("", ""))[1]
    if not name:
        return tag
    return name if "-" not in tag else f"{name} ({tag})"


def legacy_codepage(tag: str) -> str:
    """The Windows code page an old player expects for ``tag`` (``sr-Latn`` → cp1250)."""
    parts = tag.split("-")
    for part in parts[1:]:
        if part in _SCRIPT_CODEPAGES:
            return _SCRIPT_CODEPAGES[part]
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
