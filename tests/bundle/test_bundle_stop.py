"""Stopping a build from another thread (the organiser's app's Cancel): no half bundle.

The build runs in a thread, as the app runs it; the stop signal is set once the film's
encode has started (its part file in the cache). The build raises `BuildCancelled`, the
bundle folder does not exist, nothing is left in the cache's tmp, and the next build of
the same plan succeeds — with each executor.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from bundle_helpers import SPEED, kit_with_film

from screenkit.bundle import BuildSettings, build, plan_build, resolve_requests
from screenkit.bundle.documents.verify import verify_bundle
from screenkit.bundle.engine.cache import StepCache
from screenkit.bundle.engine.dask_executor import ClusterSpec
from screenkit.bundle.engine.errors import BuildCancelled
from screenkit.kit import load_kit

pytestmark = pytest.mark.slow


def _plan(kit: Path):  # type: ignore[no-untyped-def]
    loaded = load_kit(kit)
    requests = resolve_requests(loaded, ["demo"])
    return plan_build(loaded, requests, BuildSettings(x264_preset=SPEED))


@pytest.mark.parametrize("how", ["threads", "processes", "dask"])
def test_a_stop_signal_cancels_the_build_and_leaves_no_bundle(
    tmp_path: Path, sample_kit_film: Path, how: str
) -> None:
    if how == "dask":
        pytest.importorskip("distributed", reason="the cluster extra (Dask) is not installed")
    kit = kit_with_film(tmp_path / "kit", sample_kit_film)
    plan = _plan(kit)
    cache = plan.cache_root
    stop = threading.Event()
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            build(
                plan,
                jobs=2,
                stop=stop,
                processes=how == "processes",
                cluster=ClusterSpec(workers=2) if how == "dask" else None,
            )
            outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 - the test looks at what was raised
            outcome.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    deadline = time.monotonic() + 120
    while not list((cache / "tmp").glob("*/film.mp4")):
        assert worker.is_alive() and time.monotonic() < deadline, f"no film encode: {outcome}"
        time.sleep(0.02)
    stop.set()
    worker.join(timeout=60)
    assert not worker.is_alive(), "the build did not stop"
    assert len(outcome) == 1 and isinstance(outcome[0], BuildCancelled), outcome
    assert not plan.bundles[0].folder.exists()
    assert not list((cache / "tmp").glob("*/film.mp4"))

    again = _plan(kit)
    report = build(again, jobs=2)
    assert report.bundles[0].status == "built"
    assert verify_bundle(report.bundles[0].folder).ok


def test_a_stop_set_before_the_build_runs_no_step(tmp_path: Path, sample_kit_film: Path) -> None:
    kit = kit_with_film(tmp_path / "kit", sample_kit_film)
    plan = _plan(kit)
    stop = threading.Event()
    stop.set()
    with pytest.raises(BuildCancelled):
        build(plan, stop=stop)
    assert not plan.bundles[0].folder.exists()
    assert not [r for r in StepCache(plan.cache_root).journal() if r.event == "done"]
