"""``subs fix``: the changes a machine can make safely, each one listed.

Safe means no change to what is said and no change to when a subtitle appears — only
ends move, and only where the profile's rules say they must:

- whitespace: runs of spaces collapsed, lines trimmed, blank lines inside an event removed;
- empty events (no visible text) dropped;
- events put in time order;
- overlaps trimmed: the earlier event ends a minimum gap before the next starts (or right
  at its start, if the gap would leave it too short to read);
- minimum gap: an end pulled back to leave the profile's frames, when the event stays
  long enough to read;
- too-short events extended toward the minimum duration, as far as the next event (and
  the gap before it) allows.

Positioned events (``{\\an8}``, ``\\pos``) and other ASS styles/layers share the screen on
purpose and are only compared within their own lane, as ``subs check`` does. Writing the
result as UTF-8 with LF line endings is the caller's part (`screenkit.subtitles.edit`).
"""

from __future__ import annotations

import copy
import math
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import pysubs2

from screenkit.subtitles.profiles import Profile
from screenkit.subtitles.text import is_drawing, is_positioned, plain_text
from screenkit.subtitles.timecode import format_time

_SPACES = re.compile(r"[ \t\u3000]{2,}|\t")
_LEAD = re.compile(r"^((?:\{[^{}]*\})*)[ \t]+")
_TRAIL = re.compile(r"[ \t]+((?:\{[^{}]*\})*)$")
_TAGS_ONLY = re.compile(r"^(?:\{[^{}]*\})*$")


@dataclass(frozen=True)
class Change:
    """One change: what kind, to which event (its number in the input), and in words."""

    kind: str
    event: int | None
    start: int | None
    message: str

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "event": self.event,
            "start": format_time(self.start) if self.start is not None else None,
            "message": self.message,
        }


@dataclass(frozen=True)
class FixResult:
    subs: pysubs2.SSAFile
    changes: tuple[Change, ...]


def tidy_text(text: str) -> str:
    """Whitespace normalised inside SubStation markup (``\\N`` line breaks, ``{…}`` tags)."""
    parts = text.replace("\r", "").replace("\n", "\\N").split("\\N")
    lines: list[str] = []
    for part in parts:
        line = _SPACES.sub(" ", part)
        line = _TRAIL.sub(r"\1", _LEAD.sub(r"\1", line))
        if not line:
            continue
        if _TAGS_ONLY.match(line) and lines:
            lines[-1] += line  # a line of tags only would show as an empty line
            continue
        lines.append(line)
    return "\\N".join(lines)


def fix_subs(
    subs: pysubs2.SSAFile,
    profile: Profile,
    *,
    fps: Fraction = Fraction(25),
    film_end: int | None = None,
) -> FixResult:
    """A fixed copy of ``subs`` and the list of changes (the input is left as it was)."""
    out = copy.deepcopy(subs)
    changes: list[Change] = []
    numbered = list(enumerate(out.events, 1))
    kept: list[tuple[int, pysubs2.SSAEvent]] = []
    for n, event in numbered:
        if not event.is_comment and not is_drawing(event):
            tidy = tidy_text(event.text)
            if tidy != event.text:
                event.text = tidy
                changes.append(
                    Change("whitespace", n, event.start, "spaces and blank lines tidied")
                )
            if not plain_text(event).strip():
                changes.append(Change("empty-dropped", n, event.start, "empty event removed"))
                continue
        kept.append((n, event))
    ordered = sorted(kept, key=lambda item: item[1].start)
    if [n for n, _ in ordered] != [n for n, _ in kept]:
        changes.append(Change("reordered", None, None, "events put in time order"))
    gap = math.ceil(Fraction(profile.min_gap_frames * 1000) / fps)
    lanes: dict[tuple[object, ...], list[tuple[int, pysubs2.SSAEvent]]] = {}
    for n, event in ordered:
        if not event.is_comment and not is_drawing(event) and event.end > event.start:
            key = ("pos", n) if is_positioned(event) else (event.style, event.layer)
            lanes.setdefault(key, []).append((n, event))
    for lane in lanes.values():
        _fix_lane(lane, profile, gap, film_end, changes)
    out.events = [event for _, event in ordered]
    changes.sort(key=lambda c: (c.event is not None, c.event or 0))
    return FixResult(out, tuple(changes))


def _fix_lane(
    lane: list[tuple[int, pysubs2.SSAEvent]],
    profile: Profile,
    gap: int,
    film_end: int | None,
    changes: list[Change],
) -> None:
    min_duration = profile.min_duration_ms
    for i, (n, event) in enumerate(lane):
        following = lane[i + 1] if i + 1 < len(lane) else None
        old_end = event.end
        if following is not None:
            m, nxt = following
            if event.end > nxt.start > event.start:
                end = nxt.start - gap
                if end - event.start < min_duration:
                    end = nxt.start
                event.end = end
                changes.append(
                    Change(
                        "overlap-trimmed",
                        n,
                        event.start,
                        f"end {format_time(old_end)} → {format_time(end)}: it overlapped "
                        f"event {m} by {(old_end - nxt.start) / 1000:.3f} s",
                    )
                )
            elif nxt.start >= event.end > nxt.start - gap:
                end = nxt.start - gap
                if end - event.start >= min_duration:
                    event.end = end
                    changes.append(
                        Change(
                            "gap-made",
                            n,
                            event.start,
                            f"end {format_time(old_end)} → {format_time(end)}: "
                            f"{profile.min_gap_frames} frames before event {m}",
                        )
                    )
        if event.end - event.start < min_duration and event.end == old_end:
            room = following[1].start - gap if following is not None else None
            if film_end is not None:
                room = min(room, film_end) if room is not None else film_end
            target = event.start + min_duration
            end = min(target, room) if room is not None else target
            if end > event.end:
                event.end = end
                short = "" if end == target else " (as far as the next event allows)"
                changes.append(
                    Change(
                        "extended",
                        n,
                        event.start,
                        f"end {format_time(old_end)} → {format_time(end)}: it was on screen "
                        f"only {(old_end - event.start) / 1000:.3f} s{short}",
                    )
                )
