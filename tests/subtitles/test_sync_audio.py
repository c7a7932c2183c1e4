"""``subs sync --film``: speech activity, offsets, frame-rate ratios, a cut scene, refusals.

Real ffmpeg on generated minute-long clips (see sync_media): the truth is known, the
recovered times must be within 20 ms of it.
"""

from __future__ import annotations

import json
import re
from fractions import Fraction
from pathlib import Path

import numpy as np
import pysubs2
import pytest
from sync_media import CUT, DURATION, LOUD, RATE, Clip, errors, make_clip, write_track

from screenkit.errors import InputError
from screenkit.media.binaries import FFmpeg
from screenkit.media.runner import safe_input, stream_ffmpeg
from screenkit.sample.music import dialogue_spans, write_media
from screenkit.sample.speech import to_pcm16
from screenkit.sample.voices import RATE as VOICE_RATE
from screenkit.sample.voices import flite_ffmpeg, spoken_dialogue
from screenkit.subtitles.sync import SyncNotTrusted
from screenkit.subtitles.sync_audio import FilmSyncOptions, sync_to_film
from screenkit.subtitles.vad import (
    FRAME_S,
    ActivityReader,
    activity_from_pcm,
    read_concurrently,
)
from support import run_cli


@pytest.fixture(scope="session")
def clip(tmp_path_factory: pytest.TempPathFactory, ffmpeg: FFmpeg) -> Clip:
    return make_clip(tmp_path_factory.mktemp("sync-clip"), "clip", seed=5, ffmpeg=ffmpeg)


@pytest.fixture(scope="session")
def cut_clip(tmp_path_factory: pytest.TempPathFactory, ffmpeg: FFmpeg) -> Clip:
    folder = tmp_path_factory.mktemp("sync-cut")
    return make_clip(folder, "cut", seed=5, ffmpeg=ffmpeg, cut=True)


def test_streaming_in_any_pieces_gives_the_same_figures(clip: Clip) -> None:
    pcm = to_pcm16(clip.audio[: 25 * RATE])
    whole = activity_from_pcm([pcm])
    sizes = [1, 333, 4096, 65537, 7]
    pieces, pos, k = [], 0, 0
    while pos < len(pcm):
        pieces.append(pcm[pos : pos + sizes[k % len(sizes)]])
        pos += sizes[k % len(sizes)]
        k += 1
    split = activity_from_pcm(pieces)
    assert whole.frames == split.frames == 2500
    np.testing.assert_array_equal(whole.tonal_change, split.tonal_change)
    np.testing.assert_array_equal(whole.vad, split.vad)


def test_memory_stays_flat_whatever_the_length() -> None:
    reader = ActivityReader()
    chunk = bytes(64000)  # 2 s of silence
    peak = 0
    for _ in range(150):  # 5 minutes
        reader.feed(chunk)
        peak = max(peak, reader._buf.nbytes)
    result = reader.finish()
    assert result.frames == 150 * 2 * 100
    assert peak < 600_000  # a block of 10 s and its margins, not the audio
    assert not result.tonal_change.any()  # silence is not speech


def test_held_notes_and_drums_are_not_speech_but_voices_over_them_are(clip: Clip) -> None:
    activity = activity_from_pcm([to_pcm16(clip.audio)])
    frames = np.arange(activity.frames) * FRAME_S
    speech = np.zeros(activity.frames, dtype=bool)
    for a, b in clip.spans:
        speech |= (frames >= a) & (frames < b)
    music_only = (frames >= LOUD[0][0] + 0.5) & (frames < LOUD[0][1] - 0.5)
    under_voices = activity.tonal_change[speech].mean()
    assert under_voices > 4 * activity.tonal_change[music_only].mean()
    # webrtcvad alone calls the loud score speech: why it only weighs the measure
    assert activity.vad[music_only].mean() > 0.8


@pytest.mark.parametrize("shift", [-7.25, 2.5])
def test_a_constant_offset_is_recovered_within_20_ms(
    clip: Clip, tmp_path: Path, shift: float
) -> None:
    track = write_track(tmp_path / "it.srt", clip.spans, shift=shift)
    out = tmp_path / "it.synced.srt"
    result = sync_to_film(track, clip.path, out)
    assert result.ratio == 1
    assert len(result.segments) == 1
    assert result.offset == pytest.approx(-shift, abs=0.02)
    assert result.trusted and result.output == out
    truth = {n: a for n, (a, _) in enumerate(clip.spans) if a + shift >= 0}
    assert errors(out, truth).max() <= 0.02


def test_a_frame_rate_conversion_is_found_exactly(clip: Clip, tmp_path: Path) -> None:
    ratio = Fraction(25) / Fraction(24000, 1001)  # timed for 25 fps, the film runs 23.976
    track = write_track(tmp_path / "pal.srt", clip.spans, scale=1 / float(ratio), shift=1.5)
    out = tmp_path / "pal.synced.srt"
    result = sync_to_film(track, clip.path, out)
    assert result.ratio == ratio
    assert result.ratio_text == "25 → 24000/1001"
    assert errors(out, {n: a for n, (a, _) in enumerate(clip.spans)}).max() <= 0.02


def test_a_cut_scene_gives_two_offsets_and_drops_its_lines(cut_clip: Clip, tmp_path: Path) -> None:
    track = write_track(tmp_path / "cut.srt", cut_clip.spans, shift=1.0)
    out = tmp_path / "cut.synced.srt"
    result = sync_to_film(track, cut_clip.path, out)
    lost = CUT[1] - CUT[0]
    assert [round(s.offset, 2) for s in result.segments] == pytest.approx(
        [-1.0, -1.0 - lost], abs=0.02
    )
    inside = [n + 1 for n, (a, _) in enumerate(cut_clip.spans) if CUT[0] <= a < CUT[1]]
    assert set(result.dropped) <= set(inside) | {inside[0] - 1, inside[-1] + 1}
    truth = {
        n: a if a < CUT[0] else a - lost
        for n, (a, _) in enumerate(cut_clip.spans)
        if not CUT[0] - 0.5 <= a < CUT[1] + 0.5
    }
    err = errors(out, truth)
    assert np.mean(err <= 0.1) >= 0.95
    assert np.median(err) <= 0.02


def test_no_split_keeps_one_offset(cut_clip: Clip, tmp_path: Path) -> None:
    track = write_track(tmp_path / "cut.srt", cut_clip.spans)
    result = sync_to_film(
        track, cut_clip.path, tmp_path / "o.srt", options=FilmSyncOptions(split=False, force=True)
    )
    assert len(result.segments) == 1 and not result.dropped


def test_a_track_of_another_film_is_refused_unless_forced(clip: Clip, tmp_path: Path) -> None:
    # lines of another film (with no pause where this one has its music-only stretch)
    other = dialogue_spans(DURATION, seed=99, lengths=(0.8, 2.0), gaps=(0.25, 1.0))
    track = write_track(tmp_path / "other.srt", other)
    out = tmp_path / "other.synced.srt"
    before = track.read_bytes()
    with pytest.raises(SyncNotTrusted) as caught:
        sync_to_film(track, clip.path, out)
    assert (
        caught.value.result.confidence < 0.5
        and caught.value.value == caught.value.result.confidence
    )
    assert not out.exists()
    code, _, stderr = run_cli("subs", "sync", str(track), "--film", str(clip.path), "-o", str(out))
    assert code == 1
    assert stderr.startswith("Error: other.srt: the sync is not reliable (confidence 0.")
    assert "nothing written" in stderr and not out.exists()
    code, stdout, _ = run_cli(
        "subs", "sync", str(track), "--film", str(clip.path), "-o", str(out), "--json"
    )
    assert code == 1 and json.loads(stdout)["trusted"] is False and not out.exists()
    code, _, stderr = run_cli(
        "subs", "sync", str(track), "--film", str(clip.path), "-o", str(out), "--force"
    )
    assert code == 0 and out.exists() and "low confidence" in stderr
    assert track.read_bytes() == before


def test_cli_json_and_plot(clip: Clip, tmp_path: Path, ffmpeg: FFmpeg) -> None:
    track = write_track(tmp_path / "uk.srt", clip.spans, shift=3.0)
    out, plot = tmp_path / "uk.synced.srt", tmp_path / "sync plot.png"
    code, stdout, stderr = run_cli(
        "subs", "sync", str(track), "--film", str(clip.path), "-o", str(out),
        "--plot", str(plot), "--json",
    )  # fmt: skip
    assert code == 0, stderr
    doc = json.loads(stdout)
    assert doc["method"] == "film" and doc["ratio"] == "1" and doc["trusted"] is True
    assert doc["offset"] == pytest.approx(-3.0, abs=0.02)
    assert doc["output"] == str(out) and doc["plot"] == str(plot)
    assert doc["segments"][0]["first_event"] == 1 and doc["confidence"] >= 0.5
    # the PNG is whole and readable by another decoder
    probe = b"".join(
        stream_ffmpeg([*safe_input(plot), "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"])
    )
    pixels = np.frombuffer(probe, dtype=np.uint8).reshape(-1, 1600, 3)
    assert pixels.shape[0] > 200
    green = (pixels[..., 1] > 140) & (pixels[..., 0] < 80)
    red = (pixels[..., 0] > 200) & (pixels[..., 1] < 90)
    assert green.sum() > 1000 and red.sum() > 1000


def test_human_report(clip: Clip, tmp_path: Path) -> None:
    track = write_track(tmp_path / "pl.srt", clip.spans, shift=-0.75)
    code, stdout, stderr = run_cli(
        "subs", "sync", str(track), "--film", str(clip.path), "-o", str(tmp_path / "o.srt")
    )
    assert code == 0
    offset = re.search(r"offset +([-+][0-9.]+) s", stdout)
    assert offset is not None and float(offset.group(1)) == pytest.approx(0.75, abs=0.02)
    assert "ratio       1\n" in stdout and "confidence  0.9" in stdout
    assert stderr.strip().startswith("wrote ")


def test_bad_inputs_are_clear_errors(make_media: object, tmp_path: Path, clip: Clip) -> None:
    track = write_track(tmp_path / "t.srt", clip.spans)
    silent = make_media("no-audio.mkv", audio_channels=None)  # type: ignore[operator]
    code, _, stderr = run_cli(
        "subs", "sync", str(track), "--film", str(silent), "-o", str(tmp_path / "o.srt")
    )
    assert code == 1 and stderr.startswith(f"Error: {silent} has no audio stream")
    junk = tmp_path / "junk.mkv"
    junk.write_bytes(b"\x00junk" * 1000)
    code, _, stderr = run_cli(
        "subs", "sync", str(track), "--film", str(junk), "-o", str(tmp_path / "o.srt")
    )
    assert code == 1 and stderr.startswith("Error: ") and "Traceback" not in stderr
    code, _, stderr = run_cli(
        "subs", "sync", str(track), "--film", str(clip.path), "-o", str(track)
    )
    assert code == 1 and "is an input file" in stderr
    code, _, stderr = run_cli(
        "subs", "sync", str(track), "--film", str(clip.path), "-o", str(tmp_path / "o.srt"),
        "--plot", str(track),
    )  # fmt: skip
    assert code == 1 and "is an input file: write the plot to another file" in stderr
    code, _, stderr = run_cli(
        "subs", "sync", str(track), "--film", str(clip.path), "-o", str(clip.path)
    )
    assert code == 1 and "is an input file: write the synced track to another file" in stderr
    code, _, stderr = run_cli("subs", "sync", str(track), "-o", str(tmp_path / "o.srt"))
    assert code == 2 and "exactly one of --reference REF or --film FILM" in stderr
    few = write_track(tmp_path / "few.srt", clip.spans[:2])
    with pytest.raises(InputError, match="too few to sync by"):
        sync_to_film(few, clip.path, tmp_path / "o.srt")


def test_the_reading_thread_stops_the_producer_and_passes_its_errors() -> None:
    closed = []

    def endless():  # type: ignore[no-untyped-def]
        try:
            while True:
                yield b"x" * 10
        finally:
            closed.append(True)

    pieces = read_concurrently(endless())
    assert next(pieces) == b"x" * 10
    pieces.close()
    assert closed == [True]

    def failing():  # type: ignore[no-untyped-def]
        yield b"ok"
        raise InputError("broken pipe of a film")

    with pytest.raises(InputError, match="broken pipe"):
        list(read_concurrently(failing()))


def test_clip_lengths_are_what_the_truth_assumes(clip: Clip, cut_clip: Clip) -> None:
    assert len(clip.audio) == DURATION * RATE
    assert len(cut_clip.audio) == (DURATION - (CUT[1] - CUT[0])) * RATE


def test_an_event_far_past_the_film_does_not_vote_but_moves(clip: Clip, tmp_path: Path) -> None:
    track = write_track(tmp_path / "far.srt", clip.spans, shift=2.0)
    text = track.read_text() + "\n999\n50:00:00,000 --> 50:00:01,000\nfar away\n"
    track.write_text(text)
    out = tmp_path / "far.synced.srt"
    result = sync_to_film(track, clip.path, out)
    assert result.offset == pytest.approx(-2.0, abs=0.02)
    far = [e for e in pysubs2.load(str(out)) if e.text == "far away"]
    assert far[0].start == pytest.approx(50 * 3600_000 - 2000, abs=20)


def test_real_synthetic_speech_under_music(tmp_path: Path) -> None:
    """flite's voices, not our generator: lines that linger after the last word."""
    flite = flite_ffmpeg()
    if flite is None:
        pytest.skip("no ffmpeg with libflite on PATH")
    # two minutes: flite's lines are long and close, a minute holds too few to tell apart
    audio, spans = spoken_dialogue(flite, 120.0, loud=((40.0, 50.0),), seed=4, gaps=(0.4, 3.0))
    film = write_media(
        tmp_path / "voices.mka", audio, rate=VOICE_RATE, picture=None, audio_codec=("pcm_s16le",)
    )
    track = write_track(tmp_path / "voices.srt", spans, shift=4.2)
    out = tmp_path / "voices.synced.srt"
    result = sync_to_film(track, film, out)
    assert result.ratio == 1 and len(result.segments) == 1
    assert result.offset == pytest.approx(-4.2, abs=0.03)
    err = errors(out, {n: a for n, (a, _) in enumerate(spans)})
    assert np.median(err) <= 0.03 and np.mean(err <= 0.1) >= 0.95
