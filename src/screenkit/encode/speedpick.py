"""``--speed auto``: the fastest x264 speed that keeps ``medium``'s picture, measured on the film.

x264's slower presets buy quality per bit; at a fixed CRF a faster one writes a few more
bits for about the same picture, at a fraction of the time. How much quality it gives up
depends on the picture (grain, motion, the burned text), so it is measured, not assumed:
a few short samples spread over the film (each moved to begin with a line of the burned
track, where the film has one) are encoded with the film's own settings (its CRF, peak
rate, filters and burn-in; picture only, as a chunk is) at each of `CANDIDATES`, from
``medium`` down to ``veryfast``, and compared with the master fed the same way (SSIM, as
the film's own quality is measured). The fastest speed whose SSIM stays within the
preset's ``speed_tolerance`` of ``medium``'s, and whose bitrate stays within the preset's
limits (its peak rate, and the average its file-size limit allows), is the choice for
every encode of that preset: the whole language matrix.

The choice and its figures are kept per master (its content), preset (its picture
settings) and ffmpeg build, in ``<cache>/speeds/``: the next build of the matrix, or a
build of one more language, reads them instead of encoding the samples again.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from screenkit.encode.builder import bitrate_budget
from screenkit.encode.chunks import Chunk, chunk_options, encode_chunk
from screenkit.encode.family import chunked_family
from screenkit.encode.geometry import output_format
from screenkit.encode.options import EncodeOptions
from screenkit.encode.quality import measure_quality
from screenkit.encode.subs import load_cut, stage_burn
from screenkit.errors import ScreenkitError
from screenkit.media.atomic import write_text_atomic
from screenkit.media.binaries import FFmpeg
from screenkit.media.info import MediaInfo
from screenkit.presets.model import AUTO_SPEED, VenuePreset
from screenkit.progress import Progress, ProgressCallback
from screenkit.tempdirs import scratch_dir

CANDIDATES = ("medium", "fast", "faster", "veryfast")
"""From the reference down: slower than medium buys little, faster than veryfast a lot."""
SAMPLES = 3
SAMPLE_SECONDS = 4.0
_VERSION = 1


@dataclass(frozen=True)
class SpeedTrial:
    """One speed's samples: their SSIM against the master, bitrate and encode time."""

    speed: str
    ssim: float
    """Mean SSIM of the samples (each compared frame by frame, every frame)."""
    kbps: float
    """The samples' video bitrate."""
    seconds: float
    """Wall seconds encoding the samples (this machine, as loaded as it was)."""


@dataclass(frozen=True)
class SpeedChoice:
    """The speed ``auto`` chose for a preset, and the measurement it chose by."""

    speed: str
    tolerance: float
    """How much lower than medium's the chosen speed's SSIM could be."""
    trials: tuple[SpeedTrial, ...]
    """Every speed tried, ``medium`` first."""
    samples: tuple[float, ...]
    """Where the samples start, in seconds of the film."""
    sample_seconds: float
    limit_kbps: float | None
    """The most a speed's samples could average (the preset's peak or size limit)."""

    def trial(self, speed: str) -> SpeedTrial:
        return next(t for t in self.trials if t.speed == speed)

    @property
    def reference(self) -> SpeedTrial:
        return self.trials[0]

    def to_json(self) -> dict[str, Any]:
        return {
            "chosen": self.speed,
            "tolerance": self.tolerance,
            "samples": list(self.samples),
            "sample_seconds": self.sample_seconds,
            "limit_kbps": self.limit_kbps,
            "trials": [asdict(t) for t in self.trials],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SpeedChoice:
        return cls(
            speed=str(data["chosen"]),
            tolerance=float(data["tolerance"]),
            trials=tuple(
                SpeedTrial(str(t["speed"]), float(t["ssim"]), float(t["kbps"]), float(t["seconds"]))
                for t in data["trials"]
            ),
            samples=tuple(float(s) for s in data["samples"]),
            sample_seconds=float(data["sample_seconds"]),
            limit_kbps=None if data.get("limit_kbps") is None else float(data["limit_kbps"]),
        )


def wants_auto(preset: VenuePreset, asked: str | None) -> bool:
    """Whether a build asking for ``asked`` (``--speed``; None: the preset's) picks by
    measurement for ``preset``: the x264 family's presets only (those whose films are
    chunked: the old players' codecs have no speeds)."""
    speed = asked if asked is not None else preset.video.speed
    return speed == AUTO_SPEED and chunked_family(preset)


def limit_kbps(preset: VenuePreset, info: MediaInfo) -> float | None:
    """The most video kbit/s a speed may average on the film: what the preset's file-size
    limit leaves for the picture, else its peak (None: neither)."""
    fmt = output_format(info, preset, EncodeOptions(allow_copy=False))
    try:
        budget = bitrate_budget(preset, fmt)
    except ScreenkitError:
        budget = None
    found = budget if budget is not None else preset.video.max_bitrate_kbps
    return None if found is None else float(found)


def sample_chunks(
    duration: float,
    rate: Fraction,
    cues: Sequence[tuple[int, int]] = (),
    count: int = SAMPLES,
    seconds: float = SAMPLE_SECONDS,
) -> tuple[Chunk, ...]:
    """``count`` samples of ``seconds`` spread over the film, each moved to begin half a
    second before the nearest cue of ``cues`` (ms spans), so that it shows burned text."""
    length = min(seconds, duration / count)
    frames = max(1, int(length * rate))
    out = []
    for n in range(count):
        start = duration * (n + 0.5) / count - length / 2
        if cues:
            near = min(cues, key=lambda c: abs(c[0] / 1000 - start))[0] / 1000
            if abs(near - start) <= duration / count / 2:
                start = near - 0.5
        start = min(max(0.0, start), max(0.0, duration - length - 0.1))
        out.append(Chunk(n, round(start * rate), frames))
    return tuple(out)


def choose(trials: Sequence[SpeedTrial], tolerance: float, limit: float | None) -> str:
    """The fastest trial within ``tolerance`` of the first one's SSIM and within ``limit``
    kbit/s (the first, the reference, when none is)."""
    reference = trials[0]
    for trial in reversed(trials):
        if trial.ssim < reference.ssim - tolerance - 1e-9:
            continue
        if limit is not None and trial.kbps > limit:
            continue
        return trial.speed
    return reference.speed


def choice_key(
    master_sha256: str, preset: VenuePreset, burns: bool, ffmpeg: FFmpeg, count: int, seconds: float
) -> str:
    """What a choice depends on: the master's content, the preset's picture, the ffmpeg."""
    video = {k: v for k, v in asdict(preset.video).items() if k not in ("speed", "speed_tolerance")}
    parts = {
        "v": _VERSION,
        "master": master_sha256,
        "video": video,
        "burn": [burns, preset.subtitles.font_size, preset.safe_area] if burns else None,
        "size_limit": preset.file_size_limit,
        "ffmpeg": ffmpeg.version,
        "samples": [count, seconds, list(CANDIDATES)],
        "tolerance": preset.video.speed_tolerance,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def _cache_file(cache_dir: Path, key: str) -> Path:
    return cache_dir / "speeds" / f"{key[:32]}.json"


def cached_choice(cache_dir: Path, key: str) -> SpeedChoice | None:
    try:
        data = json.loads(_cache_file(cache_dir, key).read_text(encoding="utf-8"))
        return SpeedChoice.from_json(data)
    except (OSError, ValueError, KeyError, TypeError, StopIteration):
        return None


def pick_speed(
    info: MediaInfo,
    preset: VenuePreset,
    options: EncodeOptions,
    *,
    master_sha256: str,
    ffmpeg: FFmpeg,
    cache_dir: Path | None,
    progress: ProgressCallback | None = None,
    count: int = SAMPLES,
    seconds: float = SAMPLE_SECONDS,
) -> tuple[SpeedChoice, bool]:
    """The speed for ``preset`` on this master (``options``: the burned track and fonts of
    the samples), and whether it came from ``cache_dir`` (None: measured, not kept)."""
    options = replace(options, allow_copy=False, start=None, duration=None)
    burns = options.burn is not None and preset.subtitles.burn
    key = choice_key(master_sha256, preset, burns, ffmpeg, count, seconds)
    found = cached_choice(cache_dir, key) if cache_dir is not None else None
    if found is not None:
        return found, True
    fmt = output_format(info, preset, options)
    cues: list[tuple[int, int]] = []
    if burns and options.burn is not None:
        cues = [(int(e.start), int(e.end)) for e in load_cut(options.burn, None).events]
    samples = sample_chunks(info.duration, fmt.frame_rate, cues, count, seconds)
    trials = []
    for speed in CANDIDATES:
        if progress is not None:
            progress(Progress(f"choosing the speed ({preset.name}): {speed}", 0, None))
        trials.append(_trial(info, preset, replace(options, x264_preset=speed), samples, ffmpeg))
    limit = limit_kbps(preset, info)
    choice = SpeedChoice(
        speed=choose(trials, preset.video.speed_tolerance, limit),
        tolerance=preset.video.speed_tolerance,
        trials=tuple(trials),
        samples=tuple(float(c.first / fmt.frame_rate) for c in samples),
        sample_seconds=float((samples[0].frames or 0) / fmt.frame_rate),
        limit_kbps=limit,
    )
    if cache_dir is not None:
        target = _cache_file(cache_dir, key)
        target.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(target, json.dumps(choice.to_json(), indent=1))
    return choice, False


def _trial(
    info: MediaInfo,
    preset: VenuePreset,
    options: EncodeOptions,
    samples: Sequence[Chunk],
    ffmpeg: FFmpeg,
) -> SpeedTrial:
    """Encode and measure every sample at ``options.x264_preset``."""
    ssim = bits = frames = 0.0
    took = 0.0
    with scratch_dir("speed-") as tmp:
        work = Path(tmp)
        for chunk in samples:
            out = work / f"sample{chunk.index}-{os.getpid()}.mp4"
            started = time.monotonic()
            encode_chunk(info.path, info, preset, options, chunk, out, ffmpeg=ffmpeg)
            took += time.monotonic() - started
            cut = chunk_options(options, chunk, output_format(info, preset, options).frame_rate)
            fmt = output_format(info, preset, cut)
            if cut.burn is not None and preset.subtitles.burn:
                stage_burn(cut.burn, preset, fmt, work, cut.fonts, cut.start)
            quality = measure_quality(out, info, preset, cut, fmt, work, ffmpeg=ffmpeg)
            count = chunk.frames or 1
            ssim += quality.ssim * count
            frames += count
            bits += out.stat().st_size * 8
            out.unlink()
    length = frames / float(output_format(info, preset, options).frame_rate)
    return SpeedTrial(str(options.x264_preset), ssim / frames, bits / length / 1000, took)
