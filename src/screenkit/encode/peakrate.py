"""The peak rate a player meets: the video's bits against the decoder buffer the preset allows.

A preset's peak (``max_bitrate_kbps``, 10 Mbit/s for a USB player) is given to x264 as its
VBV: a buffer of `BUFFER_SECONDS` at the peak rate, filled at that rate, from which every
frame is taken whole at its decode time. A single encode keeps to it by construction; its
bits in one second may still pass the peak (measured: 11.3 Mbit in a second of a 1080p
single encode under a 10 Mbit/s peak), which is what the buffer is for. A film joined from
chunks is different: each chunk was encoded as if the buffer were `CHUNK_BUFFER_START`
full when it starts, and the join only holds if it really is (the join re-encodes a chunk
that finds less from what it does find: `screenkit.encode.chunks.fit_buffer`). So the
check replays the buffer over the whole file (`buffer_model`): it must never run dry. The
most bits of any one-second window (`peak_window`) are reported beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from screenkit.errors import ProbeError
from screenkit.media.gate import admit_media

BUFFER_SECONDS = 2
"""The decoder buffer x264 is given, in seconds at the peak rate (``bufsize``)."""
BUFFER_START = 0.9
"""How full the buffer is when the first frame is taken (x264's own assumption)."""
CHUNK_BUFFER_START = 0.5
"""What a chunk's encode assumes of the buffer at its start (``vbv-init``). x264's rate
control keeps the buffer at least half full wherever it can, so a chunk that follows
another mostly finds that much (1080p with heavy grain under a 10 Mbit/s peak: 2-s chunks
joined at 0.5 never ran dry, at x264's default of 0.9 they ran 30 Mbit dry); but a chunk
whose picture asks far more than the peak spends its buffer to the last bit before it
ends, and the chunk after it is then encoded again from what it finds."""
SLACK = 0.02
"""The share of the buffer the check lets pass: the container's framing of each frame is
counted in the file but not by x264."""

Packets = Sequence[tuple[float, int]]
"""(decode time in seconds, bits) of every video packet, in decode order."""


@dataclass(frozen=True)
class PeakRate:
    """The video's bits against a buffer model."""

    peak_kbps: float
    """The most kbit in any one-second window (by decode time)."""
    dry_kbit: float
    """How far the buffer ran dry at worst, in kbit (0: never)."""
    dry_at: float | None
    """When it did, seconds into the file."""


def video_packets(path: Path) -> list[tuple[float, int]]:
    """(decode time, bits) of every packet of the first video stream, in decode order."""
    import av

    admit_media(path)
    try:
        with av.open(str(path), options={"protocol_whitelist": "file,pipe"}) as container:
            stream = container.streams.video[0]
            base = stream.time_base or Fraction(1, 90000)
            out = [
                (float(p.dts * base), p.size * 8)
                for p in container.demux(stream)
                if p.dts is not None and p.size
            ]
    except (av.FFmpegError, IndexError, OSError) as exc:
        raise ProbeError(f"cannot read the video packets of {path}: {exc}", path=path) from exc
    out.sort()
    return out


def peak_window(packets: Packets, seconds: float = 1.0) -> float:
    """The most bits of packets whose decode times lie within ``seconds`` of each other."""
    best = total = 0
    left = 0
    for time, bits in packets:
        total += bits
        while packets[left][0] <= time - seconds + 1e-9:
            total -= packets[left][1]
            left += 1
        best = max(best, total)
    return float(best)


@dataclass(frozen=True)
class Replay:
    """A decoder buffer replayed over some packets."""

    dry_bits: float
    """The most bits it lacked for a frame (0: never)."""
    dry_at: float | None
    """When, by the packets' decode times."""
    end_bits: float
    """What it holds after the last frame is taken."""


def replay(packets: Packets, rate_bps: float, size_bits: float, start_bits: float) -> Replay:
    """A buffer filled at ``rate_bps`` up to ``size_bits``, holding ``start_bits`` when the
    first of ``packets`` is taken, each taken whole at its decode time."""
    level = start_bits
    worst, at = 0.0, None
    previous = packets[0][0] if packets else 0.0
    for time, bits in packets:
        level = min(size_bits, level + rate_bps * (time - previous))
        previous = time
        level -= bits
        if level < -worst - 1e-6:  # the first time it is that short
            worst, at = -level, time
    return Replay(worst, at, level)


def buffer_model(
    packets: Packets, rate_bps: float, size_bits: float, start: float = BUFFER_START
) -> tuple[float, float | None]:
    """`replay` from a buffer ``start`` full: (the most bits it lacked, when)."""
    done = replay(packets, rate_bps, size_bits, start * size_bits)
    return done.dry_bits, done.dry_at


def peak_rate(path: Path, max_kbps: int) -> PeakRate:
    """``path``'s video against a buffer of `BUFFER_SECONDS` at ``max_kbps``."""
    packets = video_packets(path)
    dry, at = buffer_model(packets, max_kbps * 1000, buffer_bits(max_kbps))
    return PeakRate(peak_window(packets) / 1000, dry / 1000, at)


def runs_dry(found: PeakRate, max_kbps: int) -> bool:
    """Whether the buffer ran dry by more than `SLACK` of its size."""
    return found.dry_kbit > SLACK * max_kbps * BUFFER_SECONDS


def buffer_bits(max_kbps: int) -> float:
    """The decoder buffer of a peak rate, in bits."""
    return max_kbps * 1000.0 * BUFFER_SECONDS
