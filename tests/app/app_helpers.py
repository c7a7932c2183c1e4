"""Helpers of the app tests (import as ``from app_helpers import …``)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from screenkit.app.context import AppConfig
from screenkit.app.web import create_app
from support import kit_with_film

PORT = 8790
TOKEN = "test-token-0123456789"
ORIGIN = f"http://127.0.0.1:{PORT}"


make_kit = kit_with_film
"""A copy of the sample kit with the small stand-in film (linked, not copied)."""


def client_for(config: AppConfig, *, authed: bool = True) -> TestClient:
    app = create_app(config)
    client = TestClient(app, base_url=ORIGIN)
    if authed:
        client.cookies.set(f"screenkit-token-{PORT}", TOKEN)
        client.headers["Origin"] = ORIGIN
    return client


def app_at_home(home: Path, film: Path) -> tuple[Running, Path]:
    """``screenkit app`` as a process whose HOME is ``home`` (the folder chooser's root),
    on a kit in ``home/kit``, with ``home/stick`` standing in for a USB stick."""
    kit = make_kit(home / "kit", film)
    (home / "stick").mkdir()
    old_home = os.environ.get("HOME")
    os.environ["HOME"] = str(home)
    try:
        return Running(kit, home / "state"), kit
    finally:
        if old_home is None:
            del os.environ["HOME"]
        else:
            os.environ["HOME"] = old_home


LINE = re.compile(r"^screenkit app: http://127\.0\.0\.1:(\d+)/\?token=([A-Za-z0-9_-]{32,})\n$")


class Running:
    """A ``screenkit app --no-browser`` process and its address."""

    def __init__(self, kit: Path, state: Path) -> None:
        env = {
            **os.environ,
            "XDG_STATE_HOME": str(state),
            "XDG_CACHE_HOME": str(state / "cache"),
            "PYTHONUNBUFFERED": "1",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "screenkit", "app", "--no-browser", "--kit", str(kit),
             "--speed", "ultrafast"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )  # fmt: skip
        assert self.process.stdout is not None
        self.line = self.process.stdout.readline()
        match = LINE.match(self.line)
        assert match, f"the first line was {self.line!r}"
        self.port, self.token = int(match[1]), match[2]
        self.base = f"http://127.0.0.1:{self.port}"

    def call(self, method: str, path: str, body: object = None) -> Any:
        request = urllib.request.Request(
            self.base + path,
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.loads(answer.read())

    def stop(self, sig: int = signal.SIGINT) -> tuple[int, str, str]:
        self.process.send_signal(sig)
        out, err = self.process.communicate(timeout=120)
        return self.process.returncode, out, err
