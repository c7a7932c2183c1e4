"""Odd sources for tests and benchmarks: what phones and old cameras hand to screenkit.

Each maker writes a small file with the real ffmpeg from lavfi sources. Tests call them at
320x180 for a few seconds; benchmarks at 720p for minutes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from screenkit.media.atomic import atomic_output
from screenkit.media.binaries import FFmpeg, bundled_ffmpeg, find_ffmpeg
from screenkit.media.runner import output_arg, run_ffmpeg


@dataclass(frozen=True)
class SourceSpec:
    """A generated source: picture, sound and the quirks to put in."""

    duration: float = 3.0
    width: int = 320
    height: int = 180
    fps: str = "25"
    audio_channels: int | None = 2
    """None: no audio stream at all."""
    audio_rate: int = 48000
    rotation: int = 0
    """Clockwise degrees a player must turn the picture (phone footage)."""
    vfr: bool = False
    interlaced: bool = False
    sar: str | None = None
    video_codec: Sequence[str] = ("libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p")
    audio_codec: Sequence[str] = ("aac", "-b:a", "96k")
    no_video: bool = False
    extra: Sequence[str] = field(default_factory=tuple)
    picture: str | None = None
    """A lavfi source graph replacing the test pattern (e.g. a known layout to check rotation)."""


def _picture(spec: SourceSpec) -> str:
    """The lavfi graph of the picture: a test pattern, VFR as alternating frame rates."""
    size = f"{spec.width}x{spec.height}"
    if spec.picture is not None:
        return spec.picture
    if spec.vfr:
        # like a phone in changing light: half-second stretches at 30 and 12 fps
        count = max(2, math.ceil(spec.duration / 0.5))
        parts = [
            f"testsrc2=size={size}:rate={30 if n % 2 == 0 else 12}:duration=0.5[s{n}]"
            for n in range(count)
        ]
        joined = "".join(f"[s{n}]" for n in range(count))
        return ";".join(parts) + f";{joined}concat=n={count}:v=1:a=0[out0]"
    if spec.interlaced:  # two fields per frame: render at the field rate, then weave
        return f"testsrc2=size={size}:rate={Fraction(spec.fps) * 2}"
    return f"testsrc2=size={size}:rate={spec.fps}"


def make_source(out: Path, spec: SourceSpec, *, ffmpeg: FFmpeg | None = None) -> Path:
    """Write ``spec`` to ``out`` (container from the extension), atomically."""
    ffmpeg = ffmpeg or find_ffmpeg()
    args: list[str] = []
    maps: list[str] = []
    n = 0
    if not spec.no_video:
        args += ["-f", "lavfi", "-i", _picture(spec)]
        maps += ["-map", f"{n}:v"]
        n += 1
    if spec.audio_channels:
        layout = {1: "mono", 2: "stereo", 6: "5.1"}.get(
            spec.audio_channels, f"{spec.audio_channels}c"
        )
        expr = "|".join(
            f"0.3*sin({220 * (c + 1)}*2*PI*t)*(0.6+0.4*sin(5*2*PI*t))"
            for c in range(spec.audio_channels)
        )
        args += [
            "-f", "lavfi",
            "-i", f"aevalsrc={expr}:s={spec.audio_rate}:c={layout}",
        ]  # fmt: skip
        maps += ["-map", f"{n}:a"]
    filters: list[str] = []
    if spec.interlaced:
        filters.append("interlace=scan=tff")
    if spec.sar:
        filters.append(f"setsar={spec.sar}")
    cmd = [*args, *maps, "-t", f"{spec.duration}"]
    if filters:
        cmd += ["-vf", ",".join(filters)]
    if not spec.no_video:
        cmd += ["-c:v", *spec.video_codec]
        if spec.vfr:
            cmd += ["-fps_mode", "passthrough"]
        if spec.interlaced:
            cmd += ["-flags", "+ildct+ilme", "-x264-params", "tff=1"]
    if spec.audio_channels:
        cmd += ["-c:a", *spec.audio_codec]
    cmd += list(spec.extra)
    with atomic_output(out) as part:
        if spec.rotation:
            staged = part.with_name(part.stem + ".norot" + part.suffix)
            try:
                run_ffmpeg([*cmd, output_arg(staged)], ffmpeg=ffmpeg, what="making a test source")
                tagger = ffmpeg if ffmpeg.version_tuple >= (6, 0) else bundled_ffmpeg() or ffmpeg
                if tagger.version_tuple >= (6, 0):
                    # the display matrix angle is counter-clockwise
                    tag = ["-display_rotation:v:0", str(-spec.rotation % 360), "-i"]
                    rest = ["-c", "copy"]
                else:  # before 6.0 the muxer turned a clockwise "rotate" tag into the matrix
                    tag = ["-i"]
                    rest = ["-c", "copy", "-metadata:s:v:0", f"rotate={spec.rotation}"]
                run_ffmpeg(
                    [*tag, output_arg(staged), *rest, output_arg(part)],
                    ffmpeg=tagger,
                    what="tagging rotation",
                )
            finally:
                staged.unlink(missing_ok=True)
        else:
            run_ffmpeg([*cmd, output_arg(part)], ffmpeg=ffmpeg, what="making a test source")
    return out


def truncate_copy(source: Path, out: Path, keep: float = 0.6) -> Path:
    """A copy of ``source`` cut after ``keep`` of its bytes: a copy that stopped half-way."""
    data = source.read_bytes()
    with atomic_output(out) as part:
        part.write_bytes(data[: max(1, int(len(data) * keep))])
    return out
