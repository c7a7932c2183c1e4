"""The one gate every media input passes before ffprobe, ffmpeg or PyAV open it.

ffmpeg chooses a demuxer by the content, not by the name: a text file holding
``#EXTM3U`` is an HLS playlist whatever it is called, and the HLS, concat, DASH and SDP
demuxers open the files (or hosts) named inside — ``../../secret.ts`` is read before any
check on the probe's answer could refuse it. The protocol whitelist does not help: those
files come through the ``file`` protocol it allows. So the first bytes are read here and
anything that names other inputs is refused before any reader starts.

Two levels: `admit_media` (the film, a source, a bundle's output: must be binary media,
plain text included in the refusal) and `check_ffmpeg_inputs` (every ``-i`` of every ffmpeg
run: refuses what names other files; a subtitle track is text and passes there).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from screenkit.errors import InputError, ProbeError, path_error

Kind = Literal["media", "hls", "dash", "concat", "sdp", "ffmetadata", "playlist", "text"]
NAMES_OTHER_FILES: frozenset[Kind] = frozenset(
    {"hls", "dash", "concat", "sdp", "ffmetadata", "playlist"}
)
SNIFF_BYTES = 8192
_WHAT = {
    "hls": "an HLS playlist (m3u8)",
    "dash": "a DASH manifest",
    "concat": "an ffmpeg concat script",
    "sdp": "an SDP session description",
    "ffmetadata": "an ffmetadata file",
    "playlist": "a playlist (m3u/pls/asx/smil)",
    "text": "a text file",
}
_TEXT_CONTROLS = {0x09, 0x0A, 0x0C, 0x0D}


def _is_text(head: bytes) -> bool:
    """No NUL and no C0 control byte but tab, newlines and form feed: text in any encoding.

    Binary media holds control bytes within its first few hundred bytes (box sizes, EBML
    ids, sync words); 8 KiB of media without one does not occur.
    """
    return bool(head) and not any(b < 0x20 and b not in _TEXT_CONTROLS for b in head)


def sniff(head: bytes) -> Kind:
    """What the first bytes of a file are, as far as the demuxers that follow names go."""
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    lower = text[:512].lower()
    if lower.startswith((b"#extm3u", b"#ext-x-")):
        return "hls"
    if lower.startswith((b"ffconcat", b"file '", b'file "', b"file ")):
        return "concat"
    if lower.startswith(b";ffmetadata"):
        return "ffmetadata"
    if lower.startswith(b"v=0") and (b"\no=" in lower or b"\ns=" in lower or b"\nm=" in lower):
        return "sdp"
    if lower.startswith((b"<?xml", b"<mpd")) and b"<mpd" in head.lower():
        return "dash"
    if lower.startswith((b"[playlist]", b"<asx", b"<smil", b"#extinf", b"[reference]")):
        return "playlist"
    if _is_text(head):
        return "text"
    return "media"


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(SNIFF_BYTES)
    except OSError as exc:
        raise InputError(f"{path} cannot be read ({exc.strerror or exc})", path=path) from exc


def check_readable(path: Path) -> Path:
    """Fail early, with the file named, on what is not a readable regular file."""
    try:
        return _check_readable(path)
    except OSError as exc:  # a name too long for the disk, a folder we may not enter
        raise path_error(exc, "cannot open") from exc


def _check_readable(path: Path) -> Path:
    if not path.exists():
        raise InputError(f"{path}: no such file", path=path)
    if path.is_dir():
        raise InputError(f"{path} is a folder, not a media file", path=path)
    if not path.is_file():
        raise InputError(f"{path} is not a regular file (a device or a pipe)", path=path)
    if not os.access(path, os.R_OK):
        raise InputError(f"{path} cannot be read (permission denied)", path=path)
    if path.stat().st_size == 0:
        raise ProbeError(f"{path} is empty", path=path)
    return path


def _refuse(path: Path, kind: Kind) -> ProbeError:
    if kind == "text":
        return ProbeError(
            f"{path} is not a media file ffmpeg can read (it holds text)", path=path, value=kind,
            hint="give the film's video file",
        )  # fmt: skip
    return ProbeError(
        f"{path} is {_WHAT[kind]}, a playlist-like file, not a media file: screenkit does not "
        "follow playlists (they can point at other files)",
        path=path,
        value=kind,
        hint="give the media file itself",
    )


def admit_media(path: Path | str) -> Path:
    """``path`` if it is a readable file holding binary media; else the error naming it."""
    path = check_readable(Path(path))
    kind = sniff(_head(path))
    if kind != "media":
        raise _refuse(path, kind)
    return path


def check_ffmpeg_inputs(argv: Sequence[str]) -> None:
    """Refuse, before ffmpeg starts, any ``-i file:…`` input that names other files.

    An input screenkit declares a concat script itself (``-f concat`` before its ``-i``:
    the listing it wrote of its own parts) is its own; lavfi graphs and pipes are no files.
    """
    forced: str | None = None
    for n, word in enumerate(argv):
        if word == "-f" and n + 1 < len(argv):
            forced = argv[n + 1]
        if word != "-i" or n + 1 >= len(argv):
            continue
        target, declared, forced = argv[n + 1], forced, None
        if not target.startswith("file:") or declared in ("concat", "lavfi"):
            continue
        path = Path(target.removeprefix("file:"))
        if not path.is_file():
            continue  # ffmpeg says what is missing
        kind = sniff(_head(path))
        if kind in NAMES_OTHER_FILES:
            raise _refuse(path, kind)
