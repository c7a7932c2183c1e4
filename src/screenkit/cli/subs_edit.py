"""``subs check | fix | convert | shift | retime``: thin commands over screenkit.subtitles."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import click

from screenkit.cli.common import emit_json, json_option, kit_option, lang_option, note
from screenkit.errors import ScreenkitError
from screenkit.subtitles.check import CheckReport
from screenkit.subtitles.checkrun import CheckRun, check_files
from screenkit.subtitles.convert import convert_file
from screenkit.subtitles.edit import Written, fix_file, move_file
from screenkit.subtitles.fix import Change
from screenkit.subtitles.retime import anchor_map, fps_map, shift_map
from screenkit.subtitles.timecode import (
    format_duration,
    format_fps,
    format_time,
    parse_duration,
    parse_fps,
    parse_time,
)

_FORMAT_NAMES = {"srt": "SRT", "ass": "ASS", "ssa": "SSA", "vtt": "WebVTT", "microdvd": "MicroDVD"}
_COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}


def _fps(ctx: click.Context, param: click.Parameter, value: str | None) -> Fraction | None:
    if value is None:
        return None
    try:
        return parse_fps(value)
    except ScreenkitError as exc:
        raise click.BadParameter(exc.message) from None


def _duration(ctx: click.Context, param: click.Parameter, value: str) -> int:
    try:
        return parse_duration(value)
    except ScreenkitError as exc:
        raise click.BadParameter(exc.message) from None


def _fps_pair(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> tuple[Fraction, Fraction] | None:
    if value is None:
        return None
    source, sep, target = value.partition(":")
    if not sep:
        raise click.BadParameter(f"'{value}' is not FROM:TO (say 25:24000/1001)")
    try:
        return parse_fps(source), parse_fps(target)
    except ScreenkitError as exc:
        raise click.BadParameter(exc.message) from None


def _anchors(
    ctx: click.Context, param: click.Parameter, value: tuple[str, ...]
) -> list[tuple[int, int]]:
    points = []
    for item in value:
        old, sep, new = item.partition("=")
        if not sep:
            raise click.BadParameter(f"'{item}' is not OLD=NEW (say 00:01:00,000=00:01:02,500)")
        try:
            points.append((parse_time(old), parse_time(new)))
        except ScreenkitError as exc:
            raise click.BadParameter(exc.message) from None
    return points


track_lang_option = lang_option(
    "The track's language (default: from the file name, uk.srt): guides encoding guessing."
)
film_option = click.option(
    "--film",
    type=click.Path(path_type=Path),
    help="The film: gaps in its real frames, no event past its end.",
)
profile_option = click.option(
    "--profile",
    "-p",
    metavar="NAME|FILE",
    help="QC profile: netflix (default), bbc, relaxed, a kit's profiles/NAME.toml, or a file.",
)
track_kit_option = kit_option(
    "The kit (its profiles/ and fonts); default: the one holding the track.", default=None
)
fps_option = click.option(
    "--fps",
    metavar="RATE",
    callback=_fps,
    help="Frame rate for gaps and frame-based files (25, 24000/1001); default: film's, else 25.",
)
input_encoding_option = click.option(
    "--input-encoding",
    metavar="ENC",
    help="Read the input as ENC instead of detecting it.",
)
output_option = click.option(
    "-o", "--output", type=click.Path(path_type=Path), required=True, help="Where to write."
)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _heading(report: CheckReport) -> str:
    track = report.track
    fmt = _FORMAT_NAMES.get(track.format, track.format.upper())
    lang = f" · {track.lang}" if track.lang else ""
    events = _plural(len(track.subs), "event")
    qc = report.profile
    norms = (
        f" with {qc.lang} reading norms ({qc.max_chars_per_line} a line, {qc.max_cps:g}/s)"
        if qc.lang
        else ""
    )
    return (
        f"{track.path}  {fmt} · {track.encoding_label}{lang} · {events} · "
        f"profile {qc.name}{norms} · gaps at {format_fps(report.fps)} fps"
    )


def _render(run: CheckRun) -> None:
    for result in run.results:
        if result.error is not None:
            click.secho(f"Error: {result.error.message}", err=True, fg="red")
            if result.error.hint:
                click.echo(f"Hint: {result.error.hint}", err=True)
            continue
        report = result.report
        assert report is not None
        click.echo(_heading(report))
        for f in report.findings:
            where = f"#{f.event:<4} {format_time(f.start or 0)}" if f.event else f"{'file':<18}"
            severity = click.style(f"{f.severity:<8}", fg=_COLOURS[f.severity])
            click.echo(f"  {severity} {f.rule:<17} {where}  {f.message}")
        counts = [
            _plural(n, name) for name in ("error", "warning", "info") if (n := report.count(name))
        ]
        click.echo(f"  {', '.join(counts) if counts else 'ok: nothing to report'}")
    if len(run.results) > 1:
        bad = sum(1 for r in run.results if r.report is not None and not r.report.ok)
        unreadable = sum(1 for r in run.results if r.error is not None)
        click.echo(
            f"{len(run.results)} files: {len(run.results) - bad - unreadable} without errors, "
            f"{bad} with errors, {unreadable} unreadable"
        )


def _run_json(run: CheckRun) -> dict[str, Any]:
    files: list[dict[str, Any]] = []
    for result in run.results:
        if result.report is not None:
            files.append({**result.report.to_json(), "error": None})
        else:
            assert result.error is not None
            files.append({"path": str(result.path), "ok": False, "error": result.error.message})
    return {
        "ok": run.ok,
        "profile": {"name": run.profile.name, "description": run.profile.description},
        "film": str(run.film.path) if run.film else None,
        "files": files,
    }


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@film_option
@profile_option
@track_lang_option
@track_kit_option
@fps_option
@click.option("--encoding", metavar="ENC", help="Read the tracks as ENC instead of detecting it.")
@json_option
def check(
    files: tuple[Path, ...],
    film: Path | None,
    profile: str | None,
    lang: str | None,
    kit_dir: Path | None,
    fps: Fraction | None,
    encoding: str | None,
    as_json: bool,
) -> None:
    """Check subtitle tracks against a QC profile.

    Line length, lines per event, reading speed, duration, gaps and overlaps (netflix
    profile by default), plus the encoding, empty events, unbalanced tags and characters
    the burn-in font cannot draw. Exits 1 when a track has errors or cannot be read.

    Line length and reading speed follow the track's language (--lang, or a name like
    fi.srt): 42 characters a line and 17 a second for Finnish, 20 a second for English,
    39 characters a line for Russian, each from the language's published style guide.
    A profile with its own figures (bbc, relaxed) keeps them.
    """
    run = check_files(
        list(files), profile=profile, film=film, kit=kit_dir, lang=lang, fps=fps, encoding=encoding
    )
    if len(run.results) == 1 and run.results[0].error is not None:
        raise run.results[0].error
    if as_json:
        emit_json(_run_json(run))
    else:
        _render(run)
    if not run.ok:
        raise click.exceptions.Exit(1)


def _change_line(change: Change) -> str:
    where = f"#{change.event:<4} {format_time(change.start or 0)}" if change.event else "file"
    return f"  {where:<19} {change.kind:<16} {change.message}"


def _wrote(written: Written, what: str) -> None:
    fmt = _FORMAT_NAMES.get(written.format, written.format)
    note(f"{what}: wrote {written.output} ({fmt}, {written.encoding})")
    doubt = written.track.encoding_doubt("--input-encoding")
    if doubt is not None:
        click.secho(f"Warning: {written.track.path}: {doubt}", err=True, fg="yellow")


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Where to write.")
@click.option("--in-place", is_flag=True, help="Rewrite FILE itself, keeping FILE.bak.")
@profile_option
@film_option
@fps_option
@track_lang_option
@track_kit_option
@input_encoding_option
@json_option
def fix(
    file: Path,
    output: Path | None,
    in_place: bool,
    profile: str | None,
    film: Path | None,
    fps: Fraction | None,
    lang: str | None,
    kit_dir: Path | None,
    input_encoding: str | None,
    as_json: bool,
) -> None:
    """Apply the safe automatic fixes and list each change.

    Overlaps trimmed, minimum gaps made, too-short events extended where there is room,
    empty events dropped, whitespace and line endings normalised; written as UTF-8.
    """
    if in_place == (output is not None):
        raise click.UsageError("give either -o OUT or --in-place")
    fixed = fix_file(
        file,
        output,
        in_place=in_place,
        profile=profile,
        kit=kit_dir,
        fps=fps,
        film=film,
        lang=lang,
        encoding=input_encoding,
    )
    if as_json:
        emit_json(
            {
                "input": str(file),
                "output": str(fixed.written.output),
                "backup": str(fixed.written.backup) if fixed.written.backup else None,
                "changes": [c.to_json() for c in fixed.changes],
            }
        )
    else:
        for change in fixed.changes:
            click.echo(_change_line(change))
        click.echo(_plural(len(fixed.changes), "change"))
    _wrote(fixed.written, "fixed")
    if fixed.written.backup:
        note(f"the original is kept as {fixed.written.backup}")


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@output_option
@click.option(
    "--encoding",
    default="utf-8",
    show_default=True,
    metavar="ENC",
    help="Output encoding, e.g. cp1251 or cp1250 for old players.",
)
@input_encoding_option
@track_lang_option
@fps_option
def convert(
    file: Path,
    output: Path,
    encoding: str,
    input_encoding: str | None,
    lang: str | None,
    fps: Fraction | None,
) -> None:
    """Convert between SRT, ASS/SSA and WebVTT (by OUTPUT's extension), and encodings."""
    written = convert_file(
        file, output, encoding=encoding, input_encoding=input_encoding, lang=lang, fps=fps
    )
    _wrote(written, f"read {written.track.format} in {written.track.encoding_label}")


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--by",
    "by_ms",
    required=True,
    metavar="DURATION",
    callback=_duration,
    help="Offset: 1.5, -2s, +00:00:01,500, -250ms.",
)
@output_option
@input_encoding_option
@track_lang_option
def shift(
    file: Path, by_ms: int, output: Path, input_encoding: str | None, lang: str | None
) -> None:
    """Move every event by a constant offset."""
    moved = move_file(file, output, shift_map(by_ms), lang=lang, encoding=input_encoding)
    for line in moved.retimed.notes():
        note(line)
    _wrote(moved.written, f"shifted by {format_duration(by_ms)}")


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--fps",
    "fps_pair",
    metavar="FROM:TO",
    callback=_fps_pair,
    help="Frame-rate change, exact: 25:24000/1001 (a 25 fps track onto a 23.976 film).",
)
@click.option(
    "--map",
    "anchors",
    multiple=True,
    metavar="OLD=NEW",
    callback=_anchors,
    help="Two anchor points, each a time in the track and where it belongs: give --map twice.",
)
@output_option
@input_encoding_option
@track_lang_option
def retime(
    file: Path,
    fps_pair: tuple[Fraction, Fraction] | None,
    anchors: list[tuple[int, int]],
    output: Path,
    input_encoding: str | None,
    lang: str | None,
) -> None:
    """Change the track's frame rate, or map it linearly through two anchor points."""
    if (fps_pair is None) == (not anchors):
        raise click.UsageError("give either --fps FROM:TO or two --map OLD=NEW")
    if fps_pair is not None:
        time_map = fps_map(*fps_pair)
        what = f"{format_fps(fps_pair[0])} → {format_fps(fps_pair[1])} fps"
    else:
        if len(anchors) != 2:
            raise click.UsageError(f"--map needs exactly two points, got {len(anchors)}")
        time_map = anchor_map(anchors[0], anchors[1])
        what = time_map.describe()
    moved = move_file(file, output, time_map, lang=lang, encoding=input_encoding)
    for line in moved.retimed.notes():
        note(line)
    _wrote(moved.written, f"retimed ({what})")


COMMANDS: list[click.Command] = [check, fix, convert, shift, retime]
