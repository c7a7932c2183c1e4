"""Just enough PNG for subpictures: read ffmpeg's unfiltered RGBA frames, write RGBA images.

ffmpeg writes the rendered frames with ``-pred none`` (every row unfiltered), so reading is a
zlib inflate and a reshape; spumux reads the 4-colour images written here. No imaging library
is needed for either.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
import numpy.typing as npt

from screenkit.errors import InputError

SIGNATURE = b"\x89PNG\r\n\x1a\n"
Image = npt.NDArray[np.uint8]
"""height x width x 4 (RGBA)."""


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    out = []
    at = len(SIGNATURE)
    while at + 8 <= len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        out.append((kind, data[at + 8 : at + 8 + length]))
        at += 12 + length
        if kind == b"IEND":
            break
    return out


def read_rgba(path: Path) -> Image:
    """An 8-bit RGBA PNG whose rows are unfiltered (ffmpeg ``-c:v png -pred none``)."""
    data = path.read_bytes()
    if not data.startswith(SIGNATURE):
        raise InputError(f"{path} is not a PNG", path=path)
    chunks = _chunks(data)
    header = next(body for kind, body in chunks if kind == b"IHDR")
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    if (depth, colour) != (8, 6) or header[12] != 0:
        raise InputError(f"{path}: expected 8-bit RGBA, non-interlaced", path=path)
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    rows = np.frombuffer(raw, dtype=np.uint8).reshape(height, 1 + width * 4)
    if rows[:, 0].any():
        raise InputError(f"{path}: filtered PNG rows (render with -pred none)", path=path)
    return rows[:, 1:].reshape(height, width, 4)


def _chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def write_rgba(path: Path, image: Image) -> Path:
    """Write ``image`` (h x w x 4, uint8) as an 8-bit RGBA PNG."""
    height, width = image.shape[:2]
    rows = np.zeros((height, 1 + width * 4), dtype=np.uint8)
    rows[:, 1:] = image.reshape(height, width * 4)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    body = (
        SIGNATURE
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows.tobytes(), 6))
        + _chunk(b"IEND", b"")
    )
    path.write_bytes(body)
    return path
