"""Shift, frame-rate change and two-point maps: exact, and reversible to the millisecond."""

from __future__ import annotations

from fractions import Fraction

import pysubs2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from screenkit.errors import SubtitleError
from screenkit.subtitles.retime import TimeMap, anchor_map, fps_map, retime, shift_map

RATES = [Fraction(24000, 1001), Fraction(24), Fraction(25), Fraction(30000, 1001), Fraction(30)]


def track(*spans: tuple[int, int]) -> pysubs2.SSAFile:
    subs = pysubs2.SSAFile()
    for n, (start, end) in enumerate(spans, 1):
        subs.append(pysubs2.SSAEvent(start=start, end=end, text=f"event {n}"))
    return subs


def test_shift_moves_every_event_and_leaves_the_input_alone() -> None:
    subs = track((1000, 2000), (3000, 4000))
    moved = retime(subs, shift_map(1500))
    assert [(e.start, e.end) for e in moved.subs] == [(2500, 3500), (4500, 5500)]
    assert [(e.start, e.end) for e in subs] == [(1000, 2000), (3000, 4000)]


def test_shifting_before_zero_clamps_and_drops_by_event_number() -> None:
    moved = retime(track((500, 1000), (1500, 3000), (4000, 5000)), shift_map(-2000))
    assert [(e.start, e.end) for e in moved.subs] == [(0, 1000), (2000, 3000)]
    assert moved.dropped == (1,) and moved.clamped == (2,)
    assert moved.notes() == [
        "event 2 would start before 0:00: moved to 0:00",
        "event 1 would end before 0:00: removed",
    ]


def test_25_to_ntsc_film_uses_the_exact_ratio() -> None:
    time_map = fps_map(Fraction(25), Fraction(24000, 1001))
    assert time_map.scale == Fraction(25 * 1001, 24000)
    # 1 hour at 25 fps lasts 3753.75 s at 23.976 (a float 23.976 would give 3753.753...)
    assert time_map.apply(3_600_000) == 3_753_750
    moved = retime(track((1000, 2000)), time_map)
    assert (moved.subs[0].start, moved.subs[0].end) == (1043, 2085)


def test_anchor_map_goes_through_both_points() -> None:
    time_map = anchor_map((10_000, 12_000), (3_600_000, 3_751_750))
    assert time_map.apply(10_000) == 12_000 and time_map.apply(3_600_000) == 3_751_750
    assert "speed" in time_map.describe() and "offset" in time_map.describe()


@pytest.mark.parametrize(
    ("first", "second"),
    [((1000, 2000), (1000, 5000)), ((0, 0), (1000, 3000)), ((0, 5000), (10_000, 0))],
)
def test_anchor_maps_that_make_no_sense_are_refused(
    first: tuple[int, int], second: tuple[int, int]
) -> None:
    with pytest.raises(SubtitleError):
        anchor_map(first, second)


def test_rounding_is_half_up() -> None:
    assert TimeMap(Fraction(1, 2), Fraction(0)).apply(3) == 2
    assert TimeMap(Fraction(1, 2), Fraction(0)).apply(1) == 1


@settings(deadline=None)  # a shared, busy machine must not fail a pure test
@given(
    st.integers(min_value=0, max_value=4 * 3_600_000),
    st.sampled_from(RATES),
    st.sampled_from(RATES),
)
def test_fps_round_trip_within_a_millisecond(ms: int, a: Fraction, b: Fraction) -> None:
    there = fps_map(a, b).apply(ms)
    back = fps_map(b, a).apply(there)
    assert abs(back - ms) <= 1


@settings(deadline=None)  # a shared, busy machine must not fail a pure test
@given(st.integers(min_value=0, max_value=4 * 3_600_000), st.integers(-600_000, 600_000))
def test_shift_round_trip_is_exact(ms: int, by: int) -> None:
    if ms + by >= 0:
        assert shift_map(-by).apply(shift_map(by).apply(ms)) == ms


@settings(deadline=None)  # a shared, busy machine must not fail a pure test
@given(
    st.lists(st.integers(min_value=0, max_value=7_200_000), min_size=1, max_size=20),
    st.sampled_from(RATES),
    st.sampled_from(RATES),
)
def test_retime_keeps_event_order(starts: list[int], a: Fraction, b: Fraction) -> None:
    ordered = sorted(starts)
    moved = retime(track(*[(s, s + 1000) for s in ordered]), fps_map(a, b))
    new = [e.start for e in moved.subs]
    assert new == sorted(new) and len(new) == len(ordered)
