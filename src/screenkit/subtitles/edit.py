"""File-level edits behind ``subs fix``, ``subs shift`` and ``subs retime``.

Each reads a track, transforms a copy, and writes a new file atomically — never the input:
an output naming the input is refused, except ``fix --in-place``, which first keeps the
original bytes as ``<name>.bak`` (``.bak1``, ``.bak2`` … when that exists).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import pysubs2

from screenkit.errors import SubtitleError
from screenkit.media.atomic import write_bytes_atomic
from screenkit.subtitles.fix import Change, fix_subs
from screenkit.subtitles.formats import by_extension, by_name, writer_for
from screenkit.subtitles.load import Track, load_track, read_bytes
from screenkit.subtitles.profiles import DEFAULT_PROFILE, load_profile
from screenkit.subtitles.retime import Retimed, TimeMap, retime
from screenkit.subtitles.save import save_track


@dataclass(frozen=True)
class Written:
    """What an edit wrote: the source track, the output, the backup (in place only)."""

    track: Track
    output: Path
    format: str
    encoding: str
    backup: Path | None = None


@dataclass(frozen=True)
class Fixed:
    written: Written
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class Moved:
    written: Written
    retimed: Retimed


def same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (b.exists() and a.samefile(b))
    except OSError:
        return False


def guard_output(source: Path, output: Path) -> None:
    """Refuse to write over the input (the user's source is never overwritten)."""
    if same_file(source, output):
        raise SubtitleError(
            f"{output} is the input file: write the result to another file",
            path=output,
            hint="subs fix can rewrite its input with --in-place (keeping a .bak copy)",
        )
    if output.is_dir():
        raise SubtitleError(f"{output} is a folder: give a file name", path=output)


def backup_path(path: Path) -> Path:
    candidate = path.with_name(path.name + ".bak")
    n = 1
    while candidate.exists():
        candidate = path.with_name(f"{path.name}.bak{n}")
        n += 1
    return candidate


def output_format(track: Track, output: Path) -> str:
    """From the output's extension; in place, the input's own format."""
    named = by_extension(output)
    if named is not None and named.writes:
        return named.name
    own = by_name(track.format)
    if own is not None and own.writes and same_file(track.path, output):
        return own.name
    return writer_for(output).name  # raises, naming what screenkit writes


def fix_file(
    source: Path,
    output: Path | None = None,
    *,
    in_place: bool = False,
    profile: str | None = None,
    kit: Path | None = None,
    fps: Fraction | None = None,
    film: Path | None = None,
    lang: str | None = None,
    encoding: str | None = None,
) -> Fixed:
    """Fix ``source`` into ``output`` (or into itself with ``in_place``), as UTF-8.

    The profile (default ``netflix``, or the kit's ``profiles/<name>.toml``) gives the
    minimum gap and duration; gaps are counted in frames of ``fps``, else of the film's
    rate, else 25 fps. With a film, no event is extended past its end.
    """
    from screenkit.subtitles.checkrun import find_kit_root, probe_film

    if in_place == (output is not None):
        raise SubtitleError("give either an output file (-o) or --in-place", path=source)
    facts = probe_film(film) if film is not None else None
    track = load_track(source, lang=lang, encoding=encoding, fps=fps)
    target = source if in_place else output
    assert target is not None
    if not in_place:
        guard_output(source, target)
    fmt = output_format(track, target)
    qc = load_profile(profile or DEFAULT_PROFILE, kit or find_kit_root(source))
    rate = fps or (facts.fps if facts else None) or track.fps or Fraction(25)
    result = fix_subs(track.subs, qc, fps=rate, film_end=facts.duration_ms if facts else None)
    changes = list(result.changes)
    for repair in reversed(track.repairs):
        start = track.subs[repair.event - 1].start if repair.event <= len(track.subs) else None
        changes.insert(0, Change("timing-line", repair.event, start, repair.describe()))
    if not track.is_utf8 or track.bom:
        changes.insert(0, Change("encoding", None, None, f"{track.encoding_label} → utf-8"))
    if track.line_endings not in ("LF", "none"):
        changes.insert(0, Change("line-endings", None, None, f"{track.line_endings} → LF"))
    backup = None
    if in_place:
        backup = write_bytes_atomic(backup_path(source), read_bytes(source))
    save_track(result.subs, target, format=fmt)
    return Fixed(Written(track, target, fmt, "utf-8", backup), tuple(changes))


def move_file(
    source: Path,
    output: Path,
    time_map: TimeMap,
    *,
    lang: str | None = None,
    encoding: str | None = None,
    fps: Fraction | None = None,
    output_encoding: str = "utf-8",
) -> Moved:
    """``subs shift`` / ``subs retime``: apply ``time_map`` and write the result."""
    guard_output(source, output)
    track = load_track(source, lang=lang, encoding=encoding, fps=fps)
    fmt = output_format(track, output)
    moved = retime(track.subs, time_map)
    save_track(moved.subs, output, format=fmt, encoding=output_encoding)
    return Moved(Written(track, output, fmt, output_encoding), moved)


def write_converted(track: Track, subs: pysubs2.SSAFile, output: Path, encoding: str) -> Written:
    guard_output(track.path, output)
    fmt = output_format(track, output)
    save_track(subs, output, format=fmt, encoding=encoding)
    return Written(track, output, fmt, encoding)
