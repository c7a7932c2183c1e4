"""Reading preset TOML into a validated `VenuePreset`.

A file may say ``extends = "usb-player"``: the parent's tables are merged under the child's
(the child wins key by key) and each value remembers the file it came from. Validation uses
`screenkit.config.Table`, so an unknown key or an impossible value is a `ConfigError` naming
the file that holds it and the dotted key.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType
from typing import Any

from screenkit.config import Table
from screenkit.errors import ConfigError
from screenkit.presets.legacy import check_legacy, legacy_video_fields
from screenkit.presets.model import (
    H264_LEVELS,
    H264_PROFILES,
    X264_SPEEDS,
    AudioSpec,
    DvdSpec,
    LoudnessSpec,
    SubtitleSpec,
    VenuePreset,
    VideoSpec,
    macroblocks,
)

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(B|kB|KB|MB|GB|TB|KiB|MiB|GiB|TiB)?\s*$")
_UNITS = {
    None: 1, "B": 1, "kB": 10**3, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12,
    "KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40,
}  # fmt: skip


@dataclass(frozen=True)
class RawPreset:
    """A preset's merged TOML (extends resolved) and, per dotted key, the file it came from."""

    name: str
    data: dict[str, Any]
    origins: dict[str, str]
    source: str
    path: Path
    extends: str | None


def merge(
    base: dict[str, Any],
    base_origins: dict[str, str],
    child: dict[str, Any],
    label: str,
    prefix: str = "",
) -> tuple[dict[str, Any], dict[str, str]]:
    """``child`` over ``base`` table by table; origins follow each leaf."""
    out = dict(base)
    origins = dict(base_origins)
    for key, value in child.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key], origins = merge(out[key], origins, value, label, f"{dotted}.")
        else:
            origins = {k: v for k, v in origins.items() if not k.startswith(f"{dotted}.")}
            out[key] = value
            for leaf in _leaves(value, dotted):
                origins[leaf] = label
    return out, origins


def _leaves(value: Any, dotted: str) -> list[str]:
    if isinstance(value, dict):
        return [leaf for k, v in value.items() for leaf in _leaves(v, f"{dotted}.{k}")]
    return [dotted]


def parse_size(table: Table, key: str) -> int | None:
    """``"4 GiB"``, ``"2 GB"`` or a whole number of bytes; ``"none"`` for no limit."""
    value = table.raw(key)
    if value is None:
        return None
    if isinstance(value, bool):
        raise table.error(key, f'expected a size like "4 GiB", got {value!r}', value)
    if isinstance(value, int):
        number: float = value
        unit: str | None = None
    elif isinstance(value, str):
        if value.strip().lower() == "none":
            return None
        match = _SIZE.match(value)
        if not match:
            raise table.error(key, f'expected a size like "4 GiB" or "2 GB", got {value!r}')
        number, unit = float(match.group(1)), match.group(2)
    else:
        raise table.error(key, f'expected a size like "4 GiB", got {value!r}', value)
    size = int(number * _UNITS[unit])
    if size < 1_000_000:
        raise table.error(key, f"{value!r} is too small for a film (less than 1 MB)", value)
    return size


def parse_rate(table: Table, key: str, default: Fraction) -> Fraction:
    """A frame rate: a number (25, 29.97) or a ratio text ("30000/1001")."""
    value = table.raw(key)
    if value is None:
        return default
    try:
        if isinstance(value, bool):
            raise ValueError
        if isinstance(value, int | float):
            rate = Fraction(value).limit_denominator(1001)
        elif isinstance(value, str):
            rate = Fraction(value.strip())
        else:
            raise ValueError
    except (ValueError, ZeroDivisionError):
        raise table.error(
            key, f'expected a frame rate like 25 or "30000/1001", got {value!r}'
        ) from None
    if not Fraction(1) <= rate <= Fraction(240):
        raise table.error(key, f"{value} frames per second is not a rate a player shows", value)
    return rate


def _video(t: Table) -> VideoSpec:
    d = VideoSpec()
    spec = VideoSpec(
        codec=t.choice("codec", ["h264", "mpeg2video", "mpeg4"], d.codec),
        profile=t.choice("profile", H264_PROFILES, d.profile),
        level=t.choice("level", list(H264_LEVELS), d.level),
        pix_fmt=t.choice("pix_fmt", ["yuv420p"], d.pix_fmt),
        max_width=t.integer("max_width", d.max_width, min=16, max=8192),
        max_height=t.integer("max_height", d.max_height, min=16, max=8192),
        min_width=t.integer("min_width", d.min_width, min=0, max=8192) or None,
        min_height=t.integer("min_height", d.min_height, min=0, max=8192) or None,
        max_fps=parse_rate(t, "max_fps", d.max_fps),
        cfr=t.flag("cfr", d.cfr),
        max_bitrate_kbps=t.integer("max_bitrate_kbps", d.max_bitrate_kbps, min=100, max=800_000),
        crf=t.integer("crf", d.crf, min=0, max=51),
        speed=t.choice("speed", X264_SPEEDS, d.speed),
        copy_when_compliant=t.flag("copy_when_compliant", d.copy_when_compliant),
        hdr=t.choice("hdr", ["tone-map", "keep"], d.hdr),
        **legacy_video_fields(t, lambda key, default: parse_rate(t, key, default)),
    )
    t.done()
    for key in ("max_width", "max_height", "min_width", "min_height"):
        if (getattr(spec, key) or 0) % 2:
            raise t.error(key, f"{getattr(spec, key)} is odd: yuv420p needs even sizes")
    origins = getattr(t, "preset_raw", None)
    for side in ("width", "height"):
        low, high = getattr(spec, f"min_{side}"), getattr(spec, f"max_{side}")
        if low is None or low <= high:
            continue
        own = origins.source if origins is not None else None
        where = origins.origins if origins is not None else {}
        if own is None or where.get(f"video.min_{side}", own) == own:
            raise t.error(f"min_{side}", f"{low} is above max_{side} ({high})", low)
        # a preset that lowers an inherited maximum below the inherited minimum: the later
        # file wins, and the minimum is capped at its maximum
        spec = replace(spec, **{f"min_{side}": high})
    if spec.codec != "h264":
        if spec.hdr == "keep":
            raise t.error("hdr", f"{spec.codec} is 8-bit SDR: it cannot keep HDR", spec.hdr)
        return spec  # MPEG-2 / MPEG-4 Part 2 limits: presets.legacy.check_legacy
    frame_mbs, rate_mbs, kbps = H264_LEVELS[spec.level]
    if macroblocks(spec.max_width, spec.max_height) > frame_mbs:
        raise t.error(
            "level",
            f"{spec.max_width}x{spec.max_height} is larger than H.264 level {spec.level} allows",
            spec.level,
        )
    if macroblocks(spec.max_width, spec.max_height) * spec.max_fps > rate_mbs:
        raise t.error(
            "level",
            f"{spec.max_width}x{spec.max_height} at {float(spec.max_fps):g} fps is more than "
            f"H.264 level {spec.level} decodes",
        )
    level_kbps = kbps * 5 // 4 if spec.profile == "high" else kbps
    if spec.max_bitrate_kbps is not None and spec.max_bitrate_kbps > level_kbps:
        raise t.error(
            "max_bitrate_kbps",
            f"{spec.max_bitrate_kbps} kbit/s is above H.264 {spec.profile}@{spec.level}'s "
            f"{level_kbps}",
            spec.max_bitrate_kbps,
        )
    return spec


def _channels(t: Table, default: int | None) -> int | None:
    if t.has("channels") and isinstance(t.data["channels"], str):
        t.choice("channels", ["source"])
        return None
    value: int | None = t.integer("channels", default)
    if value is not None and value not in (1, 2, 6):
        raise t.error("channels", f'{value} channels: use 1, 2, 6 or "source"', value)
    return value


def _audio(t: Table, container: str) -> AudioSpec:
    d = AudioSpec()
    codec = t.choice("codec", ["aac", "pcm_s16le", "pcm_s24le", "ac3", "mp2", "mp3"], d.codec)
    channels = _channels(t, d.channels)
    rate = t.integer("sample_rate", d.sample_rate)
    if rate not in (44100, 48000, 96000):
        raise t.error("sample_rate", f"{rate} Hz: use 44100, 48000 or 96000", rate)
    if codec != "aac" and container == "mp4":
        raise t.error("codec", f"{codec} does not play from MP4 on most devices: use mkv", codec)
    bitrate = t.integer("bitrate_kbps", d.bitrate_kbps, min=32, max=512)
    if codec.startswith("pcm_"):
        bitrate = None  # PCM is uncompressed: an inherited AAC bitrate does not apply
    lt = t.table("loudness")
    loudness: LoudnessSpec | None = None
    if lt.flag("enabled", True):
        dl = LoudnessSpec()
        loudness = LoudnessSpec(
            target=lt.number("target", dl.target, min=-40.0, max=-5.0),
            true_peak=lt.number("true_peak", dl.true_peak, min=-9.0, max=0.0),
            lra=lt.number("lra", dl.lra, min=1.0, max=50.0),
        )
    else:
        for key in ("target", "true_peak", "lra"):
            lt.raw(key)  # allowed but unused when off
    lt.done()
    t.done()
    return AudioSpec(
        codec=codec, channels=channels, sample_rate=rate, bitrate_kbps=bitrate, loudness=loudness
    )


def _subtitles(t: Table) -> SubtitleSpec:
    d = SubtitleSpec()
    encoding = t.text("sidecar_encoding", d.sidecar_encoding)
    if encoding not in ("utf-8", "legacy"):
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise t.error(
                "sidecar_encoding",
                f"'{encoding}' is not a text encoding (use utf-8, legacy or e.g. cp1251)",
                encoding,
            ) from None
    spec = SubtitleSpec(
        burn=t.flag("burn", d.burn),
        soft=t.flag("soft", d.soft),
        sidecar=t.choice("sidecar", ["none", "srt", "vtt"], d.sidecar),
        sidecar_encoding=encoding,
        font_size=t.number("font_size", d.font_size, min=0.02, max=0.15),
        subpictures=t.flag("subpictures", d.subpictures),
        sidecar_name=t.choice("sidecar_name", ["language", "film"], d.sidecar_name),
    )
    t.done()
    if spec.sidecar == "vtt" and encoding != "utf-8":
        raise t.error("sidecar_encoding", "WebVTT is UTF-8 by definition", encoding)
    return spec


def _dvd(t: Table) -> DvdSpec:
    d = DvdSpec()
    spec = DvdSpec(
        chapter_minutes=t.integer("chapter_minutes", d.chapter_minutes, min=1, max=60),
        outro_cell=t.flag("outro_cell", d.outro_cell),
    )
    t.done()
    return spec


def build_preset(raw: RawPreset) -> VenuePreset:
    """Validate merged TOML into a `VenuePreset`; errors name the file that set the bad key."""
    holder = _Blame(raw)
    top = holder.table(raw.data, "")
    top.text("extends")
    d = VenuePreset(name=raw.name)
    container = top.choice("container", ["mp4", "mkv", "avi", "dvd"], d.container)
    preset = VenuePreset(
        name=raw.name,
        description=top.text("description", ""),
        container=container,
        faststart=top.flag("faststart", container == "mp4"),
        file_size_limit=parse_size(top, "file_size_limit"),
        safe_area=top.number("safe_area", d.safe_area, min=0.0, max=0.2),
        video=holder.section(top, "video", _video),
        audio=holder.section(top, "audio", lambda t: _audio(t, container)),
        subtitles=holder.section(top, "subtitles", _subtitles),
        dvd=holder.section(top, "dvd", _dvd) if container == "dvd" or top.has("dvd") else None,
        extends=raw.extends,
        source=raw.source,
        origins=MappingProxyType(dict(raw.origins)),
    )
    top.done()
    check_legacy(preset, top)
    if preset.subtitles.soft and preset.container == "mp4" and preset.subtitles.sidecar == "vtt":
        raise top.error("subtitles.soft", "web players ignore MP4 text tracks: use the sidecar")
    return preset


class _Blame:
    """Makes `Table`s whose errors name the file that set the key, not the child's file."""

    def __init__(self, raw: RawPreset) -> None:
        self.preset_raw = raw

    def table(self, data: dict[str, Any], prefix: str) -> Table:
        return _BlameTable(data, self.preset_raw, prefix)

    def section(self, top: Table, name: str, build: Any) -> Any:
        child = top.table(name)
        return build(_BlameTable(child.data, self.preset_raw, f"{name}."))


class _BlameTable(Table):
    def __init__(self, data: dict[str, Any], raw: RawPreset, prefix: str) -> None:
        super().__init__(data, raw.path, prefix)
        self.preset_raw = raw

    def table(self, name: str, *, required: bool = False) -> Table:
        inner = super().table(name, required=required)
        return _BlameTable(inner.data, self.preset_raw, inner.prefix)

    def error(self, name: str, message: str, value: object = None) -> ConfigError:
        dotted = self.key(name)
        label = self.preset_raw.origins.get(dotted)
        where = Path(label) if label and not label.startswith("standard:") else self.preset_raw.path
        if label and label.startswith("standard:"):
            where = Path(__file__).parent / "standard" / label.removeprefix("standard:")
        return ConfigError(f"{where}: {dotted}: {message}", path=where, key=dotted, value=value)
