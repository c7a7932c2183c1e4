"""Where a chunked film is cut: in the gaps between cues, on the output's frame grid."""

from __future__ import annotations

import math
from fractions import Fraction

import pysubs2
from hypothesis import given, settings
from hypothesis import strategies as st

from screenkit.encode.chunks import Chunk
from screenkit.encode.gaps import (
    SHARED_MIN,
    busy_frames,
    chunk_shown,
    free_frames,
    gap_bounds,
    gap_cuts,
)

RATE = Fraction(25)
NTSC = Fraction(30000, 1001)


def _track(spans: list[tuple[int, int]], text: str = "line") -> pysubs2.SSAFile:
    subs = pysubs2.SSAFile()
    for n, (start, end) in enumerate(spans):
        subs.append(pysubs2.SSAEvent(start=start, end=end, text=f"{text} {n}"))
    return subs


def test_busy_frames_widen_each_cue_by_a_frame_and_merge() -> None:
    # 2.0-5.0 s shows on frames 50..124; 5.1-6.0 s on 128..149: one frame either side
    assert busy_frames([(2000, 5000), (5100, 6000)], RATE, 1000) == [(49, 126), (127, 151)]
    assert busy_frames([(2000, 5000), (5040, 6000)], RATE, 1000) == [(49, 151)]
    assert free_frames([(49, 126), (127, 151)], 200) == [(0, 49), (126, 127), (151, 200)]


def test_long_gaps_become_chunks_of_their_own_and_speech_stays_whole() -> None:
    spans = [(2000, 5000), (5500, 9000), (20000, 24000)]
    # 9.0 s ends on frame 225 (+1), 20.0 s starts on 500 (-1), 24.0 s ends at 600 (+1);
    # the wordless 601..1000 is split near the 10-s chunk length
    assert gap_cuts(spans, 40.0, RATE, 10.0) == [226, 499, 601, 801]
    chunks = gap_bounds(spans, 40.0, RATE, 10.0)
    assert chunks[0] == Chunk(0, 0, 226) and chunks[-1] == Chunk(4, 801, None)


def test_speech_is_cut_near_the_chunk_length_at_a_pause_and_never_inside_a_cue() -> None:
    # 60 s of speech: 2.6-s cues with 0.4-s pauses, no gap long enough to share
    spans = [(t, t + 2600) for t in range(0, 60000, 3000)]
    cuts = gap_cuts(spans, 60.0, RATE, 20.0)
    assert len(cuts) == 2
    for cut, target in zip(cuts, (500, 1000), strict=True):
        assert abs(cut - target) <= 75  # within the 3-s rhythm of the pauses
        second = Fraction(cut) / RATE * 1000
        assert not any(s <= second < e for s, e in spans)


def test_speech_that_never_pauses_is_one_long_chunk() -> None:
    spans = [(t, t + 1000) for t in range(0, 60000, 1000)]  # back to back
    assert gap_cuts(spans, 60.0, RATE, 10.0) == []


def test_no_cue_at_all_cuts_near_the_chunk_length() -> None:
    assert gap_cuts([], 40.0, RATE, 10.0) == [250, 500, 750]
    assert gap_cuts([], 3.0, RATE, 10.0) == []


def test_a_short_pause_is_not_shared() -> None:
    short = SHARED_MIN - 0.5
    spans = [(0, 10000), (10000 + int(short * 1000), 20000)]
    assert gap_cuts(spans, 20.0, RATE, 60.0) == []


def test_what_shows_in_each_chunk_and_an_edit_changes_only_its_chunk() -> None:
    spans = [(2000, 5000), (5500, 9000), (20000, 24000)]
    chunks = gap_bounds(spans, 40.0, RATE, 10.0)
    shown = chunk_shown(_track(spans), chunks, RATE)
    assert [s is not None for s in shown] == [True, False, True, False, False]
    edited = _track(spans)
    edited.events[2].text = "another line"
    again = chunk_shown(edited, chunks, RATE)
    assert [a == b for a, b in zip(shown, again, strict=True)] == [True, True, False, True, True]
    other = chunk_shown(_track(spans, "riga"), chunks, RATE)
    assert other[1] is None and other[0] != shown[0]


@settings(max_examples=60, deadline=None)
@given(
    starts=st.lists(st.integers(0, 120_000), min_size=1, max_size=25),
    lengths=st.lists(st.integers(40, 7000), min_size=25, max_size=25),
    seconds=st.sampled_from([5.0, 10.0, 30.0]),
    rate=st.sampled_from([RATE, NTSC, Fraction(24000, 1001)]),
)
def test_a_chunk_keyed_without_cues_shows_no_cue_on_any_of_its_frames(
    starts: list[int], lengths: list[int], seconds: float, rate: Fraction
) -> None:
    spans = [(s, s + n) for s, n in zip(starts, lengths, strict=False)]
    duration = 130.0
    chunks = gap_bounds(spans, duration, rate, seconds)
    shown = chunk_shown(_track(spans), chunks, rate)
    total = int(duration * rate)
    assert chunks[0].first == 0
    for chunk, digest in zip(chunks, shown, strict=True):
        end = total if chunk.frames is None else chunk.first + chunk.frames
        assert end > chunk.first
        if digest is not None:
            continue
        for frame in range(chunk.first, end):  # the frame shows at its time, in ms
            ms = Fraction(frame) / rate * 1000
            assert not any(s <= ms < e for s, e in spans), (frame, chunk)


def test_without_sharing_a_long_gap_is_only_a_place_to_cut() -> None:
    """A kit of one language: nothing to share, its pauses are no reason to cut."""
    spans = [(2000, 5000), (5500, 9000), (20000, 24000)]
    # near every 10 s, each where no cue shows (499: the last frame before the 20-s cue)
    assert gap_cuts(spans, 40.0, RATE, 10.0, shared_min=math.inf) == [250, 499, 749]
