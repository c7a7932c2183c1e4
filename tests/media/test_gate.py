"""Media inputs are sniffed by content before ffprobe, ffmpeg or PyAV open them.

A playlist, concat script, SDP description, ffmetadata file or plain text names other files
(or hosts) that a demuxer would open: it is refused whatever its extension, before any
process starts, and the file it names is never read.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import av
import pytest

import support
from screenkit.errors import ProbeError
from screenkit.media.binaries import FFmpeg
from screenkit.media.probe import probe
from screenkit.media.runner import input_arg, output_arg, run_ffmpeg, safe_input

SRT = support.REPO / "subtitles" / "en.srt"
OLD = 946_684_800  # 2000-01-01: an atime older than the mtime, which relatime updates on read


def _playlist(target: str) -> str:
    return f"#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:3,\n{target}\n#EXT-X-ENDLIST\n"


CRAFTED = {
    "hls": lambda t: _playlist(t),
    "concat": lambda t: f"ffconcat version 1.0\nfile '{t}'\n",
    "sdp": lambda t: (
        "v=0\no=- 0 0 IN IP4 127.0.0.1\ns=x\nc=IN IP4 127.0.0.1\nm=video 5004 RTP/AVP 96\n"
    ),
    "ffmetadata": lambda t: ";FFMETADATA1\ntitle=film\n",
    "text": lambda t: "just some notes about the film\n" * 20,
}


@pytest.fixture(scope="module")
def secret(tmp_path_factory: pytest.TempPathFactory, tiny_film: Path) -> Path:
    """A real MPEG-TS film outside the kit, the file a crafted playlist points at."""
    out = tmp_path_factory.mktemp("outside") / "secret.ts"
    run_ffmpeg([*safe_input(tiny_film), "-c", "copy", "-f", "mpegts", output_arg(out)])
    return out


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every process started and every file PyAV opened, as text, while the test runs."""
    seen: list[str] = []
    real_popen = subprocess.Popen.__init__
    real_open = av.open

    def popen(self: Any, args: Any, *a: Any, **k: Any) -> None:
        seen.append(" ".join(map(str, args)) if not isinstance(args, str) else args)
        real_popen(self, args, *a, **k)

    def av_open(file: Any, *a: Any, **k: Any) -> Any:
        seen.append(f"av.open {file}")
        return real_open(file, *a, **k)

    monkeypatch.setattr(subprocess.Popen, "__init__", popen)
    monkeypatch.setattr(av, "open", av_open)
    yield seen


def _unread(path: Path) -> None:
    os.utime(path, (OLD, path.stat().st_mtime))


def _atime_works(tmp: Path) -> bool:
    probe_file = tmp / "atime-probe.bin"
    probe_file.write_bytes(b"\0" * 64)
    _unread(probe_file)
    probe_file.read_bytes()
    return probe_file.stat().st_atime > OLD + 1


def _crafted_kit(tmp_path: Path, secret: Path, kind: str, name: str) -> Path:
    media = tmp_path / "kit" / "media"
    media.mkdir(parents=True)
    rel = os.path.relpath(secret, media)
    (media / name).write_text(CRAFTED[kind](rel))
    return media / name


@pytest.mark.parametrize("kind", sorted(CRAFTED))
@pytest.mark.parametrize("route", ["ffprobe", "pyav"])
def test_crafted_inputs_are_refused_before_any_reader(
    kind: str,
    route: str,
    tmp_path: Path,
    secret: Path,
    opened: list[str],
    system_ffmpeg: FFmpeg,
) -> None:
    """A playlist named film.mp4 (and its kin) fails before ffprobe or PyAV sees it."""
    crafted = _crafted_kit(tmp_path, secret, kind, "film.mp4")
    with pytest.raises(ProbeError) as err:
        probe(crafted, route=route, ffmpeg=system_ffmpeg)  # type: ignore[arg-type]
    assert err.value.path == crafted
    assert not [s for s in opened if str(crafted) in s], opened


def test_playlist_through_every_command_never_reads_the_secret(
    tmp_path: Path, secret: Path, opened: list[str]
) -> None:
    """probe, subs sync --film, encode and subs preview on ../../secret.ts: all refuse it."""
    if not _atime_works(tmp_path):
        pytest.skip("this file system does not update access times")
    playlist = _crafted_kit(tmp_path, secret, "hls", "x.m3u8")
    disguised = playlist.with_name("film.mp4")
    disguised.write_text(playlist.read_text())
    out = tmp_path / "out"
    out.mkdir()
    commands = [
        ("probe", str(playlist)),
        ("probe", str(disguised), "--route", "pyav"),
        ("subs", "sync", str(SRT), "--film", str(playlist), "-o", str(out / "synced.srt")),
        ("subs", "sync", str(SRT), "--film", str(disguised), "-o", str(out / "synced2.srt")),
        ("encode", str(disguised), "--preset", "usb-player", "-o", str(out / "film.mp4")),
        ("subs", "preview", str(SRT), "--film", str(disguised), "-o", str(out / "sheet.png")),
    ]
    for args in commands:
        _unread(secret)
        code, _, err = support.run_cli(*args)
        assert code == 1, (args, err)
        assert err.startswith("Error:") and "Traceback" not in err, err
        assert "playlist" in err, err
        assert secret.stat().st_atime < OLD + 1, f"{args} read the secret file"
    assert list(out.iterdir()) == []
    assert not [s for s in opened if "x.m3u8" in s or "film.mp4" in s], opened


def test_the_runner_refuses_a_playlist_input_before_ffmpeg_starts(
    tmp_path: Path, secret: Path, opened: list[str]
) -> None:
    """Whatever module builds the argv, run_ffmpeg sniffs each file input first."""
    playlist = _crafted_kit(tmp_path, secret, "hls", "clip.mkv")
    _unread(secret)
    with pytest.raises(ProbeError) as err:
        run_ffmpeg(["-i", input_arg(playlist), "-f", "null", "-"])
    assert err.value.path == playlist
    assert opened == []


def test_real_media_and_subtitle_inputs_pass_the_gate(tmp_path: Path, tiny_film: Path) -> None:
    """The gate refuses only what names other files: a film and an SRT input still run."""
    out = tmp_path / "with-subs.mkv"
    run_ffmpeg(
        [*safe_input(tiny_film), "-i", input_arg(SRT), "-map", "0", "-map", "1",
         "-c", "copy", "-c:s", "srt", "-t", "1", output_arg(out)]
    )  # fmt: skip
    assert probe(out).subtitles


def test_every_ffprobe_call_carries_the_protocol_whitelist(
    tiny_film: Path, opened: list[str], system_ffmpeg: FFmpeg
) -> None:
    probe(tiny_film, route="ffprobe", ffmpeg=system_ffmpeg)
    calls = [s for s in opened if "ffprobe" in s.split(" ")[0]]
    assert calls
    assert all("-protocol_whitelist file,pipe" in s for s in calls), calls
