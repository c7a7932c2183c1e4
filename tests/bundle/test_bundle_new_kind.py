"""A new step kind is one class and one registry line: nothing else in screenkit changes.

The kind below lives in this file only. Registered, it is planned into every bundle by its
own ``compose``, keyed from its settings, run, cached, placed into the bundle (its file is
in the manifest and checked by verify) and listed by ``--dry-run``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from bundle_helpers import SPEED

from screenkit.bundle import (
    BuildSettings,
    build,
    describe,
    plan_build,
    resolve_requests,
    verify_bundle,
)
from screenkit.bundle.engine.kind import Kind
from screenkit.bundle.engine.planner import Planner
from screenkit.bundle.engine.registry import REGISTRY
from screenkit.bundle.engine.step import StepRun
from screenkit.bundle.kinds.shape import BundleShape
from screenkit.kit import load_kit


@dataclass(frozen=True)
class NoteSettings:
    lang: str
    text: str


@dataclass(frozen=True)
class NoteResult:
    out: str


class NoteKind(Kind[NoteSettings, NoteResult]):
    """A note for the projectionist, written into every bundle."""

    name = "note"
    runs_ffmpeg = False
    placed = "whole"

    def run(self, run: StepRun[NoteSettings]) -> NoteResult:
        s = run.step.settings
        (run.work / "NOTE.txt").write_text(f"[{s.lang}] {s.text}\n", encoding="utf-8")
        return NoteResult("NOTE.txt")

    def compose(self, p: Planner, shape: BundleShape) -> str | None:
        lang = shape.video.request.lang
        settings = NoteSettings(lang, "Bring a torch: the hall is dark.")
        return p.add(self, f"note ({lang})", settings=settings)


@pytest.fixture
def note_kind() -> Iterator[None]:
    REGISTRY.register(NoteKind())  # the one registry line
    yield
    REGISTRY.unregister("note")


def test_a_new_kind_needs_its_own_file_and_one_registry_line(
    note_kind: None, sample_kit: Path
) -> None:
    kit = load_kit(sample_kit)
    settings = BuildSettings(x264_preset=SPEED, allow_placeholder=True)
    plan = plan_build(kit, resolve_requests(kit, ["demo"]), settings)
    (note,) = [v for v in describe(plan) if v.kind == "note"]
    assert note.state == "to run" and note.key and note.bundles == ("demo",)
    report = build(plan, jobs=2)
    assert [s.status for s in report.steps if s.kind == "note"] == ["built"]
    (bundle,) = report.bundles
    assert (bundle.folder / "NOTE.txt").read_text(encoding="utf-8").startswith("[")
    verified = verify_bundle(bundle.folder)
    assert verified.ok, verified.problems
    assert "NOTE.txt" in {f.path for f in verified.manifest.files}
    again = plan_build(kit, resolve_requests(kit, ["demo"]), settings)
    assert [v.state for v in describe(again) if v.kind == "note"] == ["cached"]
