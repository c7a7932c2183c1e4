"""Errors of the copy to a stick: each says what happened to the stick and what to do."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from screenkit.errors import ScreenkitError
from screenkit.stick.checks import Finding

_HINTS = {
    "bundle-missing": "give the bundle's folder (the one holding manifest.json) as BUNDLE_DIR",
    "bundle-incomplete": "its build did not finish: run screenkit build again, then copy",
    "bundle-damaged": "build the bundle again, then copy it",
    "bundle-changed": "screenkit verify BUNDLE_DIR says what changed; build the bundle again",
    "dest-missing": "plug in the stick and let the system mount it; "
    "screenkit copy --list-drives shows the mounted ones",
    "dest-not-folder": "give the stick's folder as DEST (screenkit copy --list-drives)",
    "dest-inside-bundle": "give the stick's folder as DEST (screenkit copy --list-drives)",
    "dest-holds-bundle": "give the stick's folder as DEST (screenkit copy --list-drives)",
    "dest-not-writable": "check the lock switch on the stick's side, or mount it writable",
    "file-too-large": "reformat the stick as exFAT (this erases it), or build for "
    "--preset usb-player-legacy, whose films stay under 2 GB",
    "no-space": "delete what is not needed from the stick, or use a larger one",
    "exists-other": "add --replace to replace it once the new copy is checked, "
    "or choose another DEST",
}


class CopyError(ScreenkitError):
    """A copy to a stick that could not be made or not be trusted."""


class DestinationRefused(CopyError):
    """`check_destination` found errors: nothing was written. ``findings`` holds them all
    (the warnings too), for a face to say in its own language."""

    def __init__(self, message: str, findings: Sequence[Finding], *, path: Path) -> None:
        first = next(f for f in findings if f.level == "error")
        super().__init__(message, path=path, key=first.code, hint=_HINTS.get(first.code))
        self.findings = tuple(findings)
        self.code = first.code


class CopyCancelled(CopyError):
    """The copy was told to stop: the half copy was removed, the stick holds no new folder."""


class ReadBackFailed(CopyError):
    """A file read back from the stick is not what the manifest says.

    ``file`` is its path in the bundle; ``cause`` is ``"stick"`` when the bundle's own file
    is right (the stick did not keep what was written) or ``"bundle"`` when the bundle's
    file itself no longer matches its manifest."""

    def __init__(self, message: str, *, path: Path, file: str, cause: str, hint: str) -> None:
        super().__init__(message, path=path, key=file, value=cause, hint=hint)
        self.file = file
        self.cause = cause


class StickFull(CopyError):
    """The stick filled up during the copy (its free space was misreported, or something
    else wrote to it meanwhile); the half copy was removed."""

    def __init__(self, message: str, *, path: Path, free_bytes: int | None) -> None:
        super().__init__(
            message, path=path, hint="free space on the stick or use a larger one, then copy again"
        )
        self.free_bytes = free_bytes
