"""Progress bars as a terminal shows them (issue 10, item 7): a real pseudo-terminal around a
real ``screenkit encode`` of tiny media, reading back what it printed."""

from __future__ import annotations

import fcntl
import os
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")

_CMD = ("encode", "--preset", "usb-player-legacy")


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env["SCREENKIT_CACHE_DIR"] = str(tmp_path / "cache")
    return env


def _in_pty(args: list[str], tmp_path: Path, columns: int | None) -> tuple[int, str]:
    """Run screenkit with stdin/stdout/stderr on a fresh pty; ``columns=None``: size 0 x 0."""
    return _run_in_pty([sys.executable, "-m", "screenkit", *args], tmp_path, columns)


def _run_in_pty(argv: list[str], tmp_path: Path, columns: int | None) -> tuple[int, str]:
    master, slave = os.openpty()
    if columns is not None:
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    proc = subprocess.Popen(
        argv,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=_env(tmp_path),
        cwd=tmp_path,
        close_fds=True,
    )
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed its side
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    return proc.wait(timeout=120), out.decode("utf-8", "replace")


_ESCAPE = re.compile(r"\x1b\[(\d*)([A-Za-z])")


def _screen_lines(text: str) -> list[str]:
    """What the terminal shows at the end: ``\\r`` returns to column 0, ``\\n`` goes down a
    row, ``ESC[nA`` up n rows (tqdm's moves between bars), later text overwrites."""
    rows: list[list[str]] = [[]]
    row = col = 0
    pos = 0
    while pos < len(text):
        ch = text[pos]
        esc = _ESCAPE.match(text, pos)
        if esc:
            if esc.group(2) == "A":
                row = max(0, row - int(esc.group(1) or 1))
            pos = esc.end()
            continue
        pos += 1
        if ch == "\r":
            col = 0
        elif ch == "\n":
            row += 1
            col = 0
            while len(rows) <= row:
                rows.append([])
        else:
            line = rows[row]
            if col < len(line):
                line[col] = ch
            else:
                line.extend(" " * (col - len(line)))
                line.append(ch)
            col += 1
    shown = ["".join(r).rstrip() for r in rows]
    return [ln for ln in shown if ln]


def _frames(text: str) -> list[str]:
    plain = _ESCAPE.sub("", text)
    return [f for f in plain.replace("\r\n", "\n").replace("\n", "\r").split("\r") if "%|" in f]


@pytest.mark.parametrize(("columns", "width"), [(None, 80), (60, 60), (120, 120)])
def test_bars_fit_the_terminal_or_80_columns_when_it_reports_no_size(
    tiny_film: Path, tmp_path: Path, columns: int | None, width: int
) -> None:
    out = tmp_path / "out.mp4"
    code, printed = _in_pty([*_CMD, str(tiny_film), "-o", str(out)], tmp_path, columns)
    assert code == 0, printed
    frames = _frames(printed)
    assert frames, f"no progress bar drawn: {printed!r}"
    assert any("100%" in f for f in frames)
    longest = max(len(f) for f in frames)
    assert width - 10 <= longest <= width, frames
    # the bars are gone once they close: the last line the terminal shows is the result
    shown = _screen_lines(printed)
    assert shown[-1].startswith(f"wrote {out} (usb-player-legacy"), shown
    assert "%|" not in shown[-1]


def test_quiet_draws_no_bar_in_a_terminal(tiny_film: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.mp4"
    code, printed = _in_pty([*_CMD, str(tiny_film), "-o", str(out), "--quiet"], tmp_path, 80)
    assert code == 0, printed
    assert "\r" not in printed.replace("\r\n", "\n") and "%|" not in printed
    assert _screen_lines(printed)[-1].startswith(f"wrote {out} (")


def test_no_bar_when_piped(tiny_film: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.mp4"
    done = subprocess.run(
        [sys.executable, "-m", "screenkit", *_CMD, str(tiny_film), "-o", str(out)],
        capture_output=True,
        text=True,
        env=_env(tmp_path),
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "\r" not in done.stderr and "%|" not in done.stderr
    assert done.stderr.startswith(f"wrote {out} (")


_SNIPPET = """
from screenkit.cli.common import note, progress_bars
from screenkit.progress import Progress

with progress_bars() as progress:
    progress(Progress("film", 1.0, 10.0))
    progress(Progress("card", 2.0, 8.0))  # two steps side by side, as build --jobs 2 runs
    note("a note while bars are drawn")
    progress(Progress("film", 4.0, 10.0))
note("after the bars")
"""


def test_notes_and_side_by_side_bars_leave_whole_lines(tmp_path: Path) -> None:
    script = tmp_path / "bars.py"
    script.write_text(_SNIPPET)
    code, printed = _run_in_pty([sys.executable, str(script)], tmp_path, None)
    assert code == 0, printed
    frames = _frames(printed)
    assert any(f.startswith("film:") for f in frames) and any(f.startswith("card:") for f in frames)
    assert max(len(f) for f in frames) <= 80
    assert _screen_lines(printed) == ["a note while bars are drawn", "after the bars"]
