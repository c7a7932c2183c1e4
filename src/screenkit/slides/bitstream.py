"""What a probe does not say but a stream-copy join needs: read from the packets with PyAV.

- the x264 settings string x264 writes into its first frame (an SEI), so the card can be
  encoded with the settings that shape the SPS/PPS headers;
- the SPS/PPS themselves, to check that the card's headers equal the film's;
- the colour description (range, primaries, transfer, matrix) x264 writes into the SPS;
- where each stream's packets begin and end, including the AAC priming packet before zero
  and the full length of the last audio frame, to space the parts of a join exactly.

Only the first packets and the last few seconds are read, so a 2-hour film costs no more
than a 10-second card.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from screenkit.errors import ProbeError
from screenkit.media.gate import admit_media

HEAD_PACKETS = 48
TAIL_SECONDS = 8.0
_X264_MARK = b"x264 - core "


@contextlib.contextmanager
def _open(path: Path) -> Iterator[Any]:
    import av

    admit_media(path)  # sniffed before PyAV opens it: a playlist would open other files
    try:
        container = av.open(str(path), options={"protocol_whitelist": "file,pipe"})
    except (OSError, av.FFmpegError) as exc:
        raise ProbeError(f"{path} cannot be read as media: {exc}", path=path) from exc
    try:
        yield container
    finally:
        container.close()


def parse_x264_options(blob: bytes) -> dict[str, str] | None:
    """The ``options:`` of an x264 settings SEI found in ``blob`` (None when there is none)."""
    start = blob.find(_X264_MARK)
    if start < 0:
        return None
    end = blob.find(b"\0", start)
    text = blob[start : end if end >= 0 else len(blob)].decode("ascii", "replace")
    _, sep, options = text.partition(" options: ")
    if not sep:
        return None
    found: dict[str, str] = {}
    for item in options.split():
        key, eq, value = item.partition("=")
        if eq:
            found[key] = value
    return found


def split_parameter_sets(extradata: bytes | None) -> tuple[bytes, ...]:
    """SPS and PPS NAL units of an H.264 extradata (avcC or Annex B), in order."""
    if not extradata:
        return ()
    if extradata[0] == 1 and len(extradata) >= 7:  # avcC
        units: list[bytes] = []
        pos = 5
        try:
            for count_mask in (0x1F, 0xFF):
                count = extradata[pos] & count_mask
                pos += 1
                for _ in range(count):
                    size = int.from_bytes(extradata[pos : pos + 2], "big")
                    units.append(bytes(extradata[pos + 2 : pos + 2 + size]))
                    pos += 2 + size
        except IndexError:
            return tuple(units)
        return tuple(units)
    parts = extradata.replace(b"\x00\x00\x00\x01", b"\x00\x00\x01").split(b"\x00\x00\x01")
    return tuple(p.rstrip(b"\x00") for p in parts if p)


@dataclass(frozen=True)
class VideoBitstream:
    """The H.264 facts of a file's first video stream."""

    parameter_sets: tuple[bytes, ...]
    x264_options: dict[str, str] | None
    color_range: int
    color_primaries: int
    color_trc: int
    colorspace: int
    reorder_delay: int
    """Frames between decode and display order at the start (0 without B-frames)."""
    time_base: Fraction


def read_video_bitstream(path: Path) -> VideoBitstream:
    with _open(path) as container:
        if not container.streams.video:
            raise ProbeError(f"{path} holds no video stream", path=path)
        stream = container.streams.video[0]
        ctx = stream.codec_context
        options: dict[str, str] | None = None
        first: list[tuple[int, int]] = []
        for n, packet in enumerate(container.demux(stream)):
            if packet.size == 0:
                continue
            if options is None:
                options = parse_x264_options(bytes(packet))
            if packet.pts is not None and packet.dts is not None:
                first.append((int(packet.pts), int(packet.dts)))
            if n >= HEAD_PACKETS:
                break
        delay = 0
        if first and stream.average_rate:
            frame = 1 / (Fraction(stream.average_rate) * Fraction(stream.time_base))
            lowest_pts = min(p for p, _ in first)
            delay = max(0, round((lowest_pts - first[0][1]) / frame))
        return VideoBitstream(
            parameter_sets=split_parameter_sets(ctx.extradata),
            x264_options=options,
            color_range=int(ctx.color_range or 0),
            color_primaries=int(ctx.color_primaries or 2),
            color_trc=int(ctx.color_trc or 2),
            colorspace=int(ctx.colorspace or 2),
            reorder_delay=delay,
            time_base=Fraction(stream.time_base),
        )


@dataclass(frozen=True)
class PartTiming:
    """Where a file's packets lie, in seconds from the file's start time (what concat uses).

    ``audio_start`` is before ``video_start`` when an AAC priming frame precedes the
    pictures; ``audio_end`` counts the last audio frame whole, as a decoder plays it.
    """

    video_start: float
    video_end: float
    audio_start: float | None
    audio_end: float | None

    def slot(self, following: PartTiming) -> float:
        """How far the ``following`` part must start after this one.

        Its first picture goes right after this part's last one, and its first audio frame
        (the priming one) right where this part's last audio frame ends, whichever is later:
        nothing overlaps, and for parts made to measure (the cards) both meet exactly.
        """
        slot = self.video_end - following.video_start
        if self.audio_end is not None and following.audio_start is not None:
            slot = max(slot, self.audio_end - following.audio_start)
        return slot


def read_part_timing(path: Path) -> PartTiming:
    import av

    with _open(path) as container:
        start = (container.start_time or 0) / 1_000_000
        video = container.streams.video[0] if container.streams.video else None
        audio = container.streams.audio[0] if container.streams.audio else None
        if video is None:
            raise ProbeError(f"{path} holds no video stream", path=path)
        audio_start: float | None = None
        video_pts: list[float] = []
        picked = [s for s in (video, audio) if s is not None]
        for packet in container.demux(*picked):
            if packet.pts is None or packet.size == 0:
                continue
            begin = float(packet.pts * packet.time_base) - start
            if packet.stream is audio and audio_start is None:
                audio_start = begin
            elif packet.stream is video:
                video_pts.append(begin)
            if len(video_pts) >= HEAD_PACKETS and (audio is None or audio_start is not None):
                break
        if not video_pts:
            raise ProbeError(f"{path} holds no video packets", path=path)
        duration = (container.duration or 0) / 1_000_000
        with contextlib.suppress(av.FFmpegError):
            container.seek(int(max(0.0, duration - TAIL_SECONDS) * 1_000_000), backward=True)
        video_end = 0.0
        audio_end: float | None = None
        frame = 1 / Fraction(video.average_rate or video.guessed_rate or 25)
        frame_size = audio.codec_context.frame_size if audio is not None else 0
        for packet in container.demux(*picked):
            if packet.pts is None or packet.size == 0:
                continue
            begin = float(packet.pts * packet.time_base) - start
            if packet.stream is video:
                video_end = max(video_end, begin + float(frame))
            elif audio is not None:
                length = float((packet.duration or 0) * packet.time_base)
                if frame_size:
                    length = max(length, frame_size / audio.codec_context.sample_rate)
                audio_end = max(audio_end or 0.0, begin + length)
        return PartTiming(
            video_start=min(video_pts),
            video_end=video_end,
            audio_start=audio_start,
            audio_end=audio_end,
        )
