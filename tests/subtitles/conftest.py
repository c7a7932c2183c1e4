"""Fixtures of the subtitle tests: the CLI run in-process, hand-written inputs, file hashes."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

DATA = Path(__file__).resolve().parent / "data"

RunCli = Callable[..., tuple[int, str, str]]


def run_main(*args: str) -> tuple[int, str, str]:
    """``screenkit ARGS`` through `main`'s error path: (exit code, stdout, stderr)."""
    from screenkit.cli import main

    with CliRunner().isolation() as streams:
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        out, err = streams[0].getvalue(), streams[1].getvalue()
    return code, out.decode(), err.decode()


@pytest.fixture
def run_cli() -> RunCli:
    return run_main


@pytest.fixture
def data() -> Path:
    return DATA


@pytest.fixture
def hash_of() -> Callable[[Path], str]:
    """sha256 of a file: inputs must come out of every subs command byte for byte."""

    def digest(path: Path) -> str:
        return hashlib.sha256(path.read_bytes()).hexdigest()

    return digest
