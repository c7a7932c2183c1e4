"""Writing a track: format from the extension (or given), UTF-8 unless asked, atomically."""

from __future__ import annotations

from pathlib import Path

import pysubs2

from screenkit.errors import SubtitleError
from screenkit.media.atomic import write_bytes_atomic

FORMATS = {".srt": "srt", ".ass": "ass", ".ssa": "ssa", ".vtt": "vtt"}


def format_for(path: Path) -> str:
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise SubtitleError(
            f"{path}: cannot tell the format from '{path.suffix}' (use .srt, .ass, .ssa or .vtt)",
            path=path,
        ) from None


def save_track(
    subs: pysubs2.SSAFile, path: Path | str, *, format: str | None = None, encoding: str = "utf-8"
) -> Path:
    """Write ``subs`` to ``path``; never leaves a half-written file."""
    path = Path(path)
    fmt = format or format_for(path)
    text = subs.to_string(fmt)
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError as exc:
        raise SubtitleError(
            f"{path}: {encoding} cannot hold {text[exc.start:exc.end]!r}", path=path, value=encoding
        ) from exc
    return write_bytes_atomic(path, data)
