"""The PyAV route of `screenkit.media.probe`: no ffprobe needed, same `MediaInfo`."""

from __future__ import annotations

import contextlib
import struct
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import Any

import av

from screenkit.errors import ProbeError
from screenkit.media.colour import (
    MATRICES,
    PRIMARIES,
    RANGES,
    TRANSFERS,
    Colour,
    ContentLight,
    DolbyVision,
    MasteringDisplay,
    bit_depth,
    tag_name,
)
from screenkit.media.dovi import dovi_record
from screenkit.media.gate import admit_media
from screenkit.media.info import (
    AudioStream,
    MediaInfo,
    SubtitleStream,
    VideoStream,
    normalise_rotation,
)
from screenkit.media.probe import (
    _FIELD_ORDERS,
    TAIL_SECONDS,
    frame_times,
    is_vfr,
    raise_if_truncated,
)

_OPTIONS = {"protocol_whitelist": "file,pipe"}


def _open(path: Path, *, every_stream: bool = False) -> Any:
    """``every_stream``: read the whole file while opening, so that streams which start late
    are known (an MPEG-PS announces none: a DVD's subpicture streams appear only with their
    first picture, after the card; PyAV fails on a packet of a stream it was not told of)."""
    admit_media(path)  # every PyAV open is sniffed first, whoever calls it
    options = dict(_OPTIONS)
    if every_stream:
        size = max(5_000_000, path.stat().st_size)
        options |= {"probesize": str(size), "analyzeduration": str(2**62)}
    try:
        return av.open(str(path), options=options)
    except av.error.FFmpegError as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise ProbeError(
            f"{path} is not a media file ffmpeg can read ({reason})", path=path
        ) from exc


def _lang(stream: Any) -> str | None:
    lang = stream.metadata.get("language")
    return None if not lang or lang == "und" else str(lang)


def _fraction(value: Any) -> Fraction | None:
    if value is None:
        return None
    frac = Fraction(value)
    return frac if frac > 0 else None


def _seconds(packet: Any) -> float | None:
    if packet.pts is None or packet.time_base is None:
        return None
    return float(packet.pts * packet.time_base)


def video_times(path: Path, index: int) -> list[float]:
    """The time of every packet of stream ``index``, demuxed (not decoded) from the whole file.

    The same values as the ffprobe route's (pts, else dts), from a container of its own so
    that the main one stays at the start.
    """
    try:
        return _video_times(path, index, every_stream=False)
    except IndexError:  # a stream began after the opening read (see `_open`)
        return _video_times(path, index, every_stream=True)


def _video_times(path: Path, index: int, *, every_stream: bool) -> list[float]:
    packets: list[tuple[float | None, float | None]] = []
    container = _open(path, every_stream=every_stream)
    try:
        stream = container.streams[index]
        base = stream.time_base
        if base is None:
            return []
        with contextlib.suppress(av.error.FFmpegError):
            for packet in container.demux(stream):
                pts, dts = packet.pts, packet.dts
                packets.append(
                    (
                        None if pts is None else float(pts * base),
                        None if dts is None else float(dts * base),
                    )
                )
    finally:
        container.close()
    return frame_times(packets)


def _first_frame(container: Any, stream: Any) -> Any:
    """The stream's first decoded frame (its rotation and HDR side data), or None."""
    with contextlib.suppress(av.error.FFmpegError, StopIteration):
        container.seek(0, stream=stream)
        return next(container.decode(stream))
    return None


def _rotation(frame: Any) -> int:
    if frame is None:
        return 0
    return normalise_rotation(-float(getattr(frame, "rotation", 0) or 0))


def _rational(data: bytes, offset: int) -> float:
    num, den = struct.unpack_from("<ii", data, offset)
    return round(num / den, 5) if den else 0.0


def _mastering(data: bytes) -> MasteringDisplay | None:
    """libavutil's AVMasteringDisplayMetadata: 8 rationals (r, g, b, white xy), min and max
    luminance, then has_primaries and has_luminance."""
    if len(data) < 88 or not struct.unpack_from("<i", data, 84)[0]:
        return None
    xy = [_rational(data, 8 * n) for n in range(8)]
    return MasteringDisplay(
        red=(xy[0], xy[1]),
        green=(xy[2], xy[3]),
        blue=(xy[4], xy[5]),
        white_point=(xy[6], xy[7]),
        min_luminance=_rational(data, 64),
        max_luminance=_rational(data, 72),
    )


def _colour(path: Path, container: Any, stream: Any, frame: Any) -> Colour:
    ctx = stream.codec_context
    record = dovi_record(path, container.format.name)
    colour = Colour(
        primaries=tag_name(PRIMARIES, int(ctx.color_primaries)),
        transfer=tag_name(TRANSFERS, int(ctx.color_trc)),
        matrix=tag_name(MATRICES, int(ctx.colorspace)),
        range=tag_name(RANGES, int(ctx.color_range)),
        bit_depth=bit_depth(ctx.pix_fmt),
        dolby_vision=DolbyVision.from_record(record) if record else None,
    )
    if not colour.hdr or frame is None:  # mastering metadata matters only to a tone mapping
        return colour
    sides = _side_data(frame)
    mastering = _mastering(sides.get("MASTERING_DISPLAY_METADATA", b""))
    light = sides.get("CONTENT_LIGHT_LEVEL", b"")
    return replace(
        colour,
        mastering=mastering,
        light=ContentLight(*struct.unpack_from("<II", light)) if len(light) >= 8 else None,
    )


def _side_data(frame: Any) -> dict[str, bytes]:
    """A decoded frame's side data by type name (``MASTERING_DISPLAY_METADATA``, …).

    PyAV's container yields the side data themselves up to 18.1.0 and, like a mapping,
    their types from 18.1.1 on; both are read here.
    """
    container = frame.side_data
    found: dict[str, bytes] = {}
    for item in container:
        side = item if hasattr(item, "type") else container[item]
        found[str(side.type).rsplit(".", 1)[-1]] = bytes(side)
    return found


def _tail_end(path: Path, duration: float) -> float | None:
    """End time of the last packet, read from a few seconds before the claimed end.

    Where the container cannot seek (a file cut short, an mkv without cues) it is read
    from the start instead: slower, but only on files that are already suspect.
    """
    try:
        return _read_tail(path, duration, every_stream=False)
    except IndexError:  # a stream began after the opening read (see `_open`)
        return _read_tail(path, duration, every_stream=True)


def _read_tail(path: Path, duration: float, *, every_stream: bool) -> float | None:
    end: float | None = None
    start = max(0.0, duration - TAIL_SECONDS)
    container = _open(path, every_stream=every_stream)
    try:
        if start > 0:
            try:
                container.seek(int(start * av.time_base), backward=True, any_frame=False)
            except av.error.FFmpegError:
                container.close()
                container = _open(path, every_stream=every_stream)
        with contextlib.suppress(av.error.FFmpegError):
            for packet in container.demux():
                t = _seconds(packet)
                if t is None:
                    continue
                dur = float(packet.duration * packet.time_base) if packet.duration else 0.0
                end = t + dur if end is None else max(end, t + dur)
    finally:
        container.close()
    return end


def _video(path: Path, container: Any, stream: Any) -> VideoStream:
    ctx = stream.codec_context
    frame = _first_frame(container, stream)
    level = getattr(ctx, "level", None)
    return VideoStream(
        index=stream.index,
        codec=ctx.codec.canonical_name if ctx.codec else "unknown",
        profile=stream.profile,
        level=level if level and level > 0 else None,
        width=ctx.width,
        height=ctx.height,
        sar=_fraction(stream.sample_aspect_ratio) or Fraction(1),
        frame_rate=_fraction(stream.base_rate) or Fraction(25),
        avg_frame_rate=_fraction(stream.average_rate),
        vfr=is_vfr(video_times(path, stream.index)),
        pix_fmt=ctx.pix_fmt,
        rotation=_rotation(frame),
        field_order=_FIELD_ORDERS.get(int(getattr(ctx, "field_order", 0) or 0), "unknown"),
        bit_rate=ctx.bit_rate or None,
        colour=_colour(path, container, stream, frame),
    )


def probe(path: Path) -> MediaInfo:
    container = _open(path)
    try:
        duration = float(container.duration / av.time_base) if container.duration else 0.0
        videos = [
            s
            for s in container.streams.video
            if not (s.disposition & av.stream.Disposition.attached_pic)
        ]
        video = _video(path, container, videos[0]) if videos else None
        raise_if_truncated(path, duration, _tail_end(path, duration))
        return MediaInfo(
            path=path,
            container=container.format.name,
            duration=duration,
            size_bytes=path.stat().st_size,
            bit_rate=container.bit_rate or None,
            video=video,
            audio=tuple(
                AudioStream(
                    index=s.index,
                    codec=s.codec_context.codec.canonical_name,
                    profile=s.profile,
                    channels=s.codec_context.layout.nb_channels,
                    layout=s.codec_context.layout.name or None,
                    sample_rate=s.codec_context.sample_rate,
                    language=_lang(s),
                    bit_rate=s.codec_context.bit_rate or None,
                )
                for s in container.streams.audio
            ),
            subtitles=tuple(
                SubtitleStream(
                    index=s.index,
                    codec=s.codec_context.codec.canonical_name
                    if s.codec_context.codec
                    else "unknown",
                    language=_lang(s),
                    default=bool(s.disposition & av.stream.Disposition.default),
                    title=s.metadata.get("title"),
                )
                for s in container.streams.subtitles
            ),
            probed_with="pyav",
        )
    finally:
        container.close()
