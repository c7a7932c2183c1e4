"""The printable poster: an A4 PDF whose QR code scans and whose text reads, in any script."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import fontpkg
import numpy as np
import pytest
from PIL import Image

from screenkit.fonts import Font
from screenkit.kit import load_kit
from screenkit.poster import PosterError, PosterSpec, poster_pdf, render_poster
from support import run_cli

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="pdftoppm/pdftotext (poppler-utils) not installed"
)
ARABIC = "هذا الفيلم مجاني بشرط واحد: أن يجمع العرض تبرعات للمجموعة."


def _render(pdf: Path, tmp_path: Path, dpi: int = 150) -> Image.Image:
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", "-singlefile", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    return Image.open(tmp_path / "page.png").convert("L")


def _text(pdf: Path) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    return done.stdout


def _fonts(pdf: Path) -> str:
    return subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout


@needs_poppler
def test_the_poster_command_makes_an_a4_page_that_scans_and_reads(
    sample_kit: Path, tmp_path: Path
) -> None:
    manifest = sample_kit / "screenkit.toml"
    manifest.write_text(
        manifest.read_text().replace(
            'cache = "kit"', 'cache = "kit"\nblurb = "A documentary shot on phones, 70 minutes."'
        )
    )
    out = tmp_path / "poster-uk.pdf"
    code, _, err = run_cli(
        "poster", str(out), "--kit", str(sample_kit), "--lang", "uk",
        "--venue", "Київ, клуб 44", "--date", "14.03.2027, 19:00", "--contact", "@club44",
    )  # fmt: skip
    assert code == 0, err
    assert f"Wrote {out}" in err
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True)
    assert "(A4)" in info.stdout and "Pages:           1" in info.stdout
    page = _render(out, tmp_path)
    assert page.size[1] > page.size[0]  # portrait
    import zxingcpp

    assert [c.text for c in zxingcpp.read_barcodes(np.asarray(page))] == [
        load_kit(sample_kit).appeal.link
    ]
    text = _text(out)
    for expected in (
        "Preparing a Screening",
        "A documentary shot on phones, 70 minutes.",
        "Коли: 14.03.2027, 19:00",
        "Де: Київ, клуб 44",
        "Контакт: @club44",
        "Для: Solidarity Collective (stand-in)",
        "Скануйте, щоб пожертвувати",
        "https://example.org/donate/solidarity",
    ):
        assert expected in text, expected
    assert "Цей фільм можна показувати" in text  # the appeal, in Cyrillic, as text
    assert "yes" in _fonts(out).split("\n")[2]  # the font is embedded
    if shutil.which("tesseract") is None:
        pytest.skip("tesseract (Debian tesseract-ocr) is not installed: OCR not checked")
    ocr = subprocess.run(
        ["tesseract", str(tmp_path / "page.png"), "-", "-l", "eng"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Preparing a Screening" in " ".join(ocr.split())


@needs_poppler
def test_right_to_left_text_with_a_kit_font(tmp_path: Path) -> None:
    pytest.importorskip("fontpkg_noto_sans_arabic")
    arabic = Font(Path(fontpkg.path("Noto Sans Arabic")), "Noto Sans Arabic")
    spec = PosterSpec(
        title="Film",
        appeal=ARABIC,
        beneficiary="Collective",
        link="https://example.org/give",
        lang="ar",
        fonts=(arabic,),
    )
    out = render_poster(spec, tmp_path / "ar.pdf")
    fonts = _fonts(out)
    assert "NotoSansArabic" in fonts.replace(" ", "") and "NotoSans" in fonts
    page = np.asarray(_render(out, tmp_path, dpi=100))
    text = _text(out)
    # still text, not pictures (poppler extracts it in pieces, in visual order)
    assert set("الفيلم مجاني") <= set(text)
    # right-aligned: only the appeal reaches the right margin; every other line is centred
    ink_columns = np.nonzero((page < 128).sum(axis=0))[0]
    assert ink_columns.max() > 0.85 * page.shape[1]
    assert ink_columns.min() > 0.2 * page.shape[1]


def test_characters_no_font_draws_are_refused(tmp_path: Path) -> None:
    spec = PosterSpec(title="Film", appeal=ARABIC, beneficiary="C", link="https://e.org/x")
    with pytest.raises(PosterError) as caught:
        poster_pdf(spec)
    assert "ه" in str(caught.value.value)
    assert caught.value.hint and "fonts" in caught.value.hint


def test_an_appeal_too_long_for_the_page_is_an_error(tmp_path: Path) -> None:
    spec = PosterSpec(title="Film", appeal="Give. " * 900, beneficiary="C", link="https://e.org/x")
    with pytest.raises(PosterError, match="shorten the appeal"):
        render_poster(spec, tmp_path / "p.pdf")
    assert not (tmp_path / "p.pdf").exists()


def test_bad_poster_arguments_are_clear_errors(sample_kit: Path, tmp_path: Path) -> None:
    code, _, err = run_cli(
        "poster", str(tmp_path / "p.pdf"), "--kit", str(sample_kit), "--lang", "fi"
    )
    assert code == 1 and err.startswith("Error: 'fi' is not one of the kit's languages")
    code, _, err = run_cli(
        "poster", str(tmp_path / "p.png"), "--kit", str(sample_kit), "--lang", "en"
    )
    assert code == 1 and "the poster is a PDF file" in err
    assert "Traceback" not in err
