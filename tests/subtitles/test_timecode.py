"""Times, offsets and frame rates as typed, and their round trips (property tests)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from screenkit.errors import SubtitleError
from screenkit.subtitles.timecode import (
    format_fps,
    format_time,
    parse_duration,
    parse_fps,
    parse_time,
)


@pytest.mark.parametrize(
    ("text", "ms"),
    [
        ("1.5", 1500),
        ("-2s", -2000),
        ("+00:00:01,500", 1500),
        ("-250ms", -250),
        ("+1m", 60_000),
        ("-00:01:02.5", -62_500),
        ("0", 0),
        (" 3 s ", 3000),
        ("1h", 3_600_000),
    ],
)
def test_durations(text: str, ms: int) -> None:
    assert parse_duration(text) == ms


@pytest.mark.parametrize("text", ["", "abc", "1.5x", "--2s", "00:99:00,000", "1:2:3:4", "+"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(SubtitleError) as info:
        parse_duration(text)
    assert info.value.value == text


@pytest.mark.parametrize(
    ("text", "ms"),
    [("00:01:02,500", 62_500), ("1:02.5", 62_500), ("62.5", 62_500), ("1500ms", 1500)],
)
def test_times(text: str, ms: int) -> None:
    assert parse_time(text) == ms


def test_a_time_has_no_sign() -> None:
    with pytest.raises(SubtitleError):
        parse_time("-1s")


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("25", Fraction(25)),
        ("24000/1001", Fraction(24000, 1001)),
        ("23.976", Fraction(24000, 1001)),
        ("29.97", Fraction(30000, 1001)),
        ("59.94", Fraction(60000, 1001)),
        ("12.5", Fraction(25, 2)),
    ],
)
def test_frame_rates_are_exact(text: str, rate: Fraction) -> None:
    assert parse_fps(text) == rate


@pytest.mark.parametrize("text", ["0", "-25", "abc", "1/0", "5000"])
def test_bad_frame_rates(text: str) -> None:
    with pytest.raises(SubtitleError):
        parse_fps(text)


def test_format_fps() -> None:
    assert format_fps(Fraction(25)) == "25"
    assert format_fps(Fraction(24000, 1001)) == "24000/1001 (23.976)"


@settings(deadline=None)  # a shared, busy machine must not fail a pure test
@given(st.integers(min_value=0, max_value=100 * 3_600_000 - 1))
def test_time_round_trip(ms: int) -> None:
    text = format_time(ms)
    assert parse_time(text) == ms
    assert parse_time(text.replace(",", ".")) == ms


@settings(deadline=None)  # a shared, busy machine must not fail a pure test
@given(st.integers(min_value=-10 * 3_600_000, max_value=10 * 3_600_000))
def test_duration_round_trip(ms: int) -> None:
    signed = format_time(ms) if ms < 0 else "+" + format_time(ms)
    assert parse_duration(signed) == ms
    assert parse_duration(f"{ms}ms") == ms
    assert parse_duration(f"{ms / 1000:.3f}") == ms
