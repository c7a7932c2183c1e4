"""Builds on a Dask cluster: a LocalCluster of 2 worker processes on the tiny sample kit."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from bundle_helpers import SPEED, kit_with_film, run_cli

from screenkit.bundle.documents.manifest import read_manifest
from screenkit.bundle.engine.cache import StepCache

pytest.importorskip("distributed", reason="the cluster extra (Dask) is not installed")
pytestmark = pytest.mark.slow

MATRIX = """
[bundles.m-en-usb]
preset = "usb-player"
lang = "en"
burn = "en"

[bundles.m-it-usb]
preset = "usb-player"
lang = "it"
burn = "it"

[bundles.m-en-laptop]
preset = "laptop"
lang = "en"

[bundles.m-it-laptop]
preset = "laptop"
lang = "it"
"""
NAMES = ("m-en-usb", "m-it-usb", "m-en-laptop", "m-it-laptop")


@pytest.fixture
def matrix_kit(tmp_path: Path, sample_kit_film: Path) -> Path:
    kit = kit_with_film(tmp_path / "kit", sample_kit_film)
    with (kit / "screenkit.toml").open("a", encoding="utf-8") as fh:
        fh.write(MATRIX)
    return kit


def _verify_all(kit: Path, names: tuple[str, ...]) -> None:
    for name in names:
        folder = kit / "out" / f"sample-{name}"
        code, out, err = run_cli("verify", str(folder))
        assert code == 0, out + err
        if "usb" in name:
            assert read_manifest(folder).quality is not None


def test_a_matrix_of_two_languages_by_two_presets_builds_and_verifies(matrix_kit: Path) -> None:
    code, out, err = run_cli(
        "build", *NAMES, "--kit", str(matrix_kit), "--workers", "2", "--speed", SPEED, "--json"
    )
    assert code == 0, err
    _verify_all(matrix_kit, NAMES)
    journal = StepCache(matrix_kit / ".screenkit" / "cache").journal()
    films = [r for r in journal if r.kind == "film" and r.event == "done"]
    assert len(films) == 3  # two burned encodes, one shared by the two laptop bundles
    # the same plan again runs nothing: the cluster shares the in-process cache
    code, out, err = run_cli("build", *NAMES, "--kit", str(matrix_kit), "--speed", SPEED, "--json")
    assert code == 0, err
    assert '"status": "built"' not in out


def _film_encoder(kit: Path) -> tuple[int, int] | None:
    """(worker pid, ffmpeg pid) of a running film encode of ``kit``'s build."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if b"libx264" in cmdline and str(kit).encode() in cmdline and b"/film.mp4" in cmdline:
            return int(stat.rsplit(")", 1)[1].split()[1]), int(entry.name)
    return None


def test_a_worker_killed_mid_encode_the_build_completes(matrix_kit: Path) -> None:
    killed: list[int] = []

    def killer() -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not killed:
            found = _film_encoder(matrix_kit)
            if found is not None:
                time.sleep(0.3)  # well inside the encode
                for pid in found:
                    os.kill(pid, signal.SIGKILL)
                killed.extend(found)
                return
            time.sleep(0.05)

    thread = threading.Thread(target=killer, daemon=True)
    thread.start()
    names = ("m-en-usb", "m-it-usb")
    code, _, err = run_cli(
        "build", *names, "--kit", str(matrix_kit), "--workers", "2", "--speed", SPEED, "--quiet"
    )
    thread.join(timeout=5)
    assert killed, "no film encode was seen running"
    assert code == 0, err
    _verify_all(matrix_kit, names)
    tmp = matrix_kit / ".screenkit" / "cache" / "tmp"
    assert not [p for p in tmp.glob("*.*") if p.is_dir() and len(p.name) > 64]


def test_a_step_failing_in_a_worker_is_an_error(matrix_kit: Path) -> None:
    (matrix_kit / "subtitles" / "it.srt").write_bytes(bytes(range(256)) * 20)
    code, _, err = run_cli(
        "build", "m-it-usb", "--kit", str(matrix_kit), "--workers", "2", "--speed", SPEED
    )
    assert code == 1
    assert "Error: " in err and "it.srt" in err
    assert "Traceback" not in err
    assert not (matrix_kit / "out" / "sample-m-it-usb").exists()


def test_an_unreachable_scheduler_is_a_clear_error(matrix_kit: Path) -> None:
    """Given up after `CONNECT_TIMEOUT` (the contract: a clear error in under 10 s; the
    wall time of a run on a shared machine is not asserted, the timeout the client gets is)."""
    from screenkit.bundle.engine.dask_executor import CONNECT_TIMEOUT

    assert CONNECT_TIMEOUT < 10
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nobody listens there
    code, _, err = run_cli(
        "build", "m-en-usb", "--kit", str(matrix_kit), "--scheduler", f"tcp://127.0.0.1:{port}"
    )
    assert code == 1
    assert f"Error: cannot reach the Dask scheduler at tcp://127.0.0.1:{port}" in err


def test_workers_without_the_extra_names_the_install_line(tmp_path: Path) -> None:
    script = (
        "import sys; sys.modules['distributed'] = None\n"
        "from screenkit.cli import main\n"
        "main(['build', '--kit', sys.argv[1], '--workers', '2'])\n"
    )
    kit = tmp_path / "kit"
    kit.mkdir()
    done = subprocess.run(
        [sys.executable, "-c", script, str(kit)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1
    assert "pip install 'screenkit[cluster]'" in done.stderr
    assert "Traceback" not in done.stderr


def test_progress_from_the_workers_reaches_the_client(matrix_kit: Path) -> None:
    from screenkit.bundle import BuildSettings, build, plan_build, resolve_requests
    from screenkit.bundle.engine.dask_executor import ClusterSpec
    from screenkit.kit import load_kit
    from screenkit.progress import Progress

    kit = load_kit(matrix_kit)
    plan = plan_build(kit, resolve_requests(kit, ("m-en-usb",)), BuildSettings(x264_preset=SPEED))
    events: list[Progress] = []
    build(plan, progress=events.append, cluster=ClusterSpec(workers=2))
    film = next(s.label for s in plan.steps if s.kind == "film")
    encoding = [e for e in events if e.step == film and e.total]
    assert len(encoding) >= 2  # sent from the worker while ffmpeg ran
    assert encoding[-1].done >= 0.9 * (encoding[-1].total or 0)
    overall = [e.done for e in events if e.step == "overall"]
    assert overall == sorted(overall) and overall[-1] == pytest.approx(100.0)


def test_ctrl_c_stops_the_workers_encode_and_leaves_no_bundle(matrix_kit: Path) -> None:
    cache = matrix_kit / ".screenkit" / "cache"
    args = ["build", "m-en-usb", "--kit", str(matrix_kit), "--workers", "2", "--speed", SPEED]
    proc = subprocess.Popen(
        [sys.executable, "-m", "screenkit", *args, "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 90
    while not list((cache / "tmp").glob("*/film.mp4")):
        assert proc.poll() is None and time.monotonic() < deadline, "no film encode started"
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err.decode()
    assert not (matrix_kit / "out" / "sample-m-en-usb").exists()
    time.sleep(1)
    assert _film_encoder(matrix_kit) is None  # the worker's ffmpeg was stopped
    assert not list((cache / "tmp").glob("*/film.mp4"))
    assert not [r for r in StepCache(cache).journal() if r.kind == "film" and r.event == "done"]


def test_only_the_long_steps_go_to_the_workers(matrix_kit: Path) -> None:
    """Sheets, posters, pages, stills, cards and the assembly run beside the build: a
    round trip to a worker costs more than they do."""
    from screenkit.bundle import BuildSettings, plan_build, resolve_requests
    from screenkit.bundle.engine.dask_executor import ClusterSpec, DaskBackend, connect
    from screenkit.bundle.engine.executor import execute
    from screenkit.bundle.engine.registry import REGISTRY
    from screenkit.kit import load_kit

    kit = load_kit(matrix_kit)
    requests = resolve_requests(kit, ["m-en-usb", "m-en-laptop"])
    plan = plan_build(kit, requests, BuildSettings(x264_preset=SPEED, chunks="20"))
    sent: list[str] = []
    cache = StepCache(plan.cache_root)
    with connect(ClusterSpec(workers=1)) as client:
        real = client.submit

        def spy(function: object, step: object, *args: object, **kwargs: object) -> object:
            sent.append(step.kind)  # type: ignore[attr-defined]
            return real(function, step, *args, **kwargs)

        client.submit = spy
        done = execute(plan.pending(), cache, DaskBackend(client, cache))
    heavy = {kind.name for kind in REGISTRY if kind.holds_cpu}
    assert {"film", "chunk", "loudness"} <= set(sent) <= heavy
    assert {"card", "sheet", "poster", "stills", "manifest"} <= {s.kind for s in done.outcomes}
    assert len(sent) < len(done.outcomes) / 2


def test_heavy_steps_go_out_as_workers_free_heaviest_first(matrix_kit: Path) -> None:
    """Sent all at once, Dask placed every chunk on a worker at once, and that placement,
    not the steps' weights, decided the end (a worker ran the last chunks alone while the
    other sat idle). They wait in the client until a ``cpu`` is free, heaviest chain
    first."""
    from screenkit.bundle import BuildSettings, plan_build, resolve_requests
    from screenkit.bundle.engine.dask_executor import ClusterSpec, DaskBackend, connect
    from screenkit.bundle.engine.executor import critical_path, execute
    from screenkit.kit import load_kit

    kit = load_kit(matrix_kit)
    requests = resolve_requests(kit, ["m-en-usb", "m-it-usb"])
    plan = plan_build(kit, requests, BuildSettings(x264_preset=SPEED, chunks="2"))
    steps = plan.pending()
    rank = critical_path(steps)
    cache = StepCache(plan.cache_root)
    in_flight: list[int] = []
    sent: list[float] = []
    with connect(ClusterSpec(workers=2, threads=1)) as client:
        backend = DaskBackend(client, cache)
        real = client.submit

        def spy(function: object, step: object, *args: object, **kwargs: object) -> object:
            in_flight.append(sum(1 for f in backend.running if not f.done()))
            sent.append(rank[step.id])  # type: ignore[attr-defined]
            return real(function, step, *args, **kwargs)

        client.submit = spy
        execute(steps, cache, backend)
    assert len(sent) >= 6 and max(in_flight) <= 1  # the third waits for one of two to end
    assert backend.capacity == 2
    assert sent[0] == max(sent)


def _count_reads() -> None:
    """In a worker: record every real read of a media file (its path and identity)."""
    from screenkit.media import probe_ffprobe, probe_pyav

    seen: list[tuple[str, int, int, int]] = []
    for module in (probe_ffprobe, probe_pyav):

        def counted(path: Path, *args: object, real: Any = module.probe) -> object:
            st = Path(path).stat()
            seen.append((str(path), st.st_ino, st.st_size, st.st_mtime_ns))
            return real(path, *args)

        module.probe = counted  # type: ignore[assignment]
    probe_ffprobe.READS = seen  # type: ignore[attr-defined]


def _reads() -> list[tuple[str, int, int, int]]:
    from screenkit.media import probe_ffprobe

    return list(getattr(probe_ffprobe, "READS", []))


def test_no_file_is_read_twice_in_the_cluster(
    matrix_kit: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 70-minute film's read costs seconds. The plan reads the master; the worker that
    encodes a film reads it; a join on the other worker, the sheet, the stills and the card
    read it again unless what was read travels with the steps: to the worker with a step
    (`read_before`), back to the client with its result (`Ran`). Every file is read once
    in the whole cluster (by its identity: it is read in a work folder, then renamed)."""
    from screenkit.bundle import BuildSettings, build, plan_build, resolve_requests
    from screenkit.bundle.engine.dask_executor import ClusterSpec, connect
    from screenkit.kit import load_kit
    from screenkit.media import probe_ffprobe, probe_pyav
    from screenkit.media.probe import forget_probes

    for module in (probe_ffprobe, probe_pyav):  # this process's readers, put back after
        monkeypatch.setattr(module, "probe", module.probe)
    monkeypatch.setattr(probe_ffprobe, "READS", [], raising=False)
    kit = load_kit(matrix_kit)
    requests = resolve_requests(kit, ["m-en-usb", "m-it-usb", "m-en-laptop"])
    with connect(ClusterSpec(workers=2)) as client:
        client.run(_count_reads)
        _count_reads()  # and here, in the client
        forget_probes()
        plan = plan_build(kit, requests, BuildSettings(x264_preset=SPEED, chunks="20"))
        build(plan, cluster=ClusterSpec(scheduler=client.scheduler.address))
        here = _reads()
        there = client.run(_reads)
    kinds = {r.kind for r in StepCache(plan.cache_root).journal() if r.event == "done"}
    assert {"chunk", "join", "film"} <= kinds
    reads = here + [r for worker in there.values() for r in worker]
    assert len([w for w in there.values() if w]) == 2  # both workers read files
    files = Counter(r[1:] for r in reads)
    twice = [r[0] for r in reads if files[r[1:]] > 1]
    assert twice == []
    assert [r[0] for r in reads].count(str(kit.master)) == 1


def test_ffmpeg_runs_without_the_environment_dasks_nanny_sets() -> None:
    """Dask's nanny puts MALLOC_TRIM_THRESHOLD_=65536 (and OMP_NUM_THREADS=1, ...) into the
    environment of the process that starts a worker and of the worker: every ffmpeg of the
    build inherited it, and trimming the heap at 64 KiB cost x264 and the quality check
    about 15 % more CPU (`build --all` on a local cluster ran 1.13x slower than --jobs 2)."""
    import os

    import dask.config

    from screenkit.bundle.engine.dask_executor import ClusterSpec, connect, without_dask_environ

    defaults = dask.config.get("distributed.nanny.pre-spawn-environ")
    assert defaults.get("MALLOC_TRIM_THRESHOLD_"), "Dask no longer sets it: drop this test"
    assert "MALLOC_TRIM_THRESHOLD_" not in os.environ
    with connect(ClusterSpec(workers=1)) as client:
        here = os.environ.get("MALLOC_TRIM_THRESHOLD_")
        there = client.run(lambda: os.environ.get("MALLOC_TRIM_THRESHOLD_"))
    assert here is None and list(there.values()) == [None]

    # a distributor's own workers (`dask worker`, Dask's defaults): the worker drops what
    # the nanny set before its steps start ffmpeg, and keeps what someone set otherwise
    env = {"MALLOC_TRIM_THRESHOLD_": str(defaults["MALLOC_TRIM_THRESHOLD_"]),
           "OMP_NUM_THREADS": "4", "PATH": "/usr/bin"}  # fmt: skip
    without_dask_environ(env)
    assert env == {"OMP_NUM_THREADS": "4", "PATH": "/usr/bin"}
