"""``subs fix``: each safe change made and listed; what is said and when it starts never moves."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pysubs2
import pytest

from screenkit.errors import SubtitleError
from screenkit.subtitles.edit import fix_file
from screenkit.subtitles.fix import fix_subs, tidy_text
from screenkit.subtitles.load import load_track
from screenkit.subtitles.profiles import load_profile


def test_fixing_the_sample_gives_the_expected_file(
    tmp_path: Path, data: Path, hash_of: Callable[[Path], str]
) -> None:
    before = hash_of(data / "fix_in.srt")
    fixed = fix_file(data / "fix_in.srt", tmp_path / "out.srt")
    assert (tmp_path / "out.srt").read_text(encoding="utf-8") == (
        data / "fix_expected.srt"
    ).read_text(encoding="utf-8")
    assert hash_of(data / "fix_in.srt") == before
    assert [(c.kind, c.event) for c in fixed.changes] == [
        ("line-endings", None),
        ("reordered", None),
        ("whitespace", 1),
        ("overlap-trimmed", 1),
        ("gap-made", 2),
        ("extended", 4),
        ("extended", 5),
        ("empty-dropped", 6),
        ("extended", 8),
    ]
    assert fixed.written.encoding == "utf-8" and fixed.written.backup is None


def test_fixing_twice_changes_nothing_more(tmp_path: Path, data: Path) -> None:
    fix_file(data / "fix_in.srt", tmp_path / "once.srt")
    again = fix_file(tmp_path / "once.srt", tmp_path / "twice.srt")
    assert again.changes == ()
    assert (tmp_path / "once.srt").read_bytes() == (tmp_path / "twice.srt").read_bytes()


def test_starts_and_texts_are_never_changed(data: Path) -> None:
    track = load_track(data / "fix_in.srt")
    result = fix_subs(track.subs, load_profile())
    before = {e.start for e in track.subs}
    assert {e.start for e in result.subs} <= before
    assert all(e.end > e.start for e in result.subs)


@pytest.mark.parametrize(
    ("text", "tidy"),
    [
        ("  Hello   there  \\Nand  welcome. ", "Hello there\\Nand welcome."),
        ("{\\i1} Italic {\\i0}", "{\\i1}Italic{\\i0}"),
        ("One\\N\\N\\NTwo", "One\\NTwo"),
        ("Text\\N{\\i0}", "Text{\\i0}"),
        ("Tab\there", "Tab here"),
        ("Fine as is", "Fine as is"),
    ],
)
def test_tidy_text(text: str, tidy: str) -> None:
    assert tidy_text(text) == tidy


def test_gap_is_made_in_frames_of_the_rate() -> None:
    subs = pysubs2.SSAFile()
    subs.append(pysubs2.SSAEvent(start=0, end=2000, text="One"))
    subs.append(pysubs2.SSAEvent(start=2000, end=4000, text="Two"))
    at_25 = fix_subs(subs, load_profile())
    at_ntsc = fix_subs(subs, load_profile(), fps=Fraction(24000, 1001))
    assert at_25.subs[0].end == 1920 and at_ntsc.subs[0].end == 1916  # 83.4 ms → 84


def test_overlaps_on_the_same_start_and_positioned_events_are_left_alone() -> None:
    subs = pysubs2.SSAFile()
    subs.append(pysubs2.SSAEvent(start=0, end=2000, text="Bottom"))
    subs.append(pysubs2.SSAEvent(start=500, end=2500, text="{\\an8}Top"))
    subs.append(pysubs2.SSAEvent(start=3000, end=5000, text="A"))
    subs.append(pysubs2.SSAEvent(start=3000, end=4000, text="B"))
    result = fix_subs(subs, load_profile())
    assert [(e.start, e.end) for e in result.subs] == [
        (0, 2000),
        (500, 2500),
        (3000, 5000),
        (3000, 4000),
    ]
    assert result.changes == ()


def test_extension_stops_at_the_films_end() -> None:
    subs = pysubs2.SSAFile()
    subs.append(pysubs2.SSAEvent(start=9500, end=9700, text="Last"))
    result = fix_subs(subs, load_profile(), film_end=10_000)
    assert result.subs[0].end == 10_000 and "as far as" in result.changes[0].message


def test_in_place_keeps_a_backup(tmp_path: Path, data: Path) -> None:
    track = tmp_path / "uk.srt"
    original = (data / "fix_in.srt").read_bytes()
    track.write_bytes(original)
    first = fix_file(track, in_place=True)
    assert first.written.backup == tmp_path / "uk.srt.bak"
    assert (tmp_path / "uk.srt.bak").read_bytes() == original
    assert track.read_text() == (data / "fix_expected.srt").read_text()
    second = fix_file(track, in_place=True)
    assert second.written.backup == tmp_path / "uk.srt.bak1"
    assert (tmp_path / "uk.srt.bak").read_bytes() == original


def test_the_input_is_never_the_output(tmp_path: Path, data: Path) -> None:
    track = tmp_path / "t.srt"
    track.write_bytes((data / "fix_in.srt").read_bytes())
    with pytest.raises(SubtitleError) as info:
        fix_file(track, tmp_path / "." / "t.srt")
    assert "is the input file" in info.value.message and info.value.hint
    assert track.read_bytes() == (data / "fix_in.srt").read_bytes()


def test_legacy_input_comes_out_utf8(tmp_path: Path) -> None:
    track = tmp_path / "uk.srt"
    track.write_bytes("1\n00:00:01,000 --> 00:00:03,000\nЇжак.\n".encode("cp1251"))
    fixed = fix_file(track, tmp_path / "out.srt")
    assert [(c.kind, c.message) for c in fixed.changes] == [("encoding", "cp1251 → utf-8")]
    assert (tmp_path / "out.srt").read_text(encoding="utf-8").splitlines()[2] == "Їжак."
