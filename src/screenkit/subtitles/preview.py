"""``subs preview FILE --film FILM``: a contact sheet of film frames with the track burned in.

What a subtitler checks at a glance before a screening: do the letters exist in the font
(libass draws nothing, or boxes, for a missing glyph), are the lines readable at the film's
size, do long lines fit. The moments are the ones given (``--at``) or the hard ones found in
the track: events with characters the font lacks, the longest lines, the most lines, the
rarest characters.

Each frame is one ffmpeg run: input seek to the moment, the timestamps put back to film time
(so libass shows the event of that moment), the ``subtitles`` filter reading a UTF-8 ASS
copy of the track under a plain name in a private folder, with the shipped font staged there
as ``fontsdir`` and named in ``force_style`` (no user path or text reaches the filter
string), scaled to the cell and piped out as raw RGB. numpy tiles the cells; the PNG is
written atomically.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import ffmpeg as ffmpeg_graph
import numpy as np
import pysubs2

from screenkit.errors import InputError
from screenkit.fonts import Font, font_family, missing_glyphs, shipped_font, stage_fonts
from screenkit.media.binaries import FFmpeg
from screenkit.media.info import MediaInfo
from screenkit.media.probe import probe
from screenkit.media.runner import input_arg, stream_ffmpeg
from screenkit.progress import Progress, ProgressCallback
from screenkit.subtitles.load import load_track
from screenkit.subtitles.raster import Image, canvas, fill, text, write_png
from screenkit.subtitles.save import save_track
from screenkit.tempdirs import scratch_dir

GAP = 8
LABEL_H = 22
MAX_FRAMES = 24


@dataclass(frozen=True)
class Moment:
    """One cell of the sheet: a film time, the event shown there (1-based) and why."""

    time: float
    event: int | None
    reason: str
    """``asked``, ``missing glyphs``, ``longest line``, ``most lines`` or ``rare characters``."""
    characters: tuple[str, ...] = ()
    """The missing or rare characters that made the moment hard."""


@dataclass(frozen=True)
class PreviewResult:
    sheet: Path
    moments: tuple[Moment, ...]
    missing: tuple[str, ...]
    """Characters of the whole track the burn-in font cannot draw."""
    cell: tuple[int, int]
    columns: int

    def to_json(self) -> dict[str, object]:
        return {
            "sheet": str(self.sheet),
            "cell": list(self.cell),
            "columns": self.columns,
            "missing_glyphs": list(self.missing),
            "moments": [
                {
                    "time": round(m.time, 3),
                    "event": m.event,
                    "reason": m.reason,
                    "characters": list(m.characters),
                }
                for m in self.moments
            ],
        }


def _lines(event: pysubs2.SSAEvent) -> list[str]:
    return [line for line in event.plaintext.split("\n") if line.strip()]


def hard_moments(
    subs: pysubs2.SSAFile, count: int, fonts: Sequence[Font], end: float | None = None
) -> list[Moment]:
    """The ``count`` hardest events to burn well, in time order (see the module docstring)."""
    events = [
        (n, e)
        for n, e in enumerate(subs.events)
        if not e.is_comment
        and e.end > e.start
        and _lines(e)
        and (end is None or e.start / 1000 < end)
    ]
    freq = Counter(ch for _, e in events for ch in e.plaintext if not ch.isspace())
    chosen: dict[int, Moment] = {}

    def take(n: int, e: pysubs2.SSAEvent, reason: str, chars: Sequence[str] = ()) -> None:
        if n not in chosen and len(chosen) < count:
            middle = (e.start + e.end) / 2000
            if end is not None:
                middle = min(middle, max(e.start / 1000, end - 0.2))
            chosen[n] = Moment(middle, n + 1, reason, tuple(chars))

    missing = [(n, e, missing_glyphs(e.plaintext, fonts)) for n, e in events]
    for n, e, chars in sorted(missing, key=lambda item: -len(item[2])):
        if chars and len(chosen) < max(1, count // 2):
            take(n, e, "missing glyphs", chars)
    by_width = sorted(events, key=lambda item: -max(len(line) for line in _lines(item[1])))
    by_lines = sorted(events, key=lambda item: -len(_lines(item[1])))

    def rarity(e: pysubs2.SSAEvent) -> tuple[float, tuple[str, ...]]:
        """Characters outside ASCII that the track uses at most twice."""
        chars = sorted({ch for ch in e.plaintext if not ch.isspace()}, key=lambda c: freq[c])
        rare = tuple(c for c in chars if freq[c] <= 2 and not c.isascii())
        return float(sum(1.0 / freq[c] for c in rare)), rare

    by_rarity = [item for item in events if rarity(item[1])[0] > 0]
    by_rarity.sort(key=lambda item: -rarity(item[1])[0])
    rounds: list[tuple[int, pysubs2.SSAEvent, str, tuple[str, ...]]] = [
        *((n, e, "longest line", ()) for n, e in by_width[:1]),
        *((n, e, "rare characters", rarity(e)[1]) for n, e in by_rarity[:2]),
        *((n, e, "most lines", ()) for n, e in by_lines[:1]),
        *((n, e, "longest line", ()) for n, e in by_width[1:]),
    ]
    for n, e, reason, rare in rounds:
        take(n, e, reason, rare)
    return sorted(chosen.values(), key=lambda m: m.time)


def cell_size(info: MediaInfo, width: int) -> tuple[int, int]:
    """The cell for a frame ``width`` pixels wide (even sizes), with the film's display shape."""
    if info.video is None:
        raise InputError(f"{info.path} has no picture to preview", path=info.path)
    dw, dh = info.video.display_size
    w = max(64, min(width, dw)) // 2 * 2
    h = max(2, round(w * dh / dw / 2) * 2)
    return w, h


def frame_args(
    film: Path, time: float, track: Path, fontsdir: Path, family: str, size: tuple[int, int]
) -> list[str]:
    """PURE: ffmpeg arguments writing the frame at ``time`` with the track burned in, as RGB."""
    stream = ffmpeg_graph.input(input_arg(film), ss=f"{time:.3f}", protocol_whitelist="file,pipe")
    video = (
        stream.video.filter("setpts", f"PTS+{time:.3f}/TB")
        .filter(
            "subtitles",
            filename=str(track),
            fontsdir=str(fontsdir),
            force_style=f"FontName={family}",
        )
        .filter("scale", size[0], size[1])
        .filter("setsar", "1")
    )
    out = ffmpeg_graph.output(
        video, "pipe:1", **{"frames:v": 1, "f": "rawvideo", "pix_fmt": "rgb24", "an": None}
    )
    return list(ffmpeg_graph.get_args(out))


def _grab(args: list[str], size: tuple[int, int], ffmpeg: FFmpeg | None, what: str) -> Image | None:
    data = b"".join(stream_ffmpeg(args, ffmpeg=ffmpeg, what=what))
    need = size[0] * size[1] * 3
    if len(data) < need:
        return None
    return np.frombuffer(data[:need], dtype=np.uint8).reshape(size[1], size[0], 3)


def burned_frames(
    subs: pysubs2.SSAFile,
    film: Path,
    times: Sequence[float],
    size: tuple[int, int],
    fonts: Sequence[Font],
    *,
    ffmpeg: FFmpeg | None = None,
    progress: ProgressCallback | None = None,
    step: str = "previewing",
) -> list[Image]:
    """The film's frame at each of ``times`` (seconds), ``subs`` burned in as libass draws
    it with ``fonts`` (the first named in the style), scaled to ``size``: one ffmpeg run a
    frame, the track staged as UTF-8 ASS under a plain name. ``subs preview`` and the
    ``subs compare`` report use it."""
    cells: list[Image] = []
    with scratch_dir("preview-") as tmp:
        work = Path(tmp)
        staged = work / "track.ass"
        save_track(subs, staged, format="ass")
        fontsdir = stage_fonts(work / "fonts", fonts)
        for n, time in enumerate(times):
            args = frame_args(film, time, staged, fontsdir, fonts[0].family, size)
            what = f"grabbing the frame at {time:.3f} s of {film.name}"
            cell = _grab(args, size, ffmpeg, what)
            if cell is None:
                raise InputError(f"{film.name} has no frame at {time:.3f} s", path=film, value=time)
            cells.append(cell)
            if progress is not None:
                progress(Progress(step, n + 1, len(times), unit=" frames"))
    return cells


def _label(moment: Moment) -> str:
    t = moment.time
    clock = f"{int(t // 3600)}:{int(t % 3600 // 60):02d}:{t % 60:06.3f}"
    event = f"event {moment.event} " if moment.event else ""
    return f"{event}{clock} {moment.reason}"


def tile(cells: Sequence[Image], labels: Sequence[str], columns: int) -> Image:
    """The cells in a grid, ``columns`` wide, each with its label underneath."""
    h, w = cells[0].shape[:2]
    rows = (len(cells) + columns - 1) // columns
    sheet = canvas(GAP + columns * (w + GAP), GAP + rows * (h + LABEL_H + GAP), (24, 24, 24))
    for n, (cell, label) in enumerate(zip(cells, labels, strict=True)):
        x = GAP + (n % columns) * (w + GAP)
        y = GAP + (n // columns) * (h + LABEL_H + GAP)
        sheet[y : y + h, x : x + w] = cell
        fill(sheet, x, y + h, x + w, y + h + LABEL_H, (24, 24, 24))
        text(sheet, x + 2, y + h + 6, label[: max(1, (w - 4) // 8)], (235, 235, 235))
    return sheet


def preview_sheet(
    track_path: Path | str,
    film: Path | str,
    output: Path | str,
    *,
    at: Sequence[float] = (),
    count: int = 6,
    columns: int = 3,
    width: int = 480,
    fonts: Sequence[Path] = (),
    lang: str | None = None,
    ffmpeg: FFmpeg | None = None,
    progress: ProgressCallback | None = None,
) -> PreviewResult:
    """Write the contact sheet of ``track_path`` burned into ``film`` to ``output`` (PNG)."""
    track_path, film, output = Path(track_path), Path(film), Path(output)
    if output.suffix.lower() != ".png":
        raise InputError(f"{output}: the sheet is a PNG file (name it .png)", path=output)
    for given in (track_path, film):
        if output.exists() and given.exists() and output.samefile(given):
            raise InputError(f"{output} is an input file: write the sheet elsewhere", path=output)
    track = load_track(track_path, lang=lang)
    info = probe(film)
    size = cell_size(info, width)
    chosen = [Font(p, font_family(p)) for p in fonts] + [shipped_font()]
    end = info.duration
    if at:
        if len(at) > MAX_FRAMES:
            raise InputError(f"{len(at)} moments is too many for one sheet (at most {MAX_FRAMES})")
        for t in at:
            if t < 0 or (end is not None and t >= end):
                raise InputError(
                    f"{t:.3f} s is outside {film.name}"
                    + (f" (it lasts {end:.3f} s)" if end is not None else ""),
                    path=film,
                    value=t,
                )
        moments = [Moment(t, _event_at(track.subs, t), "asked") for t in at]
    else:
        moments = hard_moments(track.subs, max(1, min(count, MAX_FRAMES)), chosen, end)
        if not moments:
            raise InputError(f"{track_path}: no event with text to preview", path=track_path)
    all_text = "".join(e.plaintext for e in track.subs.events if not e.is_comment)
    missing = tuple(missing_glyphs(all_text, chosen))
    cells = burned_frames(
        track.subs,
        film,
        [m.time for m in moments],
        size,
        chosen,
        ffmpeg=ffmpeg,
        progress=progress,
    )
    columns = max(1, min(columns, len(cells)))
    write_png(output, tile(cells, [_label(m) for m in moments], columns))
    return PreviewResult(output, tuple(moments), missing, size, columns)


def _event_at(subs: pysubs2.SSAFile, t: float) -> int | None:
    ms = t * 1000
    for n, e in enumerate(subs.events):
        if not e.is_comment and e.start <= ms < e.end:
            return n + 1
    return None
