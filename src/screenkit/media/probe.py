"""Probe a media file into `MediaInfo`.

Two routes give the same answers: ffprobe, where one sits beside the ffmpeg in use, and
PyAV (the libav libraries shipped in its wheel), which needs no system install. Both read
the container and stream headers, the timestamps of every video packet of the whole file
(demuxed, never decoded: variable frame rate shows anywhere, a burst of dropped frames in
the 60th minute too) and the last packets (a file cut short, whose header still claims the
full length). The file is sniffed by `screenkit.media.gate` before either route opens it.

That whole-file read costs seconds for a feature film, and a build asks about its master
from several places (the plan, the encode-time estimate, ``--speed auto``'s samples, the
steps a worker runs): so the answers are remembered in the process, by the file's identity
(device and inode, whatever name it is reached by, size and modification time) and the
reader (ffprobe's path and version, or PyAV), and a file is scanned once per process until
it changes.
"""

from __future__ import annotations

import collections
import itertools
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from screenkit.errors import ProbeError
from screenkit.media.binaries import FFmpeg, find_ffmpeg
from screenkit.media.gate import admit_media
from screenkit.media.info import MediaInfo

Route = Literal["ffprobe", "pyav"]

HEAD_PACKETS = 300
HOLE_SECONDS = 0.5
"""A stretch this long without a frame, in a stream of steady frames, makes it VFR."""
HOLE_SHARE = 0.02
"""Holes adding up to this share of the stream's length make it VFR."""
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


def frame_times(packets: Iterable[tuple[float | None, float | None]]) -> list[float]:
    """The times `is_vfr` judges, from every video packet's (pts, dts).

    The presentation times where every packet has one; else the decode times of every
    packet where those are complete: an MPEG-PS (a DVD) gives a frame a PTS only when it
    starts a PES packet, and the dts standing in for the missing ones (in decode order, a
    B-frame's distance away) would read as holes in a constant-rate stream. The decode
    times are one per frame and evenly spaced in a constant-rate stream too.
    """
    pairs = [(pts, dts) for pts, dts in packets if pts is not None or dts is not None]
    if all(pts is not None for pts, _ in pairs):
        return [pts for pts, _ in pairs if pts is not None]
    if all(dts is not None for _, dts in pairs):
        return [dts for _, dts in pairs if dts is not None]
    out = []
    for pts, dts in pairs:
        value = pts if pts is not None else dts
        if value is not None:
            out.append(value)
    return out


def is_vfr(pts: Iterable[float], tolerance: float = 0.2) -> bool:
    """Whether the frames of a whole stream are not evenly spaced in time.

    Two patterns: the typical frame duration changes from stretch to stretch (a phone
    switching 30 → 12 fps in dim light: the 10th-90th percentile spread of the durations
    exceeds ``tolerance`` of the median), or the frames stop for a while in an otherwise
    steady stream (bursts of dropped frames: any hole longer than `HOLE_SECONDS`, or holes
    adding up to more than `HOLE_SHARE` of the length). A lone dropped frame at a cut is
    neither. ``pts`` are the presentation times of every packet, in any order.
    """
    times = sorted(set(pts))
    if len(times) < 3:
        return False
    deltas = sorted(b - a for a, b in itertools.pairwise(times))
    typical = deltas[len(deltas) // 2]
    if typical <= 0:
        return False
    spread = deltas[int(len(deltas) * 0.9)] - deltas[int(len(deltas) * 0.1)]
    if spread > tolerance * typical:
        return True
    longest = deltas[-1]
    if longest > max(HOLE_SECONDS, 4 * typical):
        return True
    missing = sum(d - typical for d in deltas if d > typical * (1 + tolerance))
    return missing > HOLE_SHARE * (times[-1] - times[0])


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


MEMO_SIZE = 64
"""How many probed files a process remembers (the least recently asked go first)."""
Identity = tuple[object, ...]
"""A memo key: the file (`_file_of`: device, inode, size, modification time), then the
route and the reader."""
FileId = tuple[int, int, int, int]
FILE_PART = 4
"""The file's part of an `Identity`: its first ``FILE_PART`` items."""


def _file_of(st: os.stat_result) -> FileId:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


@dataclass(frozen=True)
class Probed:
    """A remembered answer as another process can take it (`probes_of`, `adopt`): the
    file by its path, size and modification time (device and inode differ between the
    machines of a cluster), the reader, and what was read."""

    path: str
    size: int
    mtime_ns: int
    reader: tuple[object, ...]
    """The route and the reader's identity (the end of the memo's key)."""
    info: MediaInfo


class _Memo:
    """Probe answers by file identity; one scan at a time per identity (threads asking for
    the same file while it is scanned wait for that scan instead of starting their own)."""

    def __init__(self) -> None:
        self.known: collections.OrderedDict[Identity, MediaInfo] = collections.OrderedDict()
        self.scanning: dict[Identity, threading.Lock] = {}
        self.lock = threading.Lock()

    def get(self, key: Identity) -> MediaInfo | None:
        with self.lock:
            found = self.known.get(key)
            if found is not None:
                self.known.move_to_end(key)
            return found

    def scan_lock(self, key: Identity) -> threading.Lock:
        with self.lock:
            return self.scanning.setdefault(key, threading.Lock())

    def put(self, key: Identity, info: MediaInfo) -> None:
        with self.lock:
            self.known[key] = info
            self.known.move_to_end(key)
            while len(self.known) > MEMO_SIZE:
                self.known.popitem(last=False)
            self.scanning.pop(key, None)

    def of_file(self, file: FileId) -> list[tuple[Identity, MediaInfo]]:
        """Every answer about this file (`_file_of`), by any reader."""
        with self.lock:
            return [(k, v) for k, v in self.known.items() if k[:FILE_PART] == file]

    def clear(self) -> None:
        with self.lock:
            self.known.clear()


_MEMO = _Memo()


def forget_probes() -> None:
    """Forget every remembered probe (the next `probe` of any file scans it again)."""
    _MEMO.clear()


def probes_of(paths: Iterable[Path]) -> list[Probed]:
    """What this process remembers about ``paths`` (read under any name: a step reads its
    output in its work folder, which is then renamed into the cache), as another process
    takes it (`adopt`): a cluster's worker hands the client what it read of the files it
    wrote, so that the client does not read them again."""
    found = []
    for path in paths:
        try:
            st = path.stat()
        except OSError:
            continue
        for key, info in _MEMO.of_file(_file_of(st)):
            found.append(Probed(str(path), st.st_size, st.st_mtime_ns, key[FILE_PART:], info))
    return found


def adopt(probed: Iterable[Probed]) -> int:
    """Remember answers another process read (`probes_of`) where the file here is the one
    it read (the same size and modification time; the reader stays part of the key).
    Returns how many were taken."""
    taken = 0
    for one in probed:
        path = Path(one.path)
        try:
            st = path.stat()
        except OSError:
            continue
        if (st.st_size, st.st_mtime_ns) != (one.size, one.mtime_ns):
            continue
        key: Identity = (*_file_of(st), *one.reader)
        if _MEMO.get(key) is None:
            _MEMO.put(key, replace(one.info, path=path))
            taken += 1
    return taken


def _identity(path: Path, route: Route, ffmpeg: FFmpeg | None) -> Identity | None:
    """What a probe's answer depends on: the file as it is now, and the reader."""
    try:
        st = path.stat()
    except OSError:
        return None
    if route == "ffprobe":
        reader: tuple[str, ...] = (
            str(ffmpeg.ffprobe if ffmpeg else None),
            ffmpeg.version if ffmpeg else "",
        )
    else:
        reader = ("pyav",)
    return (*_file_of(st), route, reader)


def probe(
    path: Path | str,
    *,
    route: Route | None = None,
    ffmpeg: FFmpeg | None = None,
) -> MediaInfo:
    """What ``path`` holds. Raises `InputError`/`ProbeError` naming the file when it is no media.

    Remembered per process by the file's identity (see the module docstring): asking
    again about an unchanged file costs a ``stat``.
    """
    path = admit_media(path)  # sniffed before any reader opens it, remembered or not
    if route is None:
        route = default_route(ffmpeg)
    if route == "ffprobe":
        ffmpeg = ffmpeg or find_ffmpeg()
    key = _identity(path, route, ffmpeg)
    if key is None:
        return _scan(path, route, ffmpeg)
    with _MEMO.scan_lock(key):
        found = _MEMO.get(key)
        if found is None:
            found = _scan(path, route, ffmpeg)
            if _identity(path, route, ffmpeg) == key:  # not changed while it was read
                _MEMO.put(key, found)
    return found if found.path == path else replace(found, path=path)


def _scan(path: Path, route: Route, ffmpeg: FFmpeg | None) -> MediaInfo:
    """Read ``path`` through ``route`` (the whole file: see the module docstring)."""
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
