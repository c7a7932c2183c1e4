"""Issue 15's acceptance: a QCIF phone master builds for usb-player at 720 lines.

176x144 at SAR 128/117 (shown 192.5x144), 29.97 fps, no audio: the film is enlarged to
962x720, so the card's QR code decodes to the exact link, the burned Polish subtitles are
readable, and verify passes. The same master keeps its size in the archive preset.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from encode_helpers import frame

import support
from screenkit.kit import load_kit
from screenkit.media.probe import probe
from support import MakeSource

QCIF = {
    "width": 176, "height": 144, "sar": "128/117:max=1000", "fps": "30000/1001",
    "audio_channels": None,
}  # fmt: skip
LINES = ("Witajcie", "wieczorem", "oglądamy", "Zanim", "otworzymy", "drzwi", "sprawdzamy")


def _qr_texts(gray: np.ndarray) -> list[str]:
    import zxingcpp

    return [code.text for code in zxingcpp.read_barcodes(gray.astype(np.uint8))]


def _ocr(gray: np.ndarray, folder: Path) -> str:
    pgm = folder / "frame.pgm"  # tesseract (leptonica) reads PNM: no image library needed
    height, width = gray.shape
    pgm.write_bytes(f"P5 {width} {height} 255\n".encode() + gray.astype(np.uint8).tobytes())
    done = subprocess.run(
        ["tesseract", str(pgm), "-", "--psm", "6"], capture_output=True, text=True, check=False
    )
    return done.stdout


@pytest.fixture(scope="module")
def qcif_kit(make_media: MakeSource, tmp_path_factory: pytest.TempPathFactory) -> Path:
    kit = support.copy_sample_kit(tmp_path_factory.mktemp("qcif") / "kit")
    (kit / "media").mkdir(exist_ok=True)
    master = make_media("qcif-master.mp4", duration=12.0, **QCIF)
    shutil.copyfile(master, kit / "media" / "film.mkv")
    return kit


def _build(kit: Path, out: Path, preset: str) -> Path:
    code, _, err = support.run_cli(
        "build", "--kit", str(kit), "--preset", preset, "--lang", "pl", "--burn", "pl",
        "--speed", "ultrafast", "--out", str(out), "--quiet",
    )  # fmt: skip
    assert code == 0, err
    (folder,) = [p for p in out.iterdir() if p.is_dir()]
    return folder


@pytest.mark.slow
def test_a_qcif_master_builds_for_usb_player_at_720_lines(qcif_kit: Path, tmp_path: Path) -> None:
    code, printed, err = support.run_cli(
        "build", "--kit", str(qcif_kit), "--preset", "usb-player", "--lang", "pl",
        "--burn", "pl", "--speed", "ultrafast", "--out", str(tmp_path / "dry"),
        "--dry-run", "--json",
    )  # fmt: skip
    assert code == 0, err
    notes = [s["note"] or "" for s in json.loads(printed)["steps"] if s["kind"] == "film"]
    assert any("962x720, enlarged from the stored 176x144" in n for n in notes), notes

    folder = _build(qcif_kit, tmp_path / "out", "usb-player")
    (film,) = [p for p in folder.glob("*.mp4") if not p.name.startswith("test-clip")]
    video = probe(film).video
    assert video is not None
    assert (video.width, video.height, video.sar) == (962, 720, 1)

    link = load_kit(qcif_kit).appeal.link
    card = [frame(film, t) for t in (3.0, 5.0, 7.0)]
    assert any(link in _qr_texts(gray) for gray in card), "the card's QR code does not decode"

    if shutil.which("tesseract") is None:
        pytest.skip("no tesseract on this machine: burned subtitles not read")
    duration = probe(film).duration
    seen = ""
    for t in np.arange(duration - 10.5, duration - 1.0, 1.0):
        gray = frame(film, float(t))
        seen += _ocr(gray[int(gray.shape[0] * 0.6) :], tmp_path)
        if any(word in seen for word in LINES):
            break
    assert any(word in seen for word in LINES), seen

    code, _, err = support.run_cli("verify", str(folder))
    assert code == 0, err


@pytest.mark.slow
def test_the_archive_keeps_a_small_masters_size(qcif_kit: Path, tmp_path: Path) -> None:
    code, printed, err = support.run_cli(
        "probe", str(qcif_kit / "media" / "film.mkv"), "-p", "archive", "-p", "usb-player",
        "--json",
    )  # fmt: skip
    assert code == 0, err
    outputs = json.loads(printed)["outputs"]
    assert outputs["archive"]["enlarged_from"] is None
    assert (outputs["archive"]["width"], outputs["archive"]["height"]) == (192, 144)
    assert outputs["usb-player"]["enlarged_from"] == [176, 144]
    assert (outputs["usb-player"]["width"], outputs["usb-player"]["height"]) == (962, 720)
    code, text, _ = support.run_cli(
        "probe", str(qcif_kit / "media" / "film.mkv"), "-p", "usb-player"
    )
    assert "encoded at 962x720, enlarged from the stored 176x144" in text
