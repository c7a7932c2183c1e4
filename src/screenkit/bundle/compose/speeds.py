"""``--speed auto`` at plan time: one measured choice per preset, for every language of it.

Before any step is keyed, every H.264 preset of the build that asks for ``auto`` (``build
--speed auto``, or ``speed = "auto"`` in the preset) gets its speed from samples of the
master (`screenkit.encode.speedpick`, cached per master and preset): the film and chunk
steps then carry that speed in their settings, so it is in their keys, and the choice with
its figures goes into the bundle's manifest and sheet. A preset whose film is copied, not
encoded, needs none.
"""

from __future__ import annotations

from collections.abc import Sequence

from screenkit.bundle.engine.planner import Planner
from screenkit.encode import EncodeOptions, output_format
from screenkit.encode.colour import tone_mapping_of
from screenkit.encode.speedpick import SpeedChoice, pick_speed, wants_auto
from screenkit.presets import AUTO_SPEED, VenuePreset
from screenkit.progress import ProgressCallback

FALLBACK = "medium"
"""The speed of a preset asking for auto whose film is not encoded (copied): none is used."""


def choose_speeds(
    p: Planner,
    encodes: Sequence[tuple[VenuePreset, str | None]],
    asked: str | None,
    *,
    progress: ProgressCallback | None = None,
) -> dict[str, SpeedChoice]:
    """The measured choice for each preset (by name) of ``encodes`` (preset, burned
    language) that asks for auto; sets the planner's speed for every such preset."""
    chosen: dict[str, SpeedChoice] = {}
    for preset, burn in encodes:
        if preset.name in p.speeds or not wants_auto(preset, asked):
            continue
        track = p.track(burn)[0] if burn and preset.subtitles.burn else None
        options = EncodeOptions(
            burn=track, fonts=p.fonts, tone_mapping=tone_mapping_of(p.master, preset)
        )
        if output_format(p.master, preset, options).copy_video:
            p.speeds[preset.name] = FALLBACK
            continue
        choice, _ = pick_speed(
            p.master,
            preset,
            options,
            master_sha256=p.master_file.sha256,
            ffmpeg=p.ffmpeg,
            cache_dir=p.cache.root,
            progress=progress,
        )
        chosen[preset.name] = choice
        p.speeds[preset.name] = choice.speed
    return chosen


def planner_speed(asked: str | None) -> str | None:
    """The speed every encode is asked for (None: each preset's, or its measured choice)."""
    return None if asked == AUTO_SPEED else asked
