"""Exact commands for ``--dry-run``, for steps whose inputs are results of other steps.

A card is encoded from the probed film, a test clip is cut at a keyframe of it: their
commands can be known only once the film is in the cache. These functions compute them
then, from the cache entries, with the same pure builders the steps run. Files a step
stages in a private folder are shown under ``<tmp>/screenkit-<kind>-XXXXXX``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from screenkit import tempdirs
from screenkit.bundle.actions import Tools, clip_cut, main_file
from screenkit.bundle.cache import Entry
from screenkit.bundle.mediaops import SoftTrack, cut_args, mux_args, still_args
from screenkit.bundle.tracks import TrackFile, events, showcase_event, staged_name
from screenkit.media.probe import probe
from screenkit.media.runner import full_argv
from screenkit.presets import VenuePreset
from screenkit.slides import CardSpec, CardTarget, card_timing, layout_card
from screenkit.slides.render import StagedCard, card_args

Commands = list[list[str]]


def placeholder(kind: str) -> Path:
    return tempdirs.placeholder(kind)


def _argv(tools: Tools, args: Sequence[str]) -> list[str]:
    return full_argv(args, tools.ffmpeg, loglevel="warning", progress=False)


def card(
    tools: Tools,
    spec: CardSpec,
    safe_area: float,
    film_id: str,
    work: Path,
    deps: Mapping[str, Entry],
) -> Commands:
    target = CardTarget.from_media_info(
        probe(main_file(deps[film_id]), ffmpeg=tools.ffmpeg), safe_area=safe_area
    )
    layout = layout_card(spec, target)
    folder = placeholder("card")
    staged = StagedCard(script=folder / "card.ass", qr=folder / "qr.png", fontsdir=folder / "fonts")
    out = work / f"{spec.kind}{target.extension}"
    timing = card_timing(spec.seconds, target)
    return [_argv(tools, card_args(layout, staged, target, timing, out, fade=spec.fade))]


def mux(
    tools: Tools,
    joined_id: str,
    tracks: Sequence[TrackFile],
    default: str,
    preset: VenuePreset,
    work: Path,
    deps: Mapping[str, Entry],
) -> Commands:
    folder = placeholder("mux")
    soft = [
        SoftTrack(folder / staged_name(n, t, preset.container), t.lang, t.lang == default)
        for n, t in enumerate(tracks)
    ]
    out = work / f"video{preset.extension}"
    args = mux_args(
        main_file(deps[joined_id]),
        soft,
        out,
        container=preset.container,
        faststart=preset.faststart,
    )
    return [_argv(tools, args)]


def clip(
    tools: Tools,
    film_id: str,
    join_id: str,
    final_id: str,
    screening: TrackFile | None,
    preset: VenuePreset,
    work: Path,
    deps: Mapping[str, Entry],
) -> Commands:
    cut = clip_cut(deps[film_id], deps[join_id], screening)
    out = work / f"test-clip{preset.extension}"
    if cut.from_start:
        args = cut_args(
            main_file(deps[final_id]),
            out,
            start=0.0,
            duration=cut.total,
            faststart=preset.faststart,
        )
        return [_argv(tools, args)]
    stretch = placeholder("clip") / f"stretch{preset.extension}"
    return [
        _argv(
            tools, cut_args(main_file(deps[film_id]), stretch, start=cut.start, duration=cut.length)
        )
    ]


def card_still(tools: Tools, intro_id: str, work: Path, deps: Mapping[str, Entry]) -> Commands:
    intro = deps[intro_id]
    at = float(intro.meta["duration"]) / 2
    return [_argv(tools, still_args(main_file(intro), work / "images" / "card.png", at=at))]


def frame_still(
    tools: Tools,
    film_id: str,
    screening: TrackFile | None,
    burned: bool,
    work: Path,
    deps: Mapping[str, Entry],
) -> Commands:
    if screening is None:
        return []
    spans = [
        (e.start / 1000, e.end / 1000, e.plaintext) for e in events(screening.path, screening.lang)
    ]
    at = showcase_event(spans)
    if at is None:
        return []
    film = main_file(deps[film_id])
    frame = work / "images" / "subtitled-frame.png"
    if burned:
        return [_argv(tools, still_args(film, frame, at=at))]
    folder = placeholder("still")
    return [
        _argv(
            tools,
            still_args(
                film, frame, at=at, subtitles=folder / "burn.ass", fontsdir=folder / "fonts"
            ),
        )
    ]
