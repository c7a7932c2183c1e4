"""Frames of the film for the ``subs compare`` report: the translation burned in as shown.

Each flagged cue's moment (the middle of its first translation cue, else of the original's)
is grabbed by `screenkit.subtitles.preview.burned_frames` with the translation as libass
draws it (the kit's fonts, then the shipped one), scaled to at most `FRAME_WIDTH` pixels and
kept as JPEG bytes to embed in the page.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from screenkit.media.binaries import FFmpeg
from screenkit.progress import ProgressCallback
from screenkit.subtitles.compare import Comparison

MAX_FRAMES = 60
"""Flagged cues past this many are shown without a frame (a long film's report stays small)."""
FRAME_WIDTH = 480
JPEG_QUALITY = 82


def frames_for(
    comparison: Comparison,
    film: Path,
    *,
    fonts: Sequence[Path] = (),
    ffmpeg: FFmpeg | None = None,
    progress: ProgressCallback | None = None,
    limit: int = MAX_FRAMES,
) -> dict[int, bytes]:
    """JPEG frames of ``film`` at the first ``limit`` flagged cues (index in ``pairs`` →
    bytes), the translation burned in."""
    from PIL import Image as PILImage

    from screenkit.fonts import Font, font_family, shipped_font
    from screenkit.media.probe import probe
    from screenkit.subtitles.load import load_track
    from screenkit.subtitles.preview import burned_frames, cell_size

    wanted = [i for i, pair in enumerate(comparison.pairs) if pair.problems][:limit]
    if not wanted:
        return {}
    info = probe(film)
    size = cell_size(info, FRAME_WIDTH)
    end = info.duration
    times = [comparison.pairs[i].moment for i in wanted]
    if end is not None:
        times = [max(0.0, min(t, end - 0.2)) for t in times]
    track = load_track(comparison.translation, lang=comparison.translation_lang)
    chosen = [*(Font(p, font_family(p)) for p in fonts), shipped_font()]
    cells = burned_frames(
        track.subs,
        film,
        times,
        size,
        chosen,
        ffmpeg=ffmpeg,
        progress=progress,
        step="frames",
    )
    frames: dict[int, bytes] = {}
    for i, cell in zip(wanted, cells, strict=True):
        buffer = io.BytesIO()
        PILImage.fromarray(cell).save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
        frames[i] = buffer.getvalue()
    return frames
