"""A DVD bundle's video part.

`screenkit.bundle.compose.plan` composes every bundle from its video part (`PlannedVideo`) and the
steps every bundle has (stills, sheet, poster, page). The video part is a file with the card
in front (`plan_file`: H.264, or DivX for an old player's USB port) or, here, a DVD:

    film encode (MPEG-2 VOB) → subpictures (one stream per kit language, spumux)
    card VOB (and outro VOB)  ┘→ dvdauthor (VIDEO_TS/, cells: card, film, outro) → ISO

The film's encode and its subpictures do not depend on the appeal: a new appeal re-renders
the card's VOB, re-authors and re-writes the image (seconds), as the cache's record shows.
A DVD has no separate test clip: the disc itself is tried (the sheet says how).
"""

from __future__ import annotations

from screenkit.bundle.engine.errors import BundleError
from screenkit.bundle.engine.planner import Planner
from screenkit.bundle.kinds import dvdauthor, dvdiso, film, legacycard, subpictures
from screenkit.bundle.kinds.shape import PlannedVideo, VideoRequest
from screenkit.dvd import require_dvd_tools
from screenkit.dvd.iso import disc_fit
from screenkit.encode.family import expected_bytes_per_second
from screenkit.media.info import MediaInfo
from screenkit.presets import VenuePreset

MAX_SUBPICTURE_STREAMS = 32
"""DVD-Video: up to 32 subpicture streams per title set."""


def check_disc_size(
    master: MediaInfo, preset: VenuePreset, *, cards_seconds: float, burned: bool
) -> None:
    """`DiscTooLarge` (naming the bitrate to lower) when the film at the preset's average
    cannot fit a DVD-9; the authoring step measures the real size and warns for a DVD-9."""
    rate = expected_bytes_per_second(master, preset, burned)
    disc_fit(int(rate * (master.duration + cards_seconds)), preset)


def plan_dvd(p: Planner, shape: VideoRequest) -> PlannedVideo:
    """The DVD steps of one bundle (see the module docstring)."""
    require_dvd_tools()  # before any encode: a missing tool costs seconds, with the install line
    request, preset = shape.request, shape.preset
    cards = shape.intro.seconds + (shape.outro.seconds if shape.outro else 0)
    # a film no disc holds fails now, not after hours of encoding
    check_disc_size(p.master, preset, cards_seconds=cards, burned=shape.burn is not None)
    film_id, inputs = film.plan(p, preset, shape.burn)
    intro_id = legacycard.plan(p, shape.intro, preset)
    files, track_inputs, screening = p.tracks(shape.soft, shape.burn)
    drawn = files if preset.subtitles.subpictures else []
    if len(drawn) > MAX_SUBPICTURE_STREAMS:
        raise BundleError(
            f"a DVD title holds at most {MAX_SUBPICTURE_STREAMS} subtitle streams; the kit "
            f"has {len(drawn)} languages",
            value=len(drawn),
            hint="choose the languages with soft = [...] in a [bundles.NAME] table",
        )
    sub_id = subpictures.plan(p, film_id, drawn, track_inputs[: len(drawn)], preset)
    ids = {"card": intro_id, "film": sub_id}
    if shape.outro is not None:
        ids["outro"] = legacycard.plan(p, shape.outro, preset)
    author_id = dvdauthor.plan(p, ids, preset, request.name, burned=shape.burn is not None)
    video_name = f"{shape.stem}.iso"
    iso_id = dvdiso.plan(p, author_id, video_name, p.kit.title)
    return PlannedVideo(
        video_name=video_name,
        clip_name=None,
        film_id=film_id,
        intro_id=intro_id,
        final_id=iso_id,
        ends={"final": sub_id, "disc": author_id, "image": iso_id, "card": intro_id},
        screening=screening,
        tracks=tuple(files),
        track_inputs=tuple(track_inputs),
        inputs=(*inputs, *track_inputs),
    )
