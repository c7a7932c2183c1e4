"""The one registry of subtitle formats: extension, whether screenkit reads and writes it.

`load` settles ambiguous content by the extension (`by_extension`), `save` and `edit` pick
what to write from it (`writer_for`), and a kit finds a language's track by trying the
extensions of `KIT_TRACK_FORMATS` in order. Adding a format is one row here.

``name`` is pysubs2's identifier (also `Track.format`), which its reader and writer take.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from screenkit.errors import SubtitleError


@dataclass(frozen=True)
class SubtitleFormat:
    """One format screenkit reads or writes."""

    name: str
    """pysubs2's identifier: ``srt``, ``ass``, ``vtt``, ``microdvd``…"""
    label: str
    """How a user knows it: ``SRT``, ``WebVTT``."""
    extensions: tuple[str, ...]
    """Lower-case, with the dot; the first is the one written."""
    reads: bool = True
    writes: bool = False
    kit_track: bool = False
    """A kit may keep a language's track in it (``subtitles/<lang><ext>``)."""

    @property
    def extension(self) -> str:
        return self.extensions[0]


FORMATS: tuple[SubtitleFormat, ...] = (
    SubtitleFormat("srt", "SRT", (".srt",), writes=True, kit_track=True),
    SubtitleFormat("ass", "ASS", (".ass",), writes=True, kit_track=True),
    SubtitleFormat("ssa", "SSA", (".ssa",), writes=True, kit_track=True),
    SubtitleFormat("vtt", "WebVTT", (".vtt",), writes=True, kit_track=True),
    SubtitleFormat("microdvd", "MicroDVD", (".sub",)),
    SubtitleFormat("tmp", "TMPlayer", (".txt",)),
)
WRITABLE: tuple[SubtitleFormat, ...] = tuple(f for f in FORMATS if f.writes)
KIT_TRACK_FORMATS: tuple[SubtitleFormat, ...] = tuple(f for f in FORMATS if f.kit_track)
_BY_EXTENSION = {ext: f for f in FORMATS for ext in f.extensions}
_BY_NAME = {f.name: f for f in FORMATS}


def by_extension(path: Path | str) -> SubtitleFormat | None:
    """The format a file's extension names (any case), or None."""
    return _BY_EXTENSION.get(Path(path).suffix.lower())


def by_name(name: str) -> SubtitleFormat | None:
    return _BY_NAME.get(name)


def listing(formats: tuple[SubtitleFormat, ...], *, first_whole: str | None = None) -> str:
    """``.srt, .ass, .ssa or .vtt``; with ``first_whole="subtitles/uk"`` the first is a path."""
    exts = [f.extension for f in formats]
    if first_whole is not None and exts:
        exts[0] = first_whole + exts[0]
    return exts[0] if len(exts) == 1 else f"{', '.join(exts[:-1])} or {exts[-1]}"


def writer_for(path: Path) -> SubtitleFormat:
    """The format to write ``path`` in, from its extension; a `SubtitleError` if none."""
    found = by_extension(path)
    if found is None or not found.writes:
        shown = path.suffix or "no extension"
        raise SubtitleError(
            f"{path}: cannot write '{shown}' (screenkit writes {listing(WRITABLE)})",
            path=path,
            value=path.suffix,
        )
    return found
