"""``screenkit slide``: the card alone, as a PNG or the whole card."""

from __future__ import annotations

from pathlib import Path

import pytest
from slides_helpers import decode_qr, frame_at

from screenkit.media.probe import probe
from support import run_cli

TINY = (
    'extends = "usb-player"\ndescription = "tiny"\n\n[video]\nmax_width = 640\nmax_height = 360\n'
)


@pytest.fixture
def kit(sample_kit: Path) -> Path:
    (sample_kit / "presets").mkdir(exist_ok=True)
    (sample_kit / "presets" / "tiny.toml").write_text(TINY, encoding="utf-8")
    return sample_kit


def run(*args: str) -> tuple[int, str]:
    """The CLI in-process: (exit code, stdout + stderr)."""
    code, out, err = run_cli(*args)
    return code, out + err


def test_slide_png_for_a_preset(kit: Path, tmp_path: Path) -> None:
    out = tmp_path / "uk card.png"
    code, output = run(
        "slide", str(out), "--kit", str(kit), "--lang", "uk", "--preset", "usb-player-legacy",
        "--venue", "Бар «Ґанок»", "--date", "14.03", "--contact", "@collective",
    )  # fmt: skip
    assert code == 0, output
    gray = frame_at(out)
    assert gray.shape == (720, 1280)
    assert decode_qr(gray) == ["https://example.org/donate/solidarity"]


def test_slide_mp4_is_the_whole_outro_card(kit: Path, tmp_path: Path) -> None:
    out = tmp_path / "outro.mp4"
    code, output = run(
        "slide", str(out), "--kit", str(kit), "--lang", "de", "--preset", "tiny", "--outro", "-q"
    )
    assert code == 0, output
    info = probe(out)
    assert info.video is not None and (info.video.width, info.video.height) == (640, 360)
    assert info.duration == pytest.approx(20.16, abs=0.05)
    assert [a.channels for a in info.audio] == [2]


def test_slide_errors_are_one_line(kit: Path, tmp_path: Path) -> None:
    code, output = run("slide", str(tmp_path / "x.png"), "--kit", str(kit), "--lang", "fi")
    assert code == 1
    assert output.startswith("Error: 'fi' is not one of the kit's languages (en, it, uk, pl, de)")
    code, output = run("slide", str(tmp_path / "x.gif"), "--kit", str(kit), "--lang", "en")
    assert code == 1 and "Error: " in output and ".png" in output
    (kit / "appeal" / "en.txt").write_text("Please give. " * 200, encoding="utf-8")
    code, output = run("slide", str(tmp_path / "x.png"), "--kit", str(kit), "--lang", "en")
    assert code == 1
    assert output.startswith("Error: the appeal needs ")
    assert "shorten it by about" in output and "Hint: edit appeal/en.txt" in output
    assert not (tmp_path / "x.png").exists()
    code, output = run("slide", "--help")
    assert code == 0 and "--lang" in output
