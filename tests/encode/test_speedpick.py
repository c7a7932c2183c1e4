"""``--speed auto``'s rule and its samples (the measurement itself: tests/bundle)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from screenkit.encode.speedpick import SpeedChoice, SpeedTrial, choose, sample_chunks

TRIALS = (
    SpeedTrial("medium", 0.9900, 5000, 30.0),
    SpeedTrial("fast", 0.9895, 5200, 22.0),
    SpeedTrial("faster", 0.9884, 5500, 15.0),
    SpeedTrial("veryfast", 0.9870, 6100, 9.0),
)


def test_the_fastest_within_the_tolerance_and_the_limit_wins() -> None:
    assert choose(TRIALS, 0.002, None) == "faster"  # veryfast lost 0.003
    assert choose(TRIALS, 0.004, None) == "veryfast"
    assert choose(TRIALS, 0.004, 6000) == "faster"  # veryfast writes too many bits
    assert choose(TRIALS, 0.0, None) == "medium"
    assert choose(TRIALS, 0.004, 1000) == "medium"  # none fits: the reference


def test_a_choice_survives_its_json() -> None:
    choice = SpeedChoice("faster", 0.002, TRIALS, (10.0, 30.0, 50.0), 4.0, 10000.0)
    assert SpeedChoice.from_json(choice.to_json()) == choice
    assert choice.reference.speed == "medium" and choice.trial("faster").kbps == 5500


def test_samples_are_spread_over_the_film_and_begin_before_a_line() -> None:
    rate = Fraction(25)
    plain = sample_chunks(600.0, rate)
    assert [c.first for c in plain] == [2450, 7450, 12450]  # 98, 298, 498 s
    assert all(c.frames == 100 for c in plain)
    cues = [(95_000, 98_000), (310_000, 312_000), (590_000, 592_000)]
    moved = sample_chunks(600.0, rate, cues)
    starts = [float(c.first / rate) for c in moved]
    assert starts == pytest.approx([94.5, 309.5, 589.5], abs=0.04)  # half a second before
    late = sample_chunks(600.0, rate, [(598_000, 599_000)])
    assert float(late[-1].first / rate) == pytest.approx(595.9, abs=0.04)  # stays in the film
    short = sample_chunks(6.0, rate)
    assert all(c.frames == 50 and c.first + 50 <= 150 for c in short)
