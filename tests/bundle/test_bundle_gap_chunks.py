"""Three burned languages sharing one timing: a wordless stretch is one encode for all three.

The kit's tracks share one timing with two long gaps; the film is cut in the gaps, so the
plan has one chunk step per gap chunk for every language and one per language for each
chunk with words. The joined films equal unchunked encodes (frames, duration, picture
quality), show each language's own line at its time, and an edited line re-encodes only
its chunk, only for its language.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import av
import numpy as np
import pysubs2
import pytest
from bundle_helpers import SPEED, kit_with_film, run_cli

from screenkit.bundle.documents.manifest import read_manifest
from screenkit.bundle.engine.cache import StepCache
from screenkit.encode import EncodeOptions, SubtitleInput, encode
from screenkit.presets import load_preset
from screenkit.sample.film import render_film
from support import decode_errors, frame

pytestmark = pytest.mark.slow
LANGS = ("it", "uk", "pl")
WORDS = {"en": "HELLO", "it": "CIAO", "uk": "ПРИВІТ", "pl": "CZEŚĆ", "de": "HALLO"}
CUES = [(1.0, 3.5), (3.9, 6.4), (14.0, 16.5), (16.9, 19.4)]
"""Words in 1-6.4 s and 14-19.4 s; 6.4-14 s and 19.4-30 s without (the long gaps)."""
DURATION = 30.0
CHUNKS = ("--chunks", "6")
SHARED = {1, 3, 4}
"""0: 0-6.4 s, 1: the first gap, 2: 14-19.4 s, 3 and 4: the last gap, halved."""


def _write_tracks(kit: Path) -> None:
    for lang, word in WORDS.items():
        subs = pysubs2.SSAFile()
        for n, (start, end) in enumerate(CUES, start=1):
            text = f"{word} {n} {word}"
            subs.append(pysubs2.SSAEvent(start=int(start * 1000), end=int(end * 1000), text=text))
        subs.save(str(kit / "subtitles" / f"{lang}.srt"))


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("gaps")
    film = render_film(
        folder / "film.mkv",
        spans=CUES,
        duration=DURATION,
        width=320,
        height=180,
        x264_preset="ultrafast",
    )
    kit = kit_with_film(folder / "kit", film)
    _write_tracks(kit)
    with (kit / "screenkit.toml").open("a", encoding="utf-8") as toml:
        for lang in LANGS:
            toml.write(f'\n[bundles.{lang}]\npreset = "usb-player"\nlang = "{lang}"\n')
    return kit


def _build(kit: Path, *extra: str) -> dict[str, object]:
    code, out, err = run_cli("build", "--kit", str(kit), *LANGS, *CHUNKS, "--speed", SPEED,
                             "--json", *extra)  # fmt: skip
    assert code == 0, err
    data: dict[str, object] = json.loads(out)
    return data


def _chunk_index(label: str) -> int:
    found = re.match(r"film chunk (\d+)/(\d+)", label)
    assert found is not None, label
    return int(found.group(1)) - 1


def test_the_plan_has_one_encode_per_gap_chunk_and_one_per_language_elsewhere(kit: Path) -> None:
    plan = _build(kit, "--dry-run")
    chunks = [s for s in plan["steps"] if s["kind"] == "chunk"]  # type: ignore[attr-defined]
    by_index: dict[int, list[dict[str, object]]] = {}
    for step in chunks:
        by_index.setdefault(_chunk_index(str(step["label"])), []).append(step)
    assert sorted(by_index) == [0, 1, 2, 3, 4]
    for index, steps in by_index.items():
        if index in SHARED:
            (step,) = steps
            assert sorted(step["bundles"]) == sorted(LANGS)  # type: ignore[arg-type]
            assert "no subtitle" in str(step["note"]) and "shared" in str(step["label"])
        else:
            assert len(steps) == 3
            assert sorted(len(s["bundles"]) for s in steps) == [1, 1, 1]  # type: ignore[arg-type]
    films = [s for s in plan["steps"] if s["kind"] == "film"]  # type: ignore[attr-defined]
    assert len(films) == 3 and all("3 shared" in str(f["label"]) for f in films)


def _film_of(kit: Path, lang: str) -> Path:
    manifest = read_manifest(kit / "out" / f"sample-{lang}")
    record = next(s for s in manifest.steps if s.kind == "film")
    assert record.key is not None
    entry = StepCache(kit / ".screenkit" / "cache").peek_entry(record.key)
    assert entry is not None
    return entry.path(str(entry.meta["out"]))


def _frames(path: Path) -> int:
    with av.open(str(path)) as container:
        return sum(1 for p in container.demux(container.streams.video[0]) if p.size)


def _differs(one: np.ndarray, other: np.ndarray) -> float:
    """The share of the bottom third's pixels (where the line is) that differ clearly."""
    rows = int(one.shape[0] * 0.66)
    return float((np.abs(one[rows:] - other[rows:]) > 48).mean())


def test_joined_films_equal_unchunked_encodes_and_an_edit_reencodes_one_chunk(
    kit: Path, tmp_path: Path
) -> None:
    report = _build(kit)
    ran = [s for s in report["steps"] if s["kind"] == "chunk"]  # type: ignore[attr-defined]
    assert len(ran) == len(SHARED) + 2 * len(LANGS)
    preset = load_preset("usb-player", kit)
    films = {lang: _film_of(kit, lang) for lang in LANGS}
    for lang in LANGS:
        code, out, err = run_cli("verify", str(kit / "out" / f"sample-{lang}"))
        assert code == 0, out + err
        assert decode_errors(films[lang]) == ""
        track = SubtitleInput(kit / "subtitles" / f"{lang}.srt", lang)
        single = encode(
            kit / "media" / "film.mkv",
            preset,
            tmp_path / f"single-{lang}.mp4",
            EncodeOptions(burn=track, x264_preset=SPEED),
            quality=True,
        )
        assert _frames(films[lang]) == _frames(single.out)
        with av.open(str(films[lang])) as joined, av.open(str(single.out)) as one:
            assert joined.duration == pytest.approx(one.duration, abs=40_000)  # a frame, in µs
        chunked = read_manifest(kit / "out" / f"sample-{lang}").quality
        assert chunked is not None and single.quality is not None
        assert abs(chunked["ssim"] - single.quality.ssim) <= 0.002
        for at in (2.0, 15.0):  # the language's own line, as the unchunked encode shows it
            mine = frame(films[lang], at)
            assert _differs(mine, frame(single.out, at)) < 0.001
            other = frame(films[LANGS[(LANGS.index(lang) + 1) % 3]], at)
            assert _differs(mine, other) > 0.005  # another language's words (~1 % here)
    for at in (10.0, 25.0):  # in the gaps: one encode, the very same picture for all three
        pictures = [frame(films[lang], at) for lang in LANGS]
        assert all(np.array_equal(pictures[0], p) for p in pictures[1:])

    # one edited Ukrainian line, in the second stretch with words: one chunk, one film
    track = kit / "subtitles" / "uk.srt"
    subs = pysubs2.load(str(track))
    subs.events[2].text = "ІНШИЙ РЯДОК"
    subs.save(str(track))
    again = _build(kit)
    built = [s for s in again["steps"] if s["status"] == "built"]  # type: ignore[attr-defined]
    rerun = [s for s in built if s["kind"] == "chunk"]
    assert len(rerun) == 1 and _chunk_index(str(rerun[0]["label"])) == 2
    assert "uk" in str(rerun[0]["label"])
    assert [s["kind"] for s in built if s["kind"] == "film"] == ["film"]


def test_the_chunks_measures_added_up_are_the_joined_films_measure(kit: Path) -> None:
    """Each chunk measures its own picture where it was encoded; the film step adds the
    measures up instead of decoding the joined film again. The sum is the measure of the
    joined film, frame for frame: the chunks were fed the frames the whole film is (the
    master's picture starts 21 ms late here) and compared on the film's own frames."""
    from screenkit.encode import output_format
    from screenkit.encode.quality import measure_quality
    from screenkit.encode.subs import stage_burn
    from screenkit.media.binaries import find_ffmpeg
    from screenkit.media.probe import probe

    _build(kit)
    lang = LANGS[1]
    report = _build(kit, "--dry-run")
    film_step = next(
        s
        for s in report["steps"]  # type: ignore[attr-defined]
        if s["kind"] == "film" and lang in s["bundles"]
    )
    assert not any("ssim" in " ".join(c) for c in film_step["commands"])  # no decode of its own
    ffmpeg = find_ffmpeg(None)
    master = probe(kit / "media" / "film.mkv", ffmpeg=ffmpeg)
    preset = load_preset("usb-player", kit)
    track = SubtitleInput(kit / "subtitles" / f"{lang}.srt", lang)
    options = EncodeOptions(burn=track, x264_preset=SPEED)
    fmt = output_format(master, preset, options)
    work = kit / "measure"
    work.mkdir()
    stage_burn(track, preset, fmt, work, options.fonts)
    whole = measure_quality(_film_of(kit, lang), master, preset, options, fmt, work, ffmpeg=ffmpeg)
    summed = read_manifest(kit / "out" / f"sample-{lang}").quality
    assert summed is not None
    assert summed["frames"] == whole.frames and summed["every"] == whole.every
    assert summed["ssim"] == pytest.approx(whole.ssim, abs=2e-6)
    assert summed["psnr"] == pytest.approx(whole.psnr, abs=0.01)
