"""One registry of subtitle formats serves load, save, edit and the kit (issue 13, item 6)."""

from __future__ import annotations

from pathlib import Path

import pysubs2
import pytest

from screenkit.errors import InputError, SubtitleError
from screenkit.kit import load_kit
from screenkit.subtitles import formats
from screenkit.subtitles.load import load_track
from screenkit.subtitles.save import save_track
from support import copy_sample_kit

_TRACK = "1\n00:00:01,000 --> 00:00:02,500\nПривіт\n"


def _subs() -> pysubs2.SSAFile:
    return pysubs2.SSAFile.from_string(_TRACK, format_="srt")


@pytest.mark.parametrize("fmt", formats.WRITABLE, ids=lambda f: f.name)
def test_every_writable_format_saves_and_loads_back(
    tmp_path: Path, fmt: formats.SubtitleFormat
) -> None:
    path = save_track(_subs(), tmp_path / f"uk{fmt.extension.upper()}")
    track = load_track(path)
    assert track.format == fmt.name
    assert [(e.start, e.end, e.plaintext) for e in track.subs] == [(1000, 2500, "Привіт")]


def test_what_cannot_be_written_is_named_from_the_registry(tmp_path: Path) -> None:
    read_only = [f for f in formats.FORMATS if not f.writes]
    assert read_only, "the registry lists formats screenkit reads but does not write"
    with pytest.raises(SubtitleError) as info:
        save_track(_subs(), tmp_path / f"uk{read_only[0].extension}")
    assert info.value.value == read_only[0].extension
    assert "screenkit writes .srt, .ass, .ssa or .vtt" in info.value.message
    assert not list(tmp_path.iterdir())


def test_extensions_are_unique_and_lower_case() -> None:
    seen = [ext for f in formats.FORMATS for ext in f.extensions]
    assert len(seen) == len(set(seen))
    assert all(ext.startswith(".") and ext == ext.lower() for ext in seen)
    assert formats.by_extension(Path("a/B.SRT")) is formats.by_name("srt")


@pytest.mark.parametrize("fmt", formats.KIT_TRACK_FORMATS, ids=lambda f: f.name)
def test_the_kit_finds_a_track_in_every_kit_format(
    tmp_path: Path, fmt: formats.SubtitleFormat
) -> None:
    kit = load_kit(copy_sample_kit(tmp_path / "kit"))
    (kit.subtitles_dir / "pl.srt").unlink()
    save_track(_subs(), kit.subtitles_dir / f"pl{fmt.extension}")
    assert kit.subtitle_path("pl") == kit.subtitles_dir / f"pl{fmt.extension}"


def test_a_missing_kit_track_names_every_format_looked_for(tmp_path: Path) -> None:
    kit = load_kit(copy_sample_kit(tmp_path / "kit"))
    (kit.subtitles_dir / "pl.srt").unlink()
    with pytest.raises(InputError) as info:
        kit.subtitle_path("pl")
    for fmt in formats.KIT_TRACK_FORMATS:
        assert fmt.extension in info.value.message
    assert "subtitles/pl.srt" in info.value.message
