"""Shared checks of the card tests: frames as arrays, QR decoding, packet timelines."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from screenkit.media.runner import run_ffmpeg, safe_input

LINK = "https://example.org/donate/solidarity?from=card&x=1"


def frame_at(path: Path, fraction: float = 0.5) -> np.ndarray:
    """The grey picture of the frame at ``fraction`` of the file's frames (a PNG: its frame)."""
    with av.open(str(path)) as container:
        frames = [f.to_ndarray(format="gray") for f in container.decode(video=0)]
    return frames[min(len(frames) - 1, int(len(frames) * fraction))]


def decode_qr(gray: np.ndarray) -> list[str]:
    import zxingcpp

    return [code.text for code in zxingcpp.read_barcodes(gray)]


def ink_box(gray: np.ndarray, threshold: int = 128) -> tuple[int, int, int, int] | None:
    """(left, top, right, bottom) of the bright pixels, or None."""
    ys, xs = np.nonzero(gray > threshold)
    if len(xs) == 0:
        return None
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


def decode_log(path: Path) -> str:
    """What ffmpeg says (warnings and errors) while decoding every stream of ``path``."""
    args = [*safe_input(path), "-map", "0:v", "-map", "0:a", "-f", "null", "-"]
    return run_ffmpeg(args, loglevel="warning").log


@dataclass(frozen=True)
class Timeline:
    """Packet times per kind, in seconds, in file (decode) order."""

    video_pts: list[float]
    video_dts: list[float]
    """Decode times where the container gives them."""
    audio_pts: list[float]
    audio_len: float
    """One audio frame's length (AAC: 1024 samples)."""
    frame: float


def timeline(path: Path) -> Timeline:
    with av.open(str(path)) as container:
        v_stream = container.streams.video[0]
        a_stream = container.streams.audio[0]
        size = a_stream.codec_context.frame_size or 0
        audio_len = size / a_stream.codec_context.sample_rate if size else 0.0
        frame = float(1 / Fraction(v_stream.average_rate))
        vp: list[float] = []
        vd: list[float] = []
        ap: list[float] = []
        for packet in container.demux(v_stream, a_stream):
            if packet.size == 0 or packet.pts is None:
                continue
            t = packet.time_base
            if packet.stream is v_stream:
                vp.append(float(packet.pts * t))
                if packet.dts is not None:  # Matroska stores none; the demuxer derives most
                    vd.append(float(packet.dts * t))
            else:
                ap.append(float(packet.pts * t))
    return Timeline(vp, vd, ap, audio_len, frame)


def check_join(out: Path, parts: list[Path]) -> None:
    """The joined file decodes cleanly, rises monotonically, and keeps each part in sync.

    For each part, the offset between its first picture and its first audio frame in the
    joined file equals the one in the part itself, within one frame; pictures and audio
    frames continue across each join without overlap and with less than a frame of gap.
    """
    assert decode_log(out) == ""
    joined = timeline(out)
    assert all(b > a for a, b in zip(joined.video_dts, joined.video_dts[1:], strict=False))
    assert all(b > a for a, b in zip(joined.audio_pts, joined.audio_pts[1:], strict=False))
    v_at = a_at = 0
    prev_video_end = prev_audio_end = None
    for part in parts:
        own = timeline(part)
        nv, na = len(own.video_pts), len(own.audio_pts)
        vs = joined.video_pts[v_at : v_at + nv]
        as_ = joined.audio_pts[a_at : a_at + na]
        assert len(vs) == nv and len(as_) == na, f"{part.name}: packets lost in the join"
        own_offset = min(own.video_pts) - own.audio_pts[0]
        joined_offset = min(vs) - as_[0]
        assert abs(joined_offset - own_offset) < joined.frame, part.name
        if prev_video_end is not None and prev_audio_end is not None:
            video_gap = min(vs) - prev_video_end
            assert -1e-3 < video_gap < joined.frame, (part.name, video_gap)
            audio_gap = as_[0] - prev_audio_end
            assert -1e-3 < audio_gap < 2e-3, (part.name, audio_gap)
        prev_video_end = max(vs) + joined.frame
        prev_audio_end = as_[-1] + joined.audio_len
        v_at += nv
        a_at += na
    assert v_at == len(joined.video_pts) and a_at == len(joined.audio_pts)
