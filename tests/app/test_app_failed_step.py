"""A step that fails in an app build is named as the step the engine says failed.

The film's encode fails for real: a wrapper ffmpeg (``SCREENKIT_FFMPEG``) refuses every run
that writes the film (``film.mp4``) and runs the real ffmpeg for everything else (the card
encodes beside it, so "the last step that reported" would often name the card).
"""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from app_helpers import make_kit

from screenkit.app.builds import BuildManager
from screenkit.app.choice import BuildChoice
from screenkit.bundle import BuildSettings
from screenkit.kit import load_kit
from screenkit.media.binaries import find_ffmpeg, set_override

pytestmark = pytest.mark.slow

WRAPPER = """#!/bin/sh
for word in "$@"; do
  case "$word" in
    */film.mp4) echo "wrapper: refusing to write the film" >&2; exit 1 ;;
  esac
done
exec {real} "$@"
"""


def test_the_failed_step_is_the_film_encode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sample_kit_film: Path
) -> None:
    real = find_ffmpeg()
    wrapper = tmp_path / "bin" / "ffmpeg"
    wrapper.parent.mkdir()
    wrapper.write_text(WRAPPER.format(real=real.path))
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    if real.ffprobe is not None:
        (wrapper.parent / "ffprobe").symlink_to(real.ffprobe)
    monkeypatch.setenv("SCREENKIT_FFMPEG", str(wrapper))
    set_override(None)
    kit = load_kit(make_kit(tmp_path / "kit", sample_kit_film))
    manager = BuildManager(settings=BuildSettings(x264_preset="ultrafast"), jobs=2)
    try:
        job = manager.submit(kit, BuildChoice(lang="uk", preset="usb-player"))
        snap = manager.wait(job.id, timeout=300)
    finally:
        manager.close(timeout=60)
    assert snap.state == "failed", snap.error
    film = next(s for s in snap.steps if s.kind == "film")
    assert snap.failed_step == film.label
    assert snap.error is not None and "refusing to write the film" in str(
        getattr(snap.error, "stderr_tail", "")
    )
    assert not (kit.root / "out" / "sample-uk-usb-player").exists()
