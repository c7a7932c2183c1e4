"""What differs between the preset families in a bundle's documents, in one table.

A preset knows its family (`screenkit.presets.Family`). Here each family names what
``screenkit verify`` checks of its video (a file against its preset; a DivX AVI and its
``.srt`` named like it; a DVD read back as a player sees it, its VOB and its image), and
what the screening sheet says of it: the container line, the playing guide (DVD and DivX
have their own; a file's follows what the preset does) and the rows of the video's files.
The encode side is `screenkit.encode.family`, the composition's `screenkit.bundle.compose.families`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from screenkit.bundle.documents.files import Device, FileKind
from screenkit.bundle.documents.manifest import Manifest
from screenkit.bundle.documents.verify_legacy import Found, check_divx_sidecar, check_dvd
from screenkit.dvd.author import VIDEO_TS
from screenkit.encode import check_compliance
from screenkit.encode.compliance import promised_colour_mismatches
from screenkit.errors import ScreenkitError
from screenkit.media.binaries import FFmpeg
from screenkit.media.probe import probe
from screenkit.presets import Family

Check = Callable[[Path, Manifest, FFmpeg], Found]


def check_video(folder: Path, manifest: Manifest, ffmpeg: FFmpeg) -> Found:
    """The bundle's video probed against the preset recorded in the manifest."""
    path = folder / manifest.video
    if not path.is_file():
        return [], []  # reported by the file check
    try:
        info = probe(path, ffmpeg=ffmpeg)
    except ScreenkitError as exc:
        return [(manifest.video, f"cannot be read as media: {exc.message}")], []
    mismatches = check_compliance(info, manifest.preset)
    mismatches += promised_colour_mismatches(info, manifest.promised_colour())
    problems: list[tuple[str | None, str]] = [
        (manifest.video, f"does not meet {manifest.preset.name}: {m}") for m in mismatches
    ]
    return problems, []


def _check_divx(folder: Path, manifest: Manifest, ffmpeg: FFmpeg) -> Found:
    problems, warnings = check_video(folder, manifest, ffmpeg)
    return [*problems, *check_divx_sidecar(folder, manifest)], warnings


@dataclass(frozen=True)
class DocumentFamily:
    verify: Check
    """What verify checks of the bundle's video beyond every file's checksum."""
    container: str | None
    """The sheet's container line; None: as the probe says (MP4 or Matroska)."""
    device: Device | None
    """The sheet's playing guide; None: from what the preset does (`sheet_words`)."""
    video_files: tuple[tuple[str, FileKind], ...]
    """The sheet's rows for the video: (name, role); ``{video}`` is the video's name."""


FAMILIES: dict[Family, DocumentFamily] = {
    "file": DocumentFamily(check_video, None, None, (("{video}", "film"),)),
    "divx": DocumentFamily(_check_divx, "AVI (DivX)", "divx", (("{video}", "film"),)),
    "dvd": DocumentFamily(
        check_dvd,
        "DVD-Video (MPEG-PS)",
        "dvd",
        (("{video}", "disc-image"), (f"{VIDEO_TS}/", "dvd-folder")),
    ),
}
