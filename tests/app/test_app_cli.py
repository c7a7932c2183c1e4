"""``screenkit app`` as a process: its one line, its stop on Ctrl-C mid-build (no half
bundle), and what it says without the ``app`` extra; ``doctor`` lists the extra."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from app_helpers import Running, make_kit

import screenkit.app
from screenkit.doctor import diagnose
from support import run_cli


@pytest.fixture
def app_process(tmp_path: Path, sample_kit_film: Path) -> Iterator[tuple[Running, Path]]:
    kit = make_kit(tmp_path / "kit", sample_kit_film)
    running = Running(kit, tmp_path / "state")
    yield running, kit
    if running.process.poll() is None:
        running.process.kill()
        running.process.communicate()


@pytest.mark.slow
def test_ctrl_c_mid_build_cancels_it_and_leaves_no_half_bundle(
    app_process: tuple[Running, Path],
) -> None:
    app, kit = app_process
    job = app.call("POST", "/api/builds", {"lang": "uk", "preset": "usb-player"})["id"]
    state: dict[str, Any] = {}
    for _ in range(600):
        state = app.call("GET", f"/api/builds/{job}")
        if state["state"] != "queued" and state["progress"] > 0.05:
            break
        time.sleep(0.1)
    assert state["state"] == "running", state
    code, out, err = app.stop(signal.SIGINT)
    assert code == 0, err
    assert out == "", "one line on stdout, and nothing after it"
    assert "Traceback" not in err
    assert err.strip().endswith("screenkit app: stopped")
    out_dir = kit / "out"
    left = list(out_dir.iterdir()) if out_dir.exists() else []
    assert left == [], f"a half bundle was left: {left}"
    tmp = kit / ".screenkit" / "cache" / "tmp"
    assert not tmp.exists() or list(tmp.iterdir()) == []


@pytest.mark.slow
def test_sigterm_stops_the_app_quietly(app_process: tuple[Running, Path]) -> None:
    app, _ = app_process
    assert app.call("GET", "/api/kit")["name"] == "sample"
    code, _, err = app.stop(signal.SIGTERM)
    assert "Traceback" not in err
    assert code in (0, 130), err


def test_without_the_app_extra_it_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(screenkit.app, "WEB_STACK", ("starlette", "no_such_module_for_screenkit"))
    code, out, err = run_cli("app", "--no-browser")
    assert code == 1 and out == ""
    assert err.splitlines()[0] == (
        "Error: screenkit app needs no_such_module_for_screenkit, which is not installed"
    )
    assert "Hint: install the app extra: pip install 'screenkit[app]'" in err
    check = next(c for c in diagnose().checks if c.name == "app")
    assert not check.ok and check.optional and check.fix == "pip install 'screenkit[app]'"


def test_doctor_lists_the_app() -> None:
    check = next(c for c in diagnose().checks if c.name == "app")
    assert check.ok and "screenkit app" in check.detail
    code, out, _ = run_cli("doctor")
    assert code == 0 and "app" in out


def test_a_taken_port_is_a_clear_error(tmp_path: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        code, out, err = run_cli("app", "--no-browser", "--port", str(port), "--kit", str(tmp_path))
    assert code == 1 and out == ""
    assert err.splitlines()[0] == f"Error: port {port} is in use on 127.0.0.1"
