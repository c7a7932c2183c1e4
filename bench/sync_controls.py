"""The negative controls of ``bench_sync`` and the calibration of the confidence.

False pairs: a track against sound it does not belong to (another film, a tone, noise,
music only, a 20 s excerpt of its own film). None may be written without ``--force``.
With the true pairs' figures (``Accuracy.confidence`` and ``.strength`` of the accuracy
cases) they give the distribution the threshold is set from: the gap between the weakest
true pair and the strongest false one, and the margin either side of the threshold.
Reference sync across one and two cuts is measured here too (no audio: the track is a
reference timed with a step in its offset).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pysubs2

from bench.harness import media_path
from screenkit.sample.music import dialogue_spans, music_like, scored_dialogue, write_media
from screenkit.subtitles.sync import SyncNotTrusted, SyncResult
from screenkit.subtitles.sync_audio import sync_to_film
from screenkit.subtitles.sync_reference import ReferenceSyncOptions, sync_to_reference
from screenkit.subtitles.trust import MIN_CONFIDENCE, PLACED_FULL

RATE = 48000


@dataclass(frozen=True)
class Control:
    case: str
    written: bool
    confidence: float
    strength: float
    agreement: float
    placed: str
    reasons: str
    vetoed: bool
    """Placement or stacking alone makes it unreliable (so its strength says nothing)."""

    def line(self) -> str:
        verdict = "WRITTEN" if self.written else "refused"
        return (
            f"{self.case:<34} {verdict:<8} confidence {self.confidence:5.3f}  "
            f"z {self.strength:6.2f}  agree {self.agreement:4.2f}  placed {self.placed:<9} "
            f"{self.reasons}"
        )


def _sound(name: str, make: Callable[[], np.ndarray] | np.ndarray) -> Path:
    path = media_path(f"sync-false-{name}.mkv")
    if not path.exists():
        audio = make() if callable(make) else make
        print(f"rendering {path.name} ({len(audio) / RATE:.0f} s)…", flush=True)
        write_media(path, np.asarray(audio, dtype=np.float32), rate=RATE)
    return path


def false_films(base_audio_of: Callable[[], np.ndarray]) -> dict[str, Path]:
    """Sound no bench track belongs to (rendered once, cached beside the bench films)."""
    rng = np.random.default_rng(5)
    t = np.arange(5 * RATE) / RATE
    other_spans = dialogue_spans(600.0, seed=23)
    return {
        "another film": _sound(
            "other", lambda: scored_dialogue(other_spans, 600.0, rate=RATE, seed=23)
        ),
        "a 5 s tone": _sound("tone", (0.5 * np.sin(2 * np.pi * 220.0 * t))),
        "noise": _sound("noise", lambda: 0.2 * rng.standard_normal(600 * RATE)),
        "music only": _sound("music", lambda: music_like(600.0, rate=RATE, seed=4)),
        "a 20 s excerpt": _sound("excerpt", lambda: base_audio_of()[100 * RATE : 120 * RATE]),
    }


def _control(case: str, track: Path, film: Path, out: Path) -> Control:
    try:
        result: SyncResult = sync_to_film(track, film, out)
        written = out.exists()
    except SyncNotTrusted as exc:
        result, written = exc.result, out.exists()
    return Control(
        case,
        written,
        result.confidence,
        result.evidence,
        result.matched,
        f"{result.placed}/{result.events}",
        "; ".join(result.reasons),
        result.placed < PLACED_FULL * result.events or result.stacked > 0,
    )


def control_cases(tracks: dict[str, Path], films: dict[str, Path]) -> list[Control]:
    """Each track against each false film (``tracks``: name → SRT, all of other films)."""
    out: list[Control] = []
    with tempfile.TemporaryDirectory(prefix="bench-sync-false-") as tmp:
        for tname, track in tracks.items():
            for fname, film in films.items():
                target = Path(tmp) / f"{len(out)}.srt"
                out.append(_control(f"{tname} vs {fname}", track, film, target))
                print(out[-1].line(), flush=True)
    return out


def calibration(true: list[tuple[str, float, float, float]], false: list[Control]) -> str:
    """The distributions (confidence, strength z, agreement) of true pairs (name, confidence,
    z, agreement) and false ones, the gaps and the margins, in words."""
    open_ = [c for c in false if not c.vetoed] or false
    t_conf, f_conf = min(x[1] for x in true), max(c.confidence for c in false)
    t_z, f_z = min(x[2] for x in true), max(c.strength for c in open_)
    t_a, f_a = min(x[3] for x in true), max(c.agreement for c in open_)
    weakest = min(true, key=lambda x: x[1])[0]
    strongest = max(false, key=lambda c: c.confidence).case
    return (
        f"confidence: true pairs {t_conf:.3f}..{max(x[1] for x in true):.3f} "
        f"(weakest: {weakest}), false pairs {min(c.confidence for c in false):.3f}..{f_conf:.3f} "
        f"(strongest: {strongest}); threshold {MIN_CONFIDENCE:.2f}: margin "
        f"{t_conf - MIN_CONFIDENCE:+.3f} above, {MIN_CONFIDENCE - f_conf:+.3f} below\n"
        f"false pairs placement does not veto ({len(open_)} of {len(false)}): strength z "
        f"≤ {f_z:.2f} (true ≥ {t_z:.2f}, gap {t_z - f_z:.2f}); agreement ≤ {f_a:.2f} "
        f"(true ≥ {t_a:.2f}, gap {t_a - f_a:.2f})\n"
        f"written without --force: {sum(c.written for c in false)} of {len(false)} false pairs"
    )


def _write(path: Path, spans: list[tuple[float, float]]) -> Path:
    subs = pysubs2.SSAFile()
    for n, (a, b) in enumerate(spans):
        subs.append(pysubs2.SSAEvent(start=round(a * 1000), end=round(b * 1000), text=f"l {n}"))
    subs.save(str(path))
    return path


def reference_cases(spans: list[tuple[float, float]]) -> list[str]:
    """Reference sync of a track timed with steps in its offset: share within 100 ms."""
    lines = []
    n = len(spans)
    cases = {
        "reference: one cut (+1 s, +5 s)": [(0, 1.0), (n // 2, 5.0)],
        "reference: two cuts (+1, +5, +2.5 s)": [(0, 1.0), (n // 3, 5.0), (2 * n // 3, 2.5)],
    }
    with tempfile.TemporaryDirectory(prefix="bench-sync-ref-") as tmp:
        folder = Path(tmp)
        ref = _write(folder / "en.srt", spans)
        for label, steps in cases.items():
            moved = []
            for i, (a, b) in enumerate(spans):
                shift = [s for at, s in steps if i >= at][-1]
                moved.append((a + shift, b + shift))
            track = _write(folder / "it.srt", moved)
            out = folder / "it.synced.srt"
            result = sync_to_reference(track, ref, out, options=ReferenceSyncOptions(force=True))
            got = {int(e.text.split()[1]): e.start / 1000 for e in pysubs2.load(str(out))}
            err = np.array(
                [abs(got[i] - a) if i in got else np.inf for i, (a, _) in enumerate(spans)]
            )
            lines.append(
                f"{label:<38} within 100 ms {np.mean(err <= 0.1):6.1%}  median "
                f"{np.median(err) * 1000:6.1f} ms  segments {len(result.segments)}  "
                f"confidence {result.confidence:.3f}"
            )
            print(lines[-1], flush=True)
    return lines
