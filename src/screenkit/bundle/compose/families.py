"""What differs between the preset families where bundles are composed, in one table.

A preset knows its family (`screenkit.presets.Family`). Here each family names its video
plan — a file with the card joined in front (`plan_file`), or a DVD authored from VOBs
(`plan_dvd`) — and the card kind that matches its film: the H.264 card is laid out on the
encoded film as probed (`card`), an old player's card is encoded in the film's own MPEG-2
or MPEG-4 Part 2 words without waiting for the film (`legacycard`). The encode side of a
family is `screenkit.encode.family`, its documents' side `screenkit.bundle.documents.families`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from screenkit.bundle.compose.plan_dvd import plan_dvd
from screenkit.bundle.compose.plan_file import plan_file
from screenkit.bundle.engine.planner import Planner
from screenkit.bundle.kinds import card, film, legacycard
from screenkit.bundle.kinds.shape import PlannedVideo, VideoRequest
from screenkit.presets import Family, VenuePreset
from screenkit.slides import CardSpec


def _h264_card(p: Planner, spec: CardSpec, preset: VenuePreset, film_id: str) -> str:
    return card.plan(p, spec, preset, film.card_reads(p, film_id))


def _legacy_card(p: Planner, spec: CardSpec, preset: VenuePreset, film_id: str) -> str:
    return legacycard.plan(p, spec, preset)


@dataclass(frozen=True)
class BundleFamily:
    plan_video: Callable[[Planner, VideoRequest], PlannedVideo]
    """The steps of a bundle's video part."""


FAMILIES: dict[Family, BundleFamily] = {
    "file": BundleFamily(partial(plan_file, card=_h264_card)),
    "divx": BundleFamily(partial(plan_file, card=_legacy_card)),
    "dvd": BundleFamily(plan_dvd),
}
