"""Merging old translations into a new catalogue: which old translation each cue keeps.

`screenkit.subtitles.po_export` asks, for every cue of the original as it is now, what an
old catalogue (or a translated track) said for it, and whether that makes it fuzzy:

1. a message with the same original text at the same times keeps its translation (and its
   fuzzy mark, and the translator's ``#`` comments);
2. one with the same text elsewhere (the cue moved, or was renumbered) too, the nearest;
3. a cue whose text changed takes the translation of the old cue it overlaps most in time,
   fuzzy, remembering the old text;
4. from a track (no original text to compare) a cue takes the translation aligned with it in
   time (`screenkit.subtitles.sync_reference.align_events`), fuzzy unless timed exactly so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from babel.messages.catalog import Catalog

from screenkit.subtitles.load import Track
from screenkit.subtitles.po import Cue, message_text, messages_of, parse_context, track_cues

MIN_OVERLAP = 0.5
"""A changed cue takes an old translation whose time overlaps at least this share of both."""


@dataclass(frozen=True)
class Old:
    """A translation found in the old catalogue or track, waiting for a cue to take it."""

    text: str
    start: int
    end: int
    source: str | None
    """The original text it translated (None when it came from a track)."""
    fuzzy: bool
    user_comments: tuple[str, ...] = ()
    context: str | None = None
    previous: str | None = None
    """The ``#| msgid`` of a message still fuzzy: the text it translated before."""


def from_catalogue(catalog: Catalog, previous: dict[str, str]) -> list[Old]:
    found: list[Old] = []
    for message in [*messages_of(catalog), *catalog.obsolete.values()]:
        text = message_text(message)
        if not text.strip():
            continue
        parsed = parse_context(message.context)
        start, end = (parsed[1], parsed[2]) if parsed else (-1, -1)
        found.append(
            Old(
                text=text,
                start=start,
                end=end,
                source=str(message.id),
                fuzzy=message.fuzzy,
                user_comments=tuple(message.user_comments),
                context=message.context,
                previous=previous.get(message.context or "") if message.fuzzy else None,
            )
        )
    return found


def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> float:
    """Shared time as a share of the longer of the two (1 for the same span)."""
    shared = min(a_end, b_end) - max(a_start, b_start)
    longest = max(a_end - a_start, b_end - b_start, 1)
    return max(0, shared) / longest


def match_catalogue(cues: Sequence[Cue], old: list[Old]) -> dict[int, tuple[Old, bool]]:
    """For each cue index: the old translation it keeps, and whether that makes it fuzzy."""
    taken: dict[int, tuple[Old, bool]] = {}
    by_text: dict[str | None, list[int]] = {}
    for k, o in enumerate(old):
        by_text.setdefault(o.source, []).append(k)
    # 1. the same text at the same time; 2. the same text elsewhere (moved, renumbered)
    for exact in (True, False):
        for i, cue in enumerate(cues):
            same = by_text.get(cue.text, [])
            if exact:
                same = [k for k in same if (old[k].start, old[k].end) == (cue.start, cue.end)]
            if i in taken or not same:
                continue
            k = min(same, key=lambda k: abs(old[k].start - cue.start))
            taken[i] = (old[k], old[k].fuzzy)
            by_text[cue.text].remove(k)
    # 3. a changed text: the old translation of the same moment, to be reviewed
    free = sorted({k for ks in by_text.values() for k in ks}, key=lambda k: old[k].start)
    for i, cue in enumerate(cues):
        if i in taken:
            continue
        near = [
            (share, k)
            for k in free
            if (share := _overlap(cue.start, cue.end, old[k].start, old[k].end)) >= MIN_OVERLAP
        ]
        if near:
            _, k = max(near)
            taken[i] = (old[k], True)
            free.remove(k)
    return taken


def match_track(cues: Sequence[Cue], track: Track) -> tuple[dict[int, tuple[Old, bool]], int]:
    """Translations taken from a track by time (its text is no original to compare)."""
    import numpy as np

    from screenkit.subtitles.sync_reference import align_events

    theirs, _ = track_cues(track)
    if not theirs or not cues:
        return {}, len(theirs)
    t = np.array([(c.start / 1000, c.end / 1000) for c in theirs])
    r = np.array([(c.start / 1000, c.end / 1000) for c in cues])
    taken: dict[int, tuple[Old, bool]] = {}
    used = 0
    for pair in align_events(t, r):
        group = theirs[pair.ti : pair.tj + 1]
        used += len(group)
        text = (
            " ".join(c.text.replace("\n", " ") for c in group) if len(group) > 1 else group[0].text
        )
        one = pair.ti == pair.tj and pair.ri == pair.rj
        exact = one and (group[0].start, group[0].end) == (cues[pair.ri].start, cues[pair.ri].end)
        taken[pair.ri] = (Old(text, group[0].start, group[-1].end, None, False), not exact)
    return taken, len(theirs) - used
