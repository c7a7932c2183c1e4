"""Loading a subtitle track whatever its format and encoding.

The first cut: BOM/UTF-8 first, then charset detection with the track's language as a hint.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pysubs2

from screenkit.errors import InputError, SubtitleError


@dataclass
class Track:
    """A loaded track: the events (pysubs2 keeps whole milliseconds) and where they came from."""

    subs: pysubs2.SSAFile
    path: Path
    encoding: str
    format: str
    lang: str | None


def language_from_name(path: Path) -> str | None:
    """``uk.srt`` → ``uk``; ``film.pt-BR.srt`` → ``pt-BR``; otherwise None."""
    from screenkit.kit import valid_language

    parts = path.name.split(".")
    for part in reversed(parts[:-1]):
        if valid_language(part):
            return part
    return None


def decode(data: bytes, lang: str | None = None) -> tuple[str, str]:
    """Text and the encoding it was read with."""
    for bom, enc in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(enc), enc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise SubtitleError("cannot tell the text encoding")
    return str(best), best.encoding


def load_track(path: Path | str, *, lang: str | None = None, encoding: str | None = None) -> Track:
    path = Path(path)
    if not path.is_file():
        raise InputError(
            f"{path}: no such file" if not path.exists() else f"{path} is not a file", path=path
        )
    data = path.read_bytes()
    lang = lang or language_from_name(path)
    if encoding:
        try:
            text, enc = data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise SubtitleError(f"{path} cannot be read as {encoding}: {exc}", path=path) from exc
    else:
        try:
            text, enc = decode(data, lang)
        except SubtitleError as exc:
            raise SubtitleError(f"{path}: {exc}", path=path) from exc
    try:
        subs = pysubs2.SSAFile.from_string(text)
    except Exception as exc:  # pysubs2 raises several kinds for unreadable input
        raise SubtitleError(
            f"{path} is not a subtitle file screenkit can read ({exc})", path=path
        ) from exc
    return Track(subs=subs, path=path, encoding=enc, format=subs.format or "srt", lang=lang)
