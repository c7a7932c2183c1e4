"""The decoder set-up an MP4's H.264 track carries (its ``avcC`` box), read from the file.

A film joined from chunks by stream copy keeps the first chunk's set-up (the sequence and
picture parameter sets) for all of them: every chunk must have been encoded with the same,
or the ones after the first decode wrongly. `decoder_setup` reads it without decoding
anything: it walks the boxes ``moov/trak/mdia/minf/stbl/stsd`` to the first ``avc1`` (or
``avc3``) sample entry, reading only the headers of the boxes it passes (the media data
is skipped, wherever the ``moov`` box lies).
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from screenkit.errors import ScreenkitError

_CONTAINERS = (b"moov", b"trak", b"mdia", b"minf", b"stbl")
_VISUAL_ENTRY = 78
"""Bytes of a visual sample entry before its own boxes (ISO 14496-12, 12.1.3)."""
_STSD_HEAD = 8
"""Version, flags and the entry count before the sample entries of ``stsd``."""


class Mp4Error(ScreenkitError):
    """An MP4 file's H.264 set-up cannot be read."""


def _boxes(f: BinaryIO, start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    """(type, where its content starts, where it ends) of each box in [start, end)."""
    at = start
    while at + 8 <= end:
        f.seek(at)
        head = f.read(8)
        if len(head) < 8:
            return
        size, kind = struct.unpack(">I4s", head)
        content = at + 8
        if size == 1:  # a 64-bit size follows
            size = struct.unpack(">Q", f.read(8))[0]
            content += 8
        elif size == 0:  # to the end of the file (or of the parent)
            size = end - at
        if size < content - at or at + size > end:
            return
        yield kind, content, at + size
        at += size


def decoder_setup(path: Path) -> bytes:
    """The ``avcC`` box's content of the first H.264 track of the MP4 file ``path``."""
    try:
        with path.open("rb") as f:
            end = f.seek(0, 2)
            found = _find(f, 0, end)
    except OSError as exc:
        raise Mp4Error(f"cannot read {path.name}: {exc.strerror or exc}", path=path) from exc
    if found is None:
        raise Mp4Error(f"{path.name} holds no H.264 track set-up (avcC)", path=path)
    return found


def _find(f: BinaryIO, start: int, end: int) -> bytes | None:
    for kind, content, stop in _boxes(f, start, end):
        if kind in _CONTAINERS:
            found = _find(f, content, stop)
        elif kind == b"stsd":
            found = _find(f, content + _STSD_HEAD, stop)
        elif kind in (b"avc1", b"avc3"):
            found = _find(f, content + _VISUAL_ENTRY, stop)
        elif kind == b"avcC":
            f.seek(content)
            return f.read(stop - content)
        else:
            continue
        if found is not None:
            return found
    return None
