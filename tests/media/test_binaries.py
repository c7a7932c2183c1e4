"""Finding ffmpeg: the order of sources, version parsing and the refusal of old builds."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from screenkit.errors import FFmpegNotFound, FFmpegTooOld
from screenkit.media.binaries import (
    ENV_VAR,
    bundled_ffmpeg,
    find_ffmpeg,
    forget_ffmpeg,
    parse_version,
)


def fake_ffmpeg(folder: Path, banner: str, name: str = "ffmpeg") -> Path:
    """A script that answers ``-version`` like an ffmpeg build would."""
    path = folder / name
    # only shell builtins: the tests run it with a PATH that holds nothing else
    path.write_text(
        f"#!/bin/sh\nwhile IFS= read -r line; do echo \"$line\"; done <<'EOF'\n{banner}\nEOF\n"
    )
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


@pytest.mark.parametrize(
    ("banner", "word", "numbers"),
    [
        ("ffmpeg version 5.1.9-0+deb12u1 Copyright (c) 2000-2026", "5.1.9-0+deb12u1", (5, 1)),
        (
            "ffmpeg version n9.0.2-17-g2a571b6068-20260930 Copyright",
            "n9.0.2-17-g2a571b6068-20260930",
            (9, 0),
        ),
        ("ffmpeg version 4.4 Copyright", "4.4", (4, 4)),
        ("ffmpeg version N-112345-gdeadbeef Copyright", "N-112345-gdeadbeef", None),
        ("", "unknown", None),
    ],
)
def test_parse_version(banner: str, word: str, numbers: tuple[int, int] | None) -> None:
    assert parse_version(banner) == (word, numbers)


def test_bundled_ffmpeg_is_found_and_new_enough() -> None:
    bundled = bundled_ffmpeg()
    assert bundled is not None
    assert bundled.source == "bundled"
    assert bundled.version_tuple >= (4, 4)
    assert bundled.has_enabled("libass") and bundled.has_enabled("libx264")


def test_env_var_wins_over_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    bundled = bundled_ffmpeg()
    assert bundled is not None
    monkeypatch.setenv(ENV_VAR, str(bundled.path))
    found = find_ffmpeg()
    assert found.source == "env" and found.path == bundled.path


def test_explicit_path_wins_over_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = fake_ffmpeg(tmp_path, "ffmpeg version 6.1 Copyright\nconfiguration: --enable-libass")
    bundled = bundled_ffmpeg()
    assert bundled is not None
    monkeypatch.setenv(ENV_VAR, str(bundled.path))
    found = find_ffmpeg(fake)
    assert (found.source, found.path, found.version_tuple) == ("option", fake, (6, 1))
    assert found.has_enabled("libass") and not found.has_enabled("libx264")


def test_path_then_bundled(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    fake_ffmpeg(tmp_path, "ffmpeg version 7.0 Copyright")
    monkeypatch.setenv("PATH", str(tmp_path))
    assert find_ffmpeg().source == "system"
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert find_ffmpeg().source == "bundled"


def test_ffprobe_only_when_beside(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    ffmpeg = fake_ffmpeg(tmp_path, "ffmpeg version 7.0 Copyright")
    assert find_ffmpeg(ffmpeg).ffprobe is None
    fake_ffmpeg(tmp_path, "ffprobe version 7.0", name="ffprobe")
    forget_ffmpeg()
    assert find_ffmpeg(ffmpeg).ffprobe == tmp_path / "ffprobe"


def test_old_ffmpeg_is_refused(tmp_path: Path) -> None:
    old = fake_ffmpeg(tmp_path, "ffmpeg version 4.3.2 Copyright (c) 2000-2021")
    with pytest.raises(FFmpegTooOld) as info:
        find_ffmpeg(old)
    assert info.value.version == "4.3.2"
    assert info.value.path == old
    assert "4.4 or newer" in info.value.message


def test_not_an_ffmpeg(tmp_path: Path) -> None:
    liar = fake_ffmpeg(tmp_path, "hello, I am not ffmpeg")
    with pytest.raises(FFmpegNotFound) as info:
        find_ffmpeg(liar)
    assert info.value.path == liar


def test_missing_explicit_path(tmp_path: Path) -> None:
    with pytest.raises(FFmpegNotFound) as info:
        find_ffmpeg(tmp_path / "nope" / "ffmpeg")
    assert info.value.key == "--ffmpeg"


def test_env_var_pointing_nowhere(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(ENV_VAR, os.fspath(tmp_path / "missing-ffmpeg"))
    with pytest.raises(FFmpegNotFound) as info:
        find_ffmpeg()
    assert info.value.key == ENV_VAR
