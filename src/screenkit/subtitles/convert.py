"""``subs convert``: another format (SRT, ASS/SSA, WebVTT) and/or another encoding.

Whatever screenkit reads can be written as SRT, ASS, SSA or WebVTT, by the output's
extension. The output is UTF-8 unless ``encoding`` asks for a legacy code page for an old
player; then every character the code page cannot hold is listed with the events holding
it (`screenkit.subtitles.save.EncodingError`) and nothing is written.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from screenkit.subtitles.edit import Written, write_converted
from screenkit.subtitles.load import load_track


def convert_file(
    source: Path,
    output: Path,
    *,
    encoding: str = "utf-8",
    input_encoding: str | None = None,
    lang: str | None = None,
    fps: Fraction | None = None,
) -> Written:
    """Read ``source`` (any readable format and encoding) and write ``output``."""
    track = load_track(source, lang=lang, encoding=input_encoding, fps=fps)
    return write_converted(track, track.subs, output, encoding)
