"""Checking several files at once: the profile, film and fonts resolved once for all.

`check_files` is what ``subs check`` calls. The kit (for its ``profiles/`` and fonts) is
the one given, else the folder holding the first track or its parent when a
``screenkit.toml`` is there (``kit/subtitles/uk.srt``). A file that cannot be read becomes
a result carrying its error, so that one broken track does not hide the others' findings.
Each track is held to its language's reading norms (`screenkit.subtitles.norms`: the
language given, else the one its name says) when the profile takes them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from screenkit.errors import ScreenkitError
from screenkit.subtitles.check import CheckReport, Film, check_track, fonts_for
from screenkit.subtitles.load import load_track
from screenkit.subtitles.norms import for_language
from screenkit.subtitles.profiles import DEFAULT_PROFILE, Profile, load_profile


@dataclass(frozen=True)
class FileResult:
    path: Path
    report: CheckReport | None
    error: ScreenkitError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.report is not None and self.report.ok


@dataclass(frozen=True)
class CheckRun:
    profile: Profile
    film: Film | None
    kit: Path | None
    results: tuple[FileResult, ...]

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.results)


def find_kit_root(track: Path) -> Path | None:
    """The kit a track belongs to: its folder or that folder's parent, if it holds a manifest."""
    from screenkit.kit import MANIFEST

    folder = track.absolute().parent
    for candidate in (folder, folder.parent):
        if (candidate / MANIFEST).is_file():
            return candidate
    return None


def probe_film(path: Path) -> Film:
    """Frame rate and duration of the film (raises `InputError`/`ProbeError` naming it)."""
    from screenkit.media.probe import probe

    info = probe(path)
    fps = info.video.frame_rate if info.video is not None and info.video.frame_rate else None
    duration = round(info.duration * 1000) if info.duration else None
    return Film(path=path, fps=fps, duration_ms=duration)


def kit_of(track: Path | None, kit: Path | None = None) -> tuple[Path | None, tuple[Path, ...]]:
    """The kit's folder (given, else the one holding ``track``) and its fonts; (None, ())
    outside a kit. A broken manifest is a `ConfigError` naming it."""
    from screenkit.kit import load_kit

    root = kit if kit is not None else (find_kit_root(track) if track is not None else None)
    if root is None:
        return None, ()
    loaded = load_kit(root)
    return loaded.root, loaded.fonts


def check_files(
    paths: Sequence[Path],
    *,
    profile: str | None = None,
    film: Path | None = None,
    kit: Path | None = None,
    lang: str | None = None,
    fps: Fraction | None = None,
    encoding: str | None = None,
) -> CheckRun:
    """Load and check each track; per-file read errors are kept in the results."""
    kit_root, kit_fonts = kit_of(paths[0] if paths else None, kit)
    qc = load_profile(profile or DEFAULT_PROFILE, kit_root)
    fonts = fonts_for(kit_fonts)
    film_facts = probe_film(film) if film is not None else None
    results: list[FileResult] = []
    for path in paths:
        try:
            track = load_track(path, lang=lang, encoding=encoding, fps=fps)
        except ScreenkitError as exc:
            results.append(FileResult(path=path, report=None, error=exc))
            continue
        held_to = for_language(qc, track.lang)
        report = check_track(track, held_to, fonts=fonts, film=film_facts, fps=fps)
        results.append(FileResult(path=path, report=report))
    return CheckRun(profile=qc, film=film_facts, kit=kit_root, results=tuple(results))
