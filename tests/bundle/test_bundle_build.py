"""The whole matrix: ``screenkit build --all`` on the sample kit, then what it made.

One build is shared by the module (see ``built_all``): it is the suite's most expensive test.
Tests that change anything work on a copy (a bundle folder, or a kit whose cache is the
shared one through a symlink) so that the order of the tests does not matter.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
from pathlib import Path

import pysubs2
import pytest
from bundle_helpers import SPEED, kit_with_film, run_cli

from screenkit.bundle.documents import assemble
from screenkit.bundle.documents.manifest import read_manifest
from screenkit.bundle.engine.cache import StepCache
from screenkit.bundle.kinds.sheet import HTML_NAME, TEXT_NAME
from screenkit.kit import load_kit
from screenkit.media.probe import probe
from screenkit.presets import standard_presets

pytestmark = pytest.mark.slow


def bundles(kit: Path) -> list[Path]:
    return sorted(p for p in (kit / "out").iterdir() if not p.name.startswith("."))


def journal_done(kit: Path, kind: str) -> list[str]:
    cache = StepCache(kit / ".screenkit" / "cache")
    return [r.key for r in cache.journal() if r.kind == kind and r.event == "done"]


def test_every_bundle_of_the_matrix_verifies(built_all: Path) -> None:
    kit = load_kit(built_all)
    folders = bundles(built_all)
    assert [f.name for f in folders] == sorted(
        f"sample-{lang}-{preset}" for lang in kit.languages for preset in standard_presets("file")
    )
    for folder in folders:
        code, out, err = run_cli("verify", str(folder))
        assert code == 0, out + err
        assert "OK" in err


def test_a_bundle_holds_what_the_design_says(built_all: Path) -> None:
    folder = built_all / "out" / "sample-uk-usb-player-legacy"
    manifest = read_manifest(folder)
    video = folder / "Preparing a Screening (uk, usb-player-legacy).mp4"
    assert manifest.video == video.name and video.is_file()
    names = {f.path for f in manifest.files}
    assert {
        video.name,
        "test-clip.mp4",
        HTML_NAME,
        TEXT_NAME,
        "images/card.png",
        "images/subtitled-frame.png",
        "poster.pdf",
        "index.html",  # a browser plays MP4 + H.264 + AAC: the page comes with it
    } <= names
    laptop = {f.path for f in read_manifest(built_all / "out" / "sample-uk-laptop").files}
    assert "poster.pdf" in laptop and "index.html" not in laptop  # MKV: no browser page
    # readable by others: the folder is copied to a stick, shared, served
    umask = os.umask(0)
    os.umask(umask)
    assert folder.stat().st_mode & 0o777 == 0o777 & ~umask
    legacy = folder / "subtitles" / "Preparing a Screening (uk, usb-player-legacy).uk.cp1251.srt"
    utf8 = folder / "subtitles" / "Preparing a Screening (uk, usb-player-legacy).uk.srt"
    assert legacy.read_bytes().decode("cp1251") == utf8.read_text(encoding="utf-8")
    card = json.loads((folder / "manifest.json").read_text())["options"]
    assert card["burn"] == "uk" and card["lang"] == "uk"
    # the sidecar is timed for the file it goes with: the card comes first
    source = pysubs2.load(str(built_all / "subtitles" / "uk.srt"))
    shifted = pysubs2.load(str(utf8))
    offset = shifted[0].start - source[0].start
    assert 11_000 < offset < 13_000
    assert all(b.start - a.start == offset for a, b in zip(source, shifted, strict=True))
    master = next(i for i in manifest.inputs if i.role == "master")
    assert master.path == "media/film.mkv"
    assert manifest.preset.name == "usb-player-legacy"
    assert manifest.ffmpeg_version and manifest.screenkit_version
    for record in manifest.files:
        assert (folder / record.path).stat().st_size == record.size
    html = (folder / HTML_NAME).read_text()
    assert 'src="images/card.png"' in html and "Будь ласка" in html


def test_the_uk_and_it_sheets_speak_their_language(built_all: Path) -> None:
    uk = (built_all / "out" / "sample-uk-usb-player" / TEXT_NAME).read_text(encoding="utf-8")
    for words in ("Що всередині", "Як відтворити", "Якщо щось пішло не так", "Заклик"):
        assert words in uk
    assert "What is inside" not in uk and "How to play it" not in uk
    assert "Не копіюйте файл субтитрів" in uk  # burned: no sidecar beside the film
    # the exact, measured lengths of the card and the test clip
    card = re.search(r"Картка із закликом показується (\d+(?:,\d+)?) с перед фільмом", uk)
    clip = re.search(r"Тестовий ролик test-clip\.mp4 триває (\d+(?:,\d+)?) с", uk)
    assert card and clip, uk
    assert 11.5 < float(card[1].replace(",", ".")) < 13.5
    folder = built_all / "out" / "sample-it-laptop"
    it = (folder / HTML_NAME).read_text(encoding="utf-8")
    assert '<html lang="it">' in it and "Che cosa contiene" in it and "Se qualcosa va storto" in it
    assert "sottotitoli: ucraino (UTF-8)" in it
    clip_seconds = probe(folder / "test-clip.mkv").duration
    assert f"{clip_seconds:.3f}".rstrip("0").rstrip(".").replace(".", ",") + " s" in it


def test_soft_bundles_share_one_film_encode(built_all: Path) -> None:
    films = journal_done(built_all, "film")
    # usb-player and its legacy variant burn each language: 2 x 5; laptop, web, archive: 1 each
    assert len(films) == len(set(films)) == 13
    manifests = [
        read_manifest(built_all / "out" / f"sample-{lang}-laptop")
        for lang in ("en", "it", "uk", "pl", "de")
    ]
    film_steps = {next(s.key for s in m.steps if s.kind == "film") for m in manifests}
    assert len(film_steps) == 1


def test_the_laptop_bundle_carries_every_track_soft(built_all: Path) -> None:
    folder = built_all / "out" / "sample-it-laptop"
    info = probe(folder / "Preparing a Screening (it, laptop).mkv")
    assert [s.language for s in info.subtitles] == ["ita", "eng", "ukr", "pol", "ger"]
    assert [s.default for s in info.subtitles] == [True, False, False, False, False]
    clip = probe(folder / "test-clip.mkv")
    assert 50 <= clip.duration <= 64  # a subtitle event may run on past the cut
    assert len(clip.subtitles) == 5


def test_rebuilding_with_nothing_changed_runs_nothing(built_all: Path) -> None:
    code, out, err = run_cli("build", "--kit", str(built_all), "--all", "--speed", SPEED, "--json")
    assert code == 0, err
    report = json.loads(out)
    assert {b["status"] for b in report["bundles"]} == {"up to date"}
    assert report["steps"] == []


def test_dry_run_shows_the_commands_and_what_is_cached(built_all: Path) -> None:
    code, out, err = run_cli(
        "build", "--kit", str(built_all), "demo", "--speed", SPEED, "--dry-run", "--json"
    )
    assert code == 0, err
    plan = json.loads(out)
    steps = {s["kind"]: s for s in plan["steps"]}
    assert not plan["bundles"][0]["up_to_date"]  # out/sample-demo was never built
    # demo is en-usb-player under another name: only the sheet, which names it, is new
    states = {s["kind"]: s["state"] for s in plan["steps"]}
    assert states.pop("sheet") == "to run"
    assert states.pop("manifest") == "always runs"
    assert set(states.values()) == {"cached"}
    *encodes, measure = steps["film"]["commands"]
    film = encodes[-1]
    graph = film[film.index("-filter_complex") + 1]
    assert "libx264" in film and "subtitles=" in graph
    # the picture quality is measured last, against the master fed the same way
    assert "ssim=" in measure[measure.index("-filter_complex") + 1] and measure[-1] == "-"
    # the loudness measurement is cached, so the gain is in the command, not a placeholder
    assert "volume=" in graph or "loudnorm" in graph
    assert "nan" not in graph
    assert "loudnorm" in " ".join(steps["loudness"]["commands"][0])
    assert not (built_all / "out" / "sample-demo").exists()


def test_a_sidecar_only_bundle_gives_its_test_clip_a_track(built_all: Path) -> None:
    folder = built_all / "out" / "sample-uk-web"
    clip_track = pysubs2.load(str(folder / "test-clip.uk.vtt"))
    full_track = pysubs2.load(str(folder / "subtitles" / "Preparing a Screening (uk, web).uk.vtt"))
    assert clip_track[0].start == full_track[0].start  # the clip starts like the film here
    assert clip_track[-1].end <= 64_000
    html = (folder / HTML_NAME).read_text()
    assert "test-clip.uk.vtt" in html and "index.html" in html
    # no <track src> player in the sheet: from file:// a browser refuses it; the page plays
    assert "<track " not in html and (folder / "index.html").is_file()


def test_flipping_one_byte_of_the_video_fails_verify(built_all: Path, tmp_path: Path) -> None:
    folder = shutil.copytree(built_all / "out" / "sample-pl-web", tmp_path / "sample-pl-web")
    video = folder / "Preparing a Screening (pl, web).mp4"
    with video.open("r+b") as fh:
        fh.seek(video.stat().st_size // 2)
        byte = fh.read(1)
        fh.seek(-1, os.SEEK_CUR)
        fh.write(bytes([byte[0] ^ 0x01]))
    code, out, _ = run_cli("verify", str(folder))
    assert code == 1
    assert f"problem: {video.name}: content changed" in out
    code, out, _ = run_cli("verify", "--json", str(folder))
    report = json.loads(out)
    assert code == 1 and not report["ok"]
    assert [p["path"] for p in report["problems"]] == [video.name]


def _kit_sharing_the_cache(built_all: Path, dest: Path) -> Path:
    kit = kit_with_film(dest, built_all / "media" / "film.mkv")
    (kit / ".screenkit").symlink_to(built_all / ".screenkit")
    return kit


def test_a_changed_appeal_renders_the_card_again_and_not_the_film(
    built_all: Path, tmp_path: Path
) -> None:
    kit = _kit_sharing_the_cache(built_all, tmp_path / "kit")
    (kit / "appeal" / "en.txt").write_text("A new appeal: the roof needs mending.\n")
    code, out, err = run_cli(
        "build",
        "--kit",
        str(kit),
        "--preset",
        "usb-player",
        "--lang",
        "en",
        "--speed",
        SPEED,
        "--json",
    )
    assert code == 0, err
    ran = {s["kind"]: s["status"] for s in json.loads(out)["steps"]}
    assert ran["film"] == ran["loudness"] == "cached"
    assert ran["card"] == ran["join"] == "built"
    folder = kit / "out" / "sample-en-usb-player"
    assert run_cli("verify", str(folder))[0] == 0
    assert "the roof needs mending" in (folder / TEXT_NAME).read_text()


def test_a_full_disk_while_writing_the_bundle(
    built_all: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out_dir = tmp_path / "stick"

    def no_room(src: object, dst: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(dst))

    monkeypatch.setattr(assemble.os, "link", no_room)
    code, _, err = run_cli(
        "build", "--kit", str(built_all), "demo", "--out", str(out_dir), "--speed", SPEED
    )
    assert code == 1
    assert err.startswith("Error: no space left on the disk holding")
    assert "while writing the bundle sample-demo" in err
    assert list(out_dir.iterdir()) == []  # no partial bundle left behind
    monkeypatch.undo()
    cache = StepCache(built_all / ".screenkit" / "cache")
    keys = [folder.name for folder in (cache.root / "objects").glob("*/*")]
    assert all(cache.lookup(key) is not None for key in keys)  # every entry still sound
    code, out, err = run_cli(
        "build", "--kit", str(built_all), "demo", "--out", str(out_dir), "--speed", SPEED, "--json"
    )
    assert code == 0, err
    assert {s["status"] for s in json.loads(out)["steps"] if s["kind"] != "manifest"} == {"cached"}
    assert run_cli("verify", str(out_dir / "sample-demo"))[0] == 0


def test_every_film_encode_records_its_picture_quality(built_all: Path) -> None:
    """In the manifest and the sheet's specs; a copied video stream alone has none."""
    cache = StepCache(built_all / ".screenkit" / "cache")
    measured = 0
    for folder in bundles(built_all):
        manifest = read_manifest(folder)
        film = next(s for s in manifest.steps if s.kind == "film")
        entry = cache.peek_entry(film.key) if film.key else None
        assert entry is not None
        if entry.meta["copied_video"]:
            assert manifest.quality is None
            continue
        quality = manifest.quality
        assert quality is not None, folder.name
        assert (
            0.9 < quality["ssim"] < 1.0
            and quality["psnr"] > 25
            and quality["frames"] * quality["every"] >= 1450
        )
        assert quality == entry.meta["quality"]
        sheet = (folder / TEXT_NAME).read_text(encoding="utf-8")
        assert f"SSIM {quality['ssim']:.4f}" in sheet
        assert f"SSIM {quality['ssim']:.4f}" in (folder / HTML_NAME).read_text(encoding="utf-8")
        measured += 1
    assert measured >= 10


def test_verify_does_not_measure_the_quality_again(
    built_all: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from screenkit.encode import quality, run

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("verify measured the picture quality")

    monkeypatch.setattr(quality, "measure_quality", refuse)
    monkeypatch.setattr(run, "measure_quality", refuse)
    folder = built_all / "out" / "sample-en-usb-player"
    code, out, err = run_cli("verify", str(folder), "--json")
    assert code == 0, out + err
    assert read_manifest(folder).quality is not None


def test_the_page_speaks_the_bundle_language(built_all: Path) -> None:
    # the page's buttons and notices were English in every bundle
    uk = (built_all / "out" / "sample-uk-web" / "index.html").read_text(encoding="utf-8")
    assert 'aria-label="Відтворити"' in uk and "Переглянути знову" in uk
    assert "Клавіші: пробіл" in uk and ">Play<" not in uk and "Watch again" not in uk
    en = (built_all / "out" / "sample-en-web" / "index.html").read_text(encoding="utf-8")
    assert 'aria-label="Play"' in en and "Watch again" in en
