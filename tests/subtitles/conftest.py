"""Fixtures of the subtitle tests: the CLI run in-process, hand-written inputs, file hashes."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from support import run_cli as run_main

DATA = Path(__file__).resolve().parent / "data"

RunCli = Callable[..., tuple[int, str, str]]


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
