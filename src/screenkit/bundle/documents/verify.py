"""``screenkit verify``: is this bundle still exactly what was built, and does it play?

Re-hashes every file the manifest lists (and notices files it does not list), probes the
video against the preset recorded in the manifest (the encode engine's compliance check:
no kit needed, so a bundle can be checked on the stick it was copied to), and decodes the
whole test clip, where any decoder complaint is a problem. DVD and DivX bundles get their
own checks instead (`screenkit.bundle.documents.families`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from screenkit.bundle.documents.families import FAMILIES
from screenkit.bundle.documents.files import PAGE as PAGE_NAME
from screenkit.bundle.documents.manifest import MANIFEST_NAME, Manifest, read_manifest
from screenkit.bundle.documents.mediaops import decode_check_args
from screenkit.bundle.documents.tracks import events, sidecar_names
from screenkit.bundle.engine.hashing import sha256_file
from screenkit.errors import FFmpegFailed, ScreenkitError
from screenkit.media.binaries import FFmpeg, find_ffmpeg
from screenkit.media.runner import run_ffmpeg
from screenkit.progress import ProgressCallback
from screenkit.webpage import check_page

IGNORED = (".DS_Store", "Thumbs.db", "desktop.ini")
"""Files an operating system drops into any folder it shows (a stick opened on a Mac)."""


@dataclass(frozen=True)
class Problem:
    path: str | None
    """The file concerned, relative to the bundle folder (None: the bundle as a whole)."""
    what: str

    def __str__(self) -> str:
        return f"{self.path}: {self.what}" if self.path else self.what


@dataclass(frozen=True)
class VerifyReport:
    folder: Path
    manifest: Manifest
    files_checked: int
    problems: tuple[Problem, ...]
    warnings: tuple[str, ...] = ()
    """What is not wrong with the files but must be seen (a placeholder appeal)."""

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        return {
            "folder": str(self.folder),
            "bundle": self.manifest.bundle,
            "preset": self.manifest.preset.name,
            "ok": self.ok,
            "files_checked": self.files_checked,
            "problems": [{"path": p.path, "what": p.what} for p in self.problems],
            "warnings": list(self.warnings),
        }


def _inside(folder: Path, relative: str) -> Path | None:
    path = folder / relative
    if Path(relative).is_absolute() or not path.resolve().is_relative_to(folder.resolve()):
        return None
    return path


def _check_files(
    folder: Path, manifest: Manifest, progress: ProgressCallback | None
) -> list[Problem]:
    problems = []
    listed = set()
    for record in manifest.files:
        path = _inside(folder, record.path)
        if path is None:
            problems.append(Problem(record.path, "points outside the bundle folder"))
            continue
        listed.add(path.resolve())
        if not path.is_file():
            problems.append(Problem(record.path, "missing"))
            continue
        digest = sha256_file(path, progress=progress, step=f"checking {record.path}")
        if digest.size != record.size:
            problems.append(
                Problem(
                    record.path,
                    f"size changed: {digest.size:,} bytes, the manifest says {record.size:,}",
                )
            )
        elif digest.sha256 != record.sha256:
            problems.append(Problem(record.path, "content changed (sha256 differs)"))
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or (path.name == MANIFEST_NAME and path.parent == folder):
            continue
        if path.name in IGNORED or path.name.startswith("._"):
            continue
        if path.resolve() not in listed:
            problems.append(Problem(path.relative_to(folder).as_posix(), "not in the manifest"))
    return problems


def _check_clip(folder: Path, manifest: Manifest, ffmpeg: FFmpeg) -> list[Problem]:
    if manifest.test_clip is None:
        return []
    path = _inside(folder, manifest.test_clip)
    if path is None or not path.is_file():
        return []
    try:
        result = run_ffmpeg(
            decode_check_args(path), ffmpeg=ffmpeg, loglevel="error", what="decoding the test clip"
        )
    except FFmpegFailed as exc:
        return [Problem(manifest.test_clip, f"does not decode: {exc.message}")]
    complaints = [ln.strip() for ln in result.log.splitlines() if ln.strip()]
    if complaints:
        return [
            Problem(
                manifest.test_clip,
                f"decoding reports errors: {complaints[0]} ({len(complaints)} lines)",
            )
        ]
    return []


def _check_page(folder: Path, manifest: Manifest) -> list[Problem]:
    """``index.html`` where a browser plays the film: there, and holding every track whole."""
    listed = {record.path for record in manifest.files}
    if PAGE_NAME not in listed:
        if manifest.preset.plays_in_a_browser:
            return [Problem(PAGE_NAME, "missing: a browser plays this film, the page belongs here")]
        return []
    stem = Path(manifest.video).stem
    expected: dict[str, int] = {}
    for lang in manifest.options.get("soft") or []:
        name = sidecar_names(stem, str(lang), manifest.preset)[0][0]  # the UTF-8 sidecar
        path = _inside(folder, name)
        if path is None or not path.is_file():
            continue  # reported by the file check
        try:
            expected[str(lang)] = len(events(path, str(lang)))
        except ScreenkitError as exc:
            return [Problem(name, f"cannot be read as subtitles: {exc.message}")]
    return [
        Problem(PAGE_NAME, problem.message) for problem in check_page(folder / PAGE_NAME, expected)
    ]


def verify_bundle(
    folder: Path | str,
    *,
    ffmpeg: FFmpeg | None = None,
    progress: ProgressCallback | None = None,
) -> VerifyReport:
    """Check the bundle in ``folder``; raises `IncompleteBundle` when it has no manifest."""
    folder = Path(folder).absolute()
    manifest = read_manifest(folder)
    ffmpeg = ffmpeg or find_ffmpeg()
    problems = _check_files(folder, manifest, progress)
    found, warnings = FAMILIES[manifest.preset.family].verify(folder, manifest, ffmpeg)
    problems += [Problem(path, what) for path, what in found]
    problems += _check_clip(folder, manifest, ffmpeg)
    problems += _check_page(folder, manifest)
    stand_in = [str(p) for p in manifest.options.get("stand_in_appeal") or []]
    if stand_in:
        warnings.append(f"built with a placeholder appeal: {'; '.join(stand_in)}")
    return VerifyReport(folder, manifest, len(manifest.files), tuple(problems), tuple(warnings))
