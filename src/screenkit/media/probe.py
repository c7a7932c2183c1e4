"""Probe a media file into `MediaInfo`.

Two routes give the same answers: ffprobe, where one sits beside the ffmpeg in use, and
PyAV (the libav libraries shipped in its wheel), which needs no system install. Both read
the container and stream headers, the first packets (to tell variable frame rate) and the
last ones (to tell a file cut short, whose header still claims the full length).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from screenkit.errors import InputError, ProbeError, path_error
from screenkit.media.binaries import FFmpeg, find_ffmpeg
from screenkit.media.info import MediaInfo

Route = Literal["ffprobe", "pyav"]

HEAD_PACKETS = 300
TAIL_SECONDS = 5.0
# a file whose last packet ends this much before the duration its header claims is truncated
TRUNCATION_SLACK = 2.0
# demuxers that open other files or URLs named inside the input
_PLAYLISTS = {
    "hls",
    "applehttp",
    "concat",
    "dash",
    "mpd",
    "tee",
    "image2",
    "ffmetadata",
    "sdp",
    "rtsp",
}
_FIELD_ORDERS = {0: "unknown", 1: "progressive", 2: "tt", 3: "bb", 4: "tb", 5: "bt"}


def check_readable(path: Path) -> Path:
    """Fail early, with the file named, on what is not a readable regular file."""
    try:
        return _check_readable(path)
    except OSError as exc:  # a name too long for the disk, a folder we may not enter
        raise path_error(exc, "cannot open") from exc


def _check_readable(path: Path) -> Path:
    if not path.exists():
        raise InputError(f"{path}: no such file", path=path)
    if path.is_dir():
        raise InputError(f"{path} is a folder, not a media file", path=path)
    if not os.access(path, os.R_OK):
        raise InputError(f"{path} cannot be read (permission denied)", path=path)
    if path.stat().st_size == 0:
        raise ProbeError(f"{path} is empty", path=path)
    return path


def is_vfr(pts: Sequence[float], tolerance: float = 0.2) -> bool:
    """Whether frame durations vary by more than ``tolerance`` of the typical one."""
    times = sorted(set(pts))
    if len(times) < 3:
        return False
    deltas = sorted(b - a for a, b in itertools.pairwise(times))
    typical = deltas[len(deltas) // 2]
    if typical <= 0:
        return False
    # ignore the odd outlier (a dropped frame at a cut) — VFR is a pattern, not one gap
    spread = deltas[int(len(deltas) * 0.9)] - deltas[int(len(deltas) * 0.1)]
    return spread > tolerance * typical


def truncated(duration: float, tail_end: float | None) -> bool:
    """Whether the data stops well before the duration the header claims."""
    if duration <= 0:
        return False
    slack = min(TRUNCATION_SLACK, duration * 0.25)
    return tail_end is None or tail_end < duration - slack


def raise_if_truncated(path: Path, duration: float, tail_end: float | None) -> None:
    if not truncated(duration, tail_end):
        return
    got = f"its data ends at {tail_end:.1f} s" if tail_end is not None else "no data near its end"
    raise ProbeError(
        f"{path} is cut short: its header says {duration:.1f} s but {got}",
        path=path,
        hint="copy the file again from its source",
    )


def default_route(ffmpeg: FFmpeg | None = None) -> Route:
    ffmpeg = ffmpeg or find_ffmpeg()
    return "ffprobe" if ffmpeg.ffprobe is not None else "pyav"


def probe(
    path: Path | str,
    *,
    route: Route | None = None,
    ffmpeg: FFmpeg | None = None,
) -> MediaInfo:
    """What ``path`` holds. Raises `InputError`/`ProbeError` naming the file when it is no media."""
    path = check_readable(Path(path))
    if route is None:
        route = default_route(ffmpeg)
    if route == "ffprobe":
        from screenkit.media import probe_ffprobe

        ffmpeg = ffmpeg or find_ffmpeg()
        if ffmpeg.ffprobe is None:
            raise ProbeError("no ffprobe beside the ffmpeg in use", path=path)
        info = probe_ffprobe.probe(path, ffmpeg.ffprobe)
    else:
        from screenkit.media import probe_pyav

        info = probe_pyav.probe(path)
    if info.container == "tty" or (info.video is not None and info.video.codec == "ansi"):
        raise ProbeError(f"{path} is a text file, not a media file", path=path)
    playlist = set(info.container.split(",")) & _PLAYLISTS
    if playlist:
        raise ProbeError(
            f"{path} is a playlist ({', '.join(sorted(playlist))}), not a media file: "
            "screenkit does not follow playlists (they can point at other files)",
            path=path,
            hint="give the media file itself",
        )
    if info.video is None and not info.audio:
        raise ProbeError(f"{path} holds no video or audio stream", path=path)
    return info
