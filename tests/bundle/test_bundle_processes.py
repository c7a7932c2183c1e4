"""Steps cross processes: plain picklable descriptions, run by a worker from the cache alone."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from bundle_helpers import SPEED, kit_with_film, run_cli

from screenkit.bundle import BuildSettings, build, plan_build, resolve_requests
from screenkit.bundle.engine.errors import BundleError, DiskFull
from screenkit.bundle.engine.executor import OVERALL
from screenkit.dvd import missing_tools
from screenkit.errors import FFmpegFailed, ScreenkitError
from screenkit.kit import load_kit
from screenkit.progress import Progress


@pytest.fixture()
def kit(tmp_path: Path, sample_kit_film: Path) -> Path:
    return kit_with_film(tmp_path / "kit", sample_kit_film)


def test_every_step_description_pickles(kit: Path) -> None:
    loaded = load_kit(kit)
    requests = [
        *resolve_requests(loaded, [], preset="usb-player", lang="en"),
        *resolve_requests(loaded, [], preset="laptop", lang="uk"),
        *resolve_requests(loaded, [], preset="divx", lang="it"),
    ]
    if not missing_tools():
        requests += resolve_requests(loaded, [], preset="dvd-pal", lang="uk")
    plan = plan_build(loaded, requests, BuildSettings(x264_preset=SPEED))
    kinds = set()
    for step in plan.steps:
        again = pickle.loads(pickle.dumps(step))
        assert again == step
        kinds.add(step.kind)
    assert kinds >= {"loudness", "film", "card", "join", "mux", "sidecars", "clip", "stills"}
    assert kinds >= {"sheet", "manifest", "legacycard"}
    if not missing_tools():
        assert kinds >= {"subpictures", "dvdauthor", "dvdiso"}


def test_a_build_in_worker_processes_is_the_same_build(kit: Path) -> None:
    code, _, err = run_cli(
        "build", "--kit", str(kit), "--preset", "laptop", "--lang", "uk", "--speed", SPEED,
        "--jobs", "2", "--processes", "--quiet",
    )  # fmt: skip
    assert code == 0, err
    code, out, err = run_cli("verify", str(kit / "out" / "sample-uk-laptop"))
    assert code == 0, err + out
    # the same plan in-process finds every step cached: the workers made the same entries
    code, out, err = run_cli(
        "build", "--kit", str(kit), "--preset", "laptop", "--lang", "uk", "--speed", SPEED,
        "--dry-run", "--json",
    )  # fmt: skip
    assert code == 0, err
    assert '"to run"' not in out


@pytest.mark.parametrize("processes", [False, True])
def test_a_step_failing_in_a_worker_is_the_same_error(kit: Path, processes: bool) -> None:
    loaded = load_kit(kit)
    plan = plan_build(
        loaded,
        resolve_requests(loaded, [], preset="usb-player", lang="en"),
        BuildSettings(x264_preset=SPEED),
    )
    master = loaded.master
    master.unlink()  # a hard link to the session's film: replace it, never write through it
    master.write_bytes(b"not a film at all " * 4000)
    with pytest.raises(FFmpegFailed) as caught:
        build(plan, jobs=2, processes=processes)
    assert caught.value.path == master
    assert str(caught.value).startswith("ffmpeg failed while measuring the loudness of film.mkv")
    assert caught.value.argv and caught.value.returncode != 0


def test_errors_round_trip_through_pickle() -> None:
    errors: list[ScreenkitError] = [
        BundleError("no", path=Path("/a"), key="burn", value="en", hint="drop --burn"),
        DiskFull("full", path=Path("/b"), free_bytes=12),
        FFmpegFailed("ffmpeg failed", argv=["ffmpeg", "-i"], returncode=1, stderr_tail="x"),
    ]
    for error in errors:
        again = pickle.loads(pickle.dumps(error))
        assert type(again) is type(error) and str(again) == str(error)
        assert vars(again) == vars(error)


def test_workers_report_progress_back(kit: Path) -> None:
    loaded = load_kit(kit)
    plan = plan_build(
        loaded,
        resolve_requests(loaded, [], preset="usb-player", lang="en"),
        BuildSettings(x264_preset=SPEED),
    )
    seen: list[Progress] = []
    report = build(plan, jobs=2, processes=True, progress=seen.append)
    assert {s.status for s in report.steps} == {"built"}
    labels = {e.step for e in seen}
    assert any(label.startswith("film encode") for label in labels)  # a worker's own events
    overall = [e.done for e in seen if e.step == OVERALL]
    assert overall and overall[-1] == pytest.approx(100.0)
