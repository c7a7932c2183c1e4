"""Malformed SRT timing lines: the common slips are read (and reported), the rest refused.

A timing line pysubs2 does not recognise is taken for the previous event's text, so a
typo like ``00:00:09:500`` would put a raw timestamp on screen. Issue 9 item 4.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from screenkit.errors import SubtitleError
from screenkit.subtitles.check import check_track
from screenkit.subtitles.load import load_track
from screenkit.subtitles.profiles import load_profile

RunCli = Callable[..., tuple[int, str, str]]


def track_with(middle: str) -> str:
    """Three events; the second one's timing line is ``middle`` (line 6 of the file)."""
    return (
        "1\n00:00:01,000 --> 00:00:04,000\nThe first line.\n\n"
        f"2\n{middle}\nThe second line.\n\n"
        "3\n00:00:12,000 --> 00:00:14,000\nThe third line.\n"
    )


SLIPS = [
    ("00:00:07,000 --> 00:00:09:500", "a colon for the comma"),
    ("00:00:07:000 --> 00:00:09:500", "colons for both commas"),
    ("00:00:07.000 --> 00:00:09.500", "full stops for the commas"),
    ("00:00:07;000 --> 00:00:09;500", "semicolons"),
    ("0:0:7,000 --> 0:0:9,500", "missing leading zeros"),
    ("00:00:7,000 --> 00:00:9,5", "missing zeros and a short fraction"),
    ("00:00:07,000 -> 00:00:09,500", "a short arrow"),
    ("00:00:07,000-->00:00:09,500", "no spaces"),
    ("00:00:07,000   -->     00:00:09,500", "wide spaces"),
    ("00:00:07,000 - -> 00:00:09,500", "a broken arrow"),
    ("00:00:07,000 —> 00:00:09,500", "an em dash arrow (word processors)"),
    ("  00:00:07,000 --> 00:00:09,500  ", "blanks around"),
    ("00:00:07,000 --> 00:00:09,500 abc", "trailing junk"),
    ("00:00:07,000 --> 00:00:09,500,", "a trailing comma"),
    ("00:00:07 --> 00:00:09,500", "no fraction"),
    ("00 : 00 : 07 , 000 --> 00 : 00 : 09 , 500", "spaces inside the times"),
]


@pytest.mark.parametrize(("line", "slip"), SLIPS)
def test_a_slip_in_a_timing_line_is_read_as_timing(tmp_path: Path, line: str, slip: str) -> None:
    path = tmp_path / "t.srt"
    path.write_text(track_with(line), encoding="utf-8")
    track = load_track(path)
    times = [(e.start, e.end) for e in track.subs]
    assert times == [(1000, 4000), (7000, 9500), (12000, 14000)], slip
    assert [e.text for e in track.subs] == [
        "The first line.",
        "The second line.",
        "The third line.",
    ]
    assert [(r.line, r.event, r.original) for r in track.repairs] == [(6, 2, line.strip())], slip
    assert track.repairs[0].fixed == "00:00:07,000 --> 00:00:09,500"


def test_a_well_formed_track_has_no_repairs_and_keeps_srt_coordinates(tmp_path: Path) -> None:
    path = tmp_path / "t.srt"
    path.write_text(track_with("00:00:07,000 --> 00:00:09,500  X1:100 X2:200 Y1:10 Y2:50"))
    track = load_track(path)
    assert track.repairs == () and [e.start for e in track.subs] == [1000, 7000, 12000]


@pytest.mark.parametrize(
    "line",
    [
        "00:00:07,000 --> 00:0x:09,500",
        "00:00:07,000 --> 09",
        "00:00:07,000 -->",
        "--> 00:00:09,500",
        "00:00:07,000 --> 00:00:09,500 --> 00:00:10,000",
        "2 00:00:07,000 --> 00:00:09,500",
        "00:00:07,000 --> 00:00:75,500",
        "00:00:07,000 00:00:09,500",
    ],
)
def test_a_line_that_still_looks_like_timing_is_an_error_never_text(
    tmp_path: Path, run_cli: RunCli, line: str
) -> None:
    path = tmp_path / "t.srt"
    path.write_text(track_with(line), encoding="utf-8")
    with pytest.raises(SubtitleError) as info:
        load_track(path)
    assert "line 6" in info.value.message and info.value.path == path
    code, out, err = run_cli("subs", "check", str(path))
    assert code == 1 and out == "" and err.startswith("Error: ") and "line 6" in err
    assert "Traceback" not in err
    target = tmp_path / "fixed.srt"
    code, _, err = run_cli("subs", "fix", str(path), "-o", str(target))
    assert code == 1 and "line 6" in err and not target.exists()


def test_text_that_only_mentions_times_stays_text(tmp_path: Path) -> None:
    path = tmp_path / "t.srt"
    text = "Meet me at 10:30 -> the station.\nThe 7.15 train, then 9.40."
    path.write_text(track_with("00:00:07,000 --> 00:00:09,500").replace("The second line.", text))
    track = load_track(path)
    assert track.repairs == () and track.subs[1].text == text.replace("\n", "\\N")


def test_check_warns_about_each_repaired_line(tmp_path: Path) -> None:
    path = tmp_path / "t.srt"
    path.write_text(track_with("00:00:07,000 --> 00:00:09:500"))
    report = check_track(load_track(path), load_profile())
    assert [(f.rule, f.severity, f.event) for f in report.findings] == [
        ("timing-line", "warning", 2)
    ]
    message = report.findings[0].message
    assert "line 6" in message and "'00:00:07,000 --> 00:00:09:500'" in message
    assert "subs fix" in message and report.ok


def test_fix_reports_each_repair_and_writes_no_timestamp_as_text(
    tmp_path: Path, run_cli: RunCli
) -> None:
    path = tmp_path / "t.srt"
    body = track_with("00:00:07,000 --> 00:00:09:500").replace(
        "3\n00:00:12,000 --> 00:00:14,000", "3\n0:0:12.000 -> 0:0:14.000"
    )
    path.write_text(body)
    target = tmp_path / "fixed.srt"
    code, out, err = run_cli("subs", "fix", str(path), "-o", str(target))
    assert code == 0, err
    assert out.count("timing-line") == 2 and "2 changes" in out
    assert "line 6" in out and "line 10" in out
    written = target.read_text(encoding="utf-8")
    assert "00:00:07,000 --> 00:00:09,500\nThe second line." in written
    assert "00:00:12,000 --> 00:00:14,000\nThe third line." in written
    assert "09:500" not in written and "->" not in written.replace("-->", "")
    assert load_track(target).repairs == ()


def test_the_build_path_reads_the_repaired_timing_and_refuses_the_broken(
    tmp_path: Path,
) -> None:
    """Bundles load kit tracks through `screenkit.bundle.documents.tracks`: the same reader."""
    from screenkit.bundle.documents.tracks import events, shifted

    good = tmp_path / "it.srt"
    good.write_text(track_with("00:00:07,000 --> 00:00:09:500"))
    assert [(e.start, e.end, e.text) for e in events(good, "it")][1] == (
        7000,
        9500,
        "The second line.",
    )
    assert [e.start for e in shifted(good, "it", by=10.0)] == [11000, 17000, 22000]
    bad = tmp_path / "uk.srt"
    bad.write_text(track_with("00:00:07,000 --> 00:0x:09,500"))
    with pytest.raises(SubtitleError) as info:
        events(bad, "uk")
    assert "line 6" in info.value.message
