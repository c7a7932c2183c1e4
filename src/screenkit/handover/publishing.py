"""``screenkit publish``: the built bundles as a static site to download from.

The site holds, for every bundle, its folder (files hard-linked from ``out/`` where the disk
allows, copied otherwise), ``<name>.zip`` (`screenkit.handover.zipping`) and
``<name>.torrent`` (`screenkit.handover.torrents`); the pages (`screenkit.handover.site`);
and ``catalogue.json`` (`screenkit.handover.catalogue`), written last.

Every file's sha256 comes from the bundle's manifest (the build hashed it); only the small
``manifest.json`` itself is hashed here. A re-publish compares each bundle's files with the
catalogue already there: an unchanged bundle keeps its folder, ZIP and torrent untouched (a
new ``--base-url`` only rewrites the torrent's web seed), a changed one is written anew, and
bundles no longer published are removed. Nothing else in the folder is touched; a folder
that holds files but no catalogue is refused, so a web root cannot be overwritten by
mistake.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from screenkit.bundle.documents.assemble import partial_bundle, place, recover
from screenkit.bundle.documents.assemble import publish as swap_in
from screenkit.handover.catalogue import (
    CATALOGUE_NAME,
    Catalogue,
    CatalogueBundle,
    parse_catalogue,
)
from screenkit.handover.errors import HandoverError
from screenkit.handover.site import INDEX, SiteBundle, write_pages
from screenkit.handover.sources import Source, find_bundles
from screenkit.handover.torrents import TorrentResult, describe, make_torrent, reseed, webseed_of
from screenkit.handover.words import device_of
from screenkit.handover.zipping import write_zip
from screenkit.kit import Kit
from screenkit.languages import is_tag
from screenkit.media.atomic import write_text_atomic
from screenkit.progress import ProgressCallback

LOCK = ".screenkit-publish.lock"
_PAGE = re.compile(r"index\.([A-Za-z0-9-]+)\.html")

Status = Literal["new", "updated", "reseeded", "unchanged"]


@dataclass(frozen=True)
class PublishedBundle:
    name: str
    status: Status
    """``new``/``updated``: folder, ZIP and torrent written; ``reseeded``: only the torrent's
    web seed rewritten; ``unchanged``: nothing written."""
    size: int
    zip_size: int
    files: int


@dataclass(frozen=True)
class PublishReport:
    site: Path
    catalogue: Catalogue
    bundles: tuple[PublishedBundle, ...]
    removed: tuple[str, ...]
    """Bundles of the previous catalogue that are no longer published (their files gone)."""
    base_url: str | None
    warnings: tuple[str, ...]
    elapsed: float

    def to_json(self) -> dict[str, Any]:
        return {
            "site": str(self.site),
            "catalogue": str(self.site / CATALOGUE_NAME),
            "base_url": self.base_url,
            "bundles": [vars(b) for b in self.bundles],
            "removed": list(self.removed),
            "warnings": list(self.warnings),
            "elapsed": round(self.elapsed, 3),
        }


def check_base_url(url: str) -> str:
    """``url`` as a web seed base: http(s), a host, no query or fragment, ending in ``/``."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise HandoverError(
            f"--base-url '{url}' is not an http(s) address",
            key="base_url",
            value=url,
            hint="give the address the site will be served from, e.g. "
            "https://films.example.net/preparing/",
        )
    if parts.query or parts.fragment:
        raise HandoverError(
            f"--base-url '{url}' has a query or fragment: give the folder's address",
            key="base_url",
            value=url,
        )
    text = url.strip()
    return text if text.endswith("/") else f"{text}/"


@contextlib.contextmanager
def _site_lock(site: Path) -> Iterator[None]:
    fd = os.open(site / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise HandoverError(
                f"another screenkit publish is writing {site}",
                path=site,
                hint="wait for it to finish",
            ) from exc
        yield
    finally:
        os.close(fd)


def _check_site(site: Path, source: Path) -> None:
    """Refuse, before anything is written, a site that overlaps the bundles or a folder
    that holds files but was not made by publish (a web root, a home folder)."""
    if source.resolve().is_relative_to(site.resolve()) or site.resolve().is_relative_to(
        source.resolve()
    ):
        raise HandoverError(
            f"the site {site} and the bundles {source} overlap",
            path=site,
            hint="publish into a folder of its own, outside out/",
        )
    foreign = site.is_dir() and not (site / CATALOGUE_NAME).is_file()
    if foreign and any(p.name != LOCK for p in site.iterdir()):
        raise HandoverError(
            f"{site} holds files but no {CATALOGUE_NAME}: not a site made by screenkit publish",
            path=site,
            hint="publish into a new or empty folder",
        )


def _old_catalogue(site: Path) -> Catalogue | None:
    path = site / CATALOGUE_NAME
    if not path.is_file():
        return None
    try:
        return parse_catalogue(path.read_bytes())
    except HandoverError as exc:
        raise HandoverError(
            f"{path} is damaged: {exc.message}",
            path=path,
            hint="publish into a new folder, or remove this one",
        ) from exc


def _unchanged(site: Path, old: CatalogueBundle | None, src: Source) -> bool:
    """Whether the site already holds exactly this bundle (folder, ZIP, torrent)."""
    if old is None or old.files != src.files or old.zip != f"{src.name}.zip":
        return False
    if not (site / old.zip).is_file() or not (site / old.torrent).is_file():
        return False
    for f in old.files:
        try:
            if (site / f.path).stat().st_size != f.size:
                return False
        except OSError:
            return False
    return True


def _write_bundle(
    site: Path,
    src: Source,
    base_url: str | None,
    progress: ProgressCallback | None,
    stop: threading.Event | None,
) -> tuple[TorrentResult, int, str]:
    """The bundle's folder, ZIP and torrent, new; (torrent, zip size, zip sha256)."""
    final = site / src.name
    recover(final)
    members = [f.inside for f in src.files]
    with partial_bundle(final) as partial:
        for member in members:
            place(src.folder / member, partial.folder / member)
        zipped = write_zip(
            partial.folder,
            members,
            site / f"{src.name}.zip",
            root=src.name,
            progress=progress,
            stop=stop,
        )
        swap_in(partial)
    created = _created(src.manifest.created)
    torrent = make_torrent(
        final,
        src.name,
        site / f"{src.name}.torrent",
        base_url=base_url,
        created=created,
        progress=progress,
        stop=stop,
    )
    return torrent, zipped.size, zipped.sha256


def _created(text: str) -> datetime | None:
    try:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        return None


def _remove(site: Path, entry: CatalogueBundle) -> None:
    folder = site / entry.name
    if folder.is_dir() and not folder.is_symlink():
        shutil.rmtree(folder)
    for name in (f"{entry.name}.zip", f"{entry.name}.torrent"):
        with contextlib.suppress(FileNotFoundError):
            (site / name).unlink()


def _stale_pages(site: Path, kit: Kit) -> None:
    for page in site.glob("index.*.html"):
        match = _PAGE.fullmatch(page.name)
        if match and is_tag(match[1]) and match[1] not in kit.languages:
            page.unlink()


def publish(
    kit: Kit,
    site: Path,
    *,
    source: Path | None = None,
    names: Sequence[str] = (),
    base_url: str | None = None,
    progress: ProgressCallback | None = None,
    stop: threading.Event | None = None,
) -> PublishReport:
    """Write (or bring up to date) the site in ``site`` from the bundles in ``source``
    (default ``<kit>/out``): every finished one, or those ``names`` (bundle or folder names).
    """
    started = time.monotonic()
    base = check_base_url(base_url) if base_url else None
    source = Path(os.path.normpath((source or kit.root / "out").absolute()))
    site = Path(os.path.normpath(site.absolute()))
    sources, warnings = find_bundles(source, kit, names)
    reserved = {CATALOGUE_NAME, INDEX, LOCK} | {f"index.{lang}.html" for lang in kit.languages}
    for src in sources:
        if src.name in reserved:
            raise HandoverError(f"a bundle folder may not be named {src.name}", path=src.folder)
    _check_site(site, source)
    site.mkdir(parents=True, exist_ok=True)
    with _site_lock(site):
        old = _old_catalogue(site)
        previous = {b.name: b for b in old.bundles} if old else {}
        entries: list[CatalogueBundle] = []
        shown: list[SiteBundle] = []
        published: list[PublishedBundle] = []
        for src in sources:
            before = previous.get(src.name)
            torrent_path = site / f"{src.name}.torrent"
            status: Status
            if before is not None and _unchanged(site, before, src):
                zip_size, zip_sha = (site / before.zip).stat().st_size, before.zip_sha256
                if webseed_of(torrent_path) == base:
                    torrent, status = describe(torrent_path, base), "unchanged"
                else:
                    torrent, status = reseed(torrent_path, base), "reseeded"
            else:
                torrent, zip_size, zip_sha = _write_bundle(site, src, base, progress, stop)
                status = "new" if before is None else "updated"
            entry = CatalogueBundle(
                name=src.name,
                lang=str(src.manifest.options.get("lang", "")),
                preset=src.manifest.preset.name,
                device=device_of(src.manifest.preset),
                size=sum(f.size for f in src.files),
                built=src.manifest.created,
                zip=f"{src.name}.zip",
                zip_sha256=zip_sha,
                torrent=torrent_path.name,
                magnet=torrent.magnet,
                infohash=torrent.infohash,
                files=src.files,
            )
            entries.append(entry)
            shown.append(SiteBundle(entry, src.manifest, zip_size))
            published.append(
                PublishedBundle(src.name, status, entry.size, zip_size, len(entry.files))
            )
        kept = {e.name for e in entries}
        removed = tuple(name for name in previous if name not in kept)
        for name in removed:
            _remove(site, previous[name])
        _stale_pages(site, kit)
        catalogue = Catalogue(kit=kit.name, title=kit.title, bundles=tuple(entries))
        write_pages(site, kit, shown, base_url=base)
        write_text_atomic(site / CATALOGUE_NAME, catalogue.dumps())
    if base is None:
        warnings.append(
            "no --base-url: the torrents have no web seed, so they download only from peers "
            "(the ZIPs and files still download from wherever the site is served)"
        )
    return PublishReport(
        site=site,
        catalogue=catalogue,
        bundles=tuple(published),
        removed=removed,
        base_url=base,
        warnings=tuple(warnings),
        elapsed=time.monotonic() - started,
    )
