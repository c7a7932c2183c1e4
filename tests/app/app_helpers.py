"""Helpers of the app tests (import as ``from app_helpers import …``)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from starlette.testclient import TestClient

from screenkit.app.context import AppConfig
from screenkit.app.web import create_app
from support import copy_sample_kit, keep_small_frames

PORT = 8790
TOKEN = "test-token-0123456789"
ORIGIN = f"http://127.0.0.1:{PORT}"


def make_kit(folder: Path, film: Path) -> Path:
    """A copy of the sample kit with the small stand-in film (linked, not copied)."""
    kit = keep_small_frames(copy_sample_kit(folder))
    (kit / "media").mkdir(exist_ok=True)
    try:
        os.link(film, kit / "media" / "film.mkv")
    except OSError:
        shutil.copyfile(film, kit / "media" / "film.mkv")
    return kit


def client_for(config: AppConfig, *, authed: bool = True) -> TestClient:
    app = create_app(config)
    client = TestClient(app, base_url=ORIGIN)
    if authed:
        client.cookies.set(f"screenkit-token-{PORT}", TOKEN)
        client.headers["Origin"] = ORIGIN
    return client
