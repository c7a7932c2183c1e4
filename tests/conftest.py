"""Shared fixtures: the ffmpeg under test, tiny generated media, a copy of the sample kit.

Tests run the real ffmpeg on media made here from lavfi sources (a few seconds at 320x180).
By default the suite uses the bundled ffmpeg (what a fresh machine gets); set
``SCREENKIT_TEST_FFMPEG=system`` to run it against the ffmpeg on PATH instead. Tests that
compare both sources or both probe routes ask for ``system_ffmpeg`` and skip without one.
"""

from __future__ import annotations

import os
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from screenkit.media.binaries import ENV_VAR, FFmpeg, bundled_ffmpeg, find_ffmpeg, set_override
from screenkit.sample.film import render_film
from screenkit.sample.sources import SourceSpec, make_source
from support import CORPUS, REPO, MakeSource, kit_with_film

if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    # A suite started in the background of a non-interactive shell (`cmd &`) inherits Ctrl-C
    # ignored, and so would every screenkit process the tests start: the Ctrl-C tests would
    # see their interrupt vanish. Handled here, it is back to the default in the children.
    signal.signal(signal.SIGINT, signal.default_int_handler)


def _system_ffmpeg_path() -> str | None:
    path = shutil.which("ffmpeg")
    bundled = bundled_ffmpeg()
    if path and bundled and Path(path).resolve() == bundled.path.resolve():
        return None
    return path


@pytest.fixture(scope="session", autouse=True)
def _ffmpeg_under_test() -> Iterator[None]:
    """Pin the ffmpeg for the whole run, so results do not depend on the machine's PATH."""
    old = os.environ.get(ENV_VAR)
    if os.environ.get("SCREENKIT_TEST_FFMPEG") == "system" and _system_ffmpeg_path():
        os.environ[ENV_VAR] = str(_system_ffmpeg_path())
    else:
        bundled = bundled_ffmpeg()
        assert bundled is not None, "the imageio-ffmpeg wheel is a dependency of screenkit"
        os.environ[ENV_VAR] = str(bundled.path)
    set_override(None)
    yield
    if old is None:
        os.environ.pop(ENV_VAR, None)
    else:
        os.environ[ENV_VAR] = old


@pytest.fixture(scope="session")
def ffmpeg() -> FFmpeg:
    return find_ffmpeg()


@pytest.fixture(scope="session")
def system_ffmpeg() -> FFmpeg:
    """The ffmpeg on PATH (with its ffprobe), when the machine has one besides the bundled."""
    path = _system_ffmpeg_path()
    if not path:
        pytest.skip("no system ffmpeg on this machine")
    found = find_ffmpeg(path)
    if found.ffprobe is None:
        pytest.skip("the system ffmpeg has no ffprobe beside it")
    return found


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def make_media(media_dir: Path, ffmpeg: FFmpeg) -> MakeSource:
    """``make_media("name.mkv", rotation=90, ...)``: a generated source, made once per session."""
    made: dict[tuple[str, tuple[tuple[str, object], ...]], Path] = {}

    def make(name: str, **spec: object) -> Path:
        key = (name, tuple(sorted(spec.items())))
        if key not in made:
            out = media_dir / f"{len(made):03d}-{name}"
            made[key] = make_source(out, SourceSpec(**spec), ffmpeg=ffmpeg)  # type: ignore[arg-type]
        return made[key]

    return make


@pytest.fixture(scope="session")
def make_master(media_dir: Path, ffmpeg: FFmpeg) -> MakeSource:
    """``make_master("hlg.mp4", kind="hlg", ...)``: a phone-like master (`MasterSpec`:
    HLG, PQ, SDR BT.709 / BT.601, Dolby Vision), made once per session with libx265, by
    the ffmpeg under test or, where that one has no libx265, by the bundled one."""
    from screenkit.sample.hdr import MasterSpec, make_master

    maker = ffmpeg if ffmpeg.has_enabled("libx265") else bundled_ffmpeg() or ffmpeg
    made: dict[tuple[str, tuple[tuple[str, object], ...]], Path] = {}

    def make(name: str, **spec: object) -> Path:
        key = (name, tuple(sorted(spec.items(), key=lambda item: item[0])))
        if key not in made:
            out = media_dir / f"master-{len(made):03d}-{name}"
            made[key] = make_master(out, MasterSpec(**spec), ffmpeg=maker)  # type: ignore[arg-type]
        return made[key]

    return make


@pytest.fixture(scope="session")
def tiny_film(make_media: MakeSource) -> Path:
    """3 s, 320x180, 25 fps, H.264 + stereo AAC in Matroska."""
    return make_media("tiny.mkv")


@pytest.fixture(scope="session")
def speech_film(media_dir: Path, ffmpeg: FFmpeg) -> Path:
    """8 s at 320x180 with speech-like sound in known spans (1-2.5 s, 3.5-5 s, 6-7.5 s)."""
    return render_film(
        media_dir / "speech.mkv",
        spans=[(1.0, 2.5), (3.5, 5.0), (6.0, 7.5)],
        duration=8.0,
        width=320,
        height=180,
        ffmpeg=ffmpeg,
        x264_preset="ultrafast",
    )


@pytest.fixture(scope="session")
def sample_kit_film(tmp_path_factory: pytest.TempPathFactory, ffmpeg: FFmpeg) -> Path:
    """The sample kit's stand-in film at 320x180 (the real one is 720p): made once."""
    import pysubs2

    folder = tmp_path_factory.mktemp("kit-film")
    track = pysubs2.load(str(REPO / "subtitles" / "en.srt"))
    spans = [(e.start / 1000, e.end / 1000) for e in track]
    return render_film(
        folder / "film.mkv",
        spans=spans,
        duration=max(60.0, spans[-1][1] + 3.0),
        width=320,
        height=180,
        ffmpeg=ffmpeg,
        x264_preset="ultrafast",
    )


@pytest.fixture
def sample_kit(tmp_path: Path, sample_kit_film: Path) -> Path:
    """A private copy of the sample kit with a small stand-in film in media/film.mkv."""
    return kit_with_film(tmp_path / "kit", sample_kit_film)


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus/peers is not beside this checkout")
    return CORPUS
