"""The programs a DVD build runs besides ffmpeg, found on PATH like ffmpeg, and one runner.

``dvdauthor`` and ``spumux`` (Debian: dvdauthor) author VIDEO_TS; ``xorriso`` writes the ISO;
``lsdvd`` reads the IFO structure back for verify. A DVD build checks for all four before
anything is encoded (`require_dvd_tools`), so a missing one costs seconds, not an encode.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from screenkit.dvd.errors import DvdToolFailed, DvdToolsMissing

TOOLS = ("dvdauthor", "spumux", "xorriso", "lsdvd")
_TAIL = 2000


@dataclass(frozen=True)
class DvdTools:
    dvdauthor: Path
    spumux: Path
    xorriso: Path
    lsdvd: Path


def find_tool(name: str) -> Path | None:
    found = shutil.which(name)
    return Path(found) if found else None


def missing_tools() -> list[str]:
    return [name for name in TOOLS if find_tool(name) is None]


def require_dvd_tools() -> DvdTools:
    """The four tools, or `DvdToolsMissing` naming the absent ones and the install line."""
    missing = missing_tools()
    if missing:
        raise DvdToolsMissing(missing)
    found = {name: find_tool(name) for name in TOOLS}
    return DvdTools(**{k: v for k, v in found.items() if v is not None})


def run_tool(
    argv: Sequence[str | Path],
    *,
    what: str,
    cwd: Path | None = None,
    stdin: Path | None = None,
    stdout: Path | None = None,
    env: dict[str, str] | None = None,
) -> str:
    """Run one DVD tool to completion: its stdout text, or its messages when ``stdout`` is
    a file it writes into.

    A non-zero exit is a `DvdToolFailed` with the tail of the tool's messages; Ctrl-C stops
    the tool (``subprocess.run`` kills it) and propagates.
    """
    words = [str(a) for a in argv]
    with contextlib.ExitStack() as stack:
        fin = stack.enter_context(stdin.open("rb")) if stdin is not None else subprocess.DEVNULL
        fout = stack.enter_context(stdout.open("wb")) if stdout is not None else subprocess.PIPE
        done = subprocess.run(
            words, cwd=cwd, stdin=fin, stdout=fout, stderr=subprocess.PIPE, env=env, check=False
        )
    err = done.stderr.decode("utf-8", "replace")
    if done.returncode != 0:
        last = err.strip().splitlines()[-1] if err.strip() else "no message"
        raise DvdToolFailed(
            f"{Path(words[0]).name} failed while {what} (exit {done.returncode}): {last}",
            argv=words,
            stderr_tail=err[-_TAIL:],
        )
    if stdout is not None:
        return err
    return bytes(done.stdout or b"").decode("utf-8", "replace")
