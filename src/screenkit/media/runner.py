"""The one place screenkit runs ffmpeg.

Every call goes through `run_ffmpeg` (or `stream_ffmpeg` for raw output on a pipe):
the binary and safe global options are prepended, ``-progress`` is parsed into the
caller's callback, the tail of the log is kept, a non-zero exit becomes `FFmpegFailed`
naming the command, and an interruption (Ctrl-C, SIGTERM, any exception in the
callback) stops ffmpeg before it propagates. ffmpeg runs in its own session so that a
terminal's Ctrl-C reaches only us, and we decide how it stops.
"""

from __future__ import annotations

import collections
import contextlib
import io
import os
import shlex
import subprocess
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from screenkit.errors import FFmpegFailed, FFmpegNotFound
from screenkit.media.binaries import FFmpeg, find_ffmpeg
from screenkit.media.gate import check_ffmpeg_inputs
from screenkit.progress import Progress, ProgressCallback

TAIL_LINES = 400
GLOBAL_ARGS = ("-hide_banner", "-nostdin", "-y")


@dataclass(frozen=True)
class RunResult:
    """What a finished ffmpeg run left: the command, its log tail and how long it took."""

    argv: tuple[str, ...]
    log: str
    elapsed: float

    @property
    def command(self) -> str:
        return shlex.join(self.argv)


def input_arg(path: Path | str) -> str:
    """An input/output path as ffmpeg must see it.

    A bare ``a:b.mkv`` would be read as protocol ``a``; ``-x.mkv`` as an option. The
    ``file:`` prefix with an absolute path makes any file name literal.
    """
    return "file:" + os.fspath(Path(path).absolute())


def safe_input(path: Path | str) -> list[str]:
    """``-i`` for an untrusted file: only file and pipe protocols may be opened from it."""
    return ["-protocol_whitelist", "file,pipe", "-i", input_arg(path)]


def full_argv(args: Sequence[str], ffmpeg: FFmpeg, *, loglevel: str, progress: bool) -> list[str]:
    argv = [os.fspath(ffmpeg.path), *GLOBAL_ARGS, "-loglevel", loglevel]
    if progress:
        argv += ["-nostats", "-progress", "pipe:1"]
    return argv + list(args)


def _start(argv: list[str], ffmpeg: FFmpeg, **kwargs: Any) -> subprocess.Popen[Any]:
    """Start ffmpeg; a binary that vanished or cannot run is a `FFmpegNotFound`, not an OSError."""
    try:
        return subprocess.Popen(argv, **kwargs)
    except OSError as exc:
        raise FFmpegNotFound(
            f"cannot run ffmpeg at {ffmpeg.path}: {exc.strerror or exc}",
            path=ffmpeg.path,
            hint="run screenkit doctor to see which ffmpeg is in use",
        ) from exc


@contextlib.contextmanager
def _running(
    argv: list[str], ffmpeg: FFmpeg, *, text: bool
) -> Iterator[tuple[subprocess.Popen[Any], collections.deque[str]]]:
    """ffmpeg started in its own session, its log drained into a tail by a thread.

    Any exception inside the block (an interruption, a failing progress callback, a
    generator closed early) stops ffmpeg before it propagates; the pipes are closed after.
    """
    tail: collections.deque[str] = collections.deque(maxlen=TAIL_LINES)
    decode: dict[str, Any] = {"text": True, "errors": "replace"} if text else {}
    proc = _start(
        argv,
        ffmpeg,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        **decode,
    )
    assert proc.stdout is not None and proc.stderr is not None
    log = proc.stderr if text else io.TextIOWrapper(proc.stderr, errors="replace")
    reader = threading.Thread(target=_drain, args=(log, tail), daemon=True)
    reader.start()
    try:
        yield proc, tail
    except BaseException:
        _stop(proc)
        raise
    finally:
        reader.join(timeout=5)
        proc.stdout.close()
        proc.stderr.close()


def _drain(stream: IO[str], tail: collections.deque[str]) -> None:
    for line in stream:
        tail.append(line.rstrip("\n"))


def _stop(proc: subprocess.Popen[str] | subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _failure(argv: Sequence[str], code: int, tail: Sequence[str], what: str | None) -> FFmpegFailed:
    lines = [ln for ln in tail if ln.strip()]
    last = lines[-1].strip() if lines else f"exit status {code}"
    label = f" while {what}" if what else ""
    return FFmpegFailed(
        f"ffmpeg failed{label}: {last}",
        argv=argv,
        returncode=code,
        stderr_tail="\n".join(lines[-40:]),
    )


def run_ffmpeg(
    args: Sequence[str],
    *,
    ffmpeg: FFmpeg | None = None,
    duration: float | None = None,
    progress: ProgressCallback | None = None,
    step: str = "ffmpeg",
    what: str | None = None,
    loglevel: str = "warning",
) -> RunResult:
    """Run ffmpeg with ``args`` (everything after the global options) and wait for it.

    ``duration`` is the expected output length in seconds, the total of the progress events.
    Raises `FFmpegFailed` on a non-zero exit; re-raises any interruption after stopping ffmpeg.
    """
    ffmpeg = ffmpeg or find_ffmpeg()
    argv = full_argv(args, ffmpeg, loglevel=loglevel, progress=True)
    check_ffmpeg_inputs(argv)
    started = time.monotonic()
    with _running(argv, ffmpeg, text=True) as (proc, tail):
        assert proc.stdout is not None
        _follow_progress(proc.stdout, progress, step, duration, started)
        code = proc.wait()
    if code != 0:
        raise _failure(argv, code, tail, what)
    return RunResult(argv=tuple(argv), log="\n".join(tail), elapsed=time.monotonic() - started)


def _follow_progress(
    stdout: IO[str],
    progress: ProgressCallback | None,
    step: str,
    duration: float | None,
    started: float,
) -> None:
    done = 0.0
    speed: float | None = None
    for line in stdout:
        key, _, value = line.strip().partition("=")
        if key == "out_time_us" and value.lstrip("-").isdigit():
            done = max(0.0, int(value) / 1_000_000)
        elif key == "speed" and value.endswith("x"):
            try:
                speed = float(value[:-1])
            except ValueError:
                speed = None
        elif key == "progress" and progress is not None:
            if value == "end" and duration:
                done = max(done, duration)
            progress(Progress(step=step, done=done, total=duration, speed=speed))


def stream_ffmpeg(
    args: Sequence[str],
    *,
    ffmpeg: FFmpeg | None = None,
    chunk_size: int = 1 << 16,
    what: str | None = None,
) -> Iterator[bytes]:
    """Run ffmpeg writing raw output to ``pipe:1`` and yield it in chunks.

    Memory stays flat whatever the input's length. Closing the generator early stops
    ffmpeg; a non-zero exit after the last chunk raises `FFmpegFailed`.
    """
    ffmpeg = ffmpeg or find_ffmpeg()
    argv = full_argv(args, ffmpeg, loglevel="error", progress=False)
    check_ffmpeg_inputs(argv)
    with _running(argv, ffmpeg, text=False) as (proc, tail):
        assert proc.stdout is not None
        while chunk := proc.stdout.read(chunk_size):
            yield chunk
        code = proc.wait()
    if code != 0:
        raise _failure(argv, code, tail, what)


output_arg = input_arg
