"""The programs a DVD build runs besides ffmpeg, found on PATH like ffmpeg, and one runner.

``dvdauthor`` and ``spumux`` (Debian: dvdauthor) author VIDEO_TS; ``xorriso`` writes the ISO;
``lsdvd`` reads the IFO structure back for verify. A DVD build checks for all four before
anything is encoded (`require_dvd_tools`), so a missing one costs seconds, not an encode.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from screenkit.dvd.errors import DvdToolFailed, DvdToolsMissing
from screenkit.progress import Progress, ProgressCallback

TOOLS = ("dvdauthor", "spumux", "xorriso", "lsdvd")
_TAIL = 2000
_CHUNK = 1 << 20


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


@dataclass(frozen=True)
class Stage:
    """One program of a pipeline: its argv and the folder it runs in."""

    argv: tuple[str, ...]
    cwd: Path
    what: str


def run_pipeline(
    stages: Sequence[Stage],
    *,
    stdin: Path,
    stdout: Path,
    progress: ProgressCallback | None = None,
    step: str = "",
) -> None:
    """``stdin`` through every stage in turn into ``stdout``, as a shell pipe would: the data
    is read once and written once, however many stages (spumux adds one subpicture stream
    per pass over a film of gigabytes). Each stage's messages go to a file of its own (no
    pipe to fill up and block it). A stage that fails is a `DvdToolFailed` naming it; on any
    error or Ctrl-C every stage still running is killed. With ``progress``, ``stdin`` is fed
    by a thread of ours and the bytes so far are reported (the tools say nothing on the way).
    """
    procs: list[subprocess.Popen[bytes]] = []
    logs: list[IO[bytes]] = []
    with contextlib.ExitStack() as stack:
        fin = stack.enter_context(stdin.open("rb"))
        fout = stack.enter_context(stdout.open("wb"))
        pump: threading.Thread | None = None
        try:
            source: IO[bytes] | int | None = fin if progress is None else subprocess.PIPE
            for n, stage in enumerate(stages):
                log = stack.enter_context((stage.cwd / f".stage{n}.log").open("w+b"))
                logs.append(log)
                last = n == len(stages) - 1
                proc = subprocess.Popen(
                    list(stage.argv),
                    cwd=stage.cwd,
                    stdin=source,
                    stdout=fout if last else subprocess.PIPE,
                    stderr=log,
                )
                if procs and procs[-1].stdout is not None:
                    procs[-1].stdout.close()  # the next stage holds it now
                procs.append(proc)
                source = proc.stdout
            if progress is not None and procs[0].stdin is not None:
                total = stdin.stat().st_size
                pump = threading.Thread(
                    target=_feed, args=(fin, procs[0].stdin, total, progress, step), daemon=True
                )
                pump.start()
            codes = [proc.wait() for proc in procs]
            if pump is not None:
                pump.join()
        except BaseException:
            for proc in procs:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
            raise
        for stage, code, messages in zip(stages, codes, logs, strict=True):
            if code != 0:
                messages.seek(0)
                err = messages.read().decode("utf-8", "replace")
                raise _failed(list(stage.argv), stage.what, code, err)


def _feed(
    source: IO[bytes], sink: IO[bytes], total: int, progress: ProgressCallback, step: str
) -> None:
    """Copy ``source`` into the first stage, reporting the bytes; a stage that stopped
    reading (it failed, or was killed) ends the copy: its exit code tells the story."""
    done = 0
    try:
        while chunk := source.read(_CHUNK):
            sink.write(chunk)
            done += len(chunk)
            progress(Progress(step, done, total, unit="B"))
    except (BrokenPipeError, OSError, ValueError):
        return
    finally:
        with contextlib.suppress(OSError):
            sink.close()


def _failed(argv: list[str], what: str, code: int, err: str) -> DvdToolFailed:
    """The error of a tool that exited with ``code``: its last message line, and the tail."""
    last = err.strip().splitlines()[-1] if err.strip() else "no message"
    return DvdToolFailed(
        f"{Path(argv[0]).name} failed while {what} (exit {code}): {last}",
        argv=argv,
        stderr_tail=err[-_TAIL:],
    )


def run_tool(
    argv: Sequence[str | Path],
    *,
    what: str,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> str:
    """Run one DVD tool to completion: its stdout text (a tool reading or writing a stream
    runs in `run_pipeline`).

    A non-zero exit is a `DvdToolFailed` with the tail of the tool's messages; Ctrl-C stops
    the tool (``subprocess.run`` kills it) and propagates.
    """
    words = [str(a) for a in argv]
    done = subprocess.run(
        words, cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True, env=env, check=False
    )
    err = done.stderr.decode("utf-8", "replace")
    if done.returncode != 0:
        raise _failed(words, what, done.returncode, err)
    return bytes(done.stdout or b"").decode("utf-8", "replace")
