"""``screenkit poster``: the printable A4 poster of a kit's screening, in one language."""

from __future__ import annotations

from pathlib import Path

import click

from screenkit.cli.common import note
from screenkit.kit import load_kit
from screenkit.poster import poster_spec_from_kit, render_poster


@click.command("poster")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--kit",
    "kit_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="The kit whose title, appeal and link the poster shows.",
)
@click.option("--lang", required=True, help="The poster's language (one of the kit's).")
@click.option("--venue", help="Where the screening is.")
@click.option("--date", help="When it is (as you want it printed).")
@click.option("--contact", help="A local contact: phone, e-mail, handle.")
def poster(
    out: Path,
    kit_dir: Path,
    lang: str,
    venue: str | None,
    date: str | None,
    contact: str | None,
) -> None:
    """Write the A4 poster (PDF) to OUT: title, date, venue, the appeal, the QR code.

    \b
      screenkit poster poster-it.pdf --lang it --venue "Ex-Fabbrica" --date "14.3., 20:30"
    """
    spec = poster_spec_from_kit(load_kit(kit_dir), lang, venue=venue, date=date, contact=contact)
    note(f"Wrote {render_poster(spec, out)}")


COMMANDS: list[click.Command] = [poster]
