"""A card for any frame shape: portrait, square and landscape masters each get their layout.

The rendered cards (real libass through `render_card_png`) are scaled to a quarter, as a
phone in the back row or a small preview sees them: the QR code must still decode to the
exact link, and OCR (tesseract, where installed) must still read the title.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from slides_helpers import decode_qr

from screenkit.kit import load_kit
from screenkit.slides import CardTarget, card_spec_from_kit, layout_card, render_card_png

SHAPES = [(1080, 1920), (1080, 1080), (1920, 1080)]


@pytest.mark.parametrize("size", [(608, 1080), *SHAPES])
def test_type_and_qr_code_follow_the_short_side(sample_kit: Path, size: tuple[int, int]) -> None:
    width, height = size
    kit = load_kit(sample_kit)
    for lang in kit.languages:
        layout = layout_card(card_spec_from_kit(kit, lang), CardTarget.plain(width, height))
        short = min(width, height)
        assert layout.qr.size >= 0.30 * short, (lang, size, layout.qr.size)
        appeal = layout.block("appeal")
        assert appeal.size >= 0.04 * short, (lang, size, appeal.size)
        assert layout.block("title").size >= 0.055 * short
        if height > width:  # portrait: the text stacks above the QR code
            assert appeal.y + appeal.height <= layout.qr.y
            link = layout.block("link")
            assert link.y + link.height <= layout.qr.y
            assert abs(layout.qr.x + layout.qr.size / 2 - width / 2) <= 2
        else:  # the QR code beside the text column
            assert layout.qr.x > appeal.x


def test_the_card_words_come_from_the_catalogue(sample_kit: Path) -> None:
    kit = load_kit(sample_kit)
    captions = {lang: card_spec_from_kit(kit, lang).qr_caption for lang in kit.languages}
    assert captions["en"] == "Scan to donate"
    assert captions["uk"] == "Скануйте, щоб пожертвувати"
    assert captions["it"] == "Inquadra per donare"
    assert len(set(captions.values())) == len(captions)


def _ocr(png: Path) -> str:
    done = subprocess.run(
        ["tesseract", str(png), "-", "--psm", "3", "-l", "eng"],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


@pytest.mark.parametrize("size", SHAPES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_quarter_scale_card_still_scans_and_reads(
    sample_kit: Path, tmp_path: Path, size: tuple[int, int]
) -> None:
    width, height = size
    kit = load_kit(sample_kit)
    spec = card_spec_from_kit(kit, "uk", venue="Kyiv, Club 44", date="14.03.2027")
    png = render_card_png(spec, CardTarget.plain(width, height), tmp_path / "card.png")
    keep = os.environ.get("SCREENKIT_KEEP_CARDS")
    if keep:  # to look at them: SCREENKIT_KEEP_CARDS=/some/folder
        shutil.copyfile(png, Path(keep) / f"card-{width}x{height}.png")
    with Image.open(png) as full:
        quarter = full.convert("L").resize((width // 4, height // 4), Image.Resampling.BOX)
    small = tmp_path / "quarter.png"
    quarter.save(small)
    assert decode_qr(np.asarray(quarter)) == [kit.appeal.link]
    if shutil.which("tesseract") is None:
        pytest.skip("tesseract (Debian tesseract-ocr) is not installed: OCR not checked")
    words = " ".join(_ocr(small).split()).lower()
    assert "preparing a screening" in words, words
