"""Helpers of the hand-over tests: servers on 127.0.0.1 as processes of their own."""

from __future__ import annotations

import contextlib
import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from screenkit.handover import PublishReport, publish
from screenkit.kit import load_kit

HERE = Path(__file__).resolve().parent
SITE_SERVER = HERE / "site_server.py"
SPEED = "ultrafast"
"""x264 speed of the test builds: the cheapest encode the engine offers."""
WAIT = 60.0
"""Seconds a server may take to start before the test gives up (not a measured bound)."""


@dataclass(frozen=True)
class Served:
    url: str
    """``http://127.0.0.1:PORT/`` (ends in ``/``)."""
    log: Path | None = None

    def requests(self) -> list[dict[str, Any]]:
        """What the site server saw, one record a request (method, path, range, status)."""
        assert self.log is not None
        if not self.log.exists():
            return []
        return [json.loads(ln) for ln in self.log.read_text(encoding="utf-8").splitlines()]


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def http_server(root: Path) -> Iterator[Served]:
    """``python -m http.server --bind 127.0.0.1`` on a free port, serving ``root``."""
    process = subprocess.Popen(
        [sys.executable, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1",
         "--directory", str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        line = process.stdout.readline().decode()
        port = re.search(r"port (\d+)", line)
        assert port, line
        yield Served(f"http://127.0.0.1:{port[1]}/")
    finally:
        _stop(process)


@contextlib.contextmanager
def site_server(root: Path, work: Path, *flags: str) -> Iterator[Served]:
    """``site_server.py`` (ranges, and the faults ``flags`` ask for) serving ``root``."""
    work.mkdir(parents=True, exist_ok=True)
    port_file, log = work / "port", work / "requests.jsonl"
    port_file.unlink(missing_ok=True)
    log.unlink(missing_ok=True)
    process = subprocess.Popen(
        [sys.executable, str(SITE_SERVER), str(root), "--port-file", str(port_file),
         "--log", str(log), *flags],
    )  # fmt: skip
    try:
        deadline = time.monotonic() + WAIT
        while not port_file.exists():
            assert process.poll() is None, "the site server died"
            assert time.monotonic() < deadline, "the site server did not start"
            time.sleep(0.05)
        yield Served(f"http://127.0.0.1:{port_file.read_text()}/", log)
    finally:
        _stop(process)


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by its relative path, with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def publish_site(kit: Path, site: Path, base_url: str | None = None) -> PublishReport:
    return publish(load_kit(kit), site, base_url=base_url)
