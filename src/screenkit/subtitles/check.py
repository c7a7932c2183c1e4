"""``subs check``: every rule of a QC profile, applied to a loaded track.

Each finding carries the rule id, a severity, the event number (its position in the file,
1-based, as subtitle editors number them) and start time, and a message written for the
subtitler: what is wrong, by how much, what to do. Gaps are measured in frames of the
film's real rate when the film is known (else 25 fps). Events that carry a position
(``{\\an8}``, ``\\pos``) or sit in another ASS style or layer may share the screen on
purpose; overlaps and gaps are only measured within one place on screen.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pysubs2

from screenkit.fonts import Font, missing_glyphs
from screenkit.subtitles.load import Track
from screenkit.subtitles.profiles import Profile, Severity
from screenkit.subtitles.text import (
    is_drawing,
    is_positioned,
    plain_text,
    tag_problems,
    visible_length,
    visible_lines,
)
from screenkit.subtitles.timecode import format_fps, format_time

DEFAULT_FPS = Fraction(25)
FAR_OVER = 1.5
"""A reading speed over this many times the profile's limit is ``reading-speed-far``."""
_MAX_LISTED = 20


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    event: int | None
    """1-based position of the event in the file; None for the whole file."""
    start: int | None
    """Start of the event in ms."""
    message: str
    params: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    """The figures behind the message (``length``, ``limit``, ``cps`` …), so that another
    face (``subs compare``, in the translator's language) can say it in its own words."""

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "event": self.event,
            "start": format_time(self.start) if self.start is not None else None,
            "start_ms": self.start,
            "message": self.message,
        }


@dataclass(frozen=True)
class Film:
    """What the checks need to know about the film the track belongs to."""

    path: Path
    fps: Fraction | None
    duration_ms: int | None


@dataclass(frozen=True)
class CheckReport:
    track: Track
    profile: Profile
    fps: Fraction
    fps_source: str
    """``film``, ``given``, ``file`` (MicroDVD's declared rate) or ``default``."""
    film: Film | None
    findings: tuple[Finding, ...]

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def ok(self) -> bool:
        return self.count("error") == 0

    def to_json(self) -> dict[str, Any]:
        return {
            "path": str(self.track.path),
            "ok": self.ok,
            "format": self.track.format,
            "encoding": self.track.encoding_label,
            "lang": self.track.lang,
            "events": len(self.track.subs),
            "profile": self.profile.name,
            "reading_norms": (
                {
                    "lang": self.profile.lang,
                    "max_chars_per_line": self.profile.max_chars_per_line,
                    "max_cps": self.profile.max_cps,
                }
                if self.profile.lang
                else None
            ),
            "fps": str(self.fps),
            "fps_source": self.fps_source,
            "film": str(self.film.path) if self.film else None,
            "errors": self.count("error"),
            "warnings": self.count("warning"),
            "infos": self.count("info"),
            "findings": [f.to_json() for f in self.findings],
        }


class _Collector:
    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self.findings: list[Finding] = []

    def add(
        self, rule: str, number: int | None, start: int | None, message: str, **params: object
    ) -> None:
        severity = self.profile.severity_of(rule)
        if severity is not None:
            found = Finding(rule, severity, number, start, message, MappingProxyType(params))
            self.findings.append(found)


def check_track(
    track: Track,
    profile: Profile,
    *,
    fonts: Sequence[Font] = (),
    film: Film | None = None,
    fps: Fraction | None = None,
) -> CheckReport:
    """Apply ``profile`` to ``track``; ``fonts`` are the burn-in fonts (shipped + kit)."""
    rate, source = _rate(track, film, fps)
    out = _Collector(profile)
    if not track.is_utf8:
        out.add(
            "encoding",
            None,
            None,
            f"the file is {track.encoding_label}, not UTF-8: players guess other encodings "
            "differently; 'screenkit subs convert' or 'subs fix' writes UTF-8",
        )
    doubt = track.encoding_doubt()
    if doubt is not None:
        out.add("encoding-guess", None, None, doubt)
    for note in track.notes:
        out.add("load", None, None, note)
    _timing_repairs(out, track)
    events = [(n, e) for n, e in enumerate(track.subs, 1) if not e.is_comment]
    if not events:
        out.add("empty-track", None, None, "the track holds no subtitles")
    html = track.format in ("srt", "vtt")
    markup = track.markup if len(track.markup) == len(track.subs) else None
    for n, event in events:
        _event_rules(out, n, event, profile)
        source_text = markup[n - 1] if markup is not None else event.text
        for problem in tag_problems(source_text, html=html):
            out.add("unbalanced-tags", n, event.start, problem)
        if film is not None and film.duration_ms is not None:
            _past_end(out, n, event, film.duration_ms)
    _timeline_rules(out, events, profile, rate)
    if fonts:
        _glyph_rule(out, events, fonts)
    ordered = sorted(out.findings, key=lambda f: (f.event is not None, f.event or 0))
    return CheckReport(track, profile, rate, source, film, tuple(ordered))


def _timing_repairs(out: _Collector, track: Track) -> None:
    starts = [e.start for e in track.subs]
    for repair in track.repairs[:_MAX_LISTED]:
        start = starts[repair.event - 1] if repair.event <= len(starts) else None
        out.add(
            "timing-line",
            repair.event,
            start,
            f"{repair.describe()}: players may show it as text or skip the subtitle; "
            "'screenkit subs fix' writes it properly",
        )
    if len(track.repairs) > _MAX_LISTED:
        out.add(
            "timing-line",
            None,
            None,
            f"{len(track.repairs) - _MAX_LISTED} more timing lines were read the same way "
            "('screenkit subs fix' lists and rewrites them all)",
        )


def _rate(track: Track, film: Film | None, fps: Fraction | None) -> tuple[Fraction, str]:
    if fps is not None:
        return fps, "given"
    if film is not None and film.fps:
        return film.fps, "film"
    if track.fps is not None:
        return track.fps, "file"
    return DEFAULT_FPS, "default"


def _event_rules(out: _Collector, n: int, event: pysubs2.SSAEvent, profile: Profile) -> None:
    if is_drawing(event):
        return
    lines = visible_lines(event)
    if not lines:
        out.add("empty-event", n, event.start, "the event has no text: delete it")
        return
    if len(lines) > profile.max_lines:
        out.add(
            "line-count",
            n,
            event.start,
            f"{len(lines)} lines; at most {profile.max_lines}: split the event in two",
            lines=len(lines),
            limit=profile.max_lines,
        )
    for i, line in enumerate(lines, 1):
        length = visible_length(line)
        if length > profile.max_chars_per_line:
            out.add(
                "line-length",
                n,
                event.start,
                f"line {i} has {length} characters; at most {profile.max_chars_per_line}: "
                f"'{_clip(line)}'",
                line=i,
                length=length,
                limit=profile.max_chars_per_line,
            )
    duration = event.end - event.start
    if duration <= 0:
        what = "ends before it starts" if duration < 0 else "lasts no time at all"
        out.add(
            "negative-duration",
            n,
            event.start,
            f"{what} (ends at {format_time(event.end)}): fix its end time",
        )
        return
    chars = sum(visible_length(line) for line in lines)
    if chars * 1000 > profile.max_cps * duration:
        cps = chars * 1000 / duration
        needed = chars * 1000 / profile.max_cps / 1000
        far = cps > FAR_OVER * profile.max_cps and profile.severity_of("reading-speed-far")
        how = f"more than {FAR_OVER:g} times the limit, unreadable" if far else "over the limit"
        out.add(
            "reading-speed-far" if far else "reading-speed",
            n,
            event.start,
            f"reads at {cps:.1f} characters per second (limit {profile.max_cps:g}; {how}): "
            f"{chars} characters need {needed:.2f} s on screen, it has {duration / 1000:.2f} s; "
            "shorten the text or give it more time",
            cps=cps,
            limit=profile.max_cps,
            chars=chars,
            needed_ms=round(needed * 1000),
            duration_ms=duration,
        )
    if duration < profile.min_duration_ms:
        out.add(
            "duration-short",
            n,
            event.start,
            f"on screen for {duration / 1000:.3f} s; at least "
            f"{profile.min_duration_ms / 1000:.3f} s lets people read it",
        )
    elif duration > profile.max_duration_ms:
        out.add(
            "duration-long",
            n,
            event.start,
            f"on screen for {duration / 1000:.3f} s; at most "
            f"{profile.max_duration_ms / 1000:.3f} s, or split it",
        )


def _past_end(out: _Collector, n: int, event: pysubs2.SSAEvent, film_end: int) -> None:
    if event.start >= film_end:
        out.add(
            "past-end",
            n,
            event.start,
            f"starts after the film ends ({format_time(film_end)}): "
            "the track may belong to another cut, or need 'subs sync'",
        )
    elif event.end > film_end:
        out.add(
            "past-end",
            n,
            event.start,
            f"ends at {format_time(event.end)}, after the film ends "
            f"({format_time(film_end)}): end it earlier",
        )


def _lane(n: int, event: pysubs2.SSAEvent) -> tuple[object, ...]:
    """Events in one lane share one place on screen; a positioned event is alone in its own."""
    if is_positioned(event):
        return ("positioned", n)
    return (event.style, event.layer)


def _timeline_rules(
    out: _Collector,
    events: Sequence[tuple[int, pysubs2.SSAEvent]],
    profile: Profile,
    fps: Fraction,
) -> None:
    lanes: dict[tuple[object, ...], list[tuple[int, pysubs2.SSAEvent]]] = {}
    for n, event in events:
        if event.end > event.start and not is_drawing(event):
            lanes.setdefault(_lane(n, event), []).append((n, event))
    min_gap = Fraction(profile.min_gap_frames * 1000) / fps
    for lane in lanes.values():
        lane.sort(key=lambda item: (item[1].start, item[1].end, item[0]))
        prev_n, prev = lane[0]
        for n, event in lane[1:]:
            if event.start < prev.end:
                overlap = min(prev.end, event.end) - event.start
                out.add(
                    "overlap",
                    n,
                    event.start,
                    f"overlaps event {prev_n} by {overlap / 1000:.3f} s (event {prev_n} ends at "
                    f"{format_time(prev.end)}): two subtitles on screen at once",
                )
            elif event.start - prev.end < math.floor(min_gap):
                # floor: times are whole ms, so 2 frames at 24000/1001 (83.4 ms) show as 83
                gap = event.start - prev.end
                frames = Fraction(gap) * fps / 1000
                out.add(
                    "gap",
                    n,
                    event.start,
                    f"starts {gap / 1000:.3f} s ({float(frames):.1f} frames at "
                    f"{format_fps(fps)} fps) after event {prev_n} ends; leave at least "
                    f"{profile.min_gap_frames} frames ({float(min_gap) / 1000:.3f} s) "
                    "so the change is seen",
                )
            if event.end >= prev.end:
                prev_n, prev = n, event


def _glyph_rule(
    out: _Collector, events: Sequence[tuple[int, pysubs2.SSAEvent]], fonts: Sequence[Font]
) -> None:
    texts = [(n, e.start, plain_text(e)) for n, e in events if not is_drawing(e)]
    # each distinct character once, in order of first use: fast on long tracks
    distinct = "".join(dict.fromkeys("".join(t for _, _, t in texts)))
    missing = missing_glyphs(distinct, fonts)
    if not missing:
        return
    wanted = set(missing)
    where = [(n, start) for n, start, text in texts if wanted.intersection(text)]
    listed = ", ".join(_describe(ch) for ch in missing[:_MAX_LISTED])
    more = f" and {len(missing) - _MAX_LISTED} more" if len(missing) > _MAX_LISTED else ""
    names = " + ".join(f.family for f in fonts)
    out.add(
        "missing-glyphs",
        where[0][0] if where else None,
        where[0][1] if where else None,
        f"{names} cannot draw {len(missing)} character(s) used in {len(where)} event(s) "
        f"(first: event {where[0][0] if where else '?'}): {listed}{more}. Burned in, they "
        "show as empty boxes. Add a font that covers them to the kit: put the file in the "
        'kit\'s fonts/ folder and list it in screenkit.toml ([kit] fonts = ["fonts/…"])',
    )


def _describe(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return f"'{ch}' U+{ord(ch):04X}" + (f" {name}" if name else "")


def _clip(line: str, width: int = 50) -> str:
    return line if len(line) <= width else line[: width - 1] + "…"


def fonts_for(kit_fonts: Iterable[Path]) -> list[Font]:
    """The shipped font plus a kit's fonts, as the burn-in will use them."""
    from screenkit.fonts import font_family, shipped_font

    return [shipped_font(), *(Font(path=p, family=font_family(p)) for p in kit_fonts)]
