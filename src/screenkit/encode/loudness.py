"""EBU R128 loudness: measure a source once, then normalise every encode of it linearly.

The first ``loudnorm`` pass measures integrated loudness, true peak, loudness range and the
gating threshold of the audio *as the encode will see it* (after a 5.1 → stereo downmix);
the second pass applies the measured values with ``linear=true``, a plain gain whenever the
true-peak ceiling allows (loudnorm falls back to its limiter when it does not). A 70-minute
film takes a minute to measure, so the measurement is kept as a small JSON file under
``<cache>/loudness/`` keyed by `measurement_key`: the sha256 of the source's content, the
audio stream, the channel count and the ffmpeg version. ``screenkit encode`` and the build's
loudness step use this one key and this one store, so either finds what the other measured.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from screenkit.errors import FFmpegFailed, ScreenkitError
from screenkit.media.atomic import write_text_atomic
from screenkit.media.binaries import FFmpeg, find_ffmpeg
from screenkit.media.info import MediaInfo
from screenkit.media.probe import probe
from screenkit.media.runner import RunResult, run_ffmpeg, safe_input
from screenkit.presets.model import LoudnessSpec
from screenkit.progress import ProgressCallback

SILENCE_LUFS = -70.0
"""Below this integrated loudness there is nothing to normalise (EBU R128's absolute gate)."""
_HASH_SPAN = 1 << 20
_CACHE_VERSION = 1


@dataclass(frozen=True)
class Loudness:
    """loudnorm's first-pass measurement of a source's audio."""

    input_i: float
    """Integrated loudness, LUFS (-inf for silence)."""
    input_tp: float
    """True peak, dBTP."""
    input_lra: float
    """Loudness range, LU."""
    input_thresh: float
    """The relative gating threshold, LUFS."""

    @property
    def silent(self) -> bool:
        """Nothing to normalise (NaN values are a dry run's placeholders, not silence)."""
        return self.input_i == -math.inf or self.input_i < SILENCE_LUFS


def downmix_filters(channels: int | None) -> list[tuple[str, dict[str, str]]]:
    """The filters that bring the audio to ``channels`` (None keeps the layout).

    ``aformat`` to stereo makes libswresample's standard downmix (centre and surrounds at
    -3 dB, LFE dropped), the one players use themselves.
    """
    if channels is None:
        return []
    layout = {1: "mono", 2: "stereo", 6: "5.1"}[channels]
    return [("aformat", {"channel_layouts": layout})]


def measure_args(info: MediaInfo, channels: int | None, spec: LoudnessSpec) -> list[str]:
    """The ffmpeg arguments of the measuring pass (pure)."""
    stream = info.audio[0].index
    chain = [
        f"{name}=" + ":".join(f"{k}={v}" for k, v in opts.items())
        for name, opts in downmix_filters(channels)
    ]
    chain.append(
        f"loudnorm=I={spec.target:g}:TP={spec.true_peak:g}:LRA={spec.lra:g}:print_format=json"
    )
    return [
        *safe_input(info.path),
        "-map", f"0:{stream}",
        "-vn", "-sn", "-dn",
        "-af", ",".join(chain),
        "-f", "null", "-",
    ]  # fmt: skip


def linear_gain(spec: LoudnessSpec, measured: Loudness) -> float | None:
    """The gain (dB) that brings the source to the target, when a plain gain may do it.

    That is loudnorm's own linear mode (a constant gain of target − measured) whenever the
    true peak stays under the ceiling; a ``volume`` filter applies it exactly, without
    loudnorm's 192 kHz resampling. None: the peak would clip, loudnorm's limiter is needed.
    """
    if not (math.isfinite(measured.input_i) and math.isfinite(measured.input_tp)):
        return None
    gain = spec.target - measured.input_i
    return gain if measured.input_tp + gain <= spec.true_peak else None


def apply_options(spec: LoudnessSpec, measured: Loudness) -> dict[str, str]:
    """The second pass's loudnorm options (for an ffmpeg-python filter node)."""
    lra_known = math.isfinite(measured.input_lra)
    return {
        "I": f"{spec.target:g}",
        "TP": f"{spec.true_peak:g}",
        # a target range below the measured one would turn linear gain into compression
        "LRA": f"{max(spec.lra, min(50.0, measured.input_lra)) if lra_known else spec.lra:g}",
        "measured_I": f"{measured.input_i:.2f}",
        "measured_TP": f"{measured.input_tp:.2f}",
        "measured_LRA": f"{measured.input_lra:.2f}",
        "measured_thresh": f"{measured.input_thresh:.2f}",
        "linear": "true",
    }


def parse_measurement(log: str) -> Loudness:
    """The JSON loudnorm prints at the end of its pass."""
    match = re.search(r"\{[^{}]*\"input_i\"[^{}]*\}", log, re.S)
    if not match:
        raise ScreenkitError("ffmpeg's loudness measurement printed no result")
    data: dict[str, Any] = json.loads(match.group(0))

    def num(key: str) -> float:
        value = str(data.get(key, "nan")).strip()
        return float(value) if value not in ("", "nan") else float("nan")

    return Loudness(
        input_i=num("input_i"),
        input_tp=num("input_tp"),
        input_lra=num("input_lra"),
        input_thresh=num("input_thresh"),
    )


def content_sha256(path: Path) -> str:
    """The sha256 of a file's content (callers with a hash index pass theirs instead)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_HASH_SPAN):
            digest.update(chunk)
    return digest.hexdigest()


def measurement_key(sha256: str, stream: int, channels: int | None, ffmpeg_version: str) -> str:
    """The one key of a loudness measurement: what is measured, how, by which ffmpeg."""
    parts = [f"v{_CACHE_VERSION}", sha256, str(stream), str(channels), ffmpeg_version]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def loudness_to_json(measured: Loudness) -> dict[str, float | str]:
    return {k: (v if math.isfinite(v) else str(v)) for k, v in asdict(measured).items()}


def loudness_from_json(data: Any) -> Loudness:
    return Loudness(**{k: float(data[k]) for k in Loudness.__dataclass_fields__})


def store_path(cache_dir: Path, key: str) -> Path:
    return Path(cache_dir) / "loudness" / f"{key}.json"


def recall(cache_dir: Path | None, key: str) -> Loudness | None:
    """The stored measurement under ``key``, if any (a damaged record counts as none)."""
    if cache_dir is None:
        return None
    with contextlib.suppress(OSError, ValueError, TypeError, KeyError):
        return loudness_from_json(json.loads(store_path(cache_dir, key).read_text("utf-8")))
    return None


def remember(cache_dir: Path | None, key: str, measured: Loudness) -> None:
    """Store a measurement under ``key`` (the store is an optimisation: errors are ignored)."""
    if cache_dir is not None:
        with contextlib.suppress(OSError):
            document = json.dumps(loudness_to_json(measured), indent=1) + "\n"
            write_text_atomic(store_path(cache_dir, key), document)


def key_for(info: MediaInfo, channels: int | None, ffmpeg: FFmpeg, sha256: str | None) -> str:
    return measurement_key(
        sha256 or content_sha256(info.path), info.audio[0].index, channels, ffmpeg.version
    )


def cached_loudness(
    info: MediaInfo,
    channels: int | None,
    cache_dir: Path | None,
    ffmpeg: FFmpeg,
    sha256: str | None = None,
) -> Loudness | None:
    """The stored measurement of ``info``'s audio, if any."""
    if cache_dir is None or not info.audio:
        return None
    return recall(cache_dir, key_for(info, channels, ffmpeg, sha256))


def measure_command(info: MediaInfo, channels: int | None) -> tuple[list[str], str]:
    """The measuring pass's arguments and the log level it needs (loudnorm prints at info)."""
    return measure_args(info, channels, LoudnessSpec()), "info"


def measure_loudness(
    source: Path | MediaInfo,
    *,
    channels: int | None = 2,
    cache_dir: Path | None = None,
    ffmpeg: FFmpeg | None = None,
    progress: ProgressCallback | None = None,
    sha256: str | None = None,
) -> Loudness | None:
    """Measure ``source``'s first audio stream (downmixed to ``channels``); None: no audio.

    With ``cache_dir`` a measurement under the same `measurement_key` is read back instead
    of run again; ``sha256`` is the source's content digest when the caller knows it.
    """
    ffmpeg = ffmpeg or find_ffmpeg()
    info = source if isinstance(source, MediaInfo) else probe(source, ffmpeg=ffmpeg)
    if not info.audio:
        return None
    key = key_for(info, channels, ffmpeg, sha256) if cache_dir is not None else ""
    if (hit := recall(cache_dir, key)) is not None:
        return hit
    args, loglevel = measure_command(info, channels)
    measured = parse_measurement(run_measure(info, args, loglevel, ffmpeg, progress).log)
    remember(cache_dir, key, measured)
    return measured


def run_measure(
    info: MediaInfo,
    args: Sequence[str],
    loglevel: str,
    ffmpeg: FFmpeg,
    progress: ProgressCallback | None,
) -> RunResult:
    """Run the measuring pass; a failure names the source."""
    try:
        return run_ffmpeg(
            args,
            ffmpeg=ffmpeg,
            duration=info.duration,
            progress=progress,
            step="loudness",
            what=f"measuring the loudness of {info.path.name}",
            loglevel=loglevel,
        )
    except FFmpegFailed as exc:
        exc.path = info.path
        raise
