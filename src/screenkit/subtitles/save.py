"""Writing a track: format from the extension (or given), UTF-8 unless asked, atomically.

Old players want a legacy code page (cp1251 for a Ukrainian track, cp1250 for a Polish
one). When the text holds characters the code page has no byte for, the error lists each
of them and every event it occurs in, and names code pages that would hold them all — a
subtitler fixes a typographic apostrophe in event 12 in seconds, given the place.
"""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pysubs2

from screenkit.errors import SubtitleError
from screenkit.media.atomic import write_bytes_atomic
from screenkit.subtitles.formats import writer_for
from screenkit.subtitles.timecode import format_time

_SUGGEST = ("cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1257", "cp1255", "cp1256")
_MAX_PLACES = 10


@dataclass(frozen=True)
class Unencodable:
    """A character the chosen encoding cannot hold, and where it is."""

    char: str
    events: tuple[tuple[int, int], ...]
    """(event number as written, start in ms) for each event holding it."""
    in_header: bool = False

    def describe(self, limit: int = _MAX_PLACES) -> str:
        name = unicodedata.name(self.char, "")
        what = f"'{self.char}' U+{ord(self.char):04X}" + (f" {name}" if name else "")
        places = [f"{n} ({format_time(start)})" for n, start in self.events[:limit]]
        if len(self.events) > limit:
            places.append(f"and {len(self.events) - limit} more")
        where = []
        if places:
            where.append(("event " if len(self.events) == 1 else "events ") + ", ".join(places))
        if self.in_header:
            where.append("the header (style or script info)")
        return f"{what} in {' and '.join(where) or 'the file'}"


class EncodingError(SubtitleError):
    """The text holds characters the requested encoding cannot represent."""

    def __init__(
        self, message: str, *, path: Path, encoding: str, characters: tuple[Unencodable, ...]
    ) -> None:
        fits = [
            cp
            for cp in _SUGGEST
            if cp != codecs.lookup(encoding).name and _holds(cp, [u.char for u in characters])
        ]
        hint = "keep UTF-8 (the default), which every current player reads"
        if fits:
            verb = "holds" if len(fits) == 1 else "hold"
            hint += f"; or use {' or '.join(fits[:2])}, which {verb} these characters"
        super().__init__(message, path=path, value=encoding, hint=hint)
        self.encoding = encoding
        self.characters = characters


def format_for(path: Path) -> str:
    """The pysubs2 format ``path`` is written in, from its extension (see `formats`)."""
    return writer_for(path).name


def _holds(encoding: str, chars: list[str]) -> bool:
    try:
        "".join(chars).encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def _written_events(subs: pysubs2.SSAFile, fmt: str) -> list[pysubs2.SSAEvent]:
    """The events in the order and numbering the writer gives them."""
    if fmt in ("ass", "ssa"):
        return list(subs.events)
    events = subs.get_text_events()
    if fmt == "vtt":
        events.sort(key=lambda e: e.start)
    return events


def unencodable(
    subs: pysubs2.SSAFile, text: str, fmt: str, encoding: str
) -> tuple[Unencodable, ...]:
    """Every character of ``text`` (the written file) that ``encoding`` cannot hold."""
    bad = sorted(ch for ch in set(text) if not _holds(encoding, [ch]))
    if not bad:
        return ()
    events = _written_events(subs, fmt)
    header = ""
    if fmt in ("ass", "ssa"):
        header = "".join(f"{k}{v}" for k, v in subs.info.items())
        header += "".join(f"{name}{style.fontname}" for name, style in subs.styles.items())
    found: list[Unencodable] = []
    for ch in bad:
        places = tuple(
            (n, e.start) for n, e in enumerate(events, 1) if ch in e.text or ch in e.plaintext
        )
        found.append(Unencodable(ch, places, in_header=ch in header))
    found.sort(key=lambda u: (u.events[0][0] if u.events else 0, u.char))
    return tuple(found)


def encode_text(subs: pysubs2.SSAFile, text: str, fmt: str, encoding: str, path: Path) -> bytes:
    """``text`` in ``encoding``, or an `EncodingError` listing what does not fit."""
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise SubtitleError(
            f"'{encoding}' is not an encoding Python knows (try utf-8, cp1250, cp1251, cp1252)",
            path=path,
            value=encoding,
        ) from None
    try:
        return text.encode(codec)
    except UnicodeEncodeError:
        pass
    chars = unencodable(subs, text, fmt, codec)
    limit = _MAX_PLACES if len(chars) <= 10 else 3
    listed = "".join(f"\n  {u.describe(limit)}" for u in chars)
    raise EncodingError(
        f"{path}: {encoding} cannot hold {len(chars)} character(s) of this track:{listed}",
        path=path,
        encoding=encoding,
        characters=chars,
    )


_LATEST = {"srt": 100 * 3_600_000 - 1, "vtt": 100 * 3_600_000 - 1}
_LATEST.update(dict.fromkeys(("ass", "ssa"), 10 * 3_600_000 - 10))


def _check_range(subs: pysubs2.SSAFile, fmt: str, path: Path) -> None:
    """pysubs2 would clamp a time the format cannot hold, silently moving the event."""
    latest = _LATEST.get(fmt)
    if latest is None:
        return
    for n, event in enumerate(_written_events(subs, fmt), 1):
        if max(event.start, event.end) > latest:
            raise SubtitleError(
                f"{path}: event {n} runs to {format_time(max(event.start, event.end))}, later "
                f"than {fmt.upper()} can write ({format_time(latest)})",
                path=path,
                value=n,
                hint="is the track timed for this film? 'subs shift' or 'subs sync' moves it",
            )


def save_track(
    subs: pysubs2.SSAFile, path: Path | str, *, format: str | None = None, encoding: str = "utf-8"
) -> Path:
    """Write ``subs`` to ``path``; never leaves a half-written file."""
    path = Path(path)
    fmt = format or format_for(path)
    _check_range(subs, fmt, path)
    try:
        text = subs.to_string(fmt)
    except Exception as exc:  # pysubs2 raises several kinds for what it cannot write
        raise SubtitleError(f"{path}: cannot write {fmt.upper()} ({exc})", path=path) from exc
    data = encode_text(subs, text, fmt, encoding, path)
    return write_bytes_atomic(path, data)
