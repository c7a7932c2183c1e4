"""The subs commands through the real error path: exit codes, exact Error: lines, JSON, files."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

RunCli = Callable[..., tuple[int, str, str]]

REPO = Path(__file__).resolve().parents[2]
COMMANDS = ["check", "fix", "convert", "shift", "retime"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(run_cli: RunCli, command: str) -> None:
    code, out, _ = run_cli("subs", command, "--help")
    assert code == 0 and "Usage:" in out and len(out.splitlines()) > 4


def test_check_the_repo_tracks_exits_0(run_cli: RunCli) -> None:
    tracks = [str(p) for p in sorted((REPO / "subtitles").glob("*.srt"))]
    code, out, err = run_cli("subs", "check", *tracks)
    assert code == 0, out + err
    assert out.count("ok: nothing to report") == 5
    assert "5 files: 5 without errors, 0 with errors, 0 unreadable" in out


def test_check_with_errors_exits_1_and_lists_findings(run_cli: RunCli, data: Path) -> None:
    code, out, _ = run_cli("subs", "check", str(data / "rules.srt"))
    assert code == 1
    assert "overlap" in out and "#5" in out and "00:00:14,000" in out
    assert out.strip().endswith("7 errors, 4 warnings")


def test_check_json_is_one_document(run_cli: RunCli, data: Path) -> None:
    code, out, _ = run_cli(
        "subs", "check", "--json", str(data / "rules.srt"), str(REPO / "subtitles" / "uk.srt")
    )
    doc = json.loads(out)
    assert code == 1 and doc["ok"] is False and doc["profile"]["name"] == "netflix"
    rules, uk = doc["files"]
    assert rules["errors"] == 7 and rules["warnings"] == 4 and rules["error"] is None
    assert uk["ok"] is True and uk["findings"] == [] and uk["lang"] == "uk"
    assert {f["rule"] for f in rules["findings"]} >= {"overlap", "gap", "missing-glyphs"}


def test_check_one_unreadable_file_is_one_error_line(run_cli: RunCli, tmp_path: Path) -> None:
    empty = tmp_path / "empty.srt"
    empty.write_bytes(b"")
    code, out, err = run_cli("subs", "check", str(empty))
    assert code == 1 and out == ""
    assert err == f"Error: {empty}: the file is empty\n"


def test_check_several_files_keeps_going_past_a_bad_one(run_cli: RunCli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.srt"
    bad.write_bytes(b"\x00\x01\x02\x03" * 100)
    good = REPO / "subtitles" / "en.srt"
    code, out, err = run_cli("subs", "check", str(bad), str(good))
    assert code == 1
    assert err.startswith(f"Error: {bad}: the file holds binary data")
    assert "ok: nothing to report" in out and "1 unreadable" in out
    code, out, _ = run_cli("subs", "check", "--json", str(bad), str(good))
    doc = json.loads(out)
    assert doc["files"][0]["error"].endswith("holds binary data, not subtitle text")


def test_check_profile_film_and_usage_errors(run_cli: RunCli, data: Path, tmp_path: Path) -> None:
    code, out, _ = run_cli("subs", "check", "--profile", "relaxed", str(data / "rules.srt"))
    assert code == 1 and "profile relaxed" in out
    code, _, err = run_cli("subs", "check", "--profile", "netflx", str(data / "rules.srt"))
    assert code == 1 and "Error: no QC profile named 'netflx' (did you mean 'netflix'?)" in err
    code, _, err = run_cli("subs", "check", "--film", str(tmp_path / "none.mkv"), str(data))
    assert code == 1 and err.startswith("Error: ") and "none.mkv" in err
    code, _, err = run_cli("subs", "check", "--lang", "Ukrainian", str(data / "rules.srt"))
    assert code == 2 and "not a language tag" in err
    code, _, err = run_cli("subs", "check", "--fps", "fast", str(data / "rules.srt"))
    assert code == 2 and "not a frame rate" in err
    code, _, _ = run_cli("subs", "check")
    assert code == 2


def test_check_with_the_film(run_cli: RunCli, tmp_path: Path, tiny_film: Path) -> None:
    track = tmp_path / "t.srt"
    track.write_text(
        "1\n00:00:01,000 --> 00:00:02,500\nIn.\n\n2\n00:00:05,000 --> 00:00:06,000\nOut.\n"
    )
    code, out, _ = run_cli("subs", "check", "--film", str(tiny_film), str(track))
    assert code == 1 and "past-end" in out and "after the film ends" in out


def test_fix_lists_changes_and_writes_utf8(
    run_cli: RunCli, data: Path, tmp_path: Path, hash_of: Callable[[Path], str]
) -> None:
    before = hash_of(data / "fix_in.srt")
    out_path = tmp_path / "fixed.srt"
    code, out, err = run_cli("subs", "fix", str(data / "fix_in.srt"), "-o", str(out_path))
    assert code == 0, err
    assert "overlap-trimmed" in out and "end 00:00:03,000 → 00:00:02,420" in out
    assert out.strip().endswith("9 changes") and f"wrote {out_path}" in err
    assert out_path.read_text() == (data / "fix_expected.srt").read_text()
    assert hash_of(data / "fix_in.srt") == before


def test_fix_needs_exactly_one_destination(run_cli: RunCli, data: Path, tmp_path: Path) -> None:
    code, _, err = run_cli("subs", "fix", str(data / "fix_in.srt"))
    assert code == 2 and "give either -o OUT or --in-place" in err
    track = tmp_path / "t.srt"
    shutil.copyfile(data / "fix_in.srt", track)
    code, _, err = run_cli("subs", "fix", str(track), "-o", str(track))
    assert code == 1 and err.startswith(f"Error: {track} is the input file")
    assert track.read_bytes() == (data / "fix_in.srt").read_bytes()


def test_fix_in_place_json(run_cli: RunCli, data: Path, tmp_path: Path) -> None:
    track = tmp_path / "t.srt"
    shutil.copyfile(data / "fix_in.srt", track)
    code, out, _ = run_cli("subs", "fix", "--in-place", "--json", str(track))
    doc = json.loads(out)
    assert code == 0 and doc["backup"] == str(tmp_path / "t.srt.bak")
    assert len(doc["changes"]) == 9 and doc["changes"][0]["kind"] == "line-endings"
    assert (tmp_path / "t.srt.bak").read_bytes() == (data / "fix_in.srt").read_bytes()


def test_convert_formats_and_code_pages(run_cli: RunCli, tmp_path: Path) -> None:
    uk = REPO / "subtitles" / "uk.srt"
    code, _, err = run_cli("subs", "convert", str(uk), "-o", str(tmp_path / "uk.vtt"))
    assert code == 0 and (tmp_path / "uk.vtt").read_text().startswith("WEBVTT")
    code, _, err = run_cli(
        "subs", "convert", str(uk), "-o", str(tmp_path / "uk.srt"), "--encoding", "cp1251"
    )
    assert code == 0 and "cp1251" in err
    assert (tmp_path / "uk.srt").read_bytes().decode("cp1251").strip() == uk.read_text().strip()
    code, _, err = run_cli(
        "subs", "convert", str(uk), "-o", str(tmp_path / "x.srt"), "--encoding", "cp1250"
    )
    assert code == 1 and err.startswith(f"Error: {tmp_path / 'x.srt'}: cp1250 cannot hold 42")
    assert "'ї' U+0457 CYRILLIC SMALL LETTER YI in events 6 (00:00:24,000)" in err
    assert "Hint: " in err and not (tmp_path / "x.srt").exists()
    code, _, err = run_cli("subs", "convert", str(uk), "-o", str(tmp_path / "uk.sub"))
    assert code == 1 and "cannot write '.sub'" in err


@pytest.mark.parametrize(
    ("by", "first"),
    [("1.5", "00:00:03,500"), ("-2s", "00:00:00,000"), ("+00:00:01,500", "00:00:03,500"),
     ("-250ms", "00:00:01,750")],
)  # fmt: skip
def test_shift_accepts_the_usual_spellings(
    run_cli: RunCli, tmp_path: Path, by: str, first: str
) -> None:
    out = tmp_path / "out.srt"
    code, _, err = run_cli(
        "subs", "shift", str(REPO / "subtitles" / "en.srt"), "--by", by, "-o", str(out)
    )
    assert code == 0, err
    assert out.read_text().splitlines()[1].startswith(first)


def test_shift_bad_duration_is_a_usage_error(run_cli: RunCli, tmp_path: Path) -> None:
    code, _, err = run_cli(
        "subs",
        "shift",
        str(REPO / "subtitles" / "en.srt"),
        "--by",
        "soon",
        "-o",
        str(tmp_path / "o.srt"),
    )
    assert code == 2 and "'soon' is not a duration" in err


def test_retime_fps_and_map(run_cli: RunCli, tmp_path: Path) -> None:
    en = str(REPO / "subtitles" / "en.srt")
    out = tmp_path / "o.srt"
    code, _, err = run_cli("subs", "retime", en, "--fps", "25:24000/1001", "-o", str(out))
    assert code == 0 and "25 → 24000/1001 (23.976) fps" in err
    assert out.read_text().splitlines()[1] == "00:00:02,085 --> 00:00:06,048"
    code, _, _ = run_cli("subs", "retime", en, "--map", "2=3", "--map", "60=61", "-o", str(out))
    assert code == 0 and out.read_text().splitlines()[1].startswith("00:00:03,000 --> ")
    code, _, err = run_cli("subs", "retime", en, "-o", str(out))
    assert code == 2 and "give either --fps FROM:TO or two --map OLD=NEW" in err
    code, _, err = run_cli("subs", "retime", en, "--map", "2=3", "-o", str(out))
    assert code == 2 and "exactly two points" in err
    code, _, err = run_cli("subs", "retime", en, "--fps", "25", "-o", str(out))
    assert code == 2 and "FROM:TO" in err
    code, _, err = run_cli("subs", "retime", en, "--map", "2=3", "--map", "2=9", "-o", str(out))
    assert code == 1 and err.startswith("Error: the two --map points start at the same time")


def test_a_kit_profile_is_found_from_the_track(run_cli: RunCli, tmp_path: Path) -> None:
    kit = tmp_path / "kit"
    (kit / "subtitles").mkdir(parents=True)
    (kit / "profiles").mkdir()
    (kit / "screenkit.toml").write_text(
        '[kit]\nname = "k"\ntitle = "T"\nmaster = "media/film.mkv"\nlanguages = ["en"]\n\n'
        '[appeal]\nbeneficiary = "B"\nlink = "https://example.org"\n'
    )
    (kit / "profiles" / "tight.toml").write_text('extends = "netflix"\nmax_chars_per_line = 20\n')
    track = kit / "subtitles" / "en.srt"
    shutil.copyfile(REPO / "subtitles" / "en.srt", track)
    code, out, _ = run_cli("subs", "check", "--profile", "tight", str(track))
    assert code == 1 and "profile tight" in out and "at most 20" in out
    code, _, err = run_cli(
        "subs", "check", "--profile", "tight", str(REPO / "subtitles" / "en.srt")
    )
    assert code == 1 and "no QC profile named 'tight'" in err
    code, out, _ = run_cli(
        "subs", "check", "--kit", str(kit), "--profile", "tight", str(REPO / "subtitles" / "en.srt")
    )
    assert code == 1 and "profile tight" in out
