"""The page step: ``index.html``, which plays the bundle's film in any browser from a stick.

For a bundle whose video a browser plays (MP4, H.264, AAC): every subtitle track of the
bundle embedded in the page as WebVTT cues, re-timed for the card like the sidecars, the
card picture as the poster and the appeal at the end (`screenkit.webpage`). No ffmpeg.
Where the film has the subtitles burned in, every track is offered but none starts on.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from screenkit.bundle.cache import Entry
from screenkit.bundle.planner import Planner
from screenkit.bundle.results import result_of
from screenkit.bundle.step import Command, Folders, InputFile, Step, StepRun
from screenkit.bundle.steps import stills
from screenkit.bundle.steps.join import Result as Joined
from screenkit.bundle.tracks import shifted
from screenkit.encode import SubtitleInput
from screenkit.i18n import Translator, translator
from screenkit.languages import native_name
from screenkit.presets import VenuePreset
from screenkit.webpage import PageAppeal, PageInputs, PageTrack, write_index_html
from screenkit.webpage.strings import page_strings

KIND = "webpage"
RUNS_FFMPEG = False
"""Its `commands` are always empty: ``--dry-run`` has nothing more to show once it can run."""
NAME = "index.html"


def plays_in_a_browser(preset: VenuePreset) -> bool:
    """MP4 with H.264 and AAC: what every current browser plays from a file."""
    return (
        preset.container == "mp4" and preset.video.codec == "h264" and preset.audio.codec == "aac"
    )


@dataclass(frozen=True)
class Settings:
    title: str
    video_name: str
    lang: str
    tracks: tuple[SubtitleInput, ...]
    appeal: PageAppeal
    burned: bool
    kit_root: str | None = None
    """The kit folder, whose ``locale/<lang>.po`` may correct the page's words."""


@dataclass(frozen=True)
class Result:
    out: str
    cues: tuple[tuple[str, int], ...]
    """(language, number of cues) of each embedded track, in the page's order."""


def plan(
    p: Planner,
    settings: Settings,
    inputs: Sequence[InputFile],
    ids: Mapping[str, str],
    name: str,
) -> str:
    """``ids``: the ``joined`` step (the card's length) and the ``card_image`` (the poster)."""
    a = settings.appeal
    return p.add(
        KIND,
        f"screening page ({name})",
        settings=settings,
        params={
            "title": settings.title,
            "video": settings.video_name,
            "lang": settings.lang,
            "langs": [t.lang for t in settings.tracks],
            "appeal": [a.title, a.text, a.beneficiary, a.link],
            "burned": settings.burned,
            "catalogues": [
                hashlib.sha256(path.read_bytes()).hexdigest()
                for path in _translator(settings).catalogues
            ],
        },
        inputs=inputs,
        deps=dict(ids),
        weight=0.3,
    )


def _translator(s: Settings) -> Translator:
    return translator(s.lang, Path(s.kit_root) if s.kit_root else None)


def _webvtt(track: SubtitleInput, offset: float) -> tuple[str, int]:
    subs = shifted(track.path, track.lang, by=offset)
    subs.events = [e for e in subs.events if not e.is_comment and e.plaintext.strip()]
    return subs.to_string("vtt"), len(subs.events)


def commands(step: Step, deps: Mapping[str, Entry], folders: Folders) -> list[Command]:
    return []  # no ffmpeg: the tracks are re-timed by pysubs2 and written into the page


def run(run: StepRun) -> Result:
    s: Settings = run.step.settings
    offset = result_of(run.deps["joined"], Joined).film_offset
    card = result_of(run.deps["card_image"], stills.Result)
    tracks, counts = [], []
    for track in s.tracks:
        text, count = _webvtt(track, offset)
        tracks.append(PageTrack(track.lang, text))
        counts.append((track.lang, count))
    inputs = PageInputs(
        title=s.title,
        video=s.video_name,
        language=s.lang,
        tracks=tuple(tracks),
        appeal=s.appeal,
        poster=card.image,
        language_names={t.lang: native_name(t.lang) for t in s.tracks},
        subtitles_on=not s.burned,
        strings=page_strings(_translator(s)),
    )
    write_index_html(run.work / NAME, inputs)
    return Result(NAME, tuple(counts))
