"""Loading tracks: formats, frame rates, notes, and one clear error for anything unreadable."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from screenkit.errors import InputError, SubtitleError
from screenkit.subtitles.load import MAX_BYTES, language_from_name, load_track

REPO = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def test_the_repo_tracks_load_with_language_from_the_name() -> None:
    for lang in ("en", "it", "uk", "pl", "de"):
        track = load_track(REPO / "subtitles" / f"{lang}.srt")
        assert track.lang == lang and track.format == "srt" and len(track.subs) == 15
        assert track.is_utf8 and track.line_endings == "LF"


@pytest.mark.parametrize(
    ("name", "lang"),
    [("uk.srt", "uk"), ("film.pt-BR.srt", "pt-BR"), ("film.srt", None), ("x.en.vtt", "en")],
)
def test_language_from_name(name: str, lang: str | None) -> None:
    assert language_from_name(Path(name)) == lang


def test_the_hint_from_the_name_reads_a_short_cp1251_file(tmp_path: Path) -> None:
    text = "1\n00:00:01,000 --> 00:00:03,000\nЇжак і ґанок.\n"
    track = load_track(write(tmp_path, "uk.srt", text.encode("cp1251")))
    assert track.encoding == "cp1251" and track.subs[0].text == "Їжак і ґанок."
    assert not track.is_utf8 and track.encoding_label == "cp1251"
    forced = load_track(write(tmp_path, "track.srt", text.encode("koi8-u")), lang="uk")
    assert forced.encoding == "koi8-u" and forced.subs[0].text == "Їжак і ґанок."


def test_webvtt_ids_notes_and_styles_stay_out_of_the_text(data: Path) -> None:
    track = load_track(data / "ids_notes.vtt")
    assert track.format == "vtt" and track.notes == ()
    assert [(e.start, e.end) for e in track.subs] == [(1000, 3000), (4000, 6000), (62500, 64000)]
    assert track.subs[0].plaintext == "Welcome, friends & neighbours."
    assert track.subs[0].text == "Welcome, {\\i1}friends{\\i0} & neighbours."
    assert track.subs[1].text == "Second cue\\Nwith two lines"
    assert track.markup[0] == "<v Anna>Welcome, <i>friends</i> &amp; neighbours.</v>"


def test_srt_markup_keeps_the_html_tags(data: Path) -> None:
    track = load_track(data / "rules.srt")
    assert track.markup[9] == "<i>Unclosed italics"
    assert track.subs[9].text == "{\\i1}Unclosed italics"
    assert len(track.markup) == len(track.subs) == 14


def test_microdvd_rate_from_the_file_is_exact(data: Path) -> None:
    track = load_track(data / "fps_header.sub")
    assert track.format == "microdvd" and track.fps == Fraction(24000, 1001)
    # frame 24 at 24000/1001 fps = 1001 ms; the {1}{1}23.976 line is no event
    assert [(e.start, e.end) for e in track.subs] == [(1001, 3003), (4004, 6006)]
    assert track.subs[1].text == "Second\\Nline two"


def test_microdvd_without_a_rate_assumes_25_and_says_so(data: Path) -> None:
    track = load_track(data / "no_fps.sub")
    assert track.fps == 25 and (track.subs[0].start, track.subs[0].end) == (1000, 3000)
    assert any("25 fps" in note for note in track.notes)
    given = load_track(data / "no_fps.sub", fps=Fraction(50))
    assert given.fps == 50 and given.notes == () and given.subs[0].start == 500


def test_ass_events_styles_and_comments(data: Path) -> None:
    track = load_track(data / "positioned.ass")
    assert track.format == "ass" and len(track.subs) == 6
    assert track.subs[0].is_comment and track.subs[2].style == "Sign"


def test_cr_only_and_crlf_line_endings(tmp_path: Path) -> None:
    body = "1\r00:00:01,000 --> 00:00:02,000\rOne\rtwo\r\r2\r00:00:03,000 --> 00:00:04,000\rThree\r"
    track = load_track(write(tmp_path, "mac.srt", body))
    assert [e.text for e in track.subs] == ["One\\Ntwo", "Three"] and track.line_endings == "CR"
    crlf = load_track(write(tmp_path, "dos.srt", body.replace("\r", "\r\n")))
    assert len(crlf.subs) == 2 and crlf.line_endings == "CRLF"


@pytest.mark.parametrize(
    ("name", "content", "value"),
    [
        ("bad.srt", "1\n00:00:01,000 --> 99:99:99,000\nText\n", "99:99:99,000"),
        ("bad.srt", "1\n00:61:00,000 --> 00:62:00,000\nText\n", "00:61:00,000"),
        ("bad.vtt", "WEBVTT\n\n00:00:01.000 --> 00:99:99.000\nText\n", "00:99:99.000"),
        (
            "bad.ass",
            "[Script Info]\nScriptType: v4.00+\n\n[Events]\nFormat: Layer, Start, End, Style, "
            "Name, MarginL, MarginR, MarginV, Effect, Text\n"
            "Dialogue: 0,0:00:01.00,0:99:99.00,Default,,0,0,0,,Text\n",
            "0:99:99.00",
        ),
    ],
)
def test_impossible_timestamps_are_one_clear_error(
    tmp_path: Path, name: str, content: str, value: str
) -> None:
    path = write(tmp_path, name, content)
    with pytest.raises(SubtitleError) as info:
        load_track(path)
    assert info.value.path == path and info.value.value == value
    assert "not a valid time" in info.value.message and str(path) in info.value.message


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "is empty"),
        (b"\xef\xbb\xbf \n\n", "only blank space"),
        (b"Just some prose, no times at all.\n", "no SRT timing line"),
        (b"[00:12.00]Line of a song\n[00:17.20]Another\n", "LRC"),
        (b"Scenarist_SCC V1.0\n\n00:00:00:00\t9420 9420\n", "Scenarist SCC"),
    ],
)
def test_what_is_not_a_readable_track_says_what_it_is(
    tmp_path: Path, content: bytes, words: str
) -> None:
    path = write(tmp_path, "x.srt", content)
    with pytest.raises(SubtitleError) as info:
        load_track(path)
    assert words in info.value.message and info.value.path == path


def test_an_ass_file_pysubs2_cannot_parse_is_a_subtitle_error(tmp_path: Path) -> None:
    content = (
        "[Script Info]\nScriptType: v4.00+\n\n[Events]\nFormat: Start, End, Style, Text\n"
        "Dialogue: 00:00:00.00,00:00:10.00,S1,Text\n"
    )
    with pytest.raises(SubtitleError) as info:
        load_track(write(tmp_path, "odd.ass", content))
    assert "cannot be read as ASS" in info.value.message and info.value.value == "ass"


def test_files_over_the_size_cap_are_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.srt"
    with big.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    with pytest.raises(SubtitleError) as info:
        load_track(big)
    assert info.value.value == 50 * 1024 * 1024 > MAX_BYTES and "52.4 MB" in info.value.message


def test_missing_files_and_folders_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError) as missing:
        load_track(tmp_path / "nope.srt")
    assert missing.value.path == tmp_path / "nope.srt" and "no such file" in missing.value.message
    with pytest.raises(InputError) as folder:
        load_track(tmp_path)
    assert "not a file" in folder.value.message


def test_nul_bytes_are_noted_not_fatal(tmp_path: Path) -> None:
    path = write(tmp_path, "n.srt", b"1\n00:00:01,000 --> 00:00:02,000\nA\x00B\n")
    track = load_track(path)
    assert track.subs[0].text == "A\ufffdB" and "NUL" in track.notes[0]


def test_the_bad_timestamp_is_placed_by_line(tmp_path: Path) -> None:
    good = "".join(f"{n}\n00:00:0{n},000 --> 00:00:0{n},500\nOk.\n\n" for n in range(1, 4))
    path = write(tmp_path, "t.srt", good + "4\n00:00:09,000 --> 00:00:75,000\nBad.\n")
    with pytest.raises(SubtitleError) as info:
        load_track(path)
    assert info.value.message.endswith(
        "line 14: '00:00:75,000' is not a valid time (minutes and seconds run from 00 to 59)"
    )
    # a time-like string in the text itself is not a timing line
    fine = write(tmp_path, "f.srt", good + "4\n00:00:09,000 --> 00:00:10,000\nAt 12:99:99.5!\n")
    assert len(load_track(fine).subs) == 4
