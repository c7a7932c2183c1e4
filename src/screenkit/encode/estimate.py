"""How long a film encode will take on this machine, from a short timed sample.

A 70-minute 1080p master takes hours at x264 ``medium`` on a laptop; an organiser should
know that before the build starts, not after. The estimate encodes a few seconds of the
master through the very same plan (filters, burn-in, x264 settings), minus the loudness
measurement (the audio chain costs little beside the video), times it, takes off the
fixed cost of starting ffmpeg (timed with a one-frame run of the same command), and scales
the rest by the film's length. A second speed (``veryfast`` by default) is timed the same
way so the message can say what a faster setting would save.

Figures are cached per machine and settings (host, cores, ffmpeg build, picture size and
rate of the master, the preset's video settings, the speed), not per master content: the
rate of an encoder on one machine barely moves between two masters of the same shape.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from screenkit.encode.builder import x264_speed
from screenkit.encode.options import EncodeOptions
from screenkit.media.binaries import FFmpeg
from screenkit.media.info import MediaInfo
from screenkit.presets.model import VenuePreset

SAMPLE_SECONDS = 4.0
"""Seconds of the master encoded for one estimate (more is steadier, less is quicker)."""
ALT_SPEED = "veryfast"
_VERSION = 1


@dataclass(frozen=True)
class SpeedFigure:
    """One speed's measured rate: wall seconds of encoding per second of film."""

    speed: str
    seconds_per_second: float

    def total(self, duration: float) -> float:
        return self.seconds_per_second * duration


@dataclass(frozen=True)
class EncodeEstimate:
    """The wall time a film encode is expected to take, and what a faster speed would take."""

    duration: float
    """Seconds of film to encode."""
    two_pass: bool
    chosen: SpeedFigure
    alternative: SpeedFigure | None
    cached: bool
    """Figures read from the per-machine cache rather than timed now."""

    @property
    def seconds(self) -> float:
        return self.chosen.total(self.duration) * (TWO_PASS_FACTOR if self.two_pass else 1.0)

    @property
    def alternative_seconds(self) -> float | None:
        if self.alternative is None:
            return None
        return self.alternative.total(self.duration) * (TWO_PASS_FACTOR if self.two_pass else 1.0)

    def sentence(self, what: str = "encoding the film") -> str:
        """``encoding the film: about 3 h 40 min at --speed medium (about 55 min at …)``."""
        text = f"{what}: about {human_duration(self.seconds)} at --speed {self.chosen.speed}"
        alt = self.alternative_seconds
        if self.alternative is not None and alt is not None:
            text += f" (about {human_duration(alt)} at --speed {self.alternative.speed})"
        return text

    def to_json(self) -> dict[str, object]:
        return {
            "seconds": round(self.seconds, 1),
            "speed": self.chosen.speed,
            "seconds_per_film_second": round(self.chosen.seconds_per_second, 4),
            "alternative": (
                None
                if self.alternative is None
                else {
                    "speed": self.alternative.speed,
                    "seconds": round(self.alternative_seconds or 0.0, 1),
                }
            ),
            "two_pass": self.two_pass,
            "cached": self.cached,
            "text": self.sentence(),
        }


TWO_PASS_FACTOR = 1.35
"""A two-pass encode's cost over one pass (x264's first pass runs with fast settings)."""


def human_duration(seconds: float) -> str:
    """``3 h 40 min``, ``55 min``, ``40 s``: rounded as a person would say it."""
    if seconds < 60:
        return f"{max(1, round(seconds))} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    if hours >= 10:
        return f"{round(seconds / 3600)} h"
    rest = 5 * round(rest / 5)
    if rest == 60:
        hours, rest = hours + 1, 0
    return f"{hours} h" if rest == 0 else f"{hours} h {rest} min"


def machine_key(info: MediaInfo, preset: VenuePreset, speed: str, ffmpeg: FFmpeg) -> str:
    """What an encoder's rate depends on: this machine, this ffmpeg, this shape, these settings."""
    video = info.video
    shape = (
        None
        if video is None
        else [video.width, video.height, str(video.frame_rate), video.codec, video.rotation]
    )
    parts = {
        "v": _VERSION,
        "host": platform.node(),
        "machine": platform.machine(),
        "cores": os.cpu_count(),
        "ffmpeg": [str(ffmpeg.path), ffmpeg.version],
        "shape": shape,
        "video": json.dumps(asdict(preset.video), sort_keys=True, default=str),
        "burn": preset.subtitles.burn,
        "speed": speed,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def _cache_file(cache_dir: Path, key: str) -> Path:
    return cache_dir / "estimates" / f"{key[:32]}.json"


def _read_cached(cache_dir: Path, key: str) -> float | None:
    try:
        data = json.loads(_cache_file(cache_dir, key).read_text(encoding="utf-8"))
        value = float(data["seconds_per_second"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return value if value > 0 else None


def _write_cached(cache_dir: Path, key: str, rate: float) -> None:
    target = _cache_file(cache_dir, key)
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(f".{target.name}.part-{os.getpid()}")
    part.write_text(json.dumps({"seconds_per_second": rate}), encoding="utf-8")
    part.replace(target)


def _timed_encode(
    source: Path,
    preset: VenuePreset,
    options: EncodeOptions,
    out: Path,
    ffmpeg: FFmpeg,
) -> float:
    from screenkit.encode.run import encode  # run imports this module's callers

    started = time.monotonic()
    encode(source, preset, out, options, ffmpeg=ffmpeg, check=False)
    elapsed = time.monotonic() - started
    out.unlink(missing_ok=True)
    return elapsed


def measure_rate(
    source: Path,
    info: MediaInfo,
    preset: VenuePreset,
    options: EncodeOptions,
    speed: str,
    *,
    ffmpeg: FFmpeg,
    workdir: Path,
    sample: float = SAMPLE_SECONDS,
) -> float:
    """Wall seconds per film second for ``speed``, timed on a stretch of the master."""
    length = min(sample, max(info.duration - 0.1, 0.2))
    start = max(0.0, min(info.duration * 0.4, info.duration - length - 0.05))
    quiet = replace(preset, audio=replace(preset.audio, loudness=None))
    base = replace(options, x264_preset=speed, allow_copy=False, start=start)
    workdir.mkdir(parents=True, exist_ok=True)
    out = workdir / f"estimate-{os.getpid()}{preset.extension}"
    frame = 1 / float(info.video.frame_rate) if info.video and info.video.frame_rate else 0.04
    try:
        overhead = _timed_encode(source, quiet, replace(base, duration=frame), out, ffmpeg)
        total = _timed_encode(source, quiet, replace(base, duration=length), out, ffmpeg)
    finally:
        out.unlink(missing_ok=True)
    # the start-up cost is timed on its own, so it can be noisier than the sample: never let it
    # take more than half of what the sample cost
    return (total - min(overhead, 0.5 * total)) / length


def estimate_encode(
    source: Path,
    info: MediaInfo,
    preset: VenuePreset,
    options: EncodeOptions,
    *,
    ffmpeg: FFmpeg,
    cache_dir: Path,
    two_pass: bool = False,
    alternative: str | None = ALT_SPEED,
    sample: float = SAMPLE_SECONDS,
) -> EncodeEstimate:
    """Estimate the wall time of encoding ``info`` under ``preset`` with ``options``.

    ``cache_dir`` holds the per-machine figures (``estimates/``) and the sample's scratch
    files (``tmp/``). Raises what `encode` raises when even the sample cannot be encoded.
    """
    chosen_speed = x264_speed(preset, options)
    speeds = [chosen_speed]
    if alternative and alternative != chosen_speed:
        speeds.append(alternative)
    figures: list[SpeedFigure] = []
    cached = True
    workdir = cache_dir / "tmp" / f"estimate-{os.getpid()}"
    try:
        for speed in speeds:
            key = machine_key(info, preset, speed, ffmpeg)
            rate = _read_cached(cache_dir, key)
            if rate is None:
                cached = False
                rate = measure_rate(
                    source,
                    info,
                    preset,
                    options,
                    speed,
                    ffmpeg=ffmpeg,
                    workdir=workdir,
                    sample=sample,
                )
                _write_cached(cache_dir, key, rate)
            figures.append(SpeedFigure(speed, rate))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    duration = options.duration if options.duration is not None else info.duration
    return EncodeEstimate(
        duration=duration,
        two_pass=two_pass,
        chosen=figures[0],
        alternative=figures[1] if len(figures) > 1 else None,
        cached=cached,
    )
