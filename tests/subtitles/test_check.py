"""``subs check`` rules on hand-written tracks, with and without the film and the kit's fonts."""

from __future__ import annotations

import json
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest

from screenkit.subtitles.check import check_track, fonts_for
from screenkit.subtitles.checkrun import check_files, probe_film
from screenkit.subtitles.load import load_track
from screenkit.subtitles.profiles import load_profile

REPO = Path(__file__).resolve().parents[2]


def srt(*events: tuple[str, str, str]) -> str:
    return "".join(
        f"{n}\n{start} --> {end}\n{text}\n\n" for n, (start, end, text) in enumerate(events, 1)
    )


def found(report_findings: object) -> set[tuple[str, int | None]]:
    return {(f.rule, f.event) for f in report_findings}  # type: ignore[attr-defined]


def test_each_netflix_rule_fires_on_its_event(data: Path) -> None:
    report = check_track(load_track(data / "rules.srt"), load_profile(), fonts=fonts_for([]))
    assert found(report.findings) == {
        ("gap", 2),
        ("duration-short", 3),
        ("duration-long", 4),
        ("overlap", 5),
        ("line-length", 6),
        ("line-count", 7),
        ("reading-speed-far", 8),  # 34 cps: twice the limit
        ("empty-event", 9),
        ("unbalanced-tags", 10),
        ("negative-duration", 11),
        ("missing-glyphs", 14),
    }
    assert (report.count("error"), report.count("warning"), report.ok) == (7, 4, False)
    by_rule = {f.rule: f for f in report.findings}
    assert by_rule["overlap"].start == 14_000 and "by 1.000 s" in by_rule["overlap"].message
    assert "53 characters; at most 42" in by_rule["line-length"].message
    assert "34.0 characters per second" in by_rule["reading-speed-far"].message
    assert "'日' U+65E5" in by_rule["missing-glyphs"].message
    assert "fonts" in by_rule["missing-glyphs"].message
    assert report.fps == 25 and report.fps_source == "default"


def test_the_repo_tracks_meet_netflix() -> None:
    run = check_files(sorted((REPO / "subtitles").glob("*.srt")))
    assert len(run.results) == 5 and run.ok
    assert all(r.report is not None and r.report.findings == () for r in run.results)


def test_relaxed_and_bbc_profiles_change_the_verdict(data: Path) -> None:
    track = load_track(data / "rules.srt")
    relaxed = check_track(track, load_profile("relaxed"))
    assert {f.severity for f in relaxed.findings if f.rule == "line-length"} == {"warning"}
    assert ("line-count", 7) not in found(relaxed.findings)  # 3 lines are allowed there
    assert ("gap", 2) not in found(relaxed.findings)  # one frame is enough there
    assert {f.severity for f in relaxed.findings if f.rule == "overlap"} == {"error"}
    bbc = check_track(track, load_profile("bbc"))
    assert ("line-length", 6) in found(bbc.findings)


def test_positioned_signs_and_comments_are_not_overlaps(data: Path) -> None:
    report = check_track(load_track(data / "positioned.ass"), load_profile(), fonts=fonts_for([]))
    assert found(report.findings) == {("unbalanced-tags", 5)}
    assert "'{\\i1 broken ov" in report.findings[0].message


def test_a_clean_webvtt_with_ids_and_notes(data: Path) -> None:
    report = check_track(load_track(data / "ids_notes.vtt"), load_profile(), fonts=fonts_for([]))
    assert report.findings == () and report.ok


def test_gap_is_measured_in_frames_of_the_given_rate(tmp_path: Path) -> None:
    path = tmp_path / "t.srt"
    # 81 ms: two frames at 25 fps (80 ms) but not at 24000/1001 (83.4 ms)
    path.write_text(
        srt(("00:00:01,000", "00:00:03,000", "One."), ("00:00:03,081", "00:00:05,000", "Two."))
    )
    track = load_track(path)
    assert check_track(track, load_profile()).findings == ()
    ntsc = check_track(track, load_profile(), fps=Fraction(24000, 1001))
    assert found(ntsc.findings) == {("gap", 2)} and "24000/1001" in ntsc.findings[0].message
    # frame-exact 2-frame gaps at 23.976 are written as 83 ms and pass
    path.write_text(
        srt(("00:00:01,000", "00:00:03,000", "One."), ("00:00:03,083", "00:00:05,000", "Two."))
    )
    assert check_track(load_track(path), load_profile(), fps=Fraction(24000, 1001)).ok


def test_with_the_film_gaps_use_its_rate_and_events_past_its_end_are_errors(
    tmp_path: Path, make_media: Callable[..., Path]
) -> None:
    film = make_media("ntsc.mkv", fps="24000/1001", duration=2.0, audio_channels=None)
    path = tmp_path / "t.srt"
    path.write_text(
        srt(
            ("00:00:00,100", "00:00:01,000", "One."),
            ("00:00:01,081", "00:00:02,400", "Runs past the end."),
            ("00:00:03,000", "00:00:04,000", "After the end."),
        )
    )
    facts = probe_film(film)
    assert facts.fps == Fraction(24000, 1001) and facts.duration_ms is not None
    run = check_files([path], film=film)
    report = run.results[0].report
    assert report is not None and report.fps_source == "film"
    assert found(report.findings) == {("gap", 2), ("past-end", 2), ("past-end", 3)}
    assert not run.ok


def make_font(path: Path, chars: str) -> Path:
    """A tiny real TrueType font covering ``chars`` (square glyphs), named 'Test CJK'."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    names = [".notdef", *(f"uni{ord(c):04X}" for c in chars)]
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({ord(c): f"uni{ord(c):04X}" for c in chars})
    pen = TTGlyphPen(None)
    pen.moveTo((0, 0))
    pen.lineTo((500, 0))
    pen.lineTo((500, 500))
    pen.closePath()
    glyph = pen.glyph()
    builder.setupGlyf(dict.fromkeys(names, glyph))
    builder.setupHorizontalMetrics(dict.fromkeys(names, (600, 0)))
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Test CJK", "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    path.parent.mkdir(parents=True, exist_ok=True)
    builder.save(str(path))
    return path


def test_a_kit_font_covers_what_the_shipped_font_cannot(tmp_path: Path) -> None:
    kit = tmp_path / "kit"
    make_font(kit / "fonts" / "cjk.ttf", "日本")
    (kit / "subtitles").mkdir()
    (kit / "screenkit.toml").write_text(
        '[kit]\nname = "k"\ntitle = "T"\nmaster = "media/film.mkv"\nlanguages = ["ja"]\n'
        'fonts = ["fonts/cjk.ttf"]\n\n[appeal]\nbeneficiary = "B"\nlink = "https://example.org"\n'
    )
    track = kit / "subtitles" / "ja.srt"
    track.write_text(srt(("00:00:01,000", "00:00:03,000", "日本語")))
    report = check_files([track]).results[0].report
    assert report is not None
    glyphs = [f for f in report.findings if f.rule == "missing-glyphs"]
    assert len(glyphs) == 1 and "'語' U+8A9E" in glyphs[0].message
    assert "'日'" not in glyphs[0].message and "Noto Sans + Test CJK" in glyphs[0].message
    alone = tmp_path / "ja.srt"
    alone.write_bytes(track.read_bytes())
    lone = check_files([alone]).results[0].report
    assert lone is not None and "'日' U+65E5" in lone.findings[0].message


def test_encoding_and_load_notes_become_findings(tmp_path: Path, data: Path) -> None:
    path = tmp_path / "uk.srt"
    path.write_bytes(srt(("00:00:01,000", "00:00:03,000", "Вітаємо.")).encode("cp1251"))
    report = check_track(load_track(path), load_profile())
    assert [(f.rule, f.severity) for f in report.findings] == [("encoding", "warning")]
    assert "cp1251" in report.findings[0].message and report.ok
    sub = check_track(load_track(data / "no_fps.sub"), load_profile())
    assert [(f.rule, f.event) for f in sub.findings] == [("load", None)]


def test_a_track_without_events_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.vtt"
    path.write_text("WEBVTT\n\nNOTE nothing here\n")
    report = check_track(load_track(path), load_profile())
    assert found(report.findings) == {("empty-track", None)} and not report.ok


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("<i>open", "'<i>' is never closed"),
        ("close</b>", "'</b>' closes a tag that was never opened"),
        ("<b><i>x</b></i>", "tags cross"),
        ("<i text", "has no closing '>'"),
        ("{\\an8 top", "has no closing brace"),
        ("oops} here", "never opened"),
    ],
)
def test_unbalanced_tags_are_described(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "t.srt"
    path.write_text(srt(("00:00:01,000", "00:00:03,000", text)))
    report = check_track(load_track(path), load_profile())
    messages = [f.message for f in report.findings if f.rule == "unbalanced-tags"]
    assert any(problem in m for m in messages), messages


def test_balanced_tags_pass(tmp_path: Path) -> None:
    path = tmp_path / "t.srt"
    path.write_text(
        srt(("00:00:01,000", "00:00:03,000", '<font color="red"><i>a</i></font> {\\an8}b'))
    )
    report = check_track(load_track(path), load_profile())
    assert not [f for f in report.findings if f.rule == "unbalanced-tags"]


def test_report_json_is_serialisable(data: Path) -> None:
    report = check_track(load_track(data / "rules.srt"), load_profile())
    doc = json.loads(json.dumps(report.to_json()))
    assert doc["errors"] == report.count("error") and doc["format"] == "srt"
    first = doc["findings"][0]
    assert set(first) == {"rule", "severity", "event", "start", "start_ms", "message"}
    assert first["start"] == "00:00:03,040"


@pytest.mark.parametrize(
    ("profile", "seconds", "rule", "severity"),
    [
        # 34 characters: 17 cps (netflix's limit) needs 2 s; 1.5 x the limit is 25.5 cps
        ("netflix", "2.000", None, None),
        ("netflix", "1.500", "reading-speed", "warning"),  # 22.7 cps: over, not far over
        ("netflix", "1.334", "reading-speed", "warning"),  # 25.49 cps: just under 1.5 x
        ("netflix", "1.300", "reading-speed-far", "error"),  # 26.2 cps
        ("netflix", "0.500", "reading-speed-far", "error"),  # 68 cps
        ("relaxed", "1.300", "reading-speed", "info"),  # 26.2 cps is under 1.5 x 21
        ("relaxed", "1.000", "reading-speed-far", "error"),  # 34 cps: over 31.5
    ],
)
def test_a_reading_speed_far_over_the_limit_is_an_error(
    tmp_path: Path, profile: str, seconds: str, rule: str | None, severity: str | None
) -> None:
    path = tmp_path / "t.srt"
    text = "Far too many words for one second."  # 34 characters
    path.write_text(
        srt(("00:00:01,000", f"00:00:0{1 + float(seconds):.3f}".replace(".", ","), text))
    )
    report = check_track(load_track(path), load_profile(profile))
    speed = [f for f in report.findings if f.rule.startswith("reading-speed")]
    if rule is None:
        assert speed == []
        return
    assert [(f.rule, f.severity) for f in speed] == [(rule, severity)]
    assert report.ok == (severity != "error")
    if severity == "error":
        assert "more than 1.5 times" in speed[0].message


def test_a_profile_can_soften_the_far_reading_speed_rule(tmp_path: Path) -> None:
    (tmp_path / "soft.toml").write_text(
        'extends = "netflix"\n[severity]\nreading-speed-far = "warning"\n'
    )
    path = tmp_path / "t.srt"
    path.write_text(srt(("00:00:01,000", "00:00:01,500", "Far too many words for one second.")))
    report = check_track(load_track(path), load_profile(str(tmp_path / "soft.toml")))
    assert [(f.rule, f.severity) for f in report.findings if "speed" in f.rule] == [
        ("reading-speed-far", "warning")
    ]
