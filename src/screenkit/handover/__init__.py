"""Handing bundles over: publish a catalogue of them, fetch one, verified.

Distributor side::

    report = publish(kit, Path("site"), base_url="https://films.example.net/preparing/")

writes a static site (pages per language, one ZIP and one web-seeded ``.torrent`` per
bundle, the bundle folders, ``catalogue.json``). Organiser side (the CLI and the app)::

    with open_catalogue("https://films.example.net/preparing/") as opened:
        bundle = opened.choose("uk", "usb-player")
        result = fetch_bundle(opened, bundle, Path("."), progress=callback, stop=event)

``result.folder`` is then a whole, verified bundle (``result.verify``).
"""

from screenkit.handover.catalogue import (
    DEVICES,
    Catalogue,
    CatalogueBundle,
    CatalogueFile,
    parse_catalogue,
)
from screenkit.handover.errors import CatalogueError, FetchCancelled, FetchError, HandoverError
from screenkit.handover.fetching import (
    FetchResult,
    OpenedCatalogue,
    fetch,
    fetch_bundle,
    open_catalogue,
)
from screenkit.handover.publishing import PublishedBundle, PublishReport, publish

__all__ = [
    "DEVICES",
    "Catalogue",
    "CatalogueBundle",
    "CatalogueError",
    "CatalogueFile",
    "FetchCancelled",
    "FetchError",
    "FetchResult",
    "HandoverError",
    "OpenedCatalogue",
    "PublishReport",
    "PublishedBundle",
    "fetch",
    "fetch_bundle",
    "open_catalogue",
    "parse_catalogue",
    "publish",
]
