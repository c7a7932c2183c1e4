#!/usr/bin/env python3
"""Set up and run screenkit from a checkout with nothing but Python 3.11+.

    python3 dev.py demo    make .venv, install screenkit, render the sample film, build the
                           demo bundle and verify it
    python3 dev.py app     the organiser's page on the sample kit (renders the sample film
                           first when media/film.mkv is missing); extra args go to screenkit app
    python3 dev.py test    the whole test suite (sets up .venv first); extra args go to pytest
    python3 dev.py lint    mypy --strict and ruff

The virtual environment lives in .venv; it is (re)installed when pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".screenkit-installed"


def sh(*args: str | Path) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    done = subprocess.run([str(a) for a in args], cwd=ROOT, check=False)
    if done.returncode != 0:
        sys.exit(done.returncode)


def setup() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be run by an older python3
        sys.exit(f"screenkit needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.is_file() and STAMP.read_text() == wanted and PY.exists():
        return
    if not PY.exists():
        print(f"+ creating {VENV}", flush=True)
        venv.create(VENV, with_pip=True)
    sh(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    sh(PY, "-m", "pip", "install", "--quiet", "-e", ".[dev]")
    STAMP.write_text(wanted)


def demo() -> None:
    screenkit = BIN / "screenkit"
    sh(screenkit, "doctor")
    sh(screenkit, "sample", ".")
    sh(screenkit, "probe", "media/film.mkv")
    sh(screenkit, "build", "demo")
    sh(screenkit, "verify", "out/sample-demo")
    print("\nThe demo bundle is in out/sample-demo/: open SCREENING.html there.", flush=True)


def app(args: list[str]) -> None:
    screenkit = BIN / "screenkit"
    if not (ROOT / "media" / "film.mkv").is_file():
        sh(screenkit, "sample", ".")
    print("+ screenkit app (Ctrl-C stops it)", flush=True)
    child = subprocess.Popen([str(screenkit), "app", "--kit", str(ROOT), *args], cwd=ROOT)
    while True:
        try:
            code = child.wait()
            break
        except KeyboardInterrupt:  # the app got the Ctrl-C too: let it cancel and clean up
            continue
    sys.exit(0 if code in (0, 130, -2) else code)


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in {"demo", "app", "test", "lint", "setup"}:
        sys.exit(__doc__)
    setup()
    task, rest = argv[0], argv[1:]
    if task == "demo":
        demo()
    elif task == "app":
        app(rest)
    elif task == "test":
        sh(PY, "-m", "pytest", *rest)
    elif task == "lint":
        sh(PY, "-m", "mypy", "--strict", "src")
        sh(PY, "-m", "ruff", "check", "src", "tests", "bench", "dev.py")
        sh(PY, "-m", "ruff", "format", "--check", "src", "tests", "bench", "dev.py")


if __name__ == "__main__":
    main(sys.argv[1:])
