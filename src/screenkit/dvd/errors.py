"""The DVD package's errors: every one a `ScreenkitError` carrying what went wrong."""

from __future__ import annotations

from collections.abc import Sequence

from screenkit.errors import ScreenkitError

INSTALL_LINE = "apt-get install dvdauthor xorriso lsdvd"


class DvdToolsMissing(ScreenkitError):
    """dvdauthor, spumux, xorriso or lsdvd is not on PATH; ``missing`` names them."""

    def __init__(self, missing: Sequence[str]) -> None:
        names = ", ".join(missing)
        super().__init__(
            f"a DVD needs {names}, not found on PATH",
            value=list(missing),
            hint=f"install them ({INSTALL_LINE}) or choose another preset",
        )
        self.missing = list(missing)


class DvdToolFailed(ScreenkitError):
    """A DVD tool exited with an error; carries its argv and the tail of what it said."""

    def __init__(self, message: str, *, argv: Sequence[str], stderr_tail: str) -> None:
        super().__init__(
            message, value=list(argv), hint="this is a screenkit bug: please report it"
        )
        self.argv = list(argv)
        self.stderr_tail = stderr_tail


class DiscTooLarge(ScreenkitError):
    """The DVD does not fit a dual-layer disc (DVD-9) at the preset's bitrate."""
