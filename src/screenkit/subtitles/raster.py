"""Pictures without a drawing library: RGB arrays, boxes, a 3x5 pixel font, PNG out.

The sync plot and the preview sheet need little: filled rectangles, a few labels (times,
row names) and a PNG file. numpy holds the picture; the PNG is written by hand (zlib +
struct, filter 0), atomically, so screenkit installs no imaging package.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
import numpy.typing as npt

from screenkit.media.atomic import write_bytes_atomic

Image = npt.NDArray[np.uint8]
Colour = tuple[int, int, int]

# 3 columns x 5 rows; each row is 3 bits, left bit first
_GLYPHS: dict[str, tuple[int, ...]] = {
    "0": (7, 5, 5, 5, 7), "1": (2, 6, 2, 2, 7), "2": (7, 1, 7, 4, 7), "3": (7, 1, 3, 1, 7),
    "4": (5, 5, 7, 1, 1), "5": (7, 4, 7, 1, 7), "6": (7, 4, 7, 5, 7), "7": (7, 1, 2, 2, 2),
    "8": (7, 5, 7, 5, 7), "9": (7, 5, 7, 1, 7), ":": (0, 2, 0, 2, 0), ".": (0, 0, 0, 0, 2),
    "-": (0, 0, 7, 0, 0), "+": (0, 2, 7, 2, 0), "/": (1, 1, 2, 4, 4), " ": (0, 0, 0, 0, 0),
    "#": (5, 7, 5, 7, 5), "=": (0, 7, 0, 7, 0), "%": (5, 1, 2, 4, 5),
    "A": (2, 5, 7, 5, 5), "B": (6, 5, 6, 5, 6), "C": (3, 4, 4, 4, 3), "D": (6, 5, 5, 5, 6),
    "E": (7, 4, 6, 4, 7), "F": (7, 4, 6, 4, 4), "G": (3, 4, 5, 5, 3), "H": (5, 5, 7, 5, 5),
    "I": (7, 2, 2, 2, 7), "K": (5, 5, 6, 5, 5), "L": (4, 4, 4, 4, 7), "M": (5, 7, 7, 5, 5),
    "N": (6, 5, 5, 5, 5), "O": (2, 5, 5, 5, 2), "P": (6, 5, 6, 4, 4), "R": (6, 5, 6, 5, 5),
    "S": (3, 4, 2, 1, 6), "T": (7, 2, 2, 2, 2), "U": (5, 5, 5, 5, 7), "V": (5, 5, 5, 5, 2),
    "W": (5, 5, 7, 7, 5), "X": (5, 5, 2, 5, 5), "Y": (5, 5, 2, 2, 2),
}  # fmt: skip


def canvas(width: int, height: int, colour: Colour = (255, 255, 255)) -> Image:
    image = np.empty((height, width, 3), dtype=np.uint8)
    image[:, :] = colour
    return image


def fill(image: Image, x0: int, y0: int, x1: int, y1: int, colour: Colour) -> None:
    """Paint the rectangle [x0, x1) x [y0, y1), clipped to the picture."""
    h, w = image.shape[:2]
    x0, x1 = max(0, min(w, x0)), max(0, min(w, x1))
    y0, y1 = max(0, min(h, y0)), max(0, min(h, y1))
    if x1 > x0 and y1 > y0:
        image[y0:y1, x0:x1] = colour


def text_width(text: str, scale: int = 2) -> int:
    return len(text) * 4 * scale


def text(image: Image, x: int, y: int, label: str, colour: Colour, scale: int = 2) -> None:
    """Write ``label`` (digits, ``:.-+/#=%``, A-Z; other letters upper-cased or skipped)."""
    for n, ch in enumerate(label.upper()):
        rows = _GLYPHS.get(ch)
        if rows is None:
            continue
        for r, bits in enumerate(rows):
            for c in range(3):
                if bits & (4 >> c):
                    px = x + (n * 4 + c) * scale
                    py = y + r * scale
                    fill(image, px, py, px + scale, py + scale, colour)


def encode_png(image: Image) -> bytes:
    """An 8-bit RGB PNG of ``image`` (height, width, 3)."""
    height, width = image.shape[:2]
    raw = np.concatenate(
        [np.zeros((height, 1), dtype=np.uint8), image.reshape(height, width * 3)], axis=1
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw.tobytes(), 6))
        + chunk(b"IEND", b"")
    )


def write_png(path: Path | str, image: Image) -> Path:
    """Write ``image`` as PNG atomically (readers see no half-written file)."""
    return write_bytes_atomic(path, encode_png(image))
