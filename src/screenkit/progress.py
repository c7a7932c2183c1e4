"""Progress reporting from the library, without knowing who listens.

Long steps take an optional ``ProgressCallback``; the CLI adapts it to a tqdm bar, tests
collect the events in a list, and library callers may ignore it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Progress:
    """How far a step has come. ``total`` is None when the length is unknown."""

    step: str
    done: float
    total: float | None
    unit: str = "s"
    speed: float | None = None

    @property
    def fraction(self) -> float | None:
        if not self.total:
            return None
        return max(0.0, min(1.0, self.done / self.total))


ProgressCallback = Callable[[Progress], None]


def ignore_progress(_: Progress) -> None:
    """The default listener: nobody is watching."""
