"""Venue presets: what a playback device accepts, as validated data.

The standard presets ship inside this package (``standard/*.toml``); a kit's ``presets/``
folder adds its own or overrides them. See `load_preset` and `list_presets`.
"""

from screenkit.presets.languages import iso639_2, language_name, legacy_codepage
from screenkit.presets.model import (
    FAMILIES,
    X264_SPEEDS,
    AudioSpec,
    Family,
    LoudnessSpec,
    SubtitleSpec,
    VenuePreset,
    VideoSpec,
    describe_value,
    flatten,
    speed_problem,
)
from screenkit.presets.registry import (
    STANDARD,
    PresetInfo,
    PresetNotFound,
    list_presets,
    load_preset,
    load_preset_file,
    standard_presets,
)

__all__ = [
    "FAMILIES",
    "STANDARD",
    "X264_SPEEDS",
    "AudioSpec",
    "Family",
    "LoudnessSpec",
    "PresetInfo",
    "PresetNotFound",
    "SubtitleSpec",
    "VenuePreset",
    "VideoSpec",
    "describe_value",
    "flatten",
    "iso639_2",
    "language_name",
    "legacy_codepage",
    "list_presets",
    "load_preset",
    "load_preset_file",
    "speed_problem",
    "standard_presets",
]
