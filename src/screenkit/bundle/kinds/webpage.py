"""The page step: ``index.html``, which plays the bundle's film in any browser from a stick.

For a bundle whose video a browser plays (MP4, H.264, AAC): every subtitle track of the
bundle embedded in the page as WebVTT cues, re-timed for the card like the sidecars, the
card picture as the poster and the appeal at the end (`screenkit.webpage`). No ffmpeg.
Where the film has the subtitles burned in, every track is offered but none starts on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from screenkit.bundle.documents import files
from screenkit.bundle.documents.tracks import shifted
from screenkit.bundle.engine.kind import Kind
from screenkit.bundle.engine.planner import Planner
from screenkit.bundle.engine.step import InputFile, StepRun
from screenkit.bundle.kinds import join, stills
from screenkit.bundle.kinds.shape import BundleShape
from screenkit.encode import SubtitleInput
from screenkit.i18n import Translator, translator
from screenkit.languages import native_name
from screenkit.webpage import PageAppeal, PageInputs, PageTrack, write_index_html
from screenkit.webpage.strings import page_strings

NAME = files.PAGE


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
    kit_root = Path(settings.kit_root) if settings.kit_root else None
    return p.add(
        KIND,
        f"screening page ({name})",
        settings=settings,
        inputs=[*inputs, *p.catalogues(settings.lang, kit_root)],
        deps=dict(ids),
        weight=0.3,
    )


def _translator(s: Settings) -> Translator:
    return translator(s.lang, Path(s.kit_root) if s.kit_root else None)


def _webvtt(track: SubtitleInput, offset: float) -> tuple[str, int]:
    subs = shifted(track.path, track.lang, by=offset)
    subs.events = [e for e in subs.events if not e.is_comment and e.plaintext.strip()]
    return subs.to_string("vtt"), len(subs.events)


class WebpageKind(Kind[Settings, Result]):
    """No ffmpeg: the tracks are re-timed by pysubs2 and written into the page. A part of
    every bundle whose film a browser plays (`compose`)."""

    name = "webpage"
    runs_ffmpeg = False
    placed = "whole"
    unkeyed: ClassVar[Mapping[str, str]] = {
        "kit_root": "the catalogues found there are the step's inputs"
    }

    def run(self, run: StepRun[Settings]) -> Result:
        s = run.step.settings
        offset = join.KIND.result(run.deps["joined"]).film_offset
        card = stills.KIND.result(run.deps["card_image"])
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

    def compose(self, p: Planner, shape: BundleShape) -> str | None:
        """The page, where a browser plays the bundle's film (None elsewhere)."""
        video, planned = shape.video, shape.planned
        if not video.preset.plays_in_a_browser:
            return None
        intro = video.intro
        page = Settings(
            title=p.kit.title,
            video_name=planned.video_name,
            lang=video.request.lang,
            tracks=planned.tracks,
            appeal=PageAppeal(intro.title, intro.appeal, intro.beneficiary, intro.link),
            burned=video.burn is not None,
            kit_root=str(p.kit.root),
        )
        ids = {"joined": planned.ends["joined"], "card_image": shape.images["card_image"]}
        return plan(p, page, planned.track_inputs, ids, video.request.name)


KIND = WebpageKind()
