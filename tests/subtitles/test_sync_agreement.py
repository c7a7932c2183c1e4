"""``subs sync --film``: an event agrees with its offset by its own evidence, not its loudness.

The agreement (the share of events whose evidence agrees with the offset they got) once
counted an event as disagreeing whenever the speech under it was quieter than the film's
average frame: the sample kit's own tracks, already in sync with its own film, were
refused because 4 of its 15 lines are quieter speech. Quiet speech (a whisper, a far
microphone) is speech all the same: these tests keep it trusted.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import numpy as np
import pysubs2
import pytest
from sync_media import DURATION, RATE, errors, lines, write_sound, write_track

from screenkit.media.binaries import FFmpeg
from screenkit.sample.music import score_under
from screenkit.sample.speech import room_tone, speech_like
from screenkit.subtitles.align import FRAME_S, align
from screenkit.subtitles.sync_audio import sync_to_film
from screenkit.subtitles.trust import AGREE_FULL
from support import run_cli

SAMPLE_TRACKS = resources.files("screenkit") / "data" / "sample_kit" / "subtitles"
QUIET_DB = -12.0  # every third line: a speaker far from the microphone
SCORE_DB = -6.0  # the score, relative to the near voices


@pytest.mark.parametrize("lang", ["en", "it", "uk", "pl", "de"])
def test_the_sample_kits_own_tracks_are_trusted_on_its_own_film(
    sample_kit_film: Path, tmp_path: Path, lang: str
) -> None:
    """What a new subtitler meets first: ``screenkit sample``, then ``subs sync``."""
    with resources.as_file(SAMPLE_TRACKS / f"{lang}.srt") as source:
        track = tmp_path / f"{lang}.srt"
        track.write_bytes(Path(source).read_bytes())
    out = tmp_path / f"{lang}-synced.srt"
    code, stdout, stderr = run_cli(
        "subs", "sync", str(track), "--film", str(sample_kit_film), "-o", str(out)
    )
    assert code == 0, stdout + stderr
    assert "not reliable" not in stdout + stderr
    moved = re.search(r"moved by ([+−-])(\d\.\d{3}) s; (\d+) of (\d+) events placed", stdout)
    assert moved is not None, stdout
    # the film is in sync with its tracks; AAC's priming delays its sound by ~21 ms
    assert float(moved.group(2)) <= 0.05
    assert moved.group(3) == moved.group(4) == "15"
    assert len(pysubs2.load(str(out))) == 15


@pytest.fixture(scope="module")
def quiet_film(
    tmp_path_factory: pytest.TempPathFactory, ffmpeg: FFmpeg
) -> tuple[Path, list[tuple[float, float]]]:
    """A minute of dialogue under a score where every third line is 12 dB quieter."""
    spans = lines(7)
    near = [s for i, s in enumerate(spans) if i % 3 != 1]
    far = spans[1::3]
    dialogue = (
        speech_like(near, DURATION, rate=RATE, seed=7)
        + speech_like(far, DURATION, rate=RATE, seed=57, level=0.5 * 10 ** (QUIET_DB / 20))
        + room_tone(DURATION, rate=RATE, seed=8)
    )
    audio = score_under(dialogue, near, rate=RATE, seed=7, gain_db=SCORE_DB)
    folder = tmp_path_factory.mktemp("quiet-film")
    return write_sound(folder, "quiet", audio, ffmpeg=ffmpeg), spans


def test_quiet_lines_in_sync_agree_with_their_offset(
    quiet_film: tuple[Path, list[tuple[float, float]]], tmp_path: Path
) -> None:
    film, spans = quiet_film
    track = write_track(tmp_path / "far.srt", spans, shift=1.7)
    out = tmp_path / "far.synced.srt"
    result = sync_to_film(track, film, out)
    assert result.trusted and out.exists()
    assert result.offset == pytest.approx(-1.7, abs=0.02)
    assert result.matched >= AGREE_FULL
    assert errors(out, {n: a for n, (a, _) in enumerate(spans)}).max() <= 0.02


def test_agreement_does_not_depend_on_how_loud_a_line_is() -> None:
    """An activity signal where a third of the lines are a tenth as loud as the rest."""
    rng = np.random.default_rng(1)
    spans, t = [], 1.0
    while t < 110.0:
        length = float(rng.uniform(1.0, 3.0))
        spans.append((t, t + length))
        t += length + float(rng.uniform(1.0, 2.5))
    raw = np.zeros(round(120.0 / FRAME_S))
    for n, (a, b) in enumerate(spans):
        level = 0.1 if n % 3 == 1 else 1.0
        frames = slice(round(a / FRAME_S), round(b / FRAME_S))
        raw[frames] = level * rng.uniform(0.5, 1.0, frames.stop - frames.start)
    signal = (raw - raw.mean()) / raw.std()
    assert all(signal[round(a / FRAME_S) : round(b / FRAME_S)].mean() < 0 for a, b in spans[1::3])
    shift = 2.5
    alignment = align(signal, np.array(spans) + shift, max_offset=20.0)
    assert alignment.segments[0].offset == pytest.approx(-shift, abs=0.02)
    assert alignment.matched == 1.0
