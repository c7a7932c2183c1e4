"""``screenkit encode``: the exact errors, the dry run, and a source that is never touched."""

from __future__ import annotations

import hashlib
import json
import shlex
import subprocess
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from encode_helpers import cli, decode_errors

from screenkit.encode import check_compliance, measure_loudness
from screenkit.encode.loudness import key_for, store_path
from screenkit.errors import FFmpegNotFound
from screenkit.media.binaries import FFmpeg
from screenkit.media.probe import probe
from screenkit.presets import load_preset

MakeSource = Callable[..., Path]


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCREENKIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)  # not inside a kit


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_audio_only_source(make_media: MakeSource, tmp_path: Path) -> None:
    source = make_media("sound.m4a", no_video=True, duration=1.0)
    code, out, err = cli("encode", str(source), "-p", "web", "-o", str(tmp_path / "o.mp4"))
    assert code == 1 and out == ""
    assert err.splitlines()[0] == f"Error: {source} holds only sound, no picture to screen"


def test_text_file_and_empty_file(tmp_path: Path) -> None:
    text = tmp_path / "notes.mp4"
    text.write_text("this is not a film\n")
    code, _, err = cli("encode", str(text), "-p", "web", "-o", str(tmp_path / "o.mp4"))
    assert code == 1
    assert err.startswith(f"Error: {text} is not a media file ffmpeg can read")
    empty = tmp_path / "empty.mkv"
    empty.touch()
    code, _, err = cli("encode", str(empty), "-p", "web", "-o", str(tmp_path / "o.mp4"))
    assert code == 1 and err.splitlines()[0] == f"Error: {empty} is empty"
    assert not (tmp_path / "o.mp4").exists()


def test_never_writes_onto_the_source(stand_in: Path, tmp_path: Path) -> None:
    source = tmp_path / "film.mp4"
    source.write_bytes(stand_in.read_bytes())
    before = digest(source)
    link = tmp_path / "same.mp4"
    link.symlink_to(source)
    for target in (source, link, tmp_path / "." / "film.mp4"):
        code, _, err = cli("encode", str(source), "-p", "web", "-o", str(target))
        assert code == 1
        assert err.splitlines()[0] == (
            f"Error: {target} is the source: screenkit never overwrites a source"
        )
    assert digest(source) == before


def test_output_must_have_the_presets_container(stand_in: Path, tmp_path: Path) -> None:
    code, _, err = cli("encode", str(stand_in), "-p", "laptop", "-o", str(tmp_path / "o.mp4"))
    assert code == 1
    assert err.splitlines()[0] == (
        "Error: o.mp4: preset laptop makes MKV files, name the output .mkv"
    )
    assert "Hint: -o o.mkv" in err


def test_unknown_track_language(stand_in: Path, tmp_path: Path) -> None:
    track = tmp_path / "subs.srt"
    track.write_text("1\n00:00:01,000 --> 00:00:02,000\nhi\n")
    code, _, err = cli(
        "encode", str(stand_in), "-p", "web", "-o", str(tmp_path / "o.mp4"), "--soft", str(track)
    )
    assert code == 1
    assert err.splitlines()[0] == (
        f"Error: cannot tell the language of {track}: name it like uk.srt, or write LANG={track}"
    )


def test_dry_run_prints_the_exact_commands_and_runs_nothing(
    stand_in: Path, tmp_path: Path, ffmpeg: FFmpeg
) -> None:
    out = tmp_path / "film.mp4"
    args = ("encode", str(stand_in), "-p", "web", "-o", str(out), "--x264-preset", "ultrafast")
    code, printed, err = cli(*args, "--dry-run")
    assert code == 0 and not out.exists()
    lines = printed.splitlines()
    assert len(lines) == 2  # the loudness is not measured yet: its command comes first
    assert "loudnorm=I=-23:TP=-1:LRA=20:print_format=json" in lines[0]
    assert "measured_I=nan" in lines[1]  # the peak is unknown: loudnorm's second pass
    assert "come from the first command" in err

    code, _, _ = cli(*args, "--quiet")  # a real encode measures (and caches) the loudness
    assert code == 0 and out.is_file()
    code, printed, _ = cli(*args, "--dry-run")
    (command,) = printed.splitlines()
    assert shlex.split(command)[0] == str(ffmpeg.path)
    out.unlink()
    done = subprocess.run(shlex.split(command), capture_output=True, check=False)  # the bare run
    assert done.returncode == 0, done.stderr[-2000:]
    assert decode_errors(out) == ""
    assert check_compliance(probe(out), load_preset("web")) == []


def test_encode_json(make_media: MakeSource, tmp_path: Path) -> None:
    """An SD source already meets laptop (h264, 854x480, its minimum): copied."""
    source = make_media("sd.mkv", width=854, height=480, duration=1.0)
    out = tmp_path / "o.mkv"
    code, printed, _ = cli("encode", str(source), "-p", "laptop", "-o", str(out), "--json")

    doc = json.loads(printed)
    assert code == 0 and doc["copied_video"] is True and doc["out"] == str(out)
    assert doc["info"]["video"]["codec"] == "h264"


def test_loudness_is_measured_once_per_source(
    stand_in: Path, tmp_path: Path, ffmpeg: FFmpeg
) -> None:
    cache = tmp_path / "lcache"
    first = measure_loudness(stand_in, cache_dir=cache, ffmpeg=ffmpeg)
    assert first is not None and -40 < first.input_i < -10
    info = probe(stand_in)
    assert store_path(cache, key_for(info, 2, ffmpeg, None)).is_file()
    broken = replace(ffmpeg, path=tmp_path / "no-ffmpeg-here")  # a run would fail
    assert measure_loudness(info, cache_dir=cache, ffmpeg=broken) == first
    other_version = replace(broken, version="0.0-other")
    with pytest.raises(FFmpegNotFound):
        measure_loudness(info, cache_dir=cache, ffmpeg=other_version)
