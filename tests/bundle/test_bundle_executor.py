"""The executor: dependency order, steps side by side, failure and interruption.

The steps are of a test kind (``action``: its settings are the function it runs), run by
the engine's own `run_step`, so what is tested is the executor with the real step runner.
"""

from __future__ import annotations

import _thread
import dataclasses
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from screenkit.bundle.engine import executor
from screenkit.bundle.engine.cache import StepCache
from screenkit.bundle.engine.errors import BundleError
from screenkit.bundle.engine.events import (
    OVERALL,
    BuildEvent,
    BuildProgress,
    EventCallback,
    StepFinished,
    StepProgress,
    StepStarted,
    progress_events,
)
from screenkit.bundle.engine.executor import (
    ExecutionResult,
    ThreadBackend,
    check_graph,
    critical_path,
)
from screenkit.bundle.engine.executor import execute as run_graph
from screenkit.bundle.engine.kind import Kind
from screenkit.bundle.engine.registry import REGISTRY
from screenkit.bundle.engine.step import Dep, Step, StepRun, Tools
from screenkit.progress import Progress


@dataclass(frozen=True)
class Done:
    out: str | None = None
    n: int = 0


Action = Callable[[StepRun[Any]], Done]


class ActionKind(Kind[Action, Done]):
    """A step kind for these tests: runs the function its settings hold."""

    name = "action"
    runs_ffmpeg = False

    def run(self, run: StepRun[Action]) -> Done:
        return run.step.settings(run)


class HeavyActionKind(ActionKind):
    """The same, for a step that holds a core (an encode, a chunk, the loudness pass)."""

    name = "heavy-action"
    holds_cpu = True


@pytest.fixture(autouse=True)
def action_kind() -> Iterator[None]:
    REGISTRY.register(ActionKind())
    REGISTRY.register(HeavyActionKind())
    yield
    REGISTRY.unregister("action")
    REGISTRY.unregister("heavy-action")


def execute(
    steps: list[Step[Action]],
    cache: StepCache,
    *,
    jobs: int = 1,
    events: EventCallback | None = None,
) -> ExecutionResult:
    """The engine's loop on threads, each step run by the real `run_step`."""
    return run_graph(steps, cache, ThreadBackend(cache, jobs), events=events)


def step(
    name: str, deps: tuple[str, ...] = (), action: Any = None, key: bool = True
) -> Step[Action]:
    def default(run: StepRun) -> Done:
        (run.work / f"{name}.txt").write_text(",".join(sorted(run.deps)))
        return Done(f"{name}.txt")

    return Step(
        id=name,
        kind="action",
        label=f"step {name}",
        key=f"key-{name}" if key else None,
        deps=tuple(Dep(d, d, f"key-{d}") for d in deps),
        settings=action or default,
        tools=Tools(ffmpeg=None),  # type: ignore[arg-type]
    )


def weighted(kind: str, rows: list[tuple[str, tuple[str, ...], float]]) -> list[Step[Action]]:
    """Steps of ``kind`` from (name, dependencies, weight) rows."""
    return [dataclasses.replace(step(n, deps), kind=kind, weight=w) for n, deps, w in rows]


def start_order(steps: list[Step[Action]], tmp_path: Path) -> list[str]:
    """The order ``steps`` start in, one at a time."""
    started: list[str] = []

    def listen(event: BuildEvent) -> None:
        if isinstance(event, StepStarted):
            started.append(event.id)

    execute(steps, StepCache(tmp_path), jobs=1, events=listen)
    return started


def test_order_follows_dependencies_and_cycles_are_refused() -> None:
    steps = [step("c", ("b",)), step("b", ("a",)), step("a")]
    assert [s.id for s in check_graph(steps)] == ["a", "b", "c"]
    with pytest.raises(BundleError, match="cycle"):
        check_graph([step("a", ("b",)), step("b", ("a",))])
    with pytest.raises(BundleError, match="not in the plan"):
        check_graph([step("a", ("zzz",))])


def test_ready_steps_start_heaviest_chain_first(tmp_path: Path) -> None:
    """Two workers, chunks of 9, 9 and 12 s and a 5-s loudness pass: in plan order the
    12-s chunk starts last and runs alone at the end; by the weight of the chain each
    step heads, it starts first (and a light step heading a heavy chain before a heavier
    step heading nothing)."""
    steps = weighted(
        "action",
        [
            ("loudness", (), 5.0),
            ("chunk1", (), 9.0),
            ("chunk2", (), 12.0),
            ("chunk3", (), 9.0),
            ("probe", (), 1.0),
            ("encode", ("probe",), 20.0),
        ],
    )
    started = start_order(steps, tmp_path)
    assert started == ["probe", "encode", "chunk2", "chunk1", "chunk3", "loudness"]
    assert critical_path(steps)["probe"].weight == 21.0


def test_a_chain_of_heavy_steps_starts_before_single_heavier_ones(tmp_path: Path) -> None:
    """A chunked film: four 9-s chunks, and the loudness pass (3 s) then the sound it sets
    (2 s), all read by the join. By weight alone the loudness is the lightest chain and
    starts last, and the sound then runs alone after the last chunk. Two heavy steps in a
    row need two turns of a worker: the loudness starts first, the sound fills in last."""
    steps = weighted(
        "heavy-action",
        [
            ("chunk1", (), 9.0),
            ("chunk2", (), 9.0),
            ("chunk3", (), 9.0),
            ("chunk4", (), 9.0),
            ("loudness", (), 3.0),
            ("sound", ("loudness",), 2.0),
            ("join", ("chunk1", "chunk2", "chunk3", "chunk4", "sound"), 1.0),
        ],
    )
    started = start_order(steps, tmp_path)
    assert started == ["loudness", "chunk1", "chunk2", "chunk3", "chunk4", "sound", "join"]
    rank = critical_path(steps)
    assert (rank["loudness"].heavy, rank["chunk1"].heavy, rank["join"].heavy) == (3, 2, 1)


def test_outputs_of_dependencies_reach_a_step(tmp_path: Path) -> None:
    cache = StepCache(tmp_path)
    result = execute([step("a"), step("b"), step("c", ("a", "b"))], cache)
    c = result.entries["c"]
    assert c.path("c.txt").read_text() == "a,b"
    assert [o.status for o in result.outcomes] == ["built"] * 3
    again = execute([step("a"), step("b"), step("c", ("a", "b"))], StepCache(tmp_path))
    assert [o.status for o in again.outcomes] == ["cached"] * 3


def test_jobs_run_independent_steps_side_by_side(tmp_path: Path) -> None:
    running: list[int] = []
    peak: list[int] = []
    lock = threading.Lock()

    def slow(run: StepRun) -> Done:
        with lock:
            running.append(1)
            peak.append(len(running))
        time.sleep(0.3)
        with lock:
            running.pop()
        (run.work / "x").write_text("x")
        return Done()

    steps = [step(n, action=slow) for n in "abc"]
    execute(steps, StepCache(tmp_path / "one"), jobs=1)
    assert max(peak) == 1
    peak.clear()
    execute(steps, StepCache(tmp_path / "two"), jobs=2)
    assert max(peak) == 2


def test_events_per_step_and_overall_on_the_calling_thread(tmp_path: Path) -> None:
    threads: set[int] = set()

    def reporting(run: StepRun[Action]) -> Done:
        assert run.progress is not None
        run.progress(Progress("encode", 5.0, 10.0))
        (run.work / "x").write_text("x")
        return Done()

    seen: list[BuildEvent] = []

    def listen(event: BuildEvent) -> None:
        threads.add(threading.get_ident())
        seen.append(event)

    execute([step("a", action=reporting), step("b", ("a",))], StepCache(tmp_path), events=listen)
    assert threads == {threading.get_ident()}  # delivered here, never from a step's thread
    of_a = [e for e in seen if not isinstance(e, BuildProgress) and e.id == "a"]
    assert [type(e) for e in of_a] == [StepStarted, StepProgress, StepFinished]
    progress = of_a[1]
    assert isinstance(progress, StepProgress)
    assert (progress.label, progress.kind, progress.what, progress.done) == (
        "step a",
        "action",
        "encode",
        5.0,
    )
    assert [(e.id, e.status) for e in seen if isinstance(e, StepFinished)] == [
        ("a", "built"),
        ("b", "built"),
    ]
    overall = [e for e in seen if isinstance(e, BuildProgress)]
    assert overall[-1].percent == pytest.approx(100.0) and overall[-1].finished == 2
    assert [e.percent for e in overall] == sorted(e.percent for e in overall)


def test_the_progress_adapter_gives_what_progress_callbacks_got(tmp_path: Path) -> None:
    def reporting(run: StepRun[Action]) -> Done:
        assert run.progress is not None
        run.progress(Progress("encode", 5.0, 10.0))
        (run.work / "x").write_text("x")
        return Done()

    seen: list[Progress] = []
    execute(
        [step("a", action=reporting), step("b", ("a",))],
        StepCache(tmp_path),
        events=progress_events(seen.append),
    )
    assert any(p.step == "step a" and p.done == 5.0 and p.total == 10.0 for p in seen)
    overall = [p for p in seen if p.step == OVERALL]
    assert overall[-1].done == pytest.approx(100.0)
    assert [p.done for p in overall] == sorted(p.done for p in overall)


def test_a_failure_stops_the_others_and_is_raised(tmp_path: Path) -> None:
    started = threading.Event()
    stopped: list[str] = []
    reports: list[int] = []

    def long_running(run: StepRun) -> Done:
        started.set()
        try:
            for _ in range(100):  # like ffmpeg: reports progress every so often
                time.sleep(0.05)
                run.progress(Progress("x", 0, None))
                reports.append(1)
        except BaseException:
            stopped.append("long")
            raise
        return Done()

    def failing(run: StepRun) -> Done:
        started.wait(5)
        raise BundleError("the card does not fit")

    seen: list[BuildEvent] = []
    with pytest.raises(BundleError, match="does not fit"):
        execute(
            [
                step("long", action=long_running),
                step("bad", action=failing),
                step("after", ("bad",)),
            ],
            StepCache(tmp_path),
            jobs=2,
            events=seen.append,
        )
    assert stopped == ["long"]
    ends = {e.id: (e.status, e.error) for e in seen if isinstance(e, StepFinished)}
    assert ends == {"bad": ("failed", "the card does not fit"), "long": ("stopped", None)}
    assert len(reports) < 100  # stopped at a progress report, not run to its end
    assert StepCache(tmp_path).lookup("key-after") is None


def test_ctrl_c_stops_running_steps(tmp_path: Path) -> None:
    stopped: list[str] = []

    def long_running(run: StepRun) -> Done:
        try:
            for _ in range(200):
                time.sleep(0.02)
                run.progress(Progress("x", 0, None))
        except BaseException:
            stopped.append(run.step.id)
            raise
        return Done()

    # Ctrl-C reaches the main thread while it waits for the workers
    threading.Timer(0.3, _thread.interrupt_main).start()
    with pytest.raises(KeyboardInterrupt):
        execute(
            [step("a", action=long_running), step("b", action=long_running)],
            StepCache(tmp_path),
            jobs=2,
        )
    assert sorted(stopped) == ["a", "b"]
    assert not list((tmp_path / "tmp").iterdir())


def test_an_uncached_step_runs_every_time(tmp_path: Path) -> None:
    calls: list[int] = []

    def count(run: StepRun) -> Done:
        calls.append(1)
        return Done(n=len(calls))

    for _ in range(2):
        result = execute(
            [step("a"), step("m", ("a",), action=count, key=False)], StepCache(tmp_path)
        )
    assert calls == [1, 1]
    assert result.entries["m"].meta["n"] == 2


def test_a_pass_of_the_loop_does_not_look_at_every_waiting_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """300 steps wait for one long step (a film's chunks for its loudness pass, a matrix's
    joins for their encodes) while the loop polls it over and over: the steps' dependencies
    are read a few times each in all, not once per waiting step on every pass (a 10-hour
    matrix of 2,000 steps polled every 0.2 s: 360 million looks)."""
    looks: list[str] = []
    real = Step.dep_ids

    def counted(self: Step[Any]) -> tuple[str, ...]:
        looks.append(self.id)
        return real.fget(self)  # type: ignore[attr-defined,no-any-return]

    monkeypatch.setattr(Step, "dep_ids", property(counted))
    monkeypatch.setattr(executor, "POLL", 0.005)
    polls: list[int] = []
    backend = ThreadBackend(StepCache(tmp_path), 2)
    real_poll = backend.poll

    def poll(timeout: float, relay: Any) -> Any:
        polls.append(1)
        return real_poll(timeout, relay)

    monkeypatch.setattr(backend, "poll", poll)

    def slow(run: StepRun) -> Done:
        time.sleep(0.5)
        (run.work / "x").write_text("x")
        return Done()

    steps = [step("first", action=slow), *(step(f"s{n:03}", ("first",)) for n in range(300))]
    result = run_graph(steps, StepCache(tmp_path), backend)
    assert len(result.outcomes) == 301
    assert len(polls) > 20  # the long step was polled many times while the rest waited
    assert len(looks) <= 5 * len(steps), f"{len(looks)} looks at the dependencies"
