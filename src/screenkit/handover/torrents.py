"""One ``.torrent`` per bundle folder, with the web server as its web seed (BEP 19).

Made by torf: a multi-file torrent whose name is the bundle's folder name, holding the
folder's files, with torf's piece size for the total size (16 KiB to 16 MiB pieces, about a
thousand of them). ``url-list`` is the site's base URL: a client asks the web server for
``<base>/<name>/<path>`` (with HTTP range requests) whenever no peer has a piece, so a
bundle downloads even when nobody seeds it. The web seed is not part of the info
dictionary: a new ``--base-url`` rewrites the file, the info hash stays.

The magnet link carries the same web seed (``ws=``) and the ``.torrent``'s own URL
(``xs=``), so a client that has neither peers nor DHT can still get the metadata.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import torf

from screenkit import __version__
from screenkit.handover.errors import HandoverError
from screenkit.media.atomic import write_bytes_atomic
from screenkit.progress import Progress, ProgressCallback


@dataclass(frozen=True)
class TorrentResult:
    path: Path
    infohash: str
    magnet: str
    piece_size: int
    pieces: int


def magnet_link(torrent: torf.Torrent, torrent_url: str | None) -> str:
    """The magnet URI: info hash, name, size, the web seed, and where the .torrent is."""
    magnet = torrent.magnet(name=True, size=True, trackers=False)
    if torrent_url:
        magnet.xs = torrent_url
    return str(magnet)


def _result(torrent: torf.Torrent, path: Path, torrent_url: str | None) -> TorrentResult:
    return TorrentResult(
        path=path,
        infohash=str(torrent.infohash),
        magnet=magnet_link(torrent, torrent_url),
        piece_size=int(torrent.piece_size),
        pieces=int(torrent.pieces),
    )


def torrent_url(base_url: str | None, relative: str) -> str | None:
    return None if base_url is None else base_url + quote(relative)


def make_torrent(
    folder: Path,
    name: str,
    dest: Path,
    *,
    base_url: str | None,
    created: datetime | None = None,
    progress: ProgressCallback | None = None,
    stop: threading.Event | None = None,
) -> TorrentResult:
    """Hash ``folder``'s files into ``dest`` (a torrent named ``name``), written atomically."""
    torrent = torf.Torrent(
        path=folder,
        name=name,
        webseeds=[base_url] if base_url else None,
        private=False,
        created_by=f"screenkit {__version__}",
        creation_date=created,
    )
    label = f"torrent {name}"

    def callback(_t: Any, _path: Any, done: int, total: int) -> object:
        if progress is not None:
            progress(Progress(label, done, total, unit=" pieces"))
        return True if stop is not None and stop.is_set() else None

    try:
        if not torrent.generate(callback=callback, interval=0.5):
            raise HandoverError("publishing was stopped")
    except torf.TorfError as exc:
        raise HandoverError(f"cannot make the torrent of {name}: {exc}", path=folder) from exc
    write_bytes_atomic(dest, bytes(torrent.dump()))
    return _result(torrent, dest, torrent_url(base_url, dest.name))


def read_torrent(path: Path) -> torf.Torrent:
    try:
        return torf.Torrent.read(str(path))
    except (torf.TorfError, OSError) as exc:
        raise HandoverError(
            f"{path} is not a torrent screenkit can read: {exc}", path=path
        ) from exc


def webseed_of(path: Path) -> str | None:
    """The web seed a published torrent names (None: none), or raises for an unreadable one."""
    seeds = list(read_torrent(path).webseeds or [])
    return str(seeds[0]) if seeds else None


def reseed(path: Path, base_url: str | None) -> TorrentResult:
    """``path`` rewritten with ``base_url`` as its web seed; the info hash does not change."""
    torrent = read_torrent(path)
    torrent.webseeds = [base_url] if base_url else []
    write_bytes_atomic(path, bytes(torrent.dump()))
    return _result(torrent, path, torrent_url(base_url, path.name))


def describe(path: Path, base_url: str | None) -> TorrentResult:
    """A published torrent's facts, read back (an unchanged bundle is not hashed again)."""
    return _result(read_torrent(path), path, torrent_url(base_url, path.name))
