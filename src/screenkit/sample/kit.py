"""``screenkit sample``: the stand-in film for a kit (and the sample kit itself where none is).

The real master is not in the repository. The stand-in is rendered from the kit's
original-language track so that there is speech-like sound exactly where the events are
(what audio sync needs to show it works): at least 60 s, 1280x720, 25 fps, stereo 48 kHz,
H.264 + AAC in Matroska, no rotation. The same kit always gives the same film.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pysubs2

from screenkit.kit import MANIFEST, load_kit
from screenkit.media.binaries import FFmpeg
from screenkit.media.info import MediaInfo
from screenkit.media.probe import probe
from screenkit.progress import ProgressCallback
from screenkit.sample.film import render_film

MIN_DURATION = 60.0
TAIL = 3.0


@dataclass(frozen=True)
class SampleResult:
    kit_dir: Path
    film: Path
    info: MediaInfo
    scaffolded: bool
    """True when the sample kit's files were copied in (the folder had no kit)."""
    reused: bool
    """True when a film from an earlier run was kept (it is deterministic)."""


def _copy_sample_kit(dest: Path) -> None:
    source = resources.files("screenkit") / "data" / "sample_kit"
    with resources.as_file(source) as folder:
        for item in ("screenkit.toml", "subtitles", "appeal"):
            src = Path(folder) / item
            if src.is_dir():
                shutil.copytree(src, dest / item, dirs_exist_ok=True)
            else:
                shutil.copyfile(src, dest / item)


def write_sample(
    folder: Path | str = ".",
    *,
    force: bool = False,
    size: tuple[int, int] = (1280, 720),
    ffmpeg: FFmpeg | None = None,
    progress: ProgressCallback | None = None,
) -> SampleResult:
    """Render the kit's stand-in film into its master path; scaffold the sample kit if needed."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    scaffolded = not (folder / MANIFEST).exists()
    if scaffolded:
        _copy_sample_kit(folder)
    kit = load_kit(folder)
    track = pysubs2.load(str(kit.subtitle_path(kit.original_language)), encoding="utf-8")
    spans = [(e.start / 1000, e.end / 1000) for e in track if not e.is_comment]
    duration = max(MIN_DURATION, (max((end for _, end in spans), default=0.0)) + TAIL)
    if kit.master.exists() and not force:
        info = probe(kit.master, ffmpeg=ffmpeg)
        same_size = info.video is not None and (info.video.width, info.video.height) == size
        if abs(info.duration - duration) < 0.5 and same_size:
            return SampleResult(folder, kit.master, info, scaffolded, reused=True)
    render_film(
        kit.master,
        spans=spans,
        duration=duration,
        width=size[0],
        height=size[1],
        ffmpeg=ffmpeg,
        progress=progress,
    )
    return SampleResult(
        folder, kit.master, probe(kit.master, ffmpeg=ffmpeg), scaffolded, reused=False
    )
