"""Where a catalogue's files come from: a web server (httpx) or a folder on this machine.

Both give the same thing: the catalogue's bytes, and a file's bytes from an offset on,
checked against the size the catalogue lists. Over HTTP:

- TLS is verified (httpx with certifi's roots), the proxy settings of the environment apply;
- redirects are followed by hand, at most `MAX_REDIRECTS`, each one checked: only to http(s),
  never from https down to http, so a server cannot send the download to ``file:`` or strip
  its encryption;
- ``Accept-Encoding: identity``: the bytes counted and hashed are the file's own;
- a resumed file asks ``Range: bytes=N-``; a ``206`` must start at N and name the listed
  total, a ``200`` (a server that ignores ranges) starts again from 0;
- a ``Content-Length`` or ``Content-Range`` other than the listed size is refused before a
  byte is written, and a body longer than the listed size is cut off at it by the caller.

A dropped connection is `Broken` (the caller resumes); any other failure is a `FetchError`
naming the file and the URL.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

import httpx

from screenkit import __version__
from screenkit.handover.catalogue import MAX_CATALOGUE_BYTES
from screenkit.handover.errors import FetchError

CHUNK = 1 << 20
MAX_REDIRECTS = 8
TIMEOUT = httpx.Timeout(30.0, connect=15.0)


class Broken(Exception):
    """The connection broke (or the body ended short): worth resuming from where it got."""


@dataclass(frozen=True)
class Opened:
    """A file's bytes from ``start`` on (``start`` is 0 when the source could not resume)."""

    start: int
    chunks: Iterator[bytes]
    url: str


def is_url(text: str) -> bool:
    return urlsplit(text).scheme.lower() in ("http", "https")


def looks_like_url(text: str) -> bool:
    """``text`` names a scheme (``ftp://``, ``file:``), so it is not a local path."""
    return bool(re.match(r"[A-Za-z][A-Za-z0-9+.-]+:", text)) and not Path(text).exists()


class HttpSource:
    """The catalogue at ``url`` and the files beside it, over HTTP(S)."""

    def __init__(self, url: str, client: httpx.Client | None = None) -> None:
        self.url = url
        self.client = client or httpx.Client(
            timeout=TIMEOUT,
            follow_redirects=False,
            headers={"User-Agent": f"screenkit/{__version__}"},
        )

    def close(self) -> None:
        self.client.close()

    def where(self, relative: str) -> str:
        return urljoin(self.url, quote(relative))

    def _redirect(self, current: str, location: str) -> str:
        target = urljoin(current, location)
        old, new = urlsplit(current).scheme.lower(), urlsplit(target).scheme.lower()
        if new not in ("http", "https") or (old == "https" and new == "http"):
            raise FetchError(
                f"{current} redirects to {target[:120]}: another scheme, which screenkit does "
                "not follow",
                value=target,
                hint="the server (or something between) sends the download elsewhere: ask the "
                "distributor for a working https address",
            )
        return target

    @contextlib.contextmanager
    def _get(self, url: str, headers: dict[str, str], what: str) -> Iterator[httpx.Response]:
        for _ in range(MAX_REDIRECTS + 1):
            try:
                response = self.client.send(
                    self.client.build_request("GET", url, headers=headers), stream=True
                )
            except httpx.TransportError as exc:
                raise Broken(f"{url}: {exc}") from exc
            if response.is_redirect and "location" in response.headers:
                response.close()
                url = self._redirect(url, response.headers["location"])
                continue
            try:
                if response.status_code >= 400:
                    raise FetchError(
                        f"the server answered {response.status_code} "
                        f"{response.reason_phrase} for {what} ({url})",
                        path=what,
                        value=url,
                        hint="the site may be changing or incomplete: try again later, or ask "
                        "the distributor",
                    )
                encoding = response.headers.get("content-encoding", "identity").lower()
                if encoding not in ("identity", ""):
                    raise FetchError(
                        f"the server sent {what} compressed ({encoding}) although asked not to",
                        path=what,
                        value=url,
                    )
                yield response
            finally:
                response.close()
            return
        raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects", value=url)

    def catalogue(self) -> bytes:
        with self._get(self.url, {}, "the catalogue") as response:
            data = bytearray()
            try:
                for chunk in response.iter_raw():
                    data += chunk
                    if len(data) > MAX_CATALOGUE_BYTES:
                        break
            except httpx.TransportError as exc:
                raise FetchError(f"reading the catalogue {self.url} failed: {exc}") from exc
            return bytes(data)

    @contextlib.contextmanager
    def open(self, relative: str, offset: int, size: int) -> Iterator[Opened]:
        url = self.where(relative)
        headers = {"Accept-Encoding": "identity"}
        if offset:
            headers["Range"] = f"bytes={offset}-"
        with self._get(url, headers, relative) as response:
            start = _start(response, relative, offset, size, url)

            def chunks() -> Iterator[bytes]:
                try:
                    # as it arrives: a buffer would lose what came before a dropped connection
                    yield from response.iter_raw()
                except httpx.TransportError as exc:
                    raise Broken(f"{url}: {exc}") from exc

            yield Opened(start, chunks(), url)


_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+|\*)")


def _wrong_size(relative: str, got: int, size: int, url: str) -> FetchError:
    return FetchError(
        f"the server has {got:,} bytes for {relative}, the catalogue lists {size:,}",
        path=relative,
        value=url,
        hint="the site and its catalogue.json do not match: ask the distributor to publish again",
    )


def _start(response: httpx.Response, relative: str, offset: int, size: int, url: str) -> int:
    """Where the body starts in the file, after checking the sizes the server announces."""
    if response.status_code == 206:
        match = _RANGE.fullmatch(response.headers.get("content-range", "").strip())
        if not match or int(match[1]) != offset:
            raise FetchError(
                f"the server answered a range request for {relative} with another range "
                f"({response.headers.get('content-range')!r})",
                path=relative,
                value=url,
            )
        if match[3] != "*" and int(match[3]) != size:
            raise _wrong_size(relative, int(match[3]), size, url)
        return offset
    if response.status_code != 200:
        raise FetchError(
            f"the server answered {response.status_code} {response.reason_phrase} for "
            f"{relative} ({url})",
            path=relative,
            value=url,
        )
    length = response.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) != size:
        raise _wrong_size(relative, int(length), size, url)
    return 0


class FolderSource:
    """A catalogue on this machine (a site folder, a stick): the same checks, no network."""

    def __init__(self, catalogue: Path) -> None:
        self.path = catalogue
        self.root = catalogue.parent.resolve()
        self.url = catalogue.as_posix()

    def close(self) -> None:
        pass

    def where(self, relative: str) -> str:
        return str(self.root / relative)

    def catalogue(self) -> bytes:
        try:
            with self.path.open("rb") as fh:
                return fh.read(MAX_CATALOGUE_BYTES + 1)
        except OSError as exc:
            raise FetchError(f"cannot read {self.path}: {exc.strerror}", path=self.path) from exc

    @contextlib.contextmanager
    def open(self, relative: str, offset: int, size: int) -> Iterator[Opened]:
        path = (self.root / relative).resolve()
        if not path.is_relative_to(self.root):
            raise FetchError(
                f"{relative} leads outside the catalogue's folder", path=relative, value=str(path)
            )
        try:
            fh = path.open("rb")
        except OSError as exc:
            raise FetchError(
                f"{relative} cannot be read: {exc.strerror}", path=relative, value=str(path)
            ) from exc
        with fh:
            got = path.stat().st_size
            if got != size:
                raise _wrong_size(relative, got, size, str(path))
            fh.seek(offset)

            def chunks() -> Iterator[bytes]:
                while chunk := fh.read(CHUNK):
                    yield chunk

            yield Opened(offset, chunks(), str(path))


Source = HttpSource | FolderSource
