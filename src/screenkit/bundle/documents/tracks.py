"""Subtitle tracks re-timed for the joined file, and the stretch the test clip shows.

A bundle's video starts with the card, so every track carried in it or beside it is shifted
by the card's length. The test clip shows the card and then the busiest stretch of the
film: the window holding the most events of the screening language.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pysubs2

from screenkit.encode.options import SubtitleInput
from screenkit.encode.subs import soft_name
from screenkit.presets import VenuePreset, legacy_codepage
from screenkit.subtitles.load import load_track
from screenkit.subtitles.save import save_track


def events(path: Path, lang: str) -> list[pysubs2.SSAEvent]:
    subs = load_track(path, lang=lang).subs
    return [e for e in subs if not e.is_comment and e.plaintext.strip()]


def shifted(
    path: Path, lang: str, *, by: float, window: tuple[float, float] | None = None
) -> pysubs2.SSAFile:
    """The track moved ``by`` seconds later; with ``window`` only events overlapping it."""
    subs = load_track(path, lang=lang).subs
    if window is not None:
        start_ms, end_ms = round(window[0] * 1000), round(window[1] * 1000)
        subs.events = [e for e in subs.events if e.end > start_ms and e.start < end_ms]
        for e in subs.events:
            e.start = max(e.start, start_ms)
            e.end = min(e.end, end_ms)
    subs.shift(ms=round(by * 1000))
    return subs


def stage_shifted(
    tracks: Sequence[SubtitleInput],
    folder: Path,
    *,
    container: str,
    by: float,
    window: tuple[float, float] | None = None,
) -> list[Path]:
    """Each track shifted and written in UTF-8 under a plain name in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    staged = []
    for n, track in enumerate(tracks):
        target = folder / soft_name(n, track, container)
        save_track(shifted(track.path, track.lang, by=by, window=window), target)
        staged.append(target)
    return staged


def sidecar_format(preset: VenuePreset) -> str:
    """The sidecar format: the preset's, or SRT for presets that carry tracks inside."""
    return "srt" if preset.subtitles.sidecar == "none" else preset.subtitles.sidecar


def sidecar_encodings(preset: VenuePreset, lang: str) -> list[str]:
    """UTF-8 always, plus the legacy code page (or named codec) when the preset asks."""
    asked = preset.subtitles.sidecar_encoding
    extra = legacy_codepage(lang) if asked == "legacy" else asked
    out = ["utf-8"]
    if extra.lower().replace("_", "-") not in ("utf-8", "utf8"):
        out.append(extra)
    return out


def sidecar_names(stem: str, lang: str, preset: VenuePreset) -> list[tuple[str, str]]:
    """(path in the bundle, encoding): ``subtitles/<video stem>.<lang>[.<cp>].<fmt>``.

    The video's name first, so VLC finds them in ``subtitles/`` by itself. Where the preset
    names its sidecar like the film (DivX players find it so), the code-page copy is that
    one file beside the video (`film_sidecar_name`, the screening language's only); here
    each language is in UTF-8.
    """
    fmt = sidecar_format(preset)
    if preset.subtitles.sidecar_name == "film":
        return [(f"subtitles/{stem}.{lang}.{fmt}", "utf-8")]
    names = []
    for enc in sidecar_encodings(preset, lang):
        middle = "" if enc == "utf-8" else f".{enc}"
        names.append((f"subtitles/{stem}.{lang}{middle}.{fmt}", enc))
    return names


def film_sidecar_name(stem: str, lang: str, preset: VenuePreset) -> tuple[str, str] | None:
    """(name, encoding) of the sidecar named exactly like the video, beside it (``<stem>.srt``
    in the language's code page for DivX players); None where the preset writes none."""
    if preset.subtitles.sidecar_name != "film" or preset.subtitles.sidecar == "none":
        return None
    return f"{stem}.{preset.subtitles.sidecar}", sidecar_encodings(preset, lang)[-1]


def busiest_window(spans: Sequence[tuple[float, float]], length: float) -> float:
    """Where a ``length``-second window holding the most events starts (0 without events)."""
    best_start, best_count = 0.0, -1
    for start, _ in spans:
        begin = max(0.0, start - 1.0)
        count = sum(1 for s, e in spans if s >= begin and e <= begin + length)
        if count > best_count:
            best_start, best_count = begin, count
    return best_start


def showcase_event(spans: Sequence[tuple[float, float, str]]) -> float | None:
    """The middle of the event with the most text (the hardest to read from the back)."""
    if not spans:
        return None
    start, end, _ = max(spans, key=lambda s: (len(s[2]), -s[0]))
    return (start + end) / 2
