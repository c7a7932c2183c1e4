"""Names that become file names: checked up front against the strictest disk a bundle meets.

A bundle lands on a FAT32/exFAT stick (≤ 255 UTF-16 units a name, no reserved characters,
no trailing dot or space) after being built on the local disk (ext4: ≤ 255 bytes a name).
Every OSError on a user path is an ``Error:`` naming the path, never a traceback.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from screenkit.errors import ConfigError
from screenkit.kit import load_kit
from screenkit.languages import valid_language
from screenkit.names import valid_name
from support import REPO, run_cli

NAME_MAX = 255


def _manifest(kit: Path, old: str, new: str) -> None:
    path = kit / "screenkit.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    "name",
    ["demo\n", "demo\r", "x" * 300, "demo.", "a\u0000b", "sample\n"],
)
def test_a_name_that_no_stick_can_hold_is_not_valid(name: str) -> None:
    assert not valid_name(name)


@pytest.mark.parametrize("tag", ["en\n", "pt-BR\n"])
def test_a_language_tag_with_a_trailing_newline_is_not_valid(tag: str) -> None:
    assert not valid_language(tag)


def test_a_bundle_name_ending_in_a_newline_is_refused_at_load(sample_kit: Path) -> None:
    _manifest(sample_kit, "[bundles.demo]", '[bundles."demo2\\n"]')
    with pytest.raises(ConfigError) as caught:
        load_kit(sample_kit)
    assert caught.value.value == "demo2\n"
    assert caught.value.path == sample_kit / "screenkit.toml"


def test_a_kit_name_ending_in_a_newline_is_refused_at_load(sample_kit: Path) -> None:
    _manifest(sample_kit, 'name = "sample"', 'name = "sample\\n"')
    with pytest.raises(ConfigError) as caught:
        load_kit(sample_kit)
    assert caught.value.key == "kit.name" and caught.value.value == "sample\n"


@pytest.mark.parametrize("length", [250, 300])
def test_a_long_bundle_name_fails_at_once_not_after_the_encode(
    sample_kit: Path, length: int
) -> None:
    long = "b" * length
    _manifest(sample_kit, "[bundles.demo]", f"[bundles.{long}]")
    code, out, err = run_cli("build", "--kit", str(sample_kit), long, "--dry-run")
    assert code == 1 and out == ""
    assert err.startswith("Error: ") and "Traceback" not in err
    assert "too long" in err
    assert not (sample_kit / ".screenkit").exists()  # nothing was probed, hashed or cached


def test_a_long_kit_name_fails_at_once(sample_kit: Path) -> None:
    _manifest(sample_kit, 'name = "sample"', f'name = "{"k" * 250}"')
    code, _, err = run_cli("build", "--kit", str(sample_kit), "demo", "--dry-run")
    assert code == 1 and err.startswith("Error: ") and "too long" in err
    assert not (sample_kit / ".screenkit").exists()


def test_kit_and_bundle_names_that_fit_alone_but_not_together(sample_kit: Path) -> None:
    # each name alone is fine; the hidden folder the bundle is assembled in is not
    _manifest(sample_kit, 'name = "sample"', f'name = "{"k" * 100}"')
    _manifest(sample_kit, "[bundles.demo]", f"[bundles.{'b' * 100}]")
    load_kit(sample_kit)  # the manifest is fine as such
    code, _, err = run_cli("build", "--kit", str(sample_kit), "b" * 100, "--dry-run")
    assert code == 0, err
    _manifest(sample_kit, f'name = "{"k" * 100}"', f'name = "{"k" * 140}"')
    with pytest.raises(ConfigError) as caught:
        load_kit(sample_kit)
    assert "too long" in caught.value.message


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("film.", "dot"),
        ("film ", "space"),
        ("a:b.mp4", "':'"),
        ("a\tb", "control"),
        ("CON.srt", "reserved"),
        ("x" * 256, "too long"),
        ("я" * 128, "too long"),  # 128 UTF-16 units, but 256 bytes on the disk it is built on
        ("😀" * 128, "too long"),  # 256 UTF-16 units
    ],
)
def test_file_name_rules(name: str, why: str) -> None:
    from screenkit.names import file_name_problem

    problem = file_name_problem(name)
    assert problem is not None and why in problem


def test_a_good_file_name_passes() -> None:
    from screenkit.names import file_name_problem

    assert file_name_problem("Preparing a Screening (uk, usb-player).mp4") is None
    assert file_name_problem("я" * 127) is None


@pytest.mark.parametrize("title", ["Підготовка показу " * 30, "A" * 400, "😀" * 200])
def test_the_video_name_fits_with_every_name_made_from_it(title: str) -> None:
    from screenkit.names import file_name_problem, video_stem

    stem = video_stem(title, "pt-BR", "usb-player-legacy")
    assert stem.endswith(" (pt-BR, usb-player-legacy)")
    # the longest name made from the stem: a legacy sidecar, while it is being written
    longest = f".{stem}.pt-BR.iso8859_15.part-0123abcd.srt"
    assert len(longest.encode()) <= NAME_MAX
    assert file_name_problem(longest) is None


def test_a_long_cyrillic_title_builds(sample_kit: Path) -> None:
    """The title makes the video and sidecar names: a long one must not fail after the encode."""
    title = "Підготовка показу: " + "довга назва фільму " * 12
    _manifest(sample_kit, 'title = "Preparing a Screening"', f'title = "{title}"')
    _manifest(sample_kit, "[appeal]", '[appeal]\ntitle = "Показ"')  # the card's own title
    out = sample_kit / "out"
    code, _, err = run_cli(
        "build", "--kit", str(sample_kit), "--preset", "web", "--lang", "uk", "--speed",
        "ultrafast", "--quiet", "--out", str(out),
    )  # fmt: skip
    assert code == 0, err
    files = list(out.rglob("*"))
    assert any(p.suffix == ".mp4" and p.name.startswith("Підготовка") for p in files)
    assert all(len(p.name.encode()) <= NAME_MAX for p in files)


def test_a_300_character_master_path_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / ("m" * 300 + ".mkv")
    code, out, err = run_cli("probe", str(path))
    assert code == 1 and out == ""
    assert err.startswith("Error: ") and str(path) in err
    assert "Traceback" not in err


def test_writing_where_no_folder_can_be_made_is_an_error(tmp_path: Path) -> None:
    code, _, err = run_cli(
        "subs", "fix", str(REPO / "subtitles" / "en.srt"), "-o", "/proc/nope/x.srt"
    )
    assert code == 1
    assert re.match(r"Error: .*/proc/nope", err), err
    assert "Traceback" not in err


def test_an_unreadable_kit_folder_is_an_error(tmp_path: Path) -> None:
    long = tmp_path / ("k" * 300)
    code, _, err = run_cli("build", "--kit", str(long), "--dry-run")
    assert code == 1 and err.startswith("Error: ") and str(long) in err
