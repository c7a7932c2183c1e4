"""The bundle's own ffmpeg work: muxing soft tracks, cutting by stream copy, stills.

Pure builders (argv from paths and numbers, built with ffmpeg-python, which escapes every
filter option value) plus `keyframe_before`, which reads packet headers with PyAV. Nothing
here re-encodes the film: soft tracks and cuts are stream copies; a still decodes one frame.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import ffmpeg

from screenkit.encode.options import SubtitleInput
from screenkit.encode.subs import soft_track_options
from screenkit.errors import ProbeError
from screenkit.media.gate import admit_media
from screenkit.media.runner import input_arg, output_arg

WHITELIST = "file,pipe"


def _input(path: Path, **options: Any) -> Any:
    return ffmpeg.input(input_arg(path), protocol_whitelist=WHITELIST, **options)


def mux_args(
    video: Path,
    tracks: Sequence[SubtitleInput],
    out: Path,
    *,
    container: str,
    faststart: bool,
    default: str | None,
) -> list[str]:
    """Copy every stream of ``video`` (which holds no subtitle stream) and add ``tracks``.

    ``tracks`` are staged files (already timed for ``video``); ``default`` the language
    flagged default. The per-track options are the encode's own (`soft_track_options`). No
    filter is involved, so the argv is plain: each path is an input, as ``file:``.
    """
    args = [*_safe(video)]
    for track in tracks:
        args += _safe(track.path)
    args += ["-map", "0:v", "-map", "0:a?"]
    for n in range(len(tracks)):
        args += ["-map", f"{n + 1}:s:0"]
    args += ["-c", "copy", "-disposition:v:0", "default", "-disposition:a:0", "default"]
    args += soft_track_options(tracks, container, default)
    if container == "mp4" and faststart:
        args += ["-movflags", "+faststart"]
    return [*args, output_arg(out)]


def cut_args(
    source: Path, out: Path, *, start: float, duration: float, faststart: bool = False
) -> list[str]:
    """A stretch of ``source`` (every stream) by stream copy; ``start`` a keyframe's time."""
    stream = _input(source, ss=f"{start:.6f}") if start > 0 else _input(source)
    options: dict[str, str] = {"map": "0", "t": f"{duration:.6f}", "c": "copy"}
    if start > 0:
        options["avoid_negative_ts"] = "make_zero"
    if faststart and out.suffix.lower() in (".mp4", ".m4v", ".mov"):
        options["movflags"] = "+faststart"
    return list(ffmpeg.output(stream, output_arg(out), **options).get_args())


def still_args(
    source: Path,
    out: Path,
    *,
    at: float,
    subtitles: Path | None = None,
    fontsdir: Path | None = None,
    font_family: str | None = None,
    font_size: int | None = None,
    size: tuple[int, int] | None = None,
) -> list[str]:
    """One frame of ``source`` at ``at`` seconds as PNG, optionally with a track drawn on it.

    ``subtitles`` and ``fontsdir`` must be staged copies under plain names (they go into a
    filter option; ffmpeg-python escapes them, the plain names keep them readable).
    ``size``: the picture as it is displayed (a DVD's 720x576 stored frame shown 1024x576),
    scaled to before the track is drawn, as the subpictures were.
    """
    video = _input(source, ss=f"{at:.3f}").video
    if size is not None:
        video = video.filter("scale", size[0], size[1]).filter("setsar", "1")
    if subtitles is not None:
        style = []
        if font_family:
            style.append(f"FontName={font_family}")
        if font_size:
            style.append(f"FontSize={font_size}")
        options: dict[str, str] = {"filename": str(subtitles)}
        if fontsdir is not None:
            options["fontsdir"] = str(fontsdir)
        if style:
            options["force_style"] = ",".join(style)
        video = video.filter("subtitles", **options)
    # -copyts keeps the frame's own time, which is what the subtitles filter looks up
    output = ffmpeg.output(video, output_arg(out), vframes=1, update=1)
    return ["-copyts", *output.get_args()]


def decode_check_args(path: Path) -> list[str]:
    """Decode every stream and throw the result away: any decoder complaint is an error."""
    return [*_safe(path), "-map", "0:v?", "-map", "0:a?", "-f", "null", "-"]


def _safe(path: Path) -> list[str]:
    return ["-protocol_whitelist", WHITELIST, "-i", input_arg(path)]


def keyframe_before(path: Path, at: float) -> float:
    """The time of the last video keyframe at or before ``at`` seconds (0.0 at the start).

    The file's first keyframe is its start whatever time it carries (an AVI's first one
    carries the B-frame delay, two frames in): a cut there is a cut from the start. Where
    the demuxer's seek lands past ``at`` (AVI indexes are coarse), the keyframes are read
    from the start instead.
    """
    import av

    admit_media(path)
    try:
        with av.open(str(path), options={"protocol_whitelist": WHITELIST}) as container:
            stream = container.streams.video[0]
            base = stream.time_base or Fraction(1, 1000)
            target = int(Fraction(at).limit_denominator(1000) / base)
            keys = _keyframes(container, stream, until=None, first_only=True)
            first = keys[0] if keys else 0
            container.seek(first + target, stream=stream, backward=True, any_frame=False)
            found = _keyframes(container, stream, until=None, first_only=True)
            if not found or found[0] > first + target:
                container.seek(first, stream=stream, backward=True, any_frame=False)
                found = _keyframes(container, stream, until=first + target, first_only=False)
            return max(0.0, float((found[-1] - first) * base)) if found else 0.0
    except (av.FFmpegError, IndexError, OSError) as exc:
        raise ProbeError(f"cannot read the keyframes of {path}: {exc}", path=path) from exc


def _keyframes(container: Any, stream: Any, *, until: int | None, first_only: bool) -> list[int]:
    """The times (in the stream's time base) of the keyframes demuxed from where the
    container stands: the first only, or every one up to ``until``."""
    found: list[int] = []
    for packet in container.demux(stream):
        if packet.pts is None or not packet.is_keyframe:
            continue
        if until is not None and packet.pts > until:
            break
        found.append(int(packet.pts))
        if first_only:
            break
    return found
