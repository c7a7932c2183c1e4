"""The Dolby Vision configuration record, read from the container itself.

ffprobe reports the record as stream side data; PyAV does not expose a stream's side data,
so its route reads the record where the container keeps it: an MP4/MOV sample entry's
``dvcC``/``dvvC``/``dvwC`` box (what an iPhone writes), or a Matroska track's
``BlockAdditionMapping`` (what ffmpeg writes when it remuxes one). Only the headers are
read: the MP4 ``moov`` box, the Matroska ``Tracks`` element; never the media data.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

DOVI_BOXES = (b"dvcC", b"dvvC", b"dvwC")
_MP4_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl"}
_VISUAL_ENTRY_HEADER = 78
"""Bytes of a VisualSampleEntry between its box header and its child boxes."""
_MAX_HEADER = 256 * 1024 * 1024
"""A moov or Tracks element larger than this is not read (no real one comes near)."""


def mp4_boxes(data: bytes | bytearray, start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    """(kind, offset of the box, offset past its end) of each box in ``data[start:end]``."""
    pos = start
    while pos + 8 <= end:
        size, kind = struct.unpack(">I4s", data[pos : pos + 8])
        if size == 1 and pos + 16 <= end:
            size = struct.unpack(">Q", data[pos + 8 : pos + 16])[0]
        elif size == 0:
            size = end - pos
        if size < 8 or pos + size > end:
            return
        yield kind, pos, pos + size
        pos += size


def read_moov(fh: BinaryIO) -> bytes | None:
    """The whole ``moov`` box of an MP4/MOV file, found by walking the top-level boxes."""
    fh.seek(0, 2)
    total = fh.tell()
    pos = 0
    while pos + 8 <= total:
        fh.seek(pos)
        header = fh.read(16)
        if len(header) < 8:
            return None
        size, kind = struct.unpack(">I4s", header[:8])
        if size == 1 and len(header) == 16:
            size = struct.unpack(">Q", header[8:16])[0]
        elif size == 0:
            size = total - pos
        if size < 8:
            return None
        if kind == b"moov":
            if size > _MAX_HEADER:
                return None
            fh.seek(pos)
            return fh.read(size)
        pos += size
    return None


def sample_entries(moov: bytes | bytearray) -> Iterator[tuple[bytes, int, int]]:
    """(kind, start, end) of every sample entry of every track, as offsets into ``moov``."""

    def walk(start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
        for kind, box_start, box_end in mp4_boxes(moov, start, end):
            if kind in _MP4_CONTAINERS:
                yield from walk(box_start + 8, box_end)
            elif kind == b"stsd":  # full box: version, flags, entry count
                yield from mp4_boxes(moov, box_start + 16, box_end)

    yield from walk(0, len(moov))


def mp4_dovi_record(path: Path) -> bytes | None:
    """The payload of the first Dolby Vision configuration box in a video sample entry."""
    with path.open("rb") as fh:
        moov = read_moov(fh)
    if moov is None:
        return None
    for _, start, end in sample_entries(moov):
        for kind, box_start, box_end in mp4_boxes(moov, start + 8 + _VISUAL_ENTRY_HEADER, end):
            if kind in DOVI_BOXES:
                return bytes(moov[box_start + 8 : box_end])
    return None


# Matroska element IDs (with their length markers, as written)
_SEGMENT = 0x18538067
_TRACKS = 0x1654AE6B
_TRACK_ENTRY = 0xAE
_CLUSTER = 0x1F43B675
_BLOCK_ADDITION_MAPPING = 0x41E4
_BLOCK_ADD_ID_TYPE = 0x41E7
_BLOCK_ADD_ID_EXTRA_DATA = 0x41ED
_DOVI_TYPES = {int.from_bytes(name, "big") for name in DOVI_BOXES}
_UNKNOWN = -1


def _vint(data: bytes, pos: int, *, keep_marker: bool) -> tuple[int, int]:
    """An EBML variable-length integer at ``pos``: (value, position after it)."""
    if pos >= len(data):
        raise ValueError("end of data")
    first = data[pos]
    length = 1
    while length <= 8 and not first & (0x80 >> (length - 1)):
        length += 1
    if length > 8 or pos + length > len(data):
        raise ValueError("bad EBML number")
    value = int.from_bytes(data[pos : pos + length], "big")
    if not keep_marker:
        value &= (1 << (7 * length)) - 1
        if value == (1 << (7 * length)) - 1:
            value = _UNKNOWN
    return value, pos + length


def _elements(data: bytes, start: int, end: int) -> Iterator[tuple[int, int, int]]:
    """(id, payload start, payload end) of each EBML element in ``data[start:end]``."""
    pos = start
    while pos < end:
        try:
            ident, pos = _vint(data, pos, keep_marker=True)
            size, pos = _vint(data, pos, keep_marker=False)
        except ValueError:
            return
        stop = end if size == _UNKNOWN else min(end, pos + size)
        yield ident, pos, stop
        pos = stop


def _read_element_header(fh: BinaryIO) -> tuple[int, int, int] | None:
    """(id, size, header length) of the element at the file's position."""
    head = fh.read(12)
    try:
        ident, pos = _vint(head, 0, keep_marker=True)
        size, pos = _vint(head, pos, keep_marker=False)
    except ValueError:
        return None
    return ident, size, pos


def mkv_dovi_record(path: Path) -> bytes | None:
    """The Dolby Vision record of the first Matroska track whose block additions carry one."""
    with path.open("rb") as fh:
        first = _read_element_header(fh)  # the EBML header
        if first is None or first[1] == _UNKNOWN:
            return None
        fh.seek(first[2] + first[1])
        segment = _read_element_header(fh)
        if segment is None or segment[0] != _SEGMENT:
            return None
        pos = fh.tell() - 12 + segment[2]
        while True:  # the Segment's children, up to Tracks (which comes before the media)
            fh.seek(pos)
            child = _read_element_header(fh)
            if child is None or child[0] == _CLUSTER or child[1] == _UNKNOWN:
                return None
            ident, size, header = child
            if ident == _TRACKS:
                if size > _MAX_HEADER:
                    return None
                fh.seek(pos + header)
                return _tracks_dovi_record(fh.read(size))
            pos += header + size


def _tracks_dovi_record(tracks: bytes) -> bytes | None:
    for ident, start, end in _elements(tracks, 0, len(tracks)):
        if ident != _TRACK_ENTRY:
            continue
        for child, c_start, c_end in _elements(tracks, start, end):
            if child != _BLOCK_ADDITION_MAPPING:
                continue
            kind = None
            extra = None
            for field, f_start, f_end in _elements(tracks, c_start, c_end):
                if field == _BLOCK_ADD_ID_TYPE:
                    kind = int.from_bytes(tracks[f_start:f_end], "big")
                elif field == _BLOCK_ADD_ID_EXTRA_DATA:
                    extra = tracks[f_start:f_end]
            if kind in _DOVI_TYPES and extra:
                return bytes(extra)
    return None


def dovi_record(path: Path, container: str) -> bytes | None:
    """The record by the container's demuxer name (``mov,mp4,…`` or ``matroska,webm``)."""
    formats = set(container.split(","))
    try:
        if formats & {"mov", "mp4"}:
            return mp4_dovi_record(path)
        if "matroska" in formats:
            return mkv_dovi_record(path)
    except OSError:
        return None
    return None
