"""``subs sync``: the negative controls (nothing written without --force) and the report.

Each false pair is a track against sound it does not belong to: a few seconds of a tone,
noise, music only, another film's lines, a 20 s excerpt of the film. None may be written
without --force (issue 9, item 1). A true pair is reported in words (issue 10, item 8).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pysubs2
import pytest
from sync_media import DURATION, RATE, Clip, make_clip, noise, tone, write_sound, write_track

from screenkit.media.binaries import FFmpeg
from screenkit.sample.music import dialogue_spans, music_like
from screenkit.subtitles.sync import SyncNotTrusted
from screenkit.subtitles.sync_audio import sync_to_film
from support import REPO, run_cli

EN = REPO / "subtitles" / "en.srt"


@pytest.fixture(scope="session")
def trust_clip(tmp_path_factory: pytest.TempPathFactory, ffmpeg: FFmpeg) -> Clip:
    return make_clip(tmp_path_factory.mktemp("trust-clip"), "clip", seed=5, ffmpeg=ffmpeg)


@pytest.fixture(scope="session")
def false_films(
    tmp_path_factory: pytest.TempPathFactory, ffmpeg: FFmpeg, trust_clip: Clip
) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("false-films")
    sounds = {
        "tone-3s": tone(3.0, 220.0),
        "tone-5s": tone(5.0, 1000.0),
        "noise": noise(DURATION),
        "music": music_like(DURATION, rate=RATE, seed=2),
        "excerpt-20s": trust_clip.audio[30 * RATE : 50 * RATE],
    }
    return {name: write_sound(folder, name, audio, ffmpeg=ffmpeg) for name, audio in sounds.items()}


def _tracks(trust_clip: Clip, folder: Path) -> dict[str, Path]:
    other = dialogue_spans(DURATION, seed=99, lengths=(0.8, 2.0), gaps=(0.25, 1.0))
    return {
        "en": EN,
        "clip": write_track(folder / "clip.srt", trust_clip.spans, shift=1.5),
        "other": write_track(folder / "other.srt", other),
    }


PAIRS = [
    ("en", "tone-3s"),
    ("en", "tone-5s"),
    ("en", "noise"),
    ("en", "music"),
    ("clip", "tone-3s"),
    ("clip", "noise"),
    ("clip", "music"),
    ("clip", "excerpt-20s"),
    ("other", "clip"),
]


@pytest.mark.parametrize(("track_name", "film_name"), PAIRS)
def test_a_false_pair_is_never_written_without_force(
    trust_clip: Clip,
    false_films: dict[str, Path],
    tmp_path: Path,
    track_name: str,
    film_name: str,
) -> None:
    track = _tracks(trust_clip, tmp_path)[track_name]
    film = trust_clip.path if film_name == "clip" else false_films[film_name]
    out = tmp_path / "out.srt"
    before = track.read_bytes()
    code, stdout, stderr = run_cli("subs", "sync", str(track), "--film", str(film), "-o", str(out))
    assert code == 1, stdout + stderr
    assert stderr.startswith(f"Error: {track.name}: the sync is not reliable"), stderr
    assert "--force" in stderr and "Traceback" not in stderr
    assert not out.exists()
    code, stdout, _ = run_cli(
        "subs", "sync", str(track), "--film", str(film), "-o", str(out), "--json"
    )
    doc = json.loads(stdout)
    assert code == 1 and doc["trusted"] is False and doc["output"] is None
    assert doc["confidence"] < doc["threshold"]
    assert not out.exists() and track.read_bytes() == before


def test_the_tone_of_the_issue_no_longer_passes_as_confidence_half(
    false_films: dict[str, Path], tmp_path: Path
) -> None:
    """The case of issue 9: 11 of 15 events dropped, 4 written at 0:00:00.000."""
    out = tmp_path / "out.srt"
    with pytest.raises(SyncNotTrusted) as caught:
        sync_to_film(EN, false_films["tone-3s"], out)
    result = caught.value.result
    assert result.confidence < 0.5 and not result.trusted
    assert result.placed < result.events // 2 or result.stacked > 0
    assert not out.exists()
    # forced, it is written, and the report says why it is not to be trusted
    code, stdout, stderr = run_cli(
        "subs", "sync", str(EN), "--film", str(false_films["tone-3s"]), "-o", str(out), "--force"
    )
    assert code == 0 and out.exists()
    assert "not reliable" in stdout and "written because of --force" in stderr


def test_a_true_pair_is_reported_in_words(trust_clip: Clip, tmp_path: Path) -> None:
    track = write_track(tmp_path / "it.srt", trust_clip.spans, shift=2.28)
    out = tmp_path / "it.synced.srt"
    code, stdout, stderr = run_cli(
        "subs", "sync", str(track), "--film", str(trust_clip.path), "-o", str(out)
    )
    assert code == 0, stderr
    n = len(pysubs2.load(str(track)))
    summary = re.search(
        r"moved by −(\d\.\d{3}) s; (\d+) of (\d+) events placed; "
        r"confidence high \((0\.\d\d|1\.00)\)",
        stdout,
    )
    assert summary is not None, stdout
    assert float(summary.group(1)) == pytest.approx(2.28, abs=0.02)
    assert (int(summary.group(2)), int(summary.group(3))) == (n, n)
    assert "speech" in stdout  # what the figure means: the lines sit on the film's speech


def test_the_json_keeps_every_figure(trust_clip: Clip, tmp_path: Path) -> None:
    track = write_track(tmp_path / "de.srt", trust_clip.spans, shift=-0.5)
    code, stdout, _ = run_cli(
        "subs", "sync", str(track), "--film", str(trust_clip.path),
        "-o", str(tmp_path / "o.srt"), "--json",
    )  # fmt: skip
    assert code == 0
    doc = json.loads(stdout)
    for key in ("offset", "ratio", "segments", "dropped", "confidence", "threshold", "placed",
                "stacked", "evidence", "summary", "reasons"):  # fmt: skip
        assert key in doc, key
    assert doc["placed"] == doc["events"] and doc["stacked"] == 0 and doc["reasons"] == []
    moved = re.match(r"moved by \+(0\.\d{3}) s; ", doc["summary"])
    assert moved is not None and float(moved.group(1)) == pytest.approx(0.5, abs=0.02)


def _ocr(png: Path, tmp_path: Path, crop_height: int) -> str:
    import shutil
    import subprocess

    from PIL import Image

    if shutil.which("tesseract") is None:
        pytest.skip("tesseract is not installed: the plot title cannot be read back")
    with Image.open(png) as image:
        head = image.crop((0, 0, image.width, crop_height))
        head = head.resize((head.width * 2, head.height * 2))
        head.save(tmp_path / "head.png")
    done = subprocess.run(
        ["tesseract", str(tmp_path / "head.png"), "-", "--psm", "6"],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def test_the_plot_title_carries_the_figures_in_the_shipped_font(
    trust_clip: Clip, tmp_path: Path
) -> None:
    track = write_track(tmp_path / "uk.srt", trust_clip.spans, shift=3.0)
    plot = tmp_path / "plot.png"
    code, _, stderr = run_cli(
        "subs", "sync", str(track), "--film", str(trust_clip.path),
        "-o", str(tmp_path / "o.srt"), "--plot", str(plot),
    )  # fmt: skip
    assert code == 0, stderr
    from PIL import Image

    with Image.open(plot) as image:
        pixels = np.asarray(image.convert("RGB"))
    # anti-aliased glyphs (FreeType): grey levels between ink and paper in the title
    title = pixels[:40, :800].astype(int)
    levels = {int(v) for v in np.unique(title[..., 0])}
    assert len(levels) > 20, "the title is not drawn with an outline font"
    text = _ocr(plot, tmp_path, 40)
    offset = re.search(r"offset\s*[-−~]\s*(\d\.\d{3})", text)
    assert offset is not None and float(offset.group(1)) == pytest.approx(3.0, abs=0.02), text
    assert "ratio 1" in text and "1 segment" in text, text
    assert re.search(r"confidence\s*(high|medium)", text), text
