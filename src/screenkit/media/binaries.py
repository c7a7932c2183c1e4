"""Finding the ffmpeg (and, where there is one, the ffprobe) screenkit runs.

Order: an explicit path (``--ffmpeg``), then ``SCREENKIT_FFMPEG``, then ``ffmpeg`` on PATH,
then the static build shipped in the ``imageio-ffmpeg`` wheel, so a plain ``pip install``
works on a machine with no ffmpeg at all. ffprobe is used only when it sits beside the
ffmpeg in use, so that both always come from the same build.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from screenkit.errors import FFmpegNotFound, FFmpegTooOld

Source = Literal["option", "env", "system", "bundled"]
MIN_VERSION = (4, 4)
ENV_VAR = "SCREENKIT_FFMPEG"

_VERSION_RE = re.compile(r"ffmpeg version (?:n)?(\d+)\.(\d+)(?:\.(\d+))?")


@dataclass(frozen=True)
class FFmpeg:
    """The ffmpeg build in use: its path, version and where it was found."""

    path: Path
    version: str
    version_tuple: tuple[int, int]
    source: Source
    ffprobe: Path | None
    configuration: str

    def has_enabled(self, feature: str) -> bool:
        """Whether ``--enable-<feature>`` appears in the build configuration."""
        return f"--enable-{feature}" in self.configuration


def parse_version(banner: str) -> tuple[str, tuple[int, int] | None]:
    """Return the version word and (major, minor) from ``ffmpeg -version`` output.

    Git builds (``N-112345-g…``) report no release number; they are taken as new enough.
    """
    first = banner.splitlines()[0] if banner else ""
    words = first.split()
    word = words[2] if len(words) > 2 and words[0] == "ffmpeg" else "unknown"
    match = _VERSION_RE.search(first)
    if match:
        return word, (int(match.group(1)), int(match.group(2)))
    return word, None


def _ask(path: Path, question: str) -> subprocess.CompletedProcess[str]:
    """``ffmpeg -hide_banner QUESTION`` (``-version``, ``-filters``): its answer as text."""
    return subprocess.run(
        [str(path), "-hide_banner", question],
        capture_output=True,
        text=True,
        errors="replace",
        timeout=30,
        check=False,
    )


def _query(path: Path) -> tuple[str, tuple[int, int], str]:
    try:
        done = _ask(path, "-version")
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise FFmpegNotFound(
            f"cannot run ffmpeg at {path}: {exc}",
            path=path,
            hint="point --ffmpeg or SCREENKIT_FFMPEG at a working ffmpeg",
        ) from exc
    out = done.stdout
    if done.returncode != 0 or not out.startswith("ffmpeg version"):
        raise FFmpegNotFound(
            f"{path} does not look like ffmpeg (ffmpeg -version said: {out[:80]!r})",
            path=path,
            hint="point --ffmpeg or SCREENKIT_FFMPEG at a working ffmpeg",
        )
    word, numbers = parse_version(out)
    if numbers is None:
        numbers = (99, 0)
    if numbers < MIN_VERSION:
        raise FFmpegTooOld(
            f"ffmpeg {word} at {path} is too old: screenkit needs ffmpeg "
            f"{MIN_VERSION[0]}.{MIN_VERSION[1]} or newer",
            path=path,
            version=word,
            hint="install a newer ffmpeg, or unset SCREENKIT_FFMPEG to use the bundled one",
        )
    config = next((ln for ln in out.splitlines() if ln.startswith("configuration:")), "")
    return word, numbers, config


def _bundled() -> Path | None:
    try:
        import imageio_ffmpeg
    except ImportError:
        return None
    try:
        return Path(imageio_ffmpeg.get_ffmpeg_exe())
    except RuntimeError:
        return None


def _beside(ffmpeg: Path) -> Path | None:
    name = "ffprobe.exe" if ffmpeg.name.lower().endswith(".exe") else "ffprobe"
    candidate = ffmpeg.resolve().parent / name
    if candidate.is_file() and os.access(candidate, os.X_OK):
        return candidate
    # a PATH ffmpeg may be a symlink; its PATH sibling then counts too
    plain = ffmpeg.parent / name
    if plain.is_file() and os.access(plain, os.X_OK):
        return plain
    return None


def _build(path: Path, source: Source) -> FFmpeg:
    word, numbers, config = _query(path)
    return FFmpeg(
        path=path,
        version=word,
        version_tuple=numbers,
        source=source,
        ffprobe=_beside(path),
        configuration=config,
    )


@cache
def _find_cached(explicit: str | None, env_value: str | None, path_env: str | None) -> FFmpeg:
    if explicit:
        return _build(_must_exist(explicit, "--ffmpeg"), "option")
    if env_value:
        return _build(_must_exist(env_value, ENV_VAR), "env")
    on_path = shutil.which("ffmpeg", path=path_env)
    if on_path:
        return _build(Path(on_path), "system")
    bundled = _bundled()
    if bundled is not None and bundled.is_file():
        return _build(bundled, "bundled")
    raise FFmpegNotFound(
        "no ffmpeg found: none on PATH and the imageio-ffmpeg wheel is not installed",
        hint="pip install imageio-ffmpeg, or install ffmpeg 4.4 or newer",
    )


def _must_exist(value: str, origin: str) -> Path:
    found = shutil.which(value) if os.sep not in value else None
    path = Path(found) if found else Path(value).expanduser()
    if not path.is_file():
        raise FFmpegNotFound(
            f"{origin} names {value}, which is not a file",
            path=path,
            key=origin,
            hint=f"fix {origin}, or unset it to use ffmpeg from PATH or the bundled one",
        )
    return path


_override: str | None = None


def set_override(explicit: str | os.PathLike[str] | None) -> None:
    """Make every later `find_ffmpeg()` use ``explicit`` (the CLI's ``--ffmpeg``)."""
    global _override
    _override = os.fspath(explicit) if explicit else None


def find_ffmpeg(explicit: str | os.PathLike[str] | None = None) -> FFmpeg:
    """Resolve the ffmpeg to use; cached per (explicit, environment) so repeated calls are free."""
    chosen = os.fspath(explicit) if explicit else _override
    return _find_cached(
        chosen,
        os.environ.get(ENV_VAR) or None,
        os.environ.get("PATH"),
    )


def forget_ffmpeg() -> None:
    """Drop the resolution cache (after installing or replacing a binary)."""
    _find_cached.cache_clear()


@cache
def _filters(path: Path) -> frozenset[str]:
    try:
        done = _ask(path, "-filters")
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    names = set()
    for line in done.stdout.splitlines():
        words = line.split()
        # " TSC zscale  V->V  Apply resizing, …": flags, name, in->out, description
        if len(words) >= 3 and "->" in words[2]:
            names.add(words[1])
    return frozenset(names)


def has_filter(ffmpeg: FFmpeg, name: str) -> bool:
    """Whether ``ffmpeg -filters`` lists ``name`` (asked once per binary)."""
    return name in _filters(ffmpeg.path)


def bundled_ffmpeg() -> FFmpeg | None:
    """The ffmpeg shipped in the imageio-ffmpeg wheel, if installed (whatever PATH holds)."""
    path = _bundled()
    return _build(path, "bundled") if path is not None and path.is_file() else None
