"""The command line around the old-player presets: encode makes the files, build says what
it cannot do yet, presets list and show them."""

from __future__ import annotations

from pathlib import Path

from support import run_cli


def test_presets_list_shows_the_old_players() -> None:
    code, out, _ = run_cli("presets", "list")
    assert code == 0
    for name in ("dvd-pal", "dvd-ntsc", "divx"):
        assert name in out


def test_encode_names_the_extension_of_a_dvd_film(tiny_film: Path, tmp_path: Path) -> None:
    code, _, err = run_cli(
        "encode", str(tiny_film), "--preset", "dvd-pal", "-o", str(tmp_path / "x.mp4")
    )
    assert code == 1 and "name the output .mpg" in err
