"""``sample`` and ``init``: make a kit to work on."""

from __future__ import annotations

from pathlib import Path

import click

from screenkit.cli.common import lang_option, note, progress_bars, quiet_option
from screenkit.cli.info import describe
from screenkit.sample.kit import write_sample
from screenkit.scaffold import init_kit


def _parse_size(value: str) -> tuple[int, int]:
    width, _, height = value.lower().partition("x")
    if not (width.isdigit() and height.isdigit()) or int(width) % 2 or int(height) % 2:
        raise click.BadParameter(f"'{value}' is not an even size like 1280x720")
    return int(width), int(height)


@click.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--force", is_flag=True, help="Render the film again even if it is there.")
@click.option(
    "--size",
    default="1280x720",
    show_default=True,
    callback=lambda _c, _p, v: _parse_size(v),
    help="Frame size of the stand-in film (smaller is quicker).",
)
@quiet_option
def sample(folder: Path, force: bool, size: tuple[int, int], quiet: bool) -> None:
    """Write the stand-in film for the kit in FOLDER (default: here).

    Where FOLDER holds no kit, the sample kit (tracks in en, it, uk, pl, de and the
    appeal texts) is written there first. The film is deterministic: running this again
    keeps the film already there unless --force is given.
    """
    with progress_bars(quiet) as progress:
        result = write_sample(folder, force=force, size=size, progress=progress)
    if result.scaffolded:
        note(f"Wrote the sample kit into {result.kit_dir}")
    note(("Kept " if result.reused else "Wrote ") + f"the stand-in film {result.film}")
    click.echo("\n".join(describe(result.info)))


@click.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--name", help="The kit's name (default: the folder's name).")
@click.option("--title", help="The film's title.")
@lang_option("A language of the kit (repeat).", "--lang", "languages", multiple=True)
def init(folder: Path, name: str | None, title: str | None, languages: tuple[str, ...]) -> None:
    """Scaffold a new kit in FOLDER: screenkit.toml, subtitles/, appeal/, presets/, media/.

    Nothing that exists is overwritten.
    """
    created = init_kit(folder, name=name, title=title, languages=languages or None)
    for path in created:
        note(f"  created {path}")
    note(f"Kit ready in {folder}. Put the master in media/ and the tracks in subtitles/.")


COMMANDS: list[click.Command] = [sample, init]
