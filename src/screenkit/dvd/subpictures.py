"""DVD subpictures: each kit language drawn by libass through our own pipeline, then spumux.

Why not spumux's own text mode: it draws with its own FreeType code, so the text would not
look like the burned-in or card text, it has no ASS styling and no safe-area margins of ours,
and it finds fonts by name through fontconfig or ``~/.spumux`` (a user's machine, not the
shipped font). Here the track is laid out exactly like burn-in (`screenkit.encode.subs.
burn_track`: the shipped Noto Sans through ``fontsdir``, never a user path in a filter string,
the preset's font size and safe area) on the square-pixel display canvas (1024x576 for 16:9
PAL), squeezed to the stored 720x576 as the video is, and rendered by ffmpeg's libass onto a
transparent frame: one frame per span of time in which the same events are on screen
(overlapping events stack as they do when burned). Each frame is reduced to the four colours
a subpicture has (transparent, white fill, black outline, grey edge), cropped to its text
and handed to spumux with its time, which muxes the stream into the film's VOB.
"""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import ffmpeg as ffm
import numpy as np
import pysubs2

from screenkit.dvd.pngio import Image, read_rgba, write_rgba
from screenkit.dvd.tools import DvdTools, Stage, run_pipeline
from screenkit.encode.legacy import burn_format
from screenkit.encode.options import OutputFormat, SubtitleInput
from screenkit.encode.subs import FONTS_NAME, burn_family, burn_track, fonts_or_shipped
from screenkit.fonts import Font, stage_fonts
from screenkit.media.binaries import FFmpeg, find_ffmpeg
from screenkit.media.runner import run_ffmpeg
from screenkit.presets.model import VenuePreset
from screenkit.progress import ProgressCallback
from screenkit.subtitles.save import save_track

RENDER_NAME = "spu.ass"
XML_NAME = "spu.xml"
FRAME_PATTERN = "frame%05d.png"
PALETTE: tuple[tuple[int, int, int, int], ...] = (
    (0, 0, 0, 0),  # transparent
    (255, 255, 255, 255),  # fill
    (16, 16, 16, 255),  # outline
    (128, 128, 128, 255),  # edge between fill and outline
)
ALPHA_CUT = 100
"""Below this opacity (of 255) a rendered pixel becomes transparent."""


@dataclass(frozen=True)
class Spu:
    """One subpicture: its image (cropped) and where and when it shows."""

    start_ms: int
    end_ms: int
    image: str
    """File name inside the track's folder."""
    x: int
    y: int


@dataclass(frozen=True)
class SubpictureTrack:
    """A language's subpictures ready for spumux: the folder holding images and XML."""

    lang: str
    folder: Path
    spus: tuple[Spu, ...]

    @property
    def xml(self) -> Path:
        return self.folder / XML_NAME


def segments(subs: pysubs2.SSAFile) -> list[tuple[int, int, list[pysubs2.SSAEvent]]]:
    """Spans of time with the same events on screen: (start ms, end ms, events shown)."""
    shown = [e for e in subs.events if not e.is_comment and e.plaintext.strip() and e.end > e.start]
    cuts = sorted({t for e in shown for t in (e.start, e.end)})
    out = []
    for start, end in itertools.pairwise(cuts):
        active = [e for e in shown if e.start <= start and e.end >= end]
        if active:
            out.append((start, end, active))
    return out


def render_script(subs: pysubs2.SSAFile) -> tuple[pysubs2.SSAFile, list[tuple[int, int]]]:
    """The track re-timed so that second k shows span k, and the spans' real times."""
    spans = segments(subs)
    script = pysubs2.SSAFile()
    script.info = dict(subs.info)
    script.styles = {name: style.copy() for name, style in subs.styles.items()}
    for k, (_start, _end, events) in enumerate(spans):
        for event in events:
            copy = event.copy()
            copy.start, copy.end = k * 1000, k * 1000 + 1000
            script.events.append(copy)
    return script, [(start, end) for start, end, _ in spans]


def render_args(
    workdir: Path, canvas: OutputFormat, stored: tuple[int, int], count: int
) -> list[str]:
    """ffmpeg words drawing ``count`` spans (one a second) on a transparent canvas. Pure."""
    # the format inside the lavfi graph: the device would hand over yuv420p, losing alpha
    blank = ffm.input(
        f"color=c=black@0.0:s={canvas.width}x{canvas.height}:r=1:d={count},format=rgba",
        f="lavfi",
    )
    stream = blank.filter(
        "subtitles",
        filename=str(workdir / RENDER_NAME),
        fontsdir=str(workdir / FONTS_NAME),
        alpha=1,
    )
    if (canvas.width, canvas.height) != stored:
        stream = stream.filter("scale", stored[0], stored[1])
    out = ffm.output(
        stream.filter("format", "rgba"),
        str(workdir / FRAME_PATTERN),
        vcodec="png",
        pred="none",
        start_number=0,
        format="image2",
    )
    return list(ffm.get_args(out))


def quantise(image: Image) -> tuple[Image, tuple[int, int]] | None:
    """Four colours, cropped to the text on even lines: (image, (x, y)); None if blank."""
    alpha = image[:, :, 3]
    luma = image[:, :, :3].astype(np.uint16).mean(axis=2)
    solid = alpha >= ALPHA_CUT
    if not solid.any():
        return None
    index = np.zeros(alpha.shape, dtype=np.uint8)
    index[solid & (luma >= 170)] = 1
    index[solid & (luma < 85)] = 2
    index[solid & (luma >= 85) & (luma < 170)] = 3
    rows = np.flatnonzero(solid.any(axis=1))
    cols = np.flatnonzero(solid.any(axis=0))
    top, bottom = rows[0] - rows[0] % 2, rows[-1] + 1
    left, right = cols[0] - cols[0] % 2, cols[-1] + 1
    bottom += (bottom - top) % 2
    right += (right - left) % 2
    bottom, right = min(bottom, image.shape[0]), min(right, image.shape[1])
    palette = np.array(PALETTE, dtype=np.uint8)
    return palette[index[top:bottom, left:right]], (int(left), int(top))


def _stored(preset: VenuePreset) -> tuple[int, int]:
    size = preset.video.fixed_size
    assert size is not None, "subpictures are for a fixed DVD frame"
    return size


@dataclass(frozen=True)
class SubpictureRender:
    """A track's subpictures worked out before anything is drawn: the script that draws
    span k at second k, the spans' real times, and the one ffmpeg command (None: no text)."""

    track: SubtitleInput
    folder: Path
    script: pysubs2.SSAFile
    spans: tuple[tuple[int, int], ...]
    args: tuple[str, ...] | None


def prepare_subpictures(
    track: SubtitleInput,
    preset: VenuePreset,
    folder: Path,
    *,
    fmt: OutputFormat,
    fonts: Sequence[Font] = (),
) -> SubpictureRender:
    """Lay ``track`` out like burn-in on the display canvas; writes nothing."""
    canvas = burn_format(fmt, preset)
    laid_out = burn_track(track, preset, canvas, burn_family(fonts))
    script, spans = render_script(laid_out)
    args = tuple(render_args(folder, canvas, _stored(preset), len(spans))) if spans else None
    return SubpictureRender(track, folder, script, tuple(spans), args)


def stage_subpictures(render: SubpictureRender, fonts: Sequence[Font] = ()) -> None:
    """Write the render's script and fonts into its folder (under fixed names)."""
    render.folder.mkdir(parents=True, exist_ok=True)
    stage_fonts(render.folder / FONTS_NAME, fonts_or_shipped(fonts))
    if render.spans:
        save_track(render.script, render.folder / RENDER_NAME, format="ass")


def collect_subpictures(
    render: SubpictureRender, preset: VenuePreset, *, speed: Fraction = Fraction(1)
) -> SubpictureTrack:
    """After the render ran: each frame reduced to four colours and cropped, the spumux XML
    written beside them. ``speed`` is the PAL speed-up the track's times are divided by."""
    folder = render.folder
    spus: list[Spu] = []
    for k, (start, end) in enumerate(render.spans):
        frame = folder / (FRAME_PATTERN % k)
        picture = quantise(read_rgba(frame))
        frame.unlink()
        if picture is None:
            continue
        name = f"spu{k:05d}.png"
        write_rgba(folder / name, picture[0])
        spus.append(
            Spu(
                start_ms=round(start / speed),
                end_ms=round(end / speed),
                image=name,
                x=picture[1][0],
                y=picture[1][1],
            )
        )
    result = SubpictureTrack(lang=render.track.lang, folder=folder, spus=tuple(spus))
    result.xml.write_text(spumux_xml(result, preset), encoding="utf-8")
    return result


def render_subpictures(
    track: SubtitleInput,
    preset: VenuePreset,
    folder: Path,
    *,
    fmt: OutputFormat,
    speed: Fraction = Fraction(1),
    fonts: Sequence[Font] = (),
    ffmpeg: FFmpeg | None = None,
) -> SubpictureTrack:
    """Draw ``track`` as subpicture images in ``folder`` (a private work folder) with the
    spumux XML beside them. ``fmt`` is the film's DVD format; ``speed`` the PAL speed-up
    its times are divided by."""
    render = prepare_subpictures(track, preset, folder, fmt=fmt, fonts=fonts)
    stage_subpictures(render, fonts)
    if render.args is not None:
        run_ffmpeg(
            render.args,
            ffmpeg=ffmpeg or find_ffmpeg(),
            what=f"drawing the {track.lang} subpictures",
        )
    return collect_subpictures(render, preset, speed=speed)


def _clock(ms: int) -> str:
    """spumux's HR:MM:SS.HU (hundredths)."""
    cs = round(ms / 10)
    return f"{cs // 360000:02d}:{cs // 6000 % 60:02d}:{cs // 100 % 60:02d}.{cs % 100:02d}"


def spumux_xml(track: SubpictureTrack, preset: VenuePreset) -> str:
    """The spumux control file (image names relative to the track's folder)."""
    system = "PAL" if _stored(preset)[1] == 576 else "NTSC"
    root = ET.Element("subpictures", format=system)
    stream = ET.SubElement(root, "stream")
    for spu in track.spus:
        ET.SubElement(
            stream,
            "spu",
            start=_clock(spu.start_ms),
            end=_clock(spu.end_ms),
            image=spu.image,
            xoffset=str(spu.x),
            yoffset=str(spu.y),
        )
    return ET.tostring(root, encoding="unicode") + "\n"


def mux_subpictures(
    film: Path,
    tracks: Sequence[SubpictureTrack],
    out: Path,
    tools: DvdTools,
    progress: ProgressCallback | None = None,
) -> Path:
    """``film`` with subpicture stream n = ``tracks[n]`` as ``out``: one spumux per stream,
    piped one into the next (the film is read once and written once)."""
    stages = [
        Stage(
            (str(tools.spumux), "-m", "dvd", "-s", str(n), XML_NAME),
            track.folder,
            f"muxing the {track.lang} subpictures",
        )
        for n, track in enumerate(tracks)
    ]
    run_pipeline(stages, stdin=film, stdout=out, progress=progress, step="muxing the subpictures")
    return out
