"""The command line's contract: version, doctor, probe, sample, init, errors and exit codes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import click
import pytest

from screenkit import __version__
from screenkit.cli import cli
from support import run_cli as run

REPO = Path(__file__).resolve().parent.parent


def test_version() -> None:
    code, out, _ = run("--version")
    assert code == 0 and __version__ in out


def test_doctor_json_is_one_document() -> None:
    code, out, _ = run("doctor", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["ok"] is True
    assert set(doc["ffmpeg"]) == {"path", "version", "source"}
    assert doc["ffmpeg"]["source"] in {"env", "option", "system", "bundled"}
    assert Path(doc["ffmpeg"]["path"]).is_file()
    names = {c["name"] for c in doc["checks"]}
    assert {"ffmpeg", "probe", "libass", "libfreetype", "libx264", "font"} <= names


def test_doctor_reports_a_missing_ffmpeg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SCREENKIT_FFMPEG", str(tmp_path / "gone"))
    code, out, _ = run("doctor", "--json")
    doc = json.loads(out)
    assert code == 1 and doc["ok"] is False and doc["ffmpeg"]["path"] is None
    assert doc["checks"][0]["fix"]


def test_probe_json(tiny_film: Path) -> None:
    code, out, _ = run("probe", str(tiny_film), "--json")
    doc = json.loads(out)
    assert code == 0
    assert doc["video"]["width"] == 320 and doc["video"]["frame_rate"] == "25/1"
    assert doc["audio"][0]["channels"] == 2


def test_probe_human(tiny_film: Path) -> None:
    code, out, _ = run("probe", str(tiny_film))
    assert code == 0 and "320x180" in out and "stereo" in out


@pytest.mark.parametrize("kind", ["missing", "folder", "text", "truncated", "empty"])
def test_probe_bad_input_is_one_error_line(kind: str, tmp_path: Path, tiny_film: Path) -> None:
    path = {
        "missing": tmp_path / "nope.mkv",
        "folder": tmp_path,
        "text": tmp_path / "notes.txt",
        "truncated": tmp_path / "cut.mkv",
        "empty": tmp_path / "empty.mp4",
    }[kind]
    if kind == "text":
        path.write_text("hello\n" * 100)
    elif kind == "truncated":
        path.write_bytes(tiny_film.read_bytes()[:20000])
    elif kind == "empty":
        path.write_bytes(b"")
    code, out, err = run("probe", str(path))
    assert code == 1
    assert out == ""
    assert err.startswith("Error: ") and str(path) in err
    assert "Traceback" not in err


def test_usage_error_exits_2() -> None:
    code, _, err = run("probe")
    assert code == 2 and "Missing argument" in err
    code, _, err = run("no-such-command")
    assert code == 2


def _all_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    ctx = click.Context(group)
    found = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found += _all_commands(command, (*prefix, name))
    return found


def test_every_command_has_help() -> None:
    commands = _all_commands(cli)
    assert ("doctor",) in commands and ("probe",) in commands
    assert ("publish",) in commands and ("fetch",) in commands
    for path in commands:
        code, out, _ = run(*path, "--help")
        assert code == 0, path
        assert "Usage:" in out
        # a help text that teaches: more than the bare usage line
        assert len(out.splitlines()) > 4, path


def test_init_scaffolds_a_loadable_kit(tmp_path: Path) -> None:
    from screenkit.kit import load_kit

    folder = tmp_path / "my kit"
    code, _, err = run("init", str(folder), "--lang", "fi", "--lang", "sv", "--title", 'The "Film"')
    assert code == 0, err
    kit = load_kit(folder)
    assert kit.languages == ("fi", "sv") and kit.title == 'The "Film"'
    assert (folder / "appeal" / "fi.txt").is_file()
    before = (folder / "screenkit.toml").read_bytes()
    code, _, err = run("init", str(folder))
    assert code == 1 and "exists already" in err
    assert (folder / "screenkit.toml").read_bytes() == before


def test_init_refuses_bad_language(tmp_path: Path) -> None:
    # a bad option value is a usage error (exit 2), as for every --lang (the shared option)
    code, _, err = run("init", str(tmp_path / "k"), "--lang", "english")
    assert code == 2 and "'english' is not a language tag" in err
    assert not (tmp_path / "k").exists()


def test_sample_scaffolds_and_renders(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    code, out, err = run("sample", str(folder), "--size", "160x90", "--quiet")
    assert code == 0, err
    film = folder / "media" / "film.mkv"
    assert "160x90" in out and "stereo" in out
    for lang in ("en", "it", "uk", "pl", "de"):
        assert (folder / "subtitles" / f"{lang}.srt").is_file()
        assert (folder / "appeal" / f"{lang}.txt").is_file()
    from screenkit.media.probe import probe

    info = probe(film)
    assert info.duration >= 60 and info.video is not None and info.video.rotation == 0
    assert info.audio[0].sample_rate == 48000 and info.audio[0].channels == 2
    mtime = film.stat().st_mtime_ns
    code, _, err = run("sample", str(folder), "--size", "160x90", "--quiet")
    assert code == 0 and "Kept" in err and film.stat().st_mtime_ns == mtime


def test_sample_kit_in_the_package_is_the_repository_kit() -> None:
    from importlib import resources

    packaged = resources.files("screenkit") / "data" / "sample_kit"
    for rel in ("screenkit.toml", "subtitles/en.srt", "subtitles/uk.srt", "appeal/de.txt"):
        assert (packaged / rel).read_bytes() == (REPO / rel).read_bytes()


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_interrupt_exits_130_and_leaves_no_partial_film(tmp_path: Path, sig: int) -> None:
    folder = tmp_path / "kit"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "screenkit", "sample", str(folder), "--size", "640x360"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    media = folder / "media"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not (media.is_dir() and any(media.iterdir())):
        time.sleep(0.05)
    assert media.is_dir() and any(media.iterdir()), "the render never started"
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert b"Traceback" not in err and b"Interrupted" in err
    assert list(media.iterdir()) == [], "a partial film was left behind"
