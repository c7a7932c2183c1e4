"""Pictures for the sync plot and the preview sheet: RGB arrays, boxes, labels, PNG out.

They need little: filled rectangles, labels (times, row names, a title) and a PNG file.
numpy holds the picture; labels are drawn in the shipped font (`screenkit.fonts`) by
FreeType through Pillow, so any text a track or a name holds reads as written; the PNG is
written by hand (zlib + struct, filter 0), atomically.
"""

from __future__ import annotations

import struct
import zlib
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from screenkit.fonts import shipped_font
from screenkit.media.atomic import write_bytes_atomic

Image = npt.NDArray[np.uint8]
Colour = tuple[int, int, int]


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


@cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(shipped_font().path), size)


def text_width(text: str, size: int = 14) -> int:
    """Pixels ``text`` takes across in the shipped font at ``size`` px."""
    return round(_font(size).getlength(text))


def text(image: Image, x: int, y: int, label: str, colour: Colour, size: int = 14) -> None:
    """Write ``label`` with its top-left at (x, y): the shipped font (Noto Sans: Latin,
    Cyrillic, Greek), anti-aliased by FreeType through Pillow."""
    if not label:
        return
    font = _font(size)
    left, top, right, bottom = (round(v) for v in font.getbbox(label))
    if right <= left or bottom <= top:
        return
    mask = PILImage.new("L", (right - left, bottom - top), 0)
    ImageDraw.Draw(mask).text((-left, -top), label, font=font, fill=255)
    alpha = np.asarray(mask, dtype=np.float32) / 255.0
    x0, y0 = x + left, y + top
    h, w = image.shape[:2]
    cx0, cy0 = max(0, x0), max(0, y0)
    cx1, cy1 = min(w, x0 + alpha.shape[1]), min(h, y0 + alpha.shape[0])
    if cx1 <= cx0 or cy1 <= cy0:
        return
    a = alpha[cy0 - y0 : cy1 - y0, cx0 - x0 : cx1 - x0, None]
    region = image[cy0:cy1, cx0:cx1].astype(np.float32)
    ink = np.array(colour, dtype=np.float32)
    image[cy0:cy1, cx0:cx1] = np.round(region * (1.0 - a) + ink * a).astype(np.uint8)


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
