"""DVD and DivX bundles of the sample kit, built by `screenkit build` and read back as the
venue's player would: lsdvd and our IFO read, mpv playing the disc and the AVI, xorriso
listing the image, ffprobe and the AVI header for the DivX codec tags, tesseract reading
the burned Italian, the sidecar's bytes in cp1252; then `screenkit verify`.

They need dvdauthor/spumux, xorriso and lsdvd (the DivX ones only ffmpeg); mpv and
tesseract tests skip without them, saying so.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import numpy as np
import pysubs2
import pytest
from bundle_helpers import REPO, kit_with_film, run_cli

from screenkit.bundle.documents.manifest import read_manifest
from screenkit.bundle.documents.verify_legacy import check_divx_sidecar, check_dvd
from screenkit.bundle.engine.cache import StepCache
from screenkit.dvd import missing_tools, read_dvd, require_dvd_tools
from screenkit.dvd.iso import iso_listing
from screenkit.encode.divx import avi_fourcc
from screenkit.i18n import translator
from screenkit.media.binaries import FFmpeg, find_ffmpeg
from screenkit.media.probe import probe
from screenkit.sample.film import render_film
from screenkit.subtitles.load import load_track

DVD = "sample-uk-dvd-pal"
DIVX = "sample-it-divx"
KIT_ORDER = ("uk", "en", "it", "pl", "de")
"""The screening language first, then the kit's order."""

needs_dvd_tools = pytest.mark.skipif(
    bool(missing_tools()),
    reason=f"DVD tools missing: {', '.join(missing_tools())} (apt-get install dvdauthor "
    "xorriso lsdvd)",
)


def _build(kit: Path, preset: str, lang: str) -> dict[str, str]:
    code, out, err = run_cli(
        "build", "--kit", str(kit), "--preset", preset, "--lang", lang, "--json"
    )  # fmt: skip
    assert code == 0, err
    return {s["kind"]: s["status"] for s in json.loads(out)["steps"]}


@pytest.fixture(scope="module")
def old_kit(ffmpeg: FFmpeg, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample kit with a 640x360 stand-in: a DivX file keeps the master's size, and text
    on a 320x180 picture is too small to read back (the DVD is 720x576 whatever it gets)."""
    folder = tmp_path_factory.mktemp("old-players")
    spans = [(e.start / 1000, e.end / 1000) for e in pysubs2.load(str(REPO / "subtitles/en.srt"))]
    film = render_film(
        folder / "film.mkv",
        spans=spans,
        duration=spans[-1][1] + 3.0,
        width=640,
        height=360,
        ffmpeg=ffmpeg,
        x264_preset="ultrafast",
    )
    return kit_with_film(folder / "kit", film)


@pytest.fixture(scope="module")
def dvd_bundle(old_kit: Path) -> Path:
    if missing_tools():
        pytest.skip(f"DVD tools missing: {', '.join(missing_tools())}")
    ran = _build(old_kit, "dvd-pal", "uk")
    assert ran["film"] == ran["subpictures"] == ran["dvdauthor"] == ran["dvdiso"] == "built"
    return old_kit / "out" / DVD


@pytest.fixture(scope="module")
def divx_bundle(old_kit: Path) -> Path:
    _build(old_kit, "divx", "it")
    return old_kit / "out" / DIVX


def _mpv(*args: str) -> subprocess.CompletedProcess[str]:
    if shutil.which("mpv") is None:
        pytest.skip("mpv is not installed (apt-get install mpv)")
    return subprocess.run(
        # 20 times real time, every frame decoded: nothing paces a null output
        [
            "mpv",
            "--no-config",
            "--vo=null",
            "--ao=null",
            "--length=10",
            "--speed=20",
            "--audio-pitch-correction=no",
            "--framedrop=no",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@needs_dvd_tools
def test_the_dvd_reads_back_as_one_title_with_the_kit_languages(dvd_bundle: Path) -> None:
    raw = subprocess.run(
        ["lsdvd", "-x", str(dvd_bundle)], capture_output=True, text=True, check=True
    ).stdout
    assert len(re.findall(r"^Title: \d+", raw, re.M)) == 1 and "Aspect ratio: 16/9" in raw, raw
    assert "Audio streams: 01" in raw and "Subpictures: 05" in raw, raw
    report = read_dvd(dvd_bundle, require_dvd_tools())
    (title,) = report.titles
    assert title.aspect == "16/9" and (title.width, title.height) == (720, 576)
    assert len(title.audio) == 1 and title.audio[0].format == "ac3"
    assert title.subpictures == KIT_ORDER
    assert report.shown_subpicture == 0, "the screening language is not switched on at the start"
    assert title.cells == 2  # the card's cell, the film's
    assert title.chapters >= 2


@needs_dvd_tools
def test_both_probe_routes_read_the_vob_whose_subpictures_start_after_the_card(
    dvd_bundle: Path, system_ffmpeg: FFmpeg
) -> None:
    # the subpicture streams appear only in the film's cell, 12 s in: PyAV, not told of them
    # when the file was opened, failed on their first packet (IndexError) in the VFR scan
    vob = dvd_bundle / "VIDEO_TS" / "VTS_01_1.VOB"
    by_pyav = probe(vob, route="pyav")
    by_ffprobe = probe(vob, route="ffprobe", ffmpeg=system_ffmpeg)
    assert by_pyav.video is not None and by_ffprobe.video is not None
    assert by_pyav.video.vfr is by_ffprobe.video.vfr is False
    assert abs(by_pyav.duration - by_ffprobe.duration) < 0.1


@needs_dvd_tools
def test_mpv_plays_the_disc_with_ukrainian_subpictures_first(
    dvd_bundle: Path, tmp_path: Path
) -> None:
    # mpv ignores a disc's pre-commands (its own track choice wins), so stream 1 is asked for
    # explicitly: that it is Ukrainian is the disc's tagging; that the disc switches it on
    # by itself is checked from the IFO in the test above
    done = _mpv(f"--dvd-device={dvd_bundle / 'VIDEO_TS'}", "dvd://", "--sid=1")
    assert done.returncode == 0, done.stderr
    lines = done.stdout + done.stderr
    assert "(+) Subs  --sid=1 --slang=uk (dvd_subtitle)" in lines, lines
    assert "(+) Video --vid=1 (mpeg2video 720x576 25.000fps)" in lines, lines
    errors = [ln for ln in lines.splitlines() if "error" in ln.lower()]
    assert not errors, errors
    if shutil.which("tesseract") is None:
        pytest.skip("no tesseract on this machine: the subpictures' words not read")
    # one frame as mpv shows it, 25 s into the film (after the 12 s card): Ukrainian words
    shots = tmp_path / "shots"
    subprocess.run(
        ["mpv", "--no-config", "--ao=null", "--vo=image", "--vo-image-format=png",
         f"--vo-image-outdir={shots}", f"--dvd-device={dvd_bundle / 'VIDEO_TS'}", "dvd://",
         "--sid=1", "--start=37", "--frames=1"],
        capture_output=True, timeout=120, check=True,
    )  # fmt: skip
    (shot,) = shots.iterdir()
    read = _ocr(shot, "ukr", tmp_path)
    track = (REPO / "subtitles" / "uk.srt").read_text(encoding="utf-8").lower()
    seen = set(re.findall(r"\w{4,}", read.lower())) & set(re.findall(r"\w{4,}", track))
    assert len(seen) >= 2, read


@needs_dvd_tools
def test_the_image_holds_the_dvd_and_verify_passes(dvd_bundle: Path) -> None:
    manifest = read_manifest(dvd_bundle)
    assert manifest.test_clip is None and manifest.video.endswith(".iso")
    listing = iso_listing(dvd_bundle / manifest.video, require_dvd_tools())
    for name in ("VIDEO_TS.IFO", "VIDEO_TS.BUP", "VTS_01_0.IFO", "VTS_01_1.VOB"):
        assert f"/VIDEO_TS/{name}" in listing, listing
    code, out, err = run_cli("verify", str(dvd_bundle), "--json")
    assert code == 0, out + err
    sheet = (dvd_bundle / "SCREENING.txt").read_text(encoding="utf-8")
    assert manifest.video in sheet and "VIDEO_TS/" in sheet


@needs_dvd_tools
def test_verify_reads_the_disc_against_the_manifest(dvd_bundle: Path) -> None:
    manifest = read_manifest(dvd_bundle)
    assert check_dvd(dvd_bundle, manifest, find_ffmpeg()) == ([], [])
    # a manifest that asked for another language order: the disc read back disagrees
    other = replace(manifest, options={**manifest.options, "soft": ["en", "uk", "it", "pl", "de"]})
    problems, _ = check_dvd(dvd_bundle, other, find_ffmpeg())
    assert any("subpicture streams" in what for _, what in problems), problems


@needs_dvd_tools
def test_a_new_appeal_re_authors_the_dvd_without_encoding_the_film(
    dvd_bundle: Path, old_kit: Path
) -> None:
    before = read_manifest(dvd_bundle)
    (old_kit / "appeal" / "uk.txt").write_text("Новий заклик: дах треба полагодити.\n")
    ran = _build(old_kit, "dvd-pal", "uk")
    assert ran["film"] == ran["loudness"] == ran["subpictures"] == "cached", ran
    assert ran["legacycard"] == ran["dvdauthor"] == ran["dvdiso"] == "built", ran
    after = read_manifest(dvd_bundle)
    film = {s.kind: s.key for s in before.steps}
    assert {s.kind: s.key for s in after.steps}["film"] == film["film"]
    assert run_cli("verify", str(dvd_bundle))[0] == 0
    assert "дах треба полагодити" in (dvd_bundle / "SCREENING.txt").read_text(encoding="utf-8")


def test_the_divx_bundle_is_an_xvid_avi_with_mp3(divx_bundle: Path) -> None:
    manifest = read_manifest(divx_bundle)
    avi = divx_bundle / manifest.video
    info = probe(avi)
    assert "avi" in info.container.split(",")
    assert info.video is not None and info.video.codec == "mpeg4"
    assert info.video.width <= 720 and info.video.height <= 576
    assert avi_fourcc(avi) == ("XVID", "XVID")
    assert [a.codec for a in info.audio] == ["mp3"] and info.audio[0].sample_rate == 48000
    code, out, err = run_cli("verify", str(divx_bundle))
    assert code == 0, out + err
    done = _mpv(str(avi))
    assert done.returncode == 0 and "mpeg4" in done.stdout + done.stderr, done.stderr


def test_the_divx_sidecar_is_named_like_the_avi_in_cp1252(divx_bundle: Path) -> None:
    manifest = read_manifest(divx_bundle)
    sidecar = (divx_bundle / manifest.video).with_suffix(".srt")
    raw = sidecar.read_bytes()
    assert "è".encode("cp1252") in raw  # "l'immagine è nitida"
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    track = load_track(sidecar, lang="it", encoding="cp1252").subs
    card = probe(divx_bundle / manifest.video).duration - probe(old_film(divx_bundle)).duration
    original = load_track(REPO / "subtitles" / "it.srt", lang="it").subs
    shift = (track[0].start - original[0].start) / 1000
    assert abs(shift - card) < 0.2, (shift, card)  # timed for the film behind the card


def old_film(bundle: Path) -> Path:
    kit = bundle.parents[1]
    return kit / "media" / "film.mkv"


def _ocr(picture: Path, lang: str, tmp_path: Path) -> str:
    """tesseract on the lower part of ``picture``, three times larger, white text kept
    (the colour bars behind it dropped)."""
    width = probe(picture).video.width * 3  # type: ignore[union-attr]
    raw = tmp_path / "lower.rgb"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-i", str(picture), "-vf",
         "crop=iw:ih*0.3:0:ih*0.7,scale=iw*3:-1:flags=lanczos", "-f", "rawvideo",
         "-pix_fmt", "rgb24", str(raw)],
        check=True,
    )  # fmt: skip
    rgb = np.frombuffer(raw.read_bytes(), np.uint8).reshape(-1, width, 3)
    text = np.where(rgb.min(axis=2) > 170, 0, 255).astype(np.uint8)
    pgm = tmp_path / "lower.pgm"
    pgm.write_bytes(f"P5 {width} {text.shape[0]} 255\n".encode() + text.tobytes())
    done = subprocess.run(
        ["tesseract", str(pgm), "-", "-l", lang, "--psm", "6"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout


def test_the_divx_film_shows_the_italian_burned_in(divx_bundle: Path, tmp_path: Path) -> None:
    if shutil.which("tesseract") is None:
        pytest.skip("no tesseract on this machine: burned subtitles not read")
    # the sheet's subtitled frame is the AVI's own picture (burned: nothing drawn on it)
    read = _ocr(divx_bundle / "images" / "subtitled-frame.png", "ita", tmp_path)
    italian = (REPO / "subtitles" / "it.srt").read_text(encoding="utf-8").lower()
    seen = set(re.findall(r"\w{4,}", read.lower())) & set(re.findall(r"\w{4,}", italian))
    assert len(seen) >= 3, read


def test_a_dvd_build_without_its_tools_fails_before_encoding(
    sample_kit: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bare = tmp_path / "bin"
    bare.mkdir()
    for tool in ("ffmpeg", "ffprobe"):
        found = shutil.which(tool)
        if found:
            (bare / tool).symlink_to(found)
    monkeypatch.setenv("PATH", str(bare))
    monkeypatch.setenv("SCREENKIT_FFMPEG", str(find_ffmpeg().path))
    code, _, err = run_cli("build", "--kit", str(sample_kit), "--preset", "dvd-pal", "--lang", "uk")
    assert code == 1
    assert "Error: a DVD needs dvdauthor, spumux, xorriso, lsdvd" in err, err
    assert "apt-get install dvdauthor xorriso lsdvd" in err
    journal = StepCache(sample_kit / ".screenkit" / "cache").journal()
    assert not [r for r in journal if r.kind in ("film", "loudness")], "ran before the check"


@needs_dvd_tools
def test_an_outro_is_a_third_cell_and_the_film_is_not_encoded_again(
    dvd_bundle: Path, old_kit: Path
) -> None:
    code, out, err = run_cli(
        "build", "--kit", str(old_kit), "--preset", "dvd-pal", "--lang", "uk", "--outro", "15",
        "--json",
    )  # fmt: skip
    assert code == 0, err
    ran = {s["kind"]: s["status"] for s in json.loads(out)["steps"]}
    assert ran["film"] == ran["subpictures"] == "cached", ran
    (title,) = read_dvd(dvd_bundle, require_dvd_tools()).titles
    assert title.cells == 3  # card, film, outro
    code, out, err = run_cli("verify", str(dvd_bundle))
    assert code == 0, out + err  # the VOB's rate over the title's length, not its timestamps
    sheet = (dvd_bundle / "SCREENING.txt").read_text(encoding="utf-8")
    assert "15" in sheet


@needs_dvd_tools
def test_verify_without_lsdvd_says_what_it_did_not_check(
    dvd_bundle: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from screenkit.bundle.documents import verify_legacy

    monkeypatch.setattr(verify_legacy, "find_tool", lambda name: None)
    problems, warnings = check_dvd(dvd_bundle, read_manifest(dvd_bundle), find_ffmpeg())
    assert problems == []
    assert len(warnings) == 1 and "apt-get install dvdauthor xorriso lsdvd" in warnings[0]


def test_burn_on_a_dvd_preset_names_the_subpictures(sample_kit: Path) -> None:
    code, _, err = run_cli(
        "build", "--kit", str(sample_kit), "--preset", "dvd-pal", "--lang", "uk", "--burn", "en"
    )  # fmt: skip
    assert code == 1 and "Traceback" not in err
    assert "carries them as DVD subpictures, chosen with the remote" in err, err


@needs_dvd_tools
def test_the_dvd_sheet_says_in_ukrainian_how_to_burn_and_the_subtitle_button(
    dvd_bundle: Path,
) -> None:
    tr = translator("uk")
    sheet = (dvd_bundle / "SCREENING.txt").read_text(encoding="utf-8")
    button = (
        "The remote's subtitle button (SUBTITLE or SUB) switches to another language or "
        "turns the subtitles off; next and previous skip five minutes (a chapter)."
    )
    assert tr.gettext(button) != button and tr.gettext(button) in sheet
    iso = read_manifest(dvd_bundle).video
    assert f"«{iso}»" in sheet or f"'{iso}'" in sheet  # the burn step names the image
    assert "test-clip" not in sheet  # a DVD has none: the disc itself is tried


def test_the_divx_sheet_says_in_italian_to_copy_the_avi_and_its_srt(divx_bundle: Path) -> None:
    sheet = (divx_bundle / "SCREENING.txt").read_text(encoding="utf-8")
    video = read_manifest(divx_bundle).video
    srt = Path(video).with_suffix(".srt").name
    steps = [line for line in sheet.splitlines() if video in line and srt in line]
    assert steps, sheet
    tr = translator("it")
    copy = (
        "Copy '{name}' and '{srt}' to the top folder of a USB stick (FAT32), not into a "
        "folder, and keep their names: the player finds the subtitles by the name."
    )
    assert tr.gettext(copy).format(name=video, srt=srt) in sheet


def test_verify_finds_a_divx_sidecar_saved_as_utf8(divx_bundle: Path, tmp_path: Path) -> None:
    copy = tmp_path / "bundle"
    shutil.copytree(divx_bundle, copy)
    manifest = read_manifest(copy)
    assert check_divx_sidecar(copy, manifest) == []
    sidecar = (copy / manifest.video).with_suffix(".srt")
    sidecar.write_text(sidecar.read_bytes().decode("cp1252"), encoding="utf-8")
    problems = check_divx_sidecar(copy, manifest)
    assert problems and "cp1252" in problems[0][1], problems


@needs_dvd_tools
def test_a_kit_of_more_languages_than_a_dvd_holds_is_refused_before_encoding(
    sample_kit: Path,
) -> None:
    langs = ["en", "it", "uk", "pl", "de", "fr", "es", "pt", "nl", "sv", "da", "fi", "no", "is",
             "et", "lv", "lt", "cs", "sk", "sl", "hr", "sr", "bg", "ro", "hu", "el", "tr", "ka",
             "hy", "be", "ru", "ca", "eu"]  # fmt: skip
    for lang in langs:
        target = sample_kit / "subtitles" / f"{lang}.srt"
        if not target.exists():
            shutil.copyfile(sample_kit / "subtitles" / "en.srt", target)
    toml = sample_kit / "screenkit.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(
        text.replace(
            'languages = ["en", "it", "uk", "pl", "de"]', f"languages = {langs!r}".replace("'", '"')
        ),
        encoding="utf-8",
    )
    code, _, err = run_cli("build", "--kit", str(sample_kit), "--preset", "dvd-pal", "--lang", "uk")
    assert code == 1 and "at most 32 subtitle streams; the kit has 33 languages" in err, err
    journal = StepCache(sample_kit / ".screenkit" / "cache").journal()
    assert not [r for r in journal if r.kind == "film"]


@needs_dvd_tools
def test_the_dry_run_promises_commands_only_for_ffmpeg_steps(sample_kit: Path) -> None:
    code, out, err = run_cli(
        "build", "--kit", str(sample_kit), "--preset", "dvd-pal", "--lang", "uk", "--dry-run",
        "--json",
    )  # fmt: skip
    assert code == 0, err
    steps = {s["kind"]: s for s in json.loads(out)["steps"]}
    for kind in ("dvdauthor", "dvdiso", "sheet", "poster"):  # they run no ffmpeg
        assert "exact commands" not in (steps[kind]["note"] or ""), steps[kind]
    assert "dvdauthor (not ffmpeg)" in steps["dvdauthor"]["note"]
    assert "exact commands once" in steps["subpictures"]["note"]  # waits for the film


def test_a_divx_bundle_of_a_film_shorter_than_its_test_clip_builds(
    ffmpeg: FFmpeg, tmp_path: Path
) -> None:
    """An 8-s master: the clip is the card and the whole film, cut from the start. The AVI's
    first keyframe has a time of two frames (its B-frame delay), which read as a stretch
    starting after the start and cut an unreadable one."""
    film = render_film(
        tmp_path / "film.mkv",
        spans=[(1.0, 3.0), (4.0, 6.0)],
        duration=8.0,
        width=320,
        height=180,
        ffmpeg=ffmpeg,
        x264_preset="ultrafast",
    )
    kit = kit_with_film(tmp_path / "kit", film)
    ran = _build(kit, "divx", "it")
    assert ran["clip"] == "built"
    clip = probe(kit / "out" / DIVX / "test-clip.avi")
    whole = probe(kit / "out" / DIVX / "Preparing a Screening (it, divx).avi")
    assert clip.duration == pytest.approx(whole.duration, abs=0.2)
