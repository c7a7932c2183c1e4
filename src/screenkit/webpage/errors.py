"""What can go wrong while making or checking the screening page."""

from __future__ import annotations

from screenkit.errors import ScreenkitError


class WebPageError(ScreenkitError):
    """An input of the screening page cannot be used; ``key`` names which, ``value`` what."""
