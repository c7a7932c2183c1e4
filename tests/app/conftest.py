"""Fixtures of the organiser's app tests: a kit, the app in-process, one shared real build.

The app runs in-process under Starlette's TestClient (the same ASGI app uvicorn serves);
its builds are real (ffmpeg on the 320x180 stand-in film, x264 ``ultrafast``: the app's
``--speed`` option), shared across the tests of a session so the suite builds few bundles.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette", reason="the app extra is not installed")
pytest.importorskip("httpx", reason="httpx (for Starlette's TestClient) is not installed")

from app_helpers import PORT, TOKEN, Running, app_at_home, client_for, make_kit
from starlette.testclient import TestClient

from screenkit.app.context import AppConfig
from support import system_chromium


@pytest.fixture(scope="session")
def app_kit(tmp_path_factory: pytest.TempPathFactory, sample_kit_film: Path) -> Path:
    """One kit for the in-process app tests (its cache and its out/ shared by them)."""
    return make_kit(tmp_path_factory.mktemp("app-kit") / "kit", sample_kit_film)


@pytest.fixture(scope="session")
def app_config(app_kit: Path, tmp_path_factory: pytest.TempPathFactory) -> AppConfig:
    return AppConfig(
        port=PORT,
        token=TOKEN,
        kit_dir=app_kit,
        speed="ultrafast",
        state_dir=tmp_path_factory.mktemp("app-state"),
        roots=(app_kit.parent,),
    )


@pytest.fixture(scope="session")
def session_client(app_config: AppConfig) -> Iterator[TestClient]:
    """The app with the shared kit, its lifespan running, authenticated by the cookie."""
    with client_for(app_config) as client:
        yield client


@pytest.fixture
def client(session_client: TestClient) -> Iterator[TestClient]:
    """The shared client; each test gets its headers and cookies back as they were."""
    headers = dict(session_client.headers)
    cookies = dict(session_client.cookies)
    yield session_client
    session_client.headers.clear()
    session_client.headers.update(headers)
    session_client.cookies.clear()
    for name, value in cookies.items():
        session_client.cookies.set(name, value)


@pytest.fixture(scope="session")
def built(session_client: TestClient) -> dict[str, Any]:
    """One real build through the API (usb-player, Ukrainian), finished: its final state."""
    answer = session_client.post("/api/builds", json={"lang": "uk", "preset": "usb-player"})
    assert answer.status_code == 201, answer.text
    job_id = answer.json()["id"]
    manager = session_client.app.state.ctx.manager  # type: ignore[attr-defined]
    manager.wait(job_id)
    state = session_client.get(f"/api/builds/{job_id}").json()
    assert state["state"] == "done", state
    return dict(state)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """Debian's Chromium in Ukrainian, for one test module (skips where it is absent)."""
    with system_chromium("--lang=uk") as browser:
        yield browser


@pytest.fixture(scope="module")
def app_home(
    tmp_path_factory: pytest.TempPathFactory, sample_kit_film: Path
) -> Iterator[tuple[Running, Path, Path]]:
    """``screenkit app`` as a process for one test module: HOME is a folder holding the kit
    and the stand-in stick; (the app, the kit, HOME)."""
    home = tmp_path_factory.mktemp("home")
    app, kit = app_at_home(home, sample_kit_film)
    yield app, kit, home
    if app.process.poll() is None:
        app.stop()
