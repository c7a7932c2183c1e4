"""A bundle whose film is encoded in chunks: same film, and an edit re-runs few chunks."""

from __future__ import annotations

import json
from pathlib import Path

import pysubs2
import pytest
from bundle_helpers import SPEED, kit_with_film, run_cli

from screenkit.bundle.documents.manifest import read_manifest
from screenkit.bundle.engine.cache import StepCache
from screenkit.bundle.engine.registry import main_file
from screenkit.media.mp4box import decoder_setup
from screenkit.media.probe import probe
from screenkit.slides.bitstream import read_video_bitstream

pytestmark = pytest.mark.slow
BUNDLE = "sample-en-usb-player"


def _build(kit: Path, chunks: str, out: str) -> dict[str, str]:
    code, stdout, err = run_cli(
        "build", "--kit", str(kit), "--preset", "usb-player", "--lang", "en", "--burn", "en",
        "--chunks", chunks, "--speed", SPEED, "--out", str(kit / out), "--json",
    )  # fmt: skip
    assert code == 0, err
    return {s["id"]: s["status"] for s in json.loads(stdout)["steps"]}


def test_chunked_bundle_equals_the_single_encode_and_an_edit_reruns_one_chunk(
    tmp_path: Path, sample_kit_film: Path
) -> None:
    kit = kit_with_film(tmp_path / "kit", sample_kit_film)
    single = _build(kit, "off", "single")
    chunked = _build(kit, "20", "chunked")
    assert not [s for s in single if s.startswith("chunk-")]
    chunk_steps = [s for s in chunked if s.startswith("chunk-")]
    assert len(chunk_steps) >= 3
    for out in ("single", "chunked"):
        code, out_text, err = run_cli("verify", str(kit / out / BUNDLE))
        assert code == 0, out_text + err
    one = read_manifest(kit / "single" / BUNDLE).quality
    many = read_manifest(kit / "chunked" / BUNDLE).quality
    assert one is not None and many is not None
    # paired by time: the encode starts the picture with the sound by repeating a frame
    assert one["ssim"] > 0.95 and one["psnr"] > 30
    assert abs(one["ssim"] - many["ssim"]) <= 0.002 and one["frames"] == many["frames"]

    # an edit of one late line re-encodes only the chunk it shows in
    track = kit / "subtitles" / "en.srt"
    subs = pysubs2.load(str(track))
    subs.events[-1].text = "A different last line"
    subs.save(str(track))
    again = _build(kit, "20", "chunked")
    rerun = [s for s in again if s.startswith("chunk-") and again[s] == "built"]
    assert len(rerun) == 1
    assert again[next(s for s in again if s.startswith("film-"))] == "built"


@pytest.mark.parametrize("value", ["2", "soon", "-30"])
def test_a_bad_chunks_value_is_a_usage_error(value: str, tmp_path: Path) -> None:
    code, _, err = run_cli("build", "--kit", str(tmp_path), "--chunks", value)
    assert code == 2
    assert "give off, auto or the seconds of a chunk" in err


def test_workers_and_scheduler_exclude_each_other(tmp_path: Path) -> None:
    code, _, err = run_cli(
        "build", "--kit", str(tmp_path), "--workers", "2", "--scheduler", "tcp://127.0.0.1:1"
    )
    assert code == 2
    assert "--workers and --scheduler exclude each other" in err


def test_a_chunked_films_card_is_laid_out_from_its_first_chunk_and_sound(
    tmp_path: Path, sample_kit_film: Path
) -> None:
    """The card waited for the join, and the join for the last chunk: its encode ran alone
    after the chunks. The film copies its first chunk's picture and the sound step's file,
    so the card is laid out from those two, while the last chunks encode, and still joins
    the film by copy: the same H.264 set-up, the same sound, the same track timescale."""
    kit = kit_with_film(tmp_path / "kit", sample_kit_film)
    args = ["build", "--kit", str(kit), "--preset", "usb-player", "--lang", "en", "--burn",
            "en", "--chunks", "20", "--speed", SPEED, "--out", str(kit / "out")]  # fmt: skip
    code, stdout, err = run_cli(*args, "--dry-run", "--json")
    assert code == 0, err
    planned = {s["id"]: s for s in json.loads(stdout)["steps"]}
    cards = [s for s in planned.values() if s["kind"] == "card"]
    assert cards and all(
        sorted(planned[d]["kind"] for d in s["deps"]) == ["chunk", "sound"] for s in cards
    )
    code, stdout, err = run_cli(*args, "--json")
    assert code == 0, err
    report = json.loads(stdout)
    cache = StepCache(Path(report["cache"]))
    made = {
        s["kind"]: main_file(cache.lookup(s["key"]))  # type: ignore[arg-type]
        for s in report["steps"]
        if s["kind"] in ("card", "film")
    }
    card, film = probe(made["card"]), probe(made["film"])
    assert decoder_setup(made["card"]) == decoder_setup(made["film"])
    assert card.audio[0].codec == film.audio[0].codec
    assert (card.audio[0].sample_rate, card.audio[0].channels) == (
        film.audio[0].sample_rate,
        film.audio[0].channels,
    )
    assert card.container == film.container
    assert (
        read_video_bitstream(made["card"]).time_base == read_video_bitstream(made["film"]).time_base
    )
    code, out_text, err = run_cli("verify", str(kit / "out" / BUNDLE))
    assert code == 0, out_text + err
