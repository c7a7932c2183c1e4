"""What every command shares: the error path, output helpers, progress bars, options."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

import click

from screenkit.languages import LanguageTagError, parse_tag
from screenkit.progress import Progress, ProgressCallback

F = TypeVar("F", bound=Callable[..., Any])
_BAR_FORMAT = (
    "{desc}: {percentage:3.0f}%|{bar}| {n:.1f}/{total_fmt}{unit} [{elapsed}<{remaining}{postfix}]"
)


if TYPE_CHECKING:
    _TextParam = click.ParamType[str]  # generic from click 8.2 on; plain before
else:
    _TextParam = click.ParamType


class LanguageTag(_TextParam):
    """A BCP-47 tag, any valid one, passed on in its canonical spelling (``PT_br`` → ``pt-BR``).

    An invalid tag is a usage error (exit 2) naming the option.
    """

    name = "TAG"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        try:
            return parse_tag(str(value))
        except LanguageTagError as exc:
            self.fail(exc.message, param, ctx)


LANGUAGE_TAG = LanguageTag()


def lang_option(
    help: str,
    *names: str,
    required: bool = False,
    multiple: bool = False,
    metavar: str = "TAG",
) -> Callable[[F], F]:
    """``--lang TAG`` (or ``names``, e.g. ``"--burn"``) taking a BCP-47 tag."""
    decls = names or ("--lang",)
    return click.option(
        *decls, type=LANGUAGE_TAG, required=required, multiple=multiple, metavar=metavar, help=help
    )


def kit_option(
    help: str = "The kit folder (holding screenkit.toml).",
    *,
    default: str | None = ".",
) -> Callable[[F], F]:
    """``--kit DIR`` as ``kit_dir``; ``default=None`` lets the command find the kit itself."""
    return click.option(
        "--kit",
        "kit_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=default,
        show_default=default is not None,
        metavar="DIR",
        help=help,
    )


def json_option(func: F) -> F:
    """``--json``: one JSON document on stdout and nothing else there."""
    return click.option(
        "--json", "as_json", is_flag=True, help="Print one JSON document on stdout."
    )(func)


def quiet_option(func: F) -> F:
    """``--quiet``/``-q``: no progress bars (they are off anyway when stderr is not a terminal)."""
    return click.option("--quiet", "-q", is_flag=True, help="No progress bars.")(func)


def emit_json(document: Any) -> None:
    click.echo(json.dumps(document, indent=2, ensure_ascii=False, default=str))


_LIVE_BARS: list[dict[str, Any]] = []
"""The bars of the `progress_bars` blocks now open (a note must not land on a bar's line)."""
_BARS_LOCK = threading.Lock()
FALLBACK_COLUMNS = 80


def note(message: str) -> None:
    """A line for the human, on stderr (stdout stays clean for --json and pipes).

    While bars are drawn, the line is written above them (tqdm clears and redraws them), so
    it never lands at the end of a half-drawn bar.
    """
    with _BARS_LOCK:
        drawn = any(_LIVE_BARS)
    if drawn:
        from tqdm import tqdm

        tqdm.write(message, file=sys.stderr)
    else:
        click.echo(message, err=True)


def bars_wanted(quiet: bool) -> bool:
    return not quiet and sys.stderr.isatty()


def terminal_columns(stream: IO[str]) -> int:
    """The width of the terminal ``stream`` shows on; a pseudo-terminal that reports no size
    (0 x 0: a CI runner's, ``script``, some IDE consoles) is taken as $COLUMNS, else 80."""
    try:
        columns = os.get_terminal_size(stream.fileno()).columns
    except (OSError, ValueError, AttributeError):
        columns = 0
    if columns <= 0:
        env = os.environ.get("COLUMNS", "")
        columns = int(env) if env.isdigit() and int(env) > 0 else FALLBACK_COLUMNS
    return columns


@contextlib.contextmanager
def progress_bars(quiet: bool = False) -> Iterator[ProgressCallback]:
    """A `ProgressCallback` drawing one tqdm bar per step on stderr (none when quiet or piped).

    The bars are as wide as the terminal (re-read at each update, so a resize is followed),
    are cleared when the block ends, and may be fed from several threads.
    """
    enabled = bars_wanted(quiet)
    if enabled:
        from tqdm import tqdm  # only a terminal pays for importing it
    bars: dict[str, Any] = {}

    def update(event: Progress) -> None:
        if not enabled:
            return
        with _BARS_LOCK:
            columns = terminal_columns(sys.stderr)
            bar = bars.get(event.step)
            if bar is None:
                total = round(event.total, 1) if event.total else None
                bar = tqdm(
                    total=total,
                    desc=event.step,
                    unit=event.unit,
                    file=sys.stderr,
                    leave=False,
                    ncols=columns,
                    nrows=24,
                    bar_format=_BAR_FORMAT,
                )
                bars[event.step] = bar
            bar.ncols = columns
            bar.n = round(min(event.done, event.total or event.done), 1)
            if event.speed:
                bar.set_postfix_str(f"{event.speed:.2f}x", refresh=False)
            bar.refresh()
            if event.total and event.done >= event.total:
                # a finished step gives its row back (a later bar would sit under a stale one)
                bar.close()
                del bars[event.step]

    with _BARS_LOCK:
        _LIVE_BARS.append(bars)
    try:
        yield update
    finally:
        with _BARS_LOCK:
            _LIVE_BARS.remove(bars)
            if bars:
                # lowest row first: tqdm clears a lower bar's row and moves back up without
                # returning to column 0, so the next line would start at the far right
                for bar in sorted(bars.values(), key=lambda b: -abs(b.pos)):
                    bar.close()
                bars.clear()
                sys.stderr.write("\r")
                sys.stderr.flush()
