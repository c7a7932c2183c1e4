"""``manifest.json``: what a bundle holds and how it was made, written last.

A bundle folder is complete exactly when its manifest exists: the build writes every other
file first and the manifest last, inside a hidden folder renamed into place only then. The
manifest carries the resolved preset (so that ``screenkit verify`` can check the video on a
machine without the kit), the options, the inputs' and every file's sha256 and size, the
ffmpeg and screenkit versions, the master's and the video's colour (what ``verify`` checks
the video's tags against), and the ``plan_key`` (a digest of every step's cache key and
the options) that tells a rebuild with nothing changed that the bundle is already right.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from screenkit.bundle.engine.errors import IncompleteBundle
from screenkit.errors import InputError
from screenkit.media.atomic import write_text_atomic
from screenkit.media.colour import Colour
from screenkit.presets import AudioSpec, LoudnessSpec, SubtitleSpec, VenuePreset, VideoSpec
from screenkit.presets.model import DvdSpec

MANIFEST_NAME = "manifest.json"
FORMAT = 1


@dataclass(frozen=True)
class FileRecord:
    """One file of the bundle: its path relative to the bundle folder (``/``-separated)."""

    path: str
    sha256: str
    size: int


@dataclass(frozen=True)
class InputRecord:
    """A kit file the bundle was made from (path relative to the kit when inside it)."""

    role: str
    path: str
    sha256: str
    size: int


@dataclass(frozen=True)
class StepRecord:
    id: str
    kind: str
    key: str | None


@dataclass(frozen=True)
class Manifest:
    kit: str
    title: str
    bundle: str
    preset: VenuePreset
    options: Mapping[str, Any]
    ffmpeg_version: str
    screenkit_version: str
    created: str
    plan_key: str
    video: str
    test_clip: str | None
    """None: the bundle has no test clip (a DVD: the disc itself is tried)."""
    cache: str
    inputs: tuple[InputRecord, ...]
    steps: tuple[StepRecord, ...]
    files: tuple[FileRecord, ...]
    format: int = FORMAT
    quality: Mapping[str, Any] | None = None
    """The film encode's SSIM/PSNR against the master (`screenkit.encode.quality`)."""
    colour: Mapping[str, Any] | None = None
    """The master's colour and the video's (`screenkit.encode.colour.ColourPlan.to_json`):
    SDR or HDR, the tags and bit depth, what the encode did (tone-mapped, kept, nothing)."""

    def promised_colour(self) -> Colour | None:
        """The colour tags the video was made with and must carry (None: none promised, as
        for an AVI, which carries none, or a manifest from before colour was recorded)."""
        record = self.colour
        if not record or not record.get("tagged", True) or not record.get("output"):
            return None
        return Colour.from_json(record["output"])

    def to_json(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "kit": self.kit,
            "title": self.title,
            "bundle": self.bundle,
            "preset": preset_to_json(self.preset),
            "options": dict(self.options),
            "ffmpeg": self.ffmpeg_version,
            "screenkit": self.screenkit_version,
            "created": self.created,
            "plan_key": self.plan_key,
            "video": self.video,
            "test_clip": self.test_clip,
            "cache": self.cache,
            "inputs": [vars(r) for r in self.inputs],
            "steps": [vars(r) for r in self.steps],
            "files": [vars(r) for r in self.files],
            "quality": dict(self.quality) if self.quality is not None else None,
            "colour": dict(self.colour) if self.colour is not None else None,
        }


def _jsonable(value: Any) -> Any:
    if isinstance(value, Fraction):
        return str(value)
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in fields(value)}
    return value


def preset_to_json(preset: VenuePreset) -> dict[str, Any]:
    """The resolved preset as plain JSON (fractions as ``"30000/1001"``; no origins)."""
    document = _jsonable(preset)
    document.pop("origins", None)
    return dict(document)


def _build(cls: type[Any], data: Mapping[str, Any]) -> Any:
    nested = {
        "video": VideoSpec,
        "audio": AudioSpec,
        "subtitles": SubtitleSpec,
        "loudness": LoudnessSpec,
        "dvd": DvdSpec,
    }
    kwargs: dict[str, Any] = {}
    for f in fields(cls):
        if f.name not in data or f.name == "origins":
            continue
        value = data[f.name]
        if f.name in nested and isinstance(value, Mapping):
            value = _build(nested[f.name], value)
        elif isinstance(f.default, Fraction) or (value is not None and "Fraction" in str(f.type)):
            value = Fraction(str(value))  # also an optional one (a DVD's fixed frame_rate)
        kwargs[f.name] = value
    return cls(**kwargs)


def preset_from_json(data: Mapping[str, Any]) -> VenuePreset:
    preset = _build(VenuePreset, data)
    assert isinstance(preset, VenuePreset)
    return preset


def write_manifest(folder: Path, manifest: Manifest) -> Path:
    text = json.dumps(manifest.to_json(), indent=2, ensure_ascii=False) + "\n"
    return write_text_atomic(folder / MANIFEST_NAME, text)


def _records(cls: type[Any], items: Sequence[Mapping[str, Any]]) -> tuple[Any, ...]:
    names = {f.name for f in fields(cls)}
    return tuple(cls(**{k: v for k, v in item.items() if k in names}) for item in items)


def read_manifest(folder: Path) -> Manifest:
    """The manifest of the bundle in ``folder``; `IncompleteBundle` when there is none."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"{folder} is not a folder", path=folder)
    path = folder / MANIFEST_NAME
    if not path.is_file():
        raise IncompleteBundle(
            f"{folder} is an incomplete bundle: it has no {MANIFEST_NAME}",
            path=folder,
            hint="its build did not finish; run screenkit build again",
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise InputError(
                f"{path}: manifest format {data.get('format')!r} is not one this screenkit reads",
                path=path,
            )
        return Manifest(
            kit=str(data["kit"]),
            title=str(data["title"]),
            bundle=str(data["bundle"]),
            preset=preset_from_json(data["preset"]),
            options=dict(data.get("options", {})),
            ffmpeg_version=str(data["ffmpeg"]),
            screenkit_version=str(data["screenkit"]),
            created=str(data["created"]),
            plan_key=str(data["plan_key"]),
            video=str(data["video"]),
            test_clip=None if data.get("test_clip") is None else str(data["test_clip"]),
            cache=str(data.get("cache", "")),
            inputs=_records(InputRecord, data.get("inputs", [])),
            steps=_records(StepRecord, data.get("steps", [])),
            files=_records(FileRecord, data["files"]),
            quality=data.get("quality"),
            colour=data.get("colour"),
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InputError(f"{path} is damaged: {exc}", path=path) from exc
