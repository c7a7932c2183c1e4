"""The kit as the organiser's first page shows it: the film, the languages, the appeal, and
what is wrong with it (as codes the page puts in words).

`look_at` reads a kit folder without building anything: it probes the master, checks each
subtitle track with the default QC profile (errors only count), looks for the appeal text of
each language and for init's placeholders. It is cached by the modification times of the
files it read, so a reload is instant and an edited kit is read again. `card_picture` renders
the appeal card of one language (as ``screenkit slide card.png``) into the app's own folder,
the one place the page's pictures of the kit come from.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from screenkit.errors import ScreenkitError
from screenkit.kit import Kit, load_kit
from screenkit.media.atomic import atomic_output
from screenkit.media.probe import probe
from screenkit.placeholders import appeal_problems


@dataclass(frozen=True)
class Film:
    path: Path
    found: bool
    duration: float | None = None
    size_bytes: int | None = None
    width: int | None = None
    height: int | None = None
    """The picture as shown (rotation and pixel shape applied)."""

    @property
    def shape(self) -> str | None:
        """``landscape``, ``portrait`` or ``square``."""
        if not self.width or not self.height:
            return None
        if abs(self.width - self.height) <= max(self.width, self.height) * 0.02:
            return "square"
        return "landscape" if self.width > self.height else "portrait"

    @property
    def aspect(self) -> str | None:
        """The common name of the frame's proportions: ``16:9``, ``4:3``, ``2.35:1``."""
        if not self.width or not self.height:
            return None
        ratio = max(self.width, self.height) / min(self.width, self.height)
        for name, value in (("16:9", 16 / 9), ("4:3", 4 / 3), ("1.85:1", 1.85), ("2.35:1", 2.35)):
            if abs(ratio - value) < 0.03:
                return name if self.width >= self.height else ":".join(reversed(name.split(":")))
        return f"{ratio:.2f}:1"


@dataclass(frozen=True)
class Language:
    tag: str
    track: Path | None
    errors: int
    warnings: int
    appeal: bool
    """The kit holds ``appeal/<tag>.txt``."""
    track_error: str | None = None
    """Why the track could not be read at all (the library's words)."""


@dataclass(frozen=True)
class Issue:
    """Something wrong with the kit: a code the page puts in words, with its parameters."""

    code: str
    """``film-missing``, ``film-unreadable``, ``placeholder``, ``track-errors``,
    ``track-missing``, ``track-unreadable``, ``appeal-missing``."""
    params: Mapping[str, str | int]
    blocking: bool
    """A build of some language cannot go on while this is so."""


@dataclass(frozen=True)
class KitView:
    kit: Kit
    film: Film
    languages: tuple[Language, ...]
    issues: tuple[Issue, ...]
    stand_in: bool

    def appeal_text(self, lang: str) -> str | None:
        try:
            return self.kit.appeal_text(lang)
        except ScreenkitError:
            return None

    def to_json(self) -> dict[str, Any]:
        kit = self.kit
        film = self.film
        return {
            "root": str(kit.root),
            "name": kit.name,
            "title": kit.title,
            "blurb": kit.blurb,
            "original_language": kit.original_language,
            "film": {
                "path": str(film.path),
                "found": film.found,
                "duration": film.duration,
                "size_bytes": film.size_bytes,
                "width": film.width,
                "height": film.height,
                "shape": film.shape,
                "aspect": film.aspect,
            },
            "languages": [
                {
                    "tag": lang.tag,
                    "track": str(lang.track) if lang.track else None,
                    "errors": lang.errors,
                    "warnings": lang.warnings,
                    "appeal": lang.appeal,
                }
                for lang in self.languages
            ],
            "appeal": {
                "beneficiary": kit.appeal.beneficiary,
                "link": kit.appeal.link,
                "stand_in": kit.appeal.stand_in,
            },
            "issues": [
                {"code": i.code, "params": dict(i.params), "blocking": i.blocking}
                for i in self.issues
            ],
        }


_CACHE: dict[tuple[Path, tuple[tuple[str, int], ...]], KitView] = {}
_LOCK = threading.Lock()


def _stamps(root: Path, kit: Kit) -> tuple[tuple[str, int], ...]:
    paths = [kit.manifest, kit.master]
    for folder in (kit.subtitles_dir, kit.appeal_dir):
        if folder.is_dir():
            paths += sorted(folder.iterdir())
    stamps = []
    for path in paths:
        try:
            stamps.append((str(path), path.stat().st_mtime_ns))
        except OSError:
            stamps.append((str(path), -1))
    return tuple(stamps)


def look_at(root: Path) -> KitView:
    """The kit in ``root`` with what is wrong with it; raises the loader's `ConfigError`."""
    kit = load_kit(root)
    key = (kit.root, _stamps(kit.root, kit))
    with _LOCK:
        if key in _CACHE:
            return _CACHE[key]
    view = _look(kit)
    with _LOCK:
        _CACHE[key] = view
    return view


def _look(kit: Kit) -> KitView:
    from screenkit.subtitles.checkrun import check_files

    issues: list[Issue] = []
    if not kit.master.is_file():
        film = Film(kit.master, False)
        issues.append(Issue("film-missing", {"path": str(kit.master)}, True))
    else:
        try:
            info = probe(kit.master)
            width, height = info.video.display_size if info.video else (None, None)
            film = Film(kit.master, True, info.duration, info.size_bytes, width, height)
        except ScreenkitError:
            film = Film(kit.master, True, size_bytes=kit.master.stat().st_size)
            issues.append(Issue("film-unreadable", {"path": str(kit.master)}, True))
    languages = []
    for tag in kit.languages:
        try:
            track: Path | None = kit.subtitle_path(tag)
        except ScreenkitError:
            track = None
        errors = warnings = 0
        reason = None
        if track is None:
            issues.append(Issue("track-missing", {"lang": tag}, True))
        else:
            run = check_files([track], kit=kit.root, lang=tag)
            result = run.results[0]
            if result.report is None:
                reason = result.error.message if result.error else None
                issues.append(Issue("track-unreadable", {"lang": tag, "file": track.name}, True))
            else:
                errors = result.report.count("error")
                warnings = result.report.count("warning")
                if errors:
                    issues.append(
                        Issue("track-errors", {"lang": tag, "file": track.name, "n": errors}, False)
                    )
        try:
            kit.appeal_path(tag)
            has_appeal = True
        except ScreenkitError:
            has_appeal = False
            issues.append(Issue("appeal-missing", {"lang": tag}, True))
        languages.append(Language(tag, track, errors, warnings, has_appeal, reason))
    placeholders = sorted({p for tag in kit.languages for p in appeal_problems(kit, tag)})
    if placeholders:
        issues.append(
            Issue("placeholder", {"n": len(placeholders)}, blocking=not kit.appeal.stand_in)
        )
    return KitView(kit, film, tuple(languages), tuple(issues), kit.appeal.stand_in)


def card_picture(view: KitView, lang: str, folder: Path) -> Path:
    """The intro card of ``lang`` as a PNG in ``folder`` (rendered once per appeal text)."""
    from screenkit.slides.preview import preview_card

    kit = view.kit
    kit.require_language(lang)
    text = view.appeal_text(lang) or ""
    digest = hashlib.sha256(
        "\x00".join(
            [str(kit.root), lang, kit.title, kit.appeal.beneficiary, kit.appeal.link, text]
        ).encode()
    ).hexdigest()[:20]
    out = folder / f"card-{lang}-{digest}.png"
    if out.is_file():
        return out
    folder.mkdir(parents=True, exist_ok=True)
    with atomic_output(out) as part:
        preview_card(part, kit_dir=kit.root, lang=lang)
    return out
