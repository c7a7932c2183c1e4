"""Helpers of the bundle tests: kit copies and running the CLI in-process."""

from __future__ import annotations

from pathlib import Path

import support

REPO = Path(__file__).resolve().parents[2]
SPEED = "ultrafast"
"""x264 speed for every test build: the cheapest encode the engine offers."""


kit_with_film = support.kit_with_film


run_cli = support.run_cli
