"""Writing tracks: formats by extension, and code-page errors that list every character."""

from __future__ import annotations

from pathlib import Path

import pysubs2
import pytest

from screenkit.errors import SubtitleError
from screenkit.subtitles.load import load_track
from screenkit.subtitles.save import EncodingError, save_track

REPO = Path(__file__).resolve().parents[2]


def test_each_character_a_code_page_lacks_is_listed_with_its_events(tmp_path: Path) -> None:
    subs = load_track(REPO / "subtitles" / "pl.srt").subs
    out = tmp_path / "pl.srt"
    with pytest.raises(EncodingError) as info:
        save_track(subs, out, encoding="cp1252")
    err = info.value
    assert not out.exists() and err.path == out and err.encoding == "cp1252"
    chars = {u.char: u.events for u in err.characters}
    assert set(chars) == set("ąćęłśźż")
    assert chars["ź"] == ((4, 15_200),)
    assert "'ł' U+0142 LATIN SMALL LETTER L WITH STROKE in events 4 (00:00:15,200)" in err.message
    assert err.hint is not None and "cp1250" in err.hint


def test_the_right_code_page_writes(tmp_path: Path) -> None:
    subs = load_track(REPO / "subtitles" / "uk.srt").subs
    out = save_track(subs, tmp_path / "uk.srt", encoding="cp1251")
    back = load_track(out, lang="uk")
    assert back.encoding == "cp1251" and [e.text for e in back.subs] == [e.text for e in subs]


def test_characters_in_an_ass_header_are_placed_there(tmp_path: Path) -> None:
    subs = pysubs2.SSAFile()
    subs.info["Title"] = "Фільм"
    subs.append(pysubs2.SSAEvent(start=0, end=1000, text="plain"))
    with pytest.raises(EncodingError) as info:
        save_track(subs, tmp_path / "x.ass", encoding="cp1252")
    assert all(u.in_header and not u.events for u in info.value.characters)
    assert "the header" in info.value.message


@pytest.mark.parametrize("suffix", [".srt", ".ass", ".ssa", ".vtt"])
def test_formats_by_extension_round_trip(tmp_path: Path, suffix: str) -> None:
    subs = load_track(REPO / "subtitles" / "de.srt").subs
    back = load_track(save_track(subs, tmp_path / f"de{suffix}"))
    assert [(e.start, e.end, e.plaintext) for e in back.subs] == [
        (e.start, e.end, e.plaintext) for e in subs
    ]


def test_unknown_extension_and_encoding(tmp_path: Path) -> None:
    subs = load_track(REPO / "subtitles" / "de.srt").subs
    with pytest.raises(SubtitleError) as ext:
        save_track(subs, tmp_path / "de.txt")
    assert ext.value.value == ".txt"
    with pytest.raises(SubtitleError) as enc:
        save_track(subs, tmp_path / "de.srt", encoding="klingon")
    assert enc.value.value == "klingon" and not (tmp_path / "de.srt").exists()


def test_times_a_format_cannot_hold_are_refused_not_clamped(tmp_path: Path) -> None:
    subs = pysubs2.SSAFile()
    subs.append(pysubs2.SSAEvent(start=0, end=1000, text="ok"))
    subs.append(pysubs2.SSAEvent(start=11 * 3_600_000, end=11 * 3_600_000 + 1000, text="late"))
    assert save_track(subs, tmp_path / "fine.srt").is_file()
    with pytest.raises(SubtitleError) as info:
        save_track(subs, tmp_path / "late.ass")
    assert info.value.value == 2 and "11:00:01,000" in info.value.message
    assert not (tmp_path / "late.ass").exists()
