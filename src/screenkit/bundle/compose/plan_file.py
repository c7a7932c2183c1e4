"""A file bundle's video part: the film with the appeal card in front, as one file.

`screenkit.bundle.compose.plan` composes every bundle from its video part (`PlannedVideo`) and the
steps every bundle has (stills, sheet, poster, page). For the file and DivX families the
video part is this one (a DVD's is `screenkit.bundle.compose.plan_dvd`); the family says which card
kind renders the card (`screenkit.bundle.compose.families`):

    loudness → film encode (or chunks → film join) → card(s) → join (stream copy)
      → soft tracks (mux, when the preset carries them) → sidecars, test clip
"""

from __future__ import annotations

from collections.abc import Callable

from screenkit.bundle.documents.tracks import film_sidecar_name
from screenkit.bundle.engine.planner import Planner
from screenkit.bundle.kinds import clip, film, join, mux, sidecars
from screenkit.bundle.kinds.shape import PlannedVideo, VideoRequest
from screenkit.encode.subs import check_sidecars
from screenkit.presets import VenuePreset
from screenkit.slides import CardSpec

CardPlan = Callable[[Planner, CardSpec, VenuePreset, str], str]
"""Plans a card (the planner, its spec, the preset, the film step's id) → its step id."""


def plan_file(p: Planner, shape: VideoRequest, card: CardPlan) -> PlannedVideo:
    """A video file with ``card`` in front: encode, card(s), join, soft tracks, sidecars,
    test clip (see the module docstring)."""
    request, preset, burn, soft = shape.request, shape.preset, shape.burn, shape.soft
    video_name, clip_name = f"{shape.stem}{preset.extension}", clip.clip_name(preset)
    film_id, inputs = film.plan(p, preset, burn)
    intro_id = card(p, shape.intro, preset, film_id)
    parts = [intro_id, film_id]
    if shape.outro is not None:
        parts.append(card(p, shape.outro, preset, film_id))
    join_id = join.plan(p, parts, film_id, request.name, preset.extension)
    track_files, track_inputs, screening = p.tracks(soft, burn)
    inputs += track_inputs
    if screening is not None and film_sidecar_name(shape.stem, screening.lang, preset):
        check_sidecars([screening], preset)  # a code page that cannot hold it: fail now
    carried = tuple(track_files) if preset.subtitles.soft else ()
    final_id = join_id
    if carried:
        mux_settings = mux.Settings(
            carried, request.lang, preset.container, preset.faststart, preset.extension
        )
        final_id = mux.plan(p, join_id, track_inputs, mux_settings, request.name)
    side_id = sidecars.plan(
        p,
        join_id,
        track_inputs,
        sidecars.Settings(tuple(track_files), shape.stem, preset),
        request.name,
    )
    clip_id = clip.plan(
        p,
        {"film": film_id, "intro": intro_id, "joined": join_id, "final": final_id},
        [*track_inputs, *([p.track(screening.lang)[1]] if screening else [])],
        clip.Settings(screening, carried, request.lang, preset),
        request.name,
    )
    return PlannedVideo(
        video_name=video_name,
        clip_name=clip_name,
        film_id=film_id,
        intro_id=intro_id,
        final_id=final_id,
        ends={"final": final_id, "joined": join_id, "sidecars": side_id, "clip": clip_id},
        screening=screening,
        tracks=tuple(track_files),
        track_inputs=tuple(track_inputs),
        inputs=tuple(inputs),
    )
