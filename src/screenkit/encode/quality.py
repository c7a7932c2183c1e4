"""Picture quality of an encode: SSIM and PSNR against the master through the same scaling.

The reference is the master fed through the encode's own video chain (frame rate, scaling,
4:2:0, burned subtitles: `reference_video`), so the score measures the compression alone,
not the resize or the text. Both pictures are compared by ffmpeg's ``ssim`` and ``psnr``
filters in one decode, each frame with the reference frame of its time. A long film is
subsampled: every ``every``-th frame is compared (at most about `MAX_FRAMES` frames),
deterministically, so two encodes of one film are compared on the same frames; the
whole output is still decoded (the cost is one decode of the output and the master).
VMAF is left out: the ffmpeg builds screenkit meets (Debian's, the imageio wheel) carry
no libvmaf.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import ffmpeg as ffm

from screenkit.encode.builder import reference_video
from screenkit.encode.options import EncodeOptions, OutputFormat
from screenkit.errors import ScreenkitError
from screenkit.media.binaries import FFmpeg
from screenkit.media.info import MediaInfo
from screenkit.media.runner import input_arg, run_ffmpeg
from screenkit.presets.model import VenuePreset
from screenkit.progress import ProgressCallback

MAX_FRAMES = 1500
"""About how many frames are compared at most (every frame of a film up to a minute)."""
STATS_NAME = "ssim-stats.txt"
_SSIM_RE = re.compile(r"SSIM Y:.*\bAll:([0-9.]+)")
_PSNR_RE = re.compile(r"PSNR y:.*\baverage:([0-9.]+|inf)")


class QualityError(ScreenkitError):
    """The picture quality of an encode could not be measured."""


@dataclass(frozen=True)
class Quality:
    """How close an encode's picture is to the master's (fed the same way)."""

    ssim: float
    """Mean SSIM (all planes) of the compared frames; 1.0 is identical."""
    psnr: float
    """PSNR in dB from the mean squared error of the compared frames (inf: identical)."""
    frames: int
    """How many frames were compared."""
    every: int
    """Every how many frames one was compared (1: all of them)."""
    vmaf: float | None = None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        if not math.isfinite(self.psnr):
            data["psnr"] = str(self.psnr)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Quality:
        vmaf = data.get("vmaf")
        return cls(
            ssim=float(data["ssim"]),
            psnr=float(data["psnr"]),
            frames=int(data["frames"]),
            every=int(data["every"]),
            vmaf=None if vmaf is None else float(vmaf),
        )

    def describe(self) -> str:
        """One line for a sheet: ``SSIM 0.9871, PSNR 41.2 dB (every frame)``."""
        sampled = "every frame" if self.every == 1 else f"one frame in {self.every}"
        psnr = f"{self.psnr:.1f} dB" if math.isfinite(self.psnr) else "identical"
        return f"SSIM {self.ssim:.4f}, PSNR {psnr} against the master ({sampled})"


def frame_count(fmt: OutputFormat) -> int:
    """How many frames the output has (at least one)."""
    return max(1, math.ceil(fmt.duration * float(fmt.frame_rate)))


def sample_step(fmt: OutputFormat) -> int:
    """Every how many frames one is compared, so that about `MAX_FRAMES` are at most."""
    return max(1, math.ceil(frame_count(fmt) / MAX_FRAMES))


def quality_args(
    encoded: Path,
    master: MediaInfo,
    preset: VenuePreset,
    options: EncodeOptions,
    fmt: OutputFormat,
    workdir: Path,
    every: int,
    first: int = 0,
) -> list[str]:
    """ffmpeg arguments comparing ``encoded`` with the master fed as the encoder was.

    ``workdir`` holds the encode's staged burn-in track and fonts (the reference burns the
    same text) and receives the per-frame SSIM log, under a plain name. ``first``: the
    film's frame number of ``encoded``'s first frame (a chunk of it, fed from there by
    ``options``): the frames compared are the ones a measure of the whole film compares.
    """
    decoded = ffm.input(input_arg(encoded), protocol_whitelist="file,pipe").video
    if every > 1:
        decoded = decoded.filter("select", f"not(mod(n+{first},{every}))")
    # both on their own timelines, which the encode kept in sync with the sound: the
    # filters pair each decoded frame with the reference frame of its time (a frame the
    # encoder repeated to start the picture with the sound has no partner and is skipped)
    # the encode's last frame ends the comparison: a reference running a frame longer (the
    # fps filter's last frame of a chunk cut at -t) is no partner of the encode's last one
    reference = reference_video(master, preset, options, fmt, workdir).split()
    compared = ffm.filter(
        [decoded, reference[0]], "ssim", stats_file=str(workdir / STATS_NAME), shortest=1
    )
    compared = ffm.filter([compared, reference[1]], "psnr", shortest=1)
    return list(ffm.output(compared, "-", format="null").get_args())


def sampled(first: int, frames: int, every: int) -> int:
    """How many of the film's frames [first, first + frames) are compared (`sample_step`)."""
    return max(0, (first + frames + every - 1) // every - (first + every - 1) // every)


def combine(parts: Sequence[Quality]) -> Quality:
    """The quality of a film from its parts' (measured on the film's sampled frames, each
    with its own reference): the mean SSIM of all their frames, the PSNR of their mean
    squared error (as ffmpeg's filters give them for the whole), the frames added up."""
    if not parts:
        raise QualityError(
            "no part of the film was measured: its picture quality is unknown",
            hint="this is a screenkit bug: please report it",
        )
    frames = sum(p.frames for p in parts)
    ssim = sum(p.ssim * p.frames for p in parts) / frames
    error = sum(10 ** (-p.psnr / 10) * p.frames for p in parts) / frames  # 0 where identical
    psnr = -10 * math.log10(error) if error > 0 else math.inf
    return Quality(ssim=ssim, psnr=psnr, frames=frames, every=max(p.every for p in parts))


def read_quality(log: str, workdir: Path, every: int) -> Quality:
    """The quality a `quality_args` run printed (``log``) and logged into ``workdir``
    (the per-frame log is removed)."""
    stats_file = workdir / STATS_NAME
    stats = stats_file.read_text(encoding="utf-8", errors="replace")
    stats_file.unlink(missing_ok=True)
    return parse_quality(log, stats, every)


def parse_quality(log: str, stats: str, every: int) -> Quality:
    """The summary ffmpeg's filters print at the end, and the frame count of the stats log."""
    ssim = _SSIM_RE.findall(log)
    psnr = _PSNR_RE.findall(log)
    frames = sum(1 for line in stats.splitlines() if line.startswith("n:"))
    if not ssim or not psnr or frames == 0:
        raise QualityError(
            "ffmpeg printed no SSIM/PSNR summary: the picture quality could not be measured",
            hint="this is a screenkit bug or an unusual ffmpeg build: please report it",
        )
    return Quality(ssim=float(ssim[-1]), psnr=float(psnr[-1]), frames=frames, every=every)


def measure_quality(
    encoded: Path,
    master: MediaInfo,
    preset: VenuePreset,
    options: EncodeOptions,
    fmt: OutputFormat,
    workdir: Path,
    *,
    ffmpeg: FFmpeg,
    progress: ProgressCallback | None = None,
) -> Quality:
    """Decode ``encoded`` and the master once and compare them (see the module's note)."""
    every = sample_step(fmt)
    args = quality_args(encoded, master, preset, options, fmt, workdir, every)
    result = run_ffmpeg(
        args,
        ffmpeg=ffmpeg,
        duration=fmt.duration,
        progress=progress,
        step="picture quality",
        what=f"measuring the picture quality of {encoded.name}",
        loglevel="info",
    )
    return read_quality(result.log, workdir, every)
