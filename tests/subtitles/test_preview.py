"""``subs preview``: frames of the film with the track burned in, tiled into one PNG."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pysubs2
import pytest

from screenkit.fonts import shipped_font
from screenkit.media.runner import safe_input, stream_ffmpeg
from screenkit.subtitles.preview import frame_args, hard_moments, preview_sheet
from support import run_cli

CELL = (320, 180)


def _track(path: Path, events: list[tuple[float, float, str]]) -> Path:
    subs = pysubs2.SSAFile()
    for a, b, text in events:
        subs.append(pysubs2.SSAEvent(start=round(a * 1000), end=round(b * 1000), text=text))
    subs.save(str(path))
    return path


def _pixels(png: Path, width: int) -> np.ndarray:
    """The PNG decoded by ffmpeg (an independent reader of our writer), ``width`` wide."""
    args = [*safe_input(png), "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]
    data = np.frombuffer(b"".join(stream_ffmpeg(args)), dtype=np.uint8)
    assert len(data) % (width * 3) == 0, f"not {width} pixels wide ({len(data)} bytes)"
    return data.reshape(-1, width, 3)


@pytest.fixture
def track(tmp_path: Path) -> Path:
    return _track(
        tmp_path / "uk.srt",
        [
            (1.0, 2.5, "Вітаємо! Сьогодні ми разом"),
            (3.5, 5.0, "Розмістіть посилання і QR-код\nтам, де всі їх бачать."),
            (6.0, 7.5, "字幕 — a glyph the font lacks"),
        ],
    )


def test_hard_moments_put_missing_glyphs_first_then_long_and_rare() -> None:
    subs = pysubs2.SSAFile()
    for n, text in enumerate(["Hi", "A much longer line than the others here", "Straße", "漢字"]):
        subs.append(pysubs2.SSAEvent(start=n * 2000, end=n * 2000 + 1000, text=text))
    moments = hard_moments(subs, 3, [shipped_font()])
    assert [m.event for m in moments] == [2, 3, 4]  # in time order
    reasons = {m.event: (m.reason, m.characters) for m in moments}
    assert reasons[4] == ("missing glyphs", ("漢", "字"))
    assert reasons[2][0] == "longest line"
    assert reasons[3] == ("rare characters", ("ß",))
    assert all(abs(m.time - ((m.event - 1) * 2 + 0.5)) < 1e-9 for m in moments if m.event)


def test_no_user_path_or_text_reaches_the_filter_string(tmp_path: Path) -> None:
    film = tmp_path / "a:b 'quoted' [x];,.mkv"
    staged = tmp_path / "stage" / "track.ass"
    args = frame_args(film, 12.5, staged, tmp_path / "stage" / "fonts", "Noto Sans", CELL)
    graph = args[args.index("-filter_complex") + 1]
    assert "quoted" not in graph and "subtitles=" in graph and "setpts=PTS+12.500/TB" in graph
    assert args[args.index("-i") + 1] == f"file:{film}"
    assert args[args.index("-ss") + 1] == "12.500"
    assert [a for a in args if "quoted" in a] == [f"file:{film}"]


def test_sheet_burns_the_track_at_the_asked_moments(
    speech_film: Path, track: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "fonts.conf"  # no system fonts: only the staged one can draw
    empty.write_text(
        '<?xml version="1.0"?><fontconfig><cachedir>/nonexistent</cachedir></fontconfig>'
    )
    monkeypatch.setenv("FONTCONFIG_FILE", str(empty))
    sheet = tmp_path / "sheet.png"
    result = preview_sheet(track, speech_film, sheet, at=[1.75, 4.25])
    assert [m.event for m in result.moments] == [1, 2] and result.columns == 2
    assert result.cell == CELL and result.missing == ("字", "幕")
    burned = _pixels(sheet, 8 + 2 * (CELL[0] + 8))
    assert burned.shape == (8 + CELL[1] + 22 + 8, 8 + 2 * (CELL[0] + 8), 3)
    # the same moments with the lines moved away: only the subtitle area differs
    bare_track = _track(tmp_path / "bare.srt", [(7.9, 7.95, "x")])
    bare_sheet = tmp_path / "bare.png"
    preview_sheet(bare_track, speech_film, bare_sheet, at=[1.75, 4.25])
    bare = _pixels(bare_sheet, 8 + 2 * (CELL[0] + 8))
    diff = np.abs(burned.astype(int) - bare.astype(int)).sum(axis=2) > 60
    top, bottom = diff[8 : 8 + 90], diff[8 + 120 : 8 + CELL[1]]
    assert bottom[:, 8 : 8 + CELL[0]].sum() > 300  # letters in the first cell
    assert bottom[:, 16 + CELL[0] :].sum() > 300  # and in the second
    assert top.sum() == 0


def test_cli_picks_hard_moments_and_warns_of_missing_glyphs(
    speech_film: Path, track: Path, tmp_path: Path
) -> None:
    sheet = tmp_path / "sheet.png"
    code, stdout, stderr = run_cli(
        "subs", "preview", str(track), "--film", str(speech_film), "-o", str(sheet), "--count", "2",
        "--json",
    )  # fmt: skip
    assert code == 0, stderr
    doc = json.loads(stdout)
    assert doc["sheet"] == str(sheet) and doc["missing_glyphs"] == ["字", "幕"]
    assert [m["event"] for m in doc["moments"]] == [2, 3]
    assert doc["moments"][1]["reason"] == "missing glyphs"
    assert sheet.read_bytes().startswith(b"\x89PNG")
    code, stdout, stderr = run_cli(
        "subs", "preview", str(track), "--film", str(speech_film), "-o", str(sheet), "--count", "1"
    )
    assert code == 0 and "missing glyphs: 字 幕" in stdout
    assert "warning: the font cannot draw 字 幕" in stderr


def test_bad_requests_are_clear_errors(
    speech_film: Path, track: Path, tmp_path: Path, make_media: object
) -> None:
    out = tmp_path / "sheet.png"
    code, _, stderr = run_cli(
        "subs", "preview", str(track), "--film", str(speech_film), "--at", "99", "-o", str(out)
    )
    assert code == 1 and stderr.startswith(
        f"Error: 99.000 s is outside {speech_film.name} (it lasts 8.0"
    )
    code, _, stderr = run_cli(
        "subs", "preview", str(track), "--film", str(speech_film), "--at", "soon", "-o", str(out)
    )
    assert code == 2 and "'soon' is not a time" in stderr
    code, _, stderr = run_cli(
        "subs", "preview", str(track), "--film", str(speech_film), "-o", str(tmp_path / "s.jpg")
    )
    assert code == 1 and "the sheet is a PNG file" in stderr
    sound = make_media("sound-only.mka", no_video=True)  # type: ignore[operator]
    code, _, stderr = run_cli("subs", "preview", str(track), "--film", str(sound), "-o", str(out))
    assert code == 1 and "has no picture to preview" in stderr
    assert not out.exists() and not list(tmp_path.glob(".*part*"))
