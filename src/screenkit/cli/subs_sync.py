"""``subs sync`` and ``subs preview``: thin commands over screenkit.subtitles.sync_* and preview."""

from __future__ import annotations

from pathlib import Path

import click

from screenkit.cli.common import (
    bars_wanted,
    emit_json,
    json_option,
    lang_option,
    note,
    progress_bars,
    quiet_option,
)
from screenkit.errors import ScreenkitError
from screenkit.subtitles.preview import preview_sheet
from screenkit.subtitles.sync import SyncNotTrusted, SyncResult
from screenkit.subtitles.sync_audio import FilmSyncOptions, sync_to_film
from screenkit.subtitles.sync_reference import ReferenceSyncOptions, sync_to_reference
from screenkit.subtitles.timecode import parse_time


def _signed(seconds: float) -> str:
    return f"{seconds:+.3f} s"


def _render(result: SyncResult) -> None:
    what = "film audio" if result.method == "film" else "reference"
    click.echo(f"{result.track.name} → {what} {result.against.name}")
    click.echo(f"  {result.summary}")
    click.echo(f"  {result.meaning}")
    click.echo(f"  offset      {_signed(result.offset)}")
    click.echo(f"  ratio       {result.ratio_text}")
    if len(result.segments) > 1:
        click.echo(f"  segments    {len(result.segments)} (a scene was cut or added)")
        for s in result.segments:
            click.echo(
                f"    events {s.first_event}-{s.last_event} (from {s.track_start:.2f} s): "
                f"{_signed(s.offset)}"
            )
    if result.dropped:
        shown = ", ".join(str(n) for n in result.dropped[:12])
        more = " …" if len(result.dropped) > 12 else ""
        lacks = "the film" if result.method == "film" else "the reference"
        click.echo(f"  dropped     events {shown}{more} (timed inside a scene {lacks} lacks)")
    if result.mapping is not None:
        m = result.mapping
        click.echo(
            f"  mapping     {m.mode}: {m.one_to_one} one-to-one, {m.merged} merged, "
            f"{m.split} split, {m.unmatched} unmatched"
        )
    click.echo(f"  matched     {result.matched:.0%} of events")
    click.echo(f"  confidence  {result.confidence:.2f} ({result.level})")


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--reference", type=click.Path(path_type=Path), help="A correctly timed track of the same cut."
)
@click.option("--film", type=click.Path(path_type=Path), help="The film: sync to its speech.")
@click.option(
    "-o", "--output", required=True, type=click.Path(path_type=Path), help="Where to write."
)
@click.option(
    "--plot",
    type=click.Path(path_type=Path),
    help="Draw speech (or the reference) against the track, before and after, as PNG.",
)
@click.option("--force", is_flag=True, help="Write even a result below the confidence threshold.")
@click.option(
    "--max-offset",
    type=click.FloatRange(1, 1800),
    default=120.0,
    show_default=True,
    help="Seconds either way to search.",
)
@click.option(
    "--no-split", is_flag=True, help="One offset for the whole track (no cut or added scene)."
)
@lang_option("FILE's language (default: from its name).")
@json_option
@quiet_option
def sync(
    file: Path,
    reference: Path | None,
    film: Path | None,
    output: Path,
    plot: Path | None,
    force: bool,
    max_offset: float,
    no_split: bool,
    lang: str | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """Sync FILE to the film's speech (--film) or to a timed track (--reference).

    \b
    Finds the offset, a frame-rate change (25 ↔ 24000/1001 …) and scenes cut from or
    added to the film (an offset per stretch; lines of a lost scene are dropped and
    listed). Says what it moved and dropped and how sure it is; a result below the
    confidence threshold (0.50) is not written without --force.
      screenkit subs sync it.srt --film media/film.mkv -o it.synced.srt --plot sync.png
      screenkit subs sync it.srt --reference subtitles/en.srt -o it.synced.srt
    """
    if (reference is None) == (film is None):
        raise click.UsageError("give exactly one of --reference REF or --film FILM")
    try:
        if film is not None:
            options = FilmSyncOptions(
                max_offset=max_offset, split=not no_split, force=force, plot=plot, lang=lang
            )
            with progress_bars(quiet or as_json) as progress:
                watched = progress if bars_wanted(quiet or as_json) else None
                result = sync_to_film(file, film, output, options=options, progress=watched)
        else:
            assert reference is not None
            ref_options = ReferenceSyncOptions(
                max_offset=max_offset, force=force, plot=plot, lang=lang, split=not no_split
            )
            result = sync_to_reference(file, reference, output, options=ref_options)
    except SyncNotTrusted as exc:
        if as_json:
            emit_json(exc.result.to_json())
        else:
            _render(exc.result)
        raise
    if as_json:
        emit_json(result.to_json())
        return
    _render(result)
    if not result.trusted:
        note(f"warning: low confidence ({result.confidence:.2f}), written because of --force")
    note(f"wrote {result.output}" + (f" and {result.plot}" if result.plot else ""))


def _times(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> list[float]:
    times = []
    for item in value:
        try:
            times.append(parse_time(item) / 1000)
        except ScreenkitError as exc:
            raise click.BadParameter(exc.message) from None
    return times


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--film", required=True, type=click.Path(path_type=Path), help="The film to burn FILE into."
)
@click.option(
    "--at",
    "at",
    multiple=True,
    callback=_times,
    metavar="T",
    help="A moment to show (repeat; 1:02.5, 62.5s …). Default: the track's hardest moments.",
)
@click.option(
    "-o", "--output", required=True, type=click.Path(path_type=Path), help="The sheet (PNG)."
)
@click.option(
    "--count",
    type=click.IntRange(1, 24),
    default=6,
    show_default=True,
    help="Hard moments to pick without --at.",
)
@click.option("--columns", type=click.IntRange(1, 8), default=3, show_default=True)
@click.option(
    "--width",
    type=click.IntRange(64, 1920),
    default=480,
    show_default=True,
    help="Width of each frame in pixels.",
)
@click.option(
    "--font",
    "fonts",
    multiple=True,
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="A kit font to burn with (before the shipped Noto Sans).",
)
@lang_option("FILE's language (default: from its name).")
@json_option
@quiet_option
def preview(
    file: Path,
    film: Path,
    at: list[float],
    output: Path,
    count: int,
    columns: int,
    width: int,
    fonts: tuple[Path, ...],
    lang: str | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """A contact sheet of FILM's frames with FILE burned in, to check glyphs and sizes.

    \b
    At the given moments, or at the track's hardest ones (characters the font lacks,
    the longest lines, the rarest characters):
      screenkit subs preview uk.srt --film media/film.mkv -o sheet.png
      screenkit subs preview uk.srt --film media/film.mkv --at 1:02 --at 4:10.5 -o sheet.png
    """
    with progress_bars(quiet or as_json) as progress:
        result = preview_sheet(
            file, film, output, at=at, count=count, columns=columns, width=width,
            fonts=fonts, lang=lang, progress=progress,
        )  # fmt: skip
    if as_json:
        emit_json(result.to_json())
        return
    for m in result.moments:
        event = f"event {m.event}" if m.event else "no event"
        chars = f": {' '.join(m.characters)}" if m.characters else ""
        click.echo(f"  {m.time:10.3f} s  {event:<10} {m.reason}{chars}")
    if result.missing:
        note(f"warning: the font cannot draw {' '.join(result.missing)}")
    note(f"wrote {result.sheet}")


COMMANDS: list[click.Command] = [sync, preview]
