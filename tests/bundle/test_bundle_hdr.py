"""A phone's HDR master through whole bundles: the film, card and test clip in the same SDR,
the sheet and the manifest say it, verify checks it (issue 21)."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import av
import pytest
from bundle_helpers import SPEED, kit_with_film, run_cli

import screenkit.encode.colour as colour_module
import support
from screenkit.dvd.tools import find_tool
from screenkit.encode.colour import ToneMapping
from screenkit.media.binaries import FFmpeg
from screenkit.media.colour import MATRICES, PRIMARIES, RANGES, TRANSFERS, tag_name
from screenkit.media.probe import probe
from screenkit.media.runner import input_arg, output_arg, run_ffmpeg
from support import MakeSource

pytestmark = pytest.mark.slow

SDR709 = ("bt709", "bt709", "bt709", "tv")
HLG = ("bt2020", "arib-std-b67", "bt2020nc", "tv")
SHEET_WORDS = {
    "uk": "перетворено з HDR (HLG) майстер-копії в SDR (BT.709, 8 біт) тональним відображенням",
    "it": "convertito dall'HDR (HLG) del master in SDR (BT.709, 8 bit) con il tone mapping",
}


@pytest.fixture(scope="module")
def hdr_kit(make_master: MakeSource, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample kit with a 4-s 10-bit HEVC HLG master (320x180) for its film."""
    master = make_master("kit-hlg.mp4", kind="hlg", duration=4.0)
    return kit_with_film(tmp_path_factory.mktemp("hdr") / "kit", master)


def _build(kit: Path, preset: str, lang: str) -> Path:
    return _build_saying(kit, preset, lang)[0]


def _build_saying(kit: Path, preset: str, lang: str) -> tuple[Path, str]:
    """The bundle's folder and what the build said on stderr (its warnings)."""
    code, _, err = run_cli(
        "build", "--kit", str(kit), "--preset", preset, "--lang", lang, "--speed", SPEED
    )
    assert code == 0, err
    return kit / "out" / f"sample-{lang}-{preset}", err


def _frame_tags(path: Path, at: float) -> tuple[str | None, ...]:
    """The tags of the decoded frame at ``at`` seconds: what the bitstream says there."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        for frame in container.decode(stream):
            if frame.time is not None and frame.time >= at:
                return (
                    tag_name(PRIMARIES, int(frame.color_primaries)),
                    tag_name(TRANSFERS, int(frame.color_trc)),
                    tag_name(MATRICES, int(frame.colorspace)),
                    tag_name(RANGES, int(frame.color_range)),
                )
    raise AssertionError(f"{path} has no frame at {at} s")


@pytest.fixture(scope="module")
def usb_uk_build(hdr_kit: Path) -> tuple[Path, str]:
    return _build_saying(hdr_kit, "usb-player", "uk")


@pytest.fixture(scope="module")
def usb_uk(usb_uk_build: tuple[Path, str]) -> Path:
    return usb_uk_build[0]


def test_film_card_and_clip_are_bt709_8_bit(usb_uk: Path) -> None:
    manifest = json.loads((usb_uk / "manifest.json").read_text(encoding="utf-8"))
    video = usb_uk / manifest["video"]
    for path in (video, usb_uk / manifest["test_clip"]):
        info = probe(path).video
        assert info is not None
        assert (info.pix_fmt, info.colour.bit_depth, info.colour.tags) == ("yuv420p", 8, SDR709)
    card_seconds = 0.5  # inside the card
    assert _frame_tags(video, card_seconds) == SDR709
    assert _frame_tags(video, probe(video).duration - 1.0) == SDR709  # inside the film


def test_the_card_joins_with_the_films_own_headers(usb_uk_build: tuple[Path, str]) -> None:
    """A card whose SPS lacked the film's colour VUI made the join fall back to in-band
    headers, with a warning the build prints."""
    _, said = usb_uk_build
    assert "headers differ" not in said


def test_sheet_and_manifest_say_it(usb_uk: Path) -> None:
    sheet = (usb_uk / "SCREENING.txt").read_text(encoding="utf-8")
    assert SHEET_WORDS["uk"] in sheet
    assert SHEET_WORDS["uk"] in (usb_uk / "SCREENING.html").read_text(encoding="utf-8")
    manifest = json.loads((usb_uk / "manifest.json").read_text(encoding="utf-8"))
    colour = manifest["colour"]
    assert colour["action"] == "tone-map" and colour["tagged"] is True
    assert colour["source"]["dynamic_range"] == "hlg" and colour["source"]["bit_depth"] == 10
    source = (colour["source"][k] for k in ("primaries", "transfer", "matrix", "range"))
    assert tuple(source) == HLG
    output = (colour["output"][k] for k in ("primaries", "transfer", "matrix", "range"))
    assert tuple(output) == SDR709 and colour["output"]["bit_depth"] == 8
    assert colour["tone_mapping"]["operator"] == colour_module.TONE_MAPPING.operator
    # the quality is measured through the same tone mapping: compression alone
    assert manifest["quality"]["ssim"] > 0.9


def test_verify_passes(usb_uk: Path) -> None:
    code, out, err = run_cli("verify", str(usb_uk))
    assert code == 0, out + err


def test_italian_sheet_names_the_tone_mapping(hdr_kit: Path) -> None:
    folder = _build(hdr_kit, "laptop", "it")
    assert SHEET_WORDS["it"] in (folder / "SCREENING.txt").read_text(encoding="utf-8")
    assert run_cli("verify", str(folder))[0] == 0


def test_the_archive_keeps_hdr_and_says_so(hdr_kit: Path) -> None:
    folder = _build(hdr_kit, "archive", "uk")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    info = probe(folder / manifest["video"]).video
    assert info is not None
    assert (info.colour.bit_depth, info.profile, info.colour.tags) == (10, "High 10", HLG)
    assert manifest["colour"]["action"] == "keep"
    sheet = (folder / "SCREENING.txt").read_text(encoding="utf-8")
    assert "HDR (HLG) збережено як у майстер-копії, 10 біт" in sheet
    assert run_cli("verify", str(folder))[0] == 0


@pytest.mark.skipif(
    not all(find_tool(t) for t in ("dvdauthor", "xorriso", "lsdvd")),
    reason="dvdauthor, xorriso and lsdvd are needed (apt-get install dvdauthor xorriso lsdvd)",
)
def test_a_dvd_is_tone_mapped_in_bt601s_matrix(hdr_kit: Path) -> None:
    folder = _build(hdr_kit, "dvd-pal", "it")
    vob = folder / "VIDEO_TS" / "VTS_01_1.VOB"
    tone_mapped = ("bt709", "bt709", "smpte170m", "tv")
    assert probe(vob).video is not None and probe(vob).video.colour.tags == tone_mapped  # type: ignore[union-attr]
    assert SHEET_WORDS["it"] in (folder / "SCREENING.txt").read_text(encoding="utf-8")
    assert run_cli("verify", str(folder))[0] == 0


# -- verify refuses what the build could not have promised --------------------------------


def _copy(bundle: Path, dest: Path) -> Path:
    shutil.copytree(bundle, dest)
    return dest


def test_verify_checks_the_promised_tags(usb_uk: Path, tmp_path: Path) -> None:
    folder = _copy(usb_uk, tmp_path / "b")
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["colour"]["output"]["matrix"] = "smpte170m"
    path.write_text(json.dumps(manifest), encoding="utf-8")
    code, out, err = run_cli("verify", str(folder))
    assert code == 1
    assert "colour matrix: expected smpte170m, found bt709" in out + err


def test_verify_refuses_an_hdr_video_in_an_sdr_bundle(
    usb_uk: Path, make_master: MakeSource, tmp_path: Path
) -> None:
    """What main made of an HLG master: H.264 8-bit still tagged HLG (sha256 updated, so
    that only the colour is wrong)."""
    folder = _copy(usb_uk, tmp_path / "b")
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    video = folder / manifest["video"]
    old = tmp_path / "old.mp4"
    run_ffmpeg(
        ["-i", input_arg(make_master("kit-hlg.mp4", kind="hlg", duration=4.0)), "-c:v",
         "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac",
         "-movflags", "+faststart", output_arg(old)]
    )  # fmt: skip
    shutil.copyfile(old, video)
    data = video.read_bytes()
    for record in manifest["files"]:
        if record["path"] == manifest["video"]:
            record["sha256"], record["size"] = hashlib.sha256(data).hexdigest(), len(data)
    path.write_text(json.dumps(manifest), encoding="utf-8")
    code, out, err = run_cli("verify", str(folder))
    assert code == 1
    assert "dynamic range: expected SDR, found HDR: HLG" in out + err


# -- the cache: what changes the output is in the keys -------------------------------------


def _keys(kit: Path, preset: str = "usb-player") -> dict[str, str]:
    """The film encode's key, and the other steps' by kind."""
    code, out, err = run_cli(
        "build", "--kit", str(kit), "--preset", preset, "--lang", "uk", "--dry-run", "--json"
    )
    assert code == 0, err
    steps = json.loads(out)["steps"]
    return {s["kind"] + ":" + s["label"]: s["key"] for s in steps if s["key"]}


def test_a_new_tone_mapping_reencodes_hdr_masters_only(
    hdr_kit: Path, sample_kit: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hdr_before, sdr_before = _keys(hdr_kit), _keys(sample_kit)
    monkeypatch.setattr(colour_module, "TONE_MAPPING", ToneMapping("hable", None, 0.0, 100.0))
    hdr_after, sdr_after = _keys(hdr_kit), _keys(sample_kit)
    film = next(k for k in hdr_before if k.startswith("film:"))
    assert hdr_after[film] != hdr_before[film]
    loudness = "loudness:loudness of film.mkv"
    assert hdr_after[loudness] == hdr_before[loudness]  # the sound is not touched
    assert sdr_after == sdr_before


# -- refused before any encode ------------------------------------------------------------


def test_dolby_vision_5_is_refused_before_any_step(make_master: MakeSource, tmp_path: Path) -> None:
    from screenkit.media.colour import DolbyVision

    master = make_master("kit-dv5.mp4", kind="pq", duration=1.0, dolby_vision=DolbyVision(5, 1, 0))
    kit = kit_with_film(tmp_path / "kit", master)
    code, _, err = run_cli(
        "build", "--kit", str(kit), "--preset", "web", "--lang", "it", "--speed", SPEED
    )
    assert code == 1
    assert "Error: the master is Dolby Vision 5 (no compatible base layer)" in err
    assert not (kit / "out").exists() and "steps run" not in err


def test_an_ffmpeg_without_zscale_is_refused_before_any_step(
    hdr_kit: Path, ffmpeg: FFmpeg, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wrapper = support.ffmpeg_hiding("zscale", ffmpeg.path, tmp_path / "bin")
    monkeypatch.setenv("SCREENKIT_FFMPEG", str(wrapper))
    out = tmp_path / "out"
    code, _, err = run_cli(
        "build", "--kit", str(hdr_kit), "--preset", "web", "--lang", "pl", "--out", str(out)
    )
    assert code == 1
    assert "has no zscale filter" in err and "Hint: use an ffmpeg built with zimg" in err
    assert not out.exists() and "steps run" not in err
