"""The one ffmpeg runner: progress, failures with the log tail, interruption, atomic outputs."""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest

from screenkit.errors import FFmpegFailed
from screenkit.media.atomic import PART_MARK, atomic_output, write_text_atomic
from screenkit.media.runner import input_arg, output_arg, run_ffmpeg, safe_input, stream_ffmpeg
from screenkit.progress import Progress


def test_progress_events_rise_to_the_total(tmp_path: Path) -> None:
    events: list[Progress] = []
    out = tmp_path / "out.mkv"
    result = run_ffmpeg(
        ["-f", "lavfi", "-i", "testsrc2=size=160x90:rate=25:duration=2",
         "-c:v", "libx264", "-preset", "ultrafast", output_arg(out)],
        duration=2.0,
        progress=events.append,
        step="encode",
    )  # fmt: skip
    assert out.stat().st_size > 0
    assert events, "ffmpeg -progress produced no events"
    assert all(e.step == "encode" and e.total == 2.0 for e in events)
    dones = [e.done for e in events]
    assert dones == sorted(dones)
    assert dones[-1] == pytest.approx(2.0, abs=0.05)
    assert "-progress" in result.argv and result.elapsed > 0


def test_failure_carries_command_and_tail(tmp_path: Path) -> None:
    missing = tmp_path / "missing.mkv"
    with pytest.raises(FFmpegFailed) as info:
        run_ffmpeg([*safe_input(missing), "-f", "null", "-"], what="reading a missing file")
    err = info.value
    assert err.returncode != 0
    assert input_arg(missing) in err.argv
    assert "No such file" in err.stderr_tail
    assert err.message.startswith("ffmpeg failed while reading a missing file:")


def test_file_prefix_makes_odd_names_literal(tmp_path: Path) -> None:
    odd = tmp_path / "-a: film [1] 'x'.mkv"
    run_ffmpeg(
        ["-f", "lavfi", "-i", "testsrc2=size=160x90:duration=0.2",
         "-c:v", "libx264", "-preset", "ultrafast", output_arg(odd)]
    )  # fmt: skip
    assert odd.exists()
    run_ffmpeg([*safe_input(odd), "-f", "null", "-"])


def test_callback_exception_stops_ffmpeg_and_atomic_output_cleans_up(tmp_path: Path) -> None:
    final = tmp_path / "long.mkv"

    def explode(event: Progress) -> None:
        if event.done > 0.2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt), atomic_output(final) as part:
        run_ffmpeg(
            ["-re", "-f", "lavfi", "-i", "testsrc2=size=160x90:rate=25:duration=30",
             "-c:v", "libx264", "-preset", "ultrafast", output_arg(part)],
            duration=30.0,
            progress=explode,
        )  # fmt: skip
    assert not final.exists()
    assert list(tmp_path.iterdir()) == [], "a partial output was left behind"


def test_stream_ffmpeg_yields_raw_pcm() -> None:
    chunks = stream_ffmpeg(
        ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=16000:duration=1",
         "-ac", "1", "-f", "s16le", "pipe:1"],
        chunk_size=4096,
    )  # fmt: skip
    total = sum(len(c) for c in chunks)
    assert total == 16000 * 2


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[subprocess.Popen[Any]]:
    """Every ffmpeg process the runner starts (the real ones), to see whether it still runs."""
    from screenkit.media import runner

    seen: list[subprocess.Popen[Any]] = []
    real = runner._start

    def spy(argv: list[str], ffmpeg: Any, **kwargs: Any) -> subprocess.Popen[Any]:
        seen.append(real(argv, ffmpeg, **kwargs))
        return seen[-1]

    monkeypatch.setattr(runner, "_start", spy)
    return seen


def test_stream_ffmpeg_closed_early_stops_the_process(started: list[subprocess.Popen[Any]]) -> None:
    gen = stream_ffmpeg(
        ["-f", "lavfi", "-i", "sine=sample_rate=16000:duration=600", "-f", "s16le", "pipe:1"],
        chunk_size=1024,
    )
    first = next(gen)
    assert first
    (proc,) = started
    assert proc.poll() is None  # still producing its 600 s
    gen.close()
    assert proc.poll() is not None  # stopped by the close, not left writing into the pipe


def test_stream_ffmpeg_failure(tmp_path: Path) -> None:
    with pytest.raises(FFmpegFailed):
        list(stream_ffmpeg([*safe_input(tmp_path / "none.wav"), "-f", "s16le", "pipe:1"]))


def test_atomic_output_publishes_whole_files_only(tmp_path: Path) -> None:
    final = tmp_path / "a" / "report.txt"
    with pytest.raises(RuntimeError), atomic_output(final) as part:
        part.write_text("half")
        assert PART_MARK in part.name and part.name.startswith(".")
        raise RuntimeError("crash")
    assert not final.exists()
    assert list(final.parent.iterdir()) == []
    write_text_atomic(final, "whole")
    assert final.read_text() == "whole"


def test_sigterm_during_run_stops_ffmpeg(
    tmp_path: Path, started: list[subprocess.Popen[Any]]
) -> None:
    """The CLI turns SIGTERM into `Interrupted`; here a timer raises it in the callback."""
    from screenkit.errors import Interrupted

    stop = threading.Event()
    threading.Timer(0.5, stop.set).start()

    def check(_: Progress) -> None:
        if stop.is_set():
            raise Interrupted(15)

    with pytest.raises(Interrupted):
        run_ffmpeg(
            ["-re", "-f", "lavfi", "-i", "testsrc2=size=160x90:duration=60", "-f", "null", "-"],
            progress=check,
        )
    (proc,) = started  # read in real time, it had a minute to go: stopped, not finished
    assert proc.poll() is not None and proc.returncode != 0


def test_a_vanished_binary_is_an_ffmpeg_error(tmp_path: Path) -> None:
    from dataclasses import replace

    from screenkit.errors import FFmpegNotFound
    from screenkit.media.binaries import find_ffmpeg

    gone = replace(find_ffmpeg(), path=tmp_path / "deleted-ffmpeg")
    with pytest.raises(FFmpegNotFound) as info:
        run_ffmpeg(["-version"], ffmpeg=gone)
    assert info.value.path == gone.path
    with pytest.raises(FFmpegNotFound):
        list(stream_ffmpeg(["-version"], ffmpeg=gone))
