"""What goes wrong when bundles are handed over: a bad catalogue, a bad server, a stop."""

from __future__ import annotations

from screenkit.errors import ScreenkitError


class HandoverError(ScreenkitError):
    """A catalogue cannot be published or a bundle cannot be fetched."""


class CatalogueError(HandoverError):
    """``catalogue.json`` is not one screenkit can trust: ``key`` names the entry
    (``bundles[2].files[0].path``), ``value`` the offending value."""


class FetchError(HandoverError):
    """A download failed or brought the wrong bytes: ``path`` is the file of the bundle
    concerned (relative to the catalogue), ``value`` the URL or the source file."""


class FetchCancelled(HandoverError):
    """The download was told to stop (the app's Cancel, or Ctrl-C): the partial files stay
    hidden under ``.part`` names, so the next fetch goes on where this one stopped."""


def fetch_cancelled() -> FetchCancelled:
    return FetchCancelled(
        "the download was stopped",
        hint="run the same fetch again: it goes on where it stopped (HTTP Range)",
    )
