"""The ``screenkit`` command: a thin layer over the library.

Each command parses its options, calls one library function and renders the result. This
module is the one place that turns errors into messages and exit codes: a `ScreenkitError`
is ``Error: …`` and exit 1, so is an `OSError` (naming its path), a usage error exit 2,
Ctrl-C or SIGTERM exit 130, a closed pipe a quiet exit.
"""

from __future__ import annotations

import importlib
import os
import signal
import sys
from types import FrameType

import click

from screenkit import __version__
from screenkit.errors import FFmpegFailed, Interrupted, ScreenkitError, path_error
from screenkit.media.binaries import set_override

# command name -> module under screenkit.cli that defines it (in its COMMANDS list).
# Modules are imported only when their command runs, so `screenkit probe` does not pay
# for numpy, PyAV or pysubs2 at start-up.
_COMMANDS = {
    "doctor": "info",
    "probe": "info",
    "sample": "kitcmds",
    "init": "kitcmds",
    "subs": "subs",
    "presets": "presets",
    "encode": "encode",
    "slide": "slide",
    "poster": "poster",
    "build": "build",
    "verify": "build",
    "cache": "build",
    "publish": "handover",
    "fetch": "handover",
    "copy": "stick",
    "app": "app",
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in _COMMANDS if self.get_command(ctx, name) is not None]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module_name = _COMMANDS.get(cmd_name)
        if module_name is None:
            return None
        module = importlib.import_module(f"screenkit.cli.{module_name}")
        for command in module.COMMANDS:
            if command.name == cmd_name:
                return command  # type: ignore[no-any-return]
        return None


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "--version", prog_name="screenkit")
@click.option(
    "--ffmpeg",
    "ffmpeg_path",
    metavar="PATH",
    envvar="SCREENKIT_FFMPEG",
    help="The ffmpeg to run (default: $SCREENKIT_FFMPEG, then PATH, then the bundled one).",
)
def cli(ffmpeg_path: str | None) -> None:
    """Package a documentary and its subtitles into ready-to-play screening bundles.

    \b
    Start here:
      screenkit app                 the organiser's page: build, check, copy
      screenkit doctor              is this machine ready?
      screenkit sample              write the stand-in film for the sample kit
      screenkit build demo          build the demo bundle
      screenkit subs check uk.srt   check a subtitle track
    """
    # the env var is resolved by find_ffmpeg itself (so doctor can say "env")
    if ffmpeg_path and ffmpeg_path != os.environ.get("SCREENKIT_FFMPEG"):
        set_override(ffmpeg_path)


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise Interrupted(signum)


def _report(exc: ScreenkitError) -> None:
    click.secho(f"Error: {exc.message}", err=True, fg="red")
    if isinstance(exc, FFmpegFailed) and exc.stderr_tail:
        tail = exc.stderr_tail.splitlines()[-8:]
        click.echo("ffmpeg said:\n" + "\n".join(f"  {ln}" for ln in tail), err=True)
    if exc.hint:
        click.echo(f"Hint: {exc.hint}", err=True)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the command, map every outcome to an exit status."""
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        code = cli.main(args=argv, prog_name="screenkit", standalone_mode=False)
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except click.ClickException as exc:
        exc.show()
        code = exc.exit_code
    except click.exceptions.Abort:
        click.echo("Interrupted.", err=True)
        code = 130
    except ScreenkitError as exc:
        _report(exc)
        code = 1
    except (KeyboardInterrupt, Interrupted):
        click.echo("Interrupted.", err=True)
        code = 130
    except BrokenPipeError:
        # the reader went away (| head): say nothing, like any Unix tool
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = 1
    except OSError as exc:
        # a path the library did not wrap (an output folder that cannot be made, a name too
        # long for the disk): the path and the reason, never a traceback
        _report(path_error(exc))
        code = 1
    sys.exit(code if isinstance(code, int) else 0)
