"""``subs sync --reference``: event to event where the segmentation matches, else aligned."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pysubs2
import pytest

from screenkit.subtitles.sync import SyncNotTrusted
from screenkit.subtitles.sync_reference import (
    align_events,
    same_shape,
    sync_to_reference,
)
from support import REPO, run_cli

PAL = Fraction(25) / Fraction(24000, 1001)  # 1001/960


def _write(path: Path, spans: list[tuple[float, float]], texts: list[str] | None = None) -> Path:
    subs = pysubs2.SSAFile()
    for n, (a, b) in enumerate(spans):
        text = texts[n] if texts else f"line {n + 1}"
        subs.append(pysubs2.SSAEvent(start=round(a * 1000), end=round(b * 1000), text=text))
    subs.save(str(path))
    return path


def _reference_spans(count: int, seed: int) -> list[tuple[float, float]]:
    rng = np.random.default_rng(seed)
    t, out = 3.0, []
    for _ in range(count):
        length = float(rng.uniform(1.0, 5.0))
        out.append((round(t, 3), round(t + length, 3)))
        t += length + float(rng.uniform(0.2, 3.0))
    return out


def test_same_segmentation_takes_the_reference_times(tmp_path: Path) -> None:
    ref = pysubs2.load(str(REPO / "subtitles" / "en.srt"))
    track = pysubs2.load(str(REPO / "subtitles" / "it.srt"))
    for event in track:  # the Italian track, timed for a 25 fps copy, 4.2 s late
        event.start = round(event.start / float(PAL) + 4200)
        event.end = round(event.end / float(PAL) + 4200)
    src = tmp_path / "it.srt"
    track.save(str(src))
    before = src.read_bytes()
    out = tmp_path / "it.synced.srt"
    result = sync_to_reference(src, REPO / "subtitles" / "en.srt", out)
    assert result.mapping is not None and result.mapping.mode == "event-to-event"
    assert result.mapping.one_to_one == len(ref) and result.confidence == 1.0
    assert result.ratio == PAL and result.ratio_text == "25 → 24000/1001"
    assert result.offset == pytest.approx(-4.2 * float(PAL), abs=0.01)
    written = pysubs2.load(str(out))
    assert [(e.start, e.end) for e in written] == [(e.start, e.end) for e in ref]
    assert [e.text for e in written] == [e.text for e in pysubs2.load(str(src))]
    assert src.read_bytes() == before


def test_merged_and_split_lines_are_aligned(tmp_path: Path) -> None:
    ref = _reference_spans(150, seed=4)
    rng = np.random.default_rng(9)
    spans, truth, texts = [], [], []
    merged = split = 0
    i = 0
    while i < len(ref):
        a, b = ref[i]
        roll = rng.random()
        if roll < 0.1 and i + 1 < len(ref):  # the translation says two lines in one
            parts, i, merged = [(a, ref[i + 1][1])], i + 2, merged + 1
        elif roll < 0.2:  # … or one line in two
            middle = (a + b) / 2
            parts, i, split = [(a, middle - 0.05), (middle + 0.05, b)], i + 1, split + 1
        else:
            parts, i = [(a, b)], i + 1
        for p in parts:
            truth.append(p[0])
            texts.append(f"line {len(texts) + 1}")
            spans.append((p[0] / float(PAL) + 6.5, p[1] / float(PAL) + 6.5))
    src = _write(tmp_path / "pl.srt", spans, texts)
    reference = _write(tmp_path / "en.srt", ref)
    out = tmp_path / "pl.synced.srt"
    result = sync_to_reference(src, reference, out)
    mapping = result.mapping
    assert mapping is not None and mapping.mode == "aligned"
    assert result.ratio == PAL
    assert mapping.merged == merged and mapping.split == split and mapping.unmatched == 0
    got = [e.start / 1000 for e in pysubs2.load(str(out))]
    errors = np.abs(np.array(got) - np.array(truth))
    assert np.mean(errors <= 0.05) >= 0.98
    assert result.trusted


def test_lines_without_counterpart_move_with_their_neighbours(tmp_path: Path) -> None:
    ref = _reference_spans(60, seed=2)
    spans = [(a + 12.0, b + 12.0) for a, b in ref]
    gap = next(n for n in range(20, 60) if ref[n + 1][0] - ref[n][1] > 2.5)
    middle = (ref[gap][1] + ref[gap + 1][0]) / 2
    extra = [(middle + 12.0, middle + 12.1)]  # a translator's note in a long pause
    src = _write(tmp_path / "de.srt", sorted(spans + extra))
    result = sync_to_reference(src, _write(tmp_path / "en.srt", ref), tmp_path / "o.srt")
    assert result.mapping is not None and result.mapping.unmatched == 1
    assert result.mapping.one_to_one == 60
    note = [e for e in pysubs2.load(str(tmp_path / "o.srt")) if e.end - e.start == 100]
    assert len(note) == 1 and note[0].start == pytest.approx(round(middle * 1000), abs=5)


def test_an_unrelated_reference_is_refused(tmp_path: Path) -> None:
    src = _write(tmp_path / "uk.srt", _reference_spans(80, seed=1))
    reference = _write(tmp_path / "en.srt", _reference_spans(95, seed=7))
    with pytest.raises(SyncNotTrusted) as caught:
        sync_to_reference(src, reference, tmp_path / "o.srt")
    assert caught.value.result.confidence < 0.5
    assert not (tmp_path / "o.srt").exists()


def test_same_shape_needs_the_same_count_and_timing() -> None:
    ref = np.array(_reference_spans(20, seed=3))
    ok, ratio, _, worst = same_shape(ref * 0.96 + 3.0, ref)
    assert ok and ratio == pytest.approx(1 / 0.96) and worst < 1e-6
    assert not same_shape(ref[:-1], ref)[0]
    # same count, but line 5 merged into 4 and line 12 split: lines 5-11 are shifted by one
    track = [tuple(x) for x in ref]
    merged = [*track[:4], (track[4][0], track[5][1]), *track[6:12]]
    middle = (ref[12][0] + ref[12][1]) / 2
    track = [*merged, (ref[12][0], middle - 0.05), (middle + 0.05, ref[12][1]), *track[13:]]
    shifted = np.array(track)
    assert len(shifted) == len(ref) and not same_shape(shifted, ref)[0]


def test_same_count_with_a_merge_and_a_split_is_aligned_not_paired(tmp_path: Path) -> None:
    ref = _reference_spans(30, seed=8)
    middle = (ref[20][0] + ref[20][1]) / 2
    track = [*ref[:4], (ref[4][0], ref[5][1]), *ref[6:20]]
    track += [(ref[20][0], middle - 0.05), (middle + 0.05, ref[20][1]), *ref[21:]]
    src = _write(tmp_path / "it.srt", [(a + 1.0, b + 1.0) for a, b in track])
    result = sync_to_reference(src, _write(tmp_path / "en.srt", ref), tmp_path / "o.srt")
    assert result.mapping is not None and result.mapping.mode == "aligned"
    assert (result.mapping.merged, result.mapping.split) == (1, 1)
    got = [e.start / 1000 for e in pysubs2.load(str(tmp_path / "o.srt"))]
    assert got == pytest.approx([a for a, _ in track], abs=0.002)


def test_align_events_pairs_groups() -> None:
    ref = np.array([(0.0, 2.0), (2.5, 4.0), (4.2, 6.0), (7.0, 9.0)])
    track = np.array([(0.0, 2.0), (2.5, 6.0), (7.0, 7.9), (8.1, 9.0)])
    pairs = align_events(track, ref)
    assert [(p.ti, p.tj, p.ri, p.rj) for p in pairs] == [(0, 0, 0, 0), (1, 1, 1, 2), (2, 3, 3, 3)]


def test_cli_reference_json_and_plot(tmp_path: Path) -> None:
    ref = _reference_spans(40, seed=5)
    src = _write(tmp_path / "fi.srt", [(a + 2.0, b + 2.0) for a, b in ref])
    reference = _write(tmp_path / "en.srt", ref)
    out, plot = tmp_path / "fi.synced.srt", tmp_path / "plot.png"
    code, stdout, stderr = run_cli(
        "subs", "sync", str(src), "--reference", str(reference), "-o", str(out),
        "--plot", str(plot), "--json",
    )  # fmt: skip
    assert code == 0, stderr
    doc = json.loads(stdout)
    assert doc["method"] == "reference" and doc["mapping"]["mode"] == "event-to-event"
    assert doc["offset"] == pytest.approx(-2.0, abs=0.001) and doc["ratio"] == "1"
    assert plot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n") and out.exists()
    code, _, stderr = run_cli(
        "subs", "sync", str(src), "--reference", str(reference), "--film", str(src),
        "-o", str(out),
    )  # fmt: skip
    assert code == 2 and "exactly one of --reference REF or --film FILM" in stderr


def test_bad_reference_is_a_clear_error(tmp_path: Path) -> None:
    src = _write(tmp_path / "fi.srt", _reference_spans(10, seed=5))
    empty = tmp_path / "empty.srt"
    empty.write_text("")
    code, _, stderr = run_cli(
        "subs", "sync", str(src), "--reference", str(empty), "-o", str(tmp_path / "o.srt")
    )
    assert code == 1 and stderr.startswith("Error: ") and "Traceback" not in stderr
    missing = tmp_path / "nope.srt"
    code, _, stderr = run_cli(
        "subs", "sync", str(src), "--reference", str(missing), "-o", str(tmp_path / "o.srt")
    )
    assert code == 1 and "nope.srt: no such file" in stderr
    code, _, stderr = run_cli(
        "subs", "sync", str(src), "--reference", str(src), "-o", str(tmp_path / "o.xyz")
    )
    assert code == 1 and stderr.startswith("Error: ")
    assert not (tmp_path / "o.xyz").exists()


def _piecewise(
    spans: list[tuple[float, float]], changes: list[tuple[float, float]]
) -> list[tuple[float, float]]:
    """``spans`` moved by the offset of the last change at or before each start."""
    out = []
    for a, b in spans:
        shift = [s for at, s in changes if a >= at][-1]
        out.append((a + shift, b + shift))
    return out


def _within(out: Path, truth: dict[int, float]) -> np.ndarray:
    got = {int(e.text.split()[1]) - 1: e.start / 1000 for e in pysubs2.load(str(out))}
    return np.array([abs(got[n] - t) if n in got else np.inf for n, t in truth.items()])


@pytest.mark.parametrize(
    "changes",
    [
        [(0.0, 1.0), (None, 5.0)],  # the case of issue 9: +1 s before a cut halfway, +5 s after
        [(0.0, 1.0), (None, 5.0), (None, 2.5)],  # two cuts: a scene added, then one removed
    ],
    ids=["one-cut", "two-cuts"],
)
def test_reference_sync_across_cuts(
    tmp_path: Path, changes: list[tuple[float | None, float]]
) -> None:
    ref = _reference_spans(90, seed=12)
    cuts = len(changes) - 1
    at = [0.0] + [ref[len(ref) * k // (cuts + 1)][0] - 0.1 for k in range(1, cuts + 1)]
    steps = [(a, s) for a, (_, s) in zip(at, changes, strict=True)]
    src = _write(tmp_path / "it.srt", _piecewise(ref, steps))
    out = tmp_path / "it.synced.srt"
    result = sync_to_reference(src, _write(tmp_path / "en.srt", ref), out)
    assert result.trusted and out.exists()
    assert [round(s.offset, 2) for s in result.segments] == pytest.approx(
        [-s for _, s in steps], abs=0.01
    )
    err = _within(out, {n: a for n, (a, _) in enumerate(ref)})
    assert np.mean(err <= 0.1) >= 0.95


def test_reference_sync_drops_and_lists_the_lines_of_a_removed_scene(tmp_path: Path) -> None:
    original = _reference_spans(90, seed=13)
    scene = (original[40][0] - 0.1, original[47][1] + 0.1)  # lines 41-48: a scene REF lacks
    lost = scene[1] - scene[0]
    ref = [
        (a if a < scene[0] else a - lost, b if a < scene[0] else b - lost)
        for a, b in original
        if not scene[0] <= a < scene[1]
    ]
    src = _write(tmp_path / "pt.srt", [(a + 1.0, b + 1.0) for a, b in original])
    out = tmp_path / "pt.synced.srt"
    result = sync_to_reference(src, _write(tmp_path / "en.srt", ref), out)
    assert result.trusted
    assert [round(s.offset, 2) for s in result.segments] == pytest.approx(
        [-1.0, -1.0 - lost], abs=0.01
    )
    inside = set(range(41, 49))
    assert inside - {41, 48} <= set(result.dropped) <= inside
    truth = {
        n: a if a < scene[0] else a - lost
        for n, (a, _) in enumerate(original)
        if not scene[0] <= a < scene[1]
    }
    assert np.mean(_within(out, truth) <= 0.1) >= 0.95


def test_a_poor_mapping_lowers_the_confidence_below_the_threshold(tmp_path: Path) -> None:
    ref = _reference_spans(80, seed=14)
    rng = np.random.default_rng(3)
    jitter = rng.uniform(-2.0, 2.0, len(ref))  # no one map, nor a few, explains these times
    spans = sorted((a + 4.0 + d, b + 4.0 + d) for (a, b), d in zip(ref, jitter, strict=True))
    src = _write(tmp_path / "ro.srt", spans)
    out = tmp_path / "o.srt"
    with pytest.raises(SyncNotTrusted) as caught:
        sync_to_reference(src, _write(tmp_path / "en.srt", ref), out)
    assert not caught.value.result.trusted and not out.exists()
    code, _, stderr = run_cli(
        "subs", "sync", str(src), "--reference", str(tmp_path / "en.srt"), "-o", str(out)
    )
    assert code == 1 and "not reliable" in stderr and "--force" in stderr
