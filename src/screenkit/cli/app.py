"""``screenkit app``: the organiser's page, served on this computer only."""

from __future__ import annotations

from pathlib import Path

import click

from screenkit.app import require_web_stack
from screenkit.cli.common import kit_option
from screenkit.presets import X264_SPEEDS


@click.command("app")
@kit_option("The kit to open (default: the one here, else the chooser).", default=None)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    help="The port to serve on (default: a free one).",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="127.0.0.1 or ::1: the app serves this computer only.",
)
@click.option("--no-browser", is_flag=True, help="Print the address; do not open a browser.")
@click.option(
    "--speed",
    type=click.Choice(X264_SPEEDS),
    metavar="X264_PRESET",
    help="x264 speed of every build, e.g. ultrafast for a quick try (the bundle is larger "
    "and looks worse; the same as build --speed).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 64),
    default=2,
    show_default=True,
    help="Steps of a build to run side by side.",
)
def app_command(
    kit_dir: Path | None, port: int, host: str, no_browser: bool, speed: str | None, jobs: int
) -> None:
    """Open the organiser's page: build, check and copy a bundle from the browser.

    Prints one line, `screenkit app: http://127.0.0.1:PORT/?token=TOKEN`, and opens it.
    The page speaks Italian, Ukrainian, Polish, German or English (as the browser asks,
    switchable on every page). Only this computer can reach it, and only with the token.
    Ctrl-C stops it; a running build is cancelled and leaves no half bundle.

    \b
      screenkit app
      screenkit app --kit ../my-film --port 8800 --no-browser
      screenkit app --speed ultrafast       quick tries: fast encodes, larger files
    """
    require_web_stack()
    from screenkit.app.server import serve
    from screenkit.kit import MANIFEST

    if kit_dir is None and (Path() / MANIFEST).is_file():
        kit_dir = Path()
    serve(
        host=host,
        port=port,
        kit_dir=kit_dir,
        speed=speed,
        jobs=jobs,
        open_browser=not no_browser,
    )


COMMANDS: list[click.Command] = [app_command]
