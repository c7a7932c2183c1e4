"""``screenkit poster``: the printable A4 poster of a kit's screening, in one language."""

from __future__ import annotations

from pathlib import Path

import click

from screenkit.cli.common import kit_option, lang_option, note
from screenkit.kit import load_kit
from screenkit.poster import poster_spec_from_kit, render_poster


@click.command("poster")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@kit_option("The kit whose title, appeal and link the poster shows.")
@lang_option("The poster's language (one of the kit's).", required=True)
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
