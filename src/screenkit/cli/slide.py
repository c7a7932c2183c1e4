"""``screenkit slide``: render the fundraising card alone, for a look before building."""

from __future__ import annotations

from pathlib import Path

import click

from screenkit.cli.common import kit_option, lang_option, note, progress_bars, quiet_option
from screenkit.slides.preview import preview_card


@click.command("slide")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@kit_option("The kit whose appeal the card shows.")
@lang_option("The card's language (one of the kit's).", required=True)
@click.option("--preset", help="The venue preset giving frame size and safe area [usb-player].")
@click.option("--venue", help="Where the screening is (the organiser's line).")
@click.option("--date", help="When it is.")
@click.option("--contact", help="A local contact: phone, e-mail, handle.")
@click.option("--outro", is_flag=True, help="The outro card (shown at the collection).")
@quiet_option
def slide(
    out: Path,
    kit_dir: Path,
    lang: str,
    preset: str | None,
    venue: str | None,
    date: str | None,
    contact: str | None,
    outro: bool,
    quiet: bool,
) -> None:
    """Render the appeal card to OUT: .png for its middle frame, .mp4/.mkv for all of it."""
    with progress_bars(quiet) as progress:
        written = preview_card(
            out,
            kit_dir=kit_dir,
            lang=lang,
            preset=preset,
            venue=venue,
            date=date,
            contact=contact,
            outro=outro,
            progress=progress,
        )
    if not quiet:
        note(f"Wrote {written}")


COMMANDS: list[click.Command] = [slide]
