"""The card's errors: what a user must change, with the numbers to change it by."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from screenkit.errors import ScreenkitError


class CardError(ScreenkitError):
    """The card cannot be made as asked."""


class AppealTooLong(CardError):
    """The appeal text needs more lines than the card holds."""

    def __init__(
        self,
        message: str,
        *,
        lines_needed: int,
        lines_available: int,
        excess_chars: int,
        path: Path | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, path=path, value=lines_needed, hint=hint)
        self.lines_needed = lines_needed
        self.lines_available = lines_available
        self.excess_chars = excess_chars


class MissingGlyphsError(CardError):
    """Characters of the card's texts that none of its fonts can draw."""

    def __init__(self, message: str, *, characters: Sequence[str], hint: str | None = None):
        super().__init__(message, value="".join(characters), hint=hint)
        self.characters = list(characters)


class JoinError(CardError):
    """Parts that cannot be joined by stream copy; ``path`` names the offending part."""
