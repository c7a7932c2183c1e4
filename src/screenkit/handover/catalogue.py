"""``catalogue.json``: what a published site offers, and the checks before anyone trusts it.

The catalogue is the one document ``screenkit fetch`` (and the app) reads from a server it
does not control, so it is parsed as untrusted input: every path must be a plain relative
path inside its bundle's folder, every name one the bundle rules accept on a FAT32/exFAT
stick (`screenkit.names`), every size a whole number and every checksum a sha256 in hex.
A catalogue that fails any check is a `CatalogueError` naming the entry
(``bundles[1].files[3].path``), before a single byte is downloaded.

Format 1::

    {"format": 1, "kit": "sample", "title": "…",
     "bundles": [{"name": "sample-uk-usb-player", "lang": "uk", "preset": "usb-player",
                  "device": "usb", "size": 123, "built": "2025-…", "zip": "….zip",
                  "zip_sha256": "…", "torrent": "….torrent", "magnet": "magnet:?…",
                  "infohash": "…", "files": [{"path": "sample-uk-usb-player/…",
                                              "size": 1, "sha256": "…"}]}]}

Paths are relative to the catalogue; a bundle's files sit in the folder named like the
bundle, which is also the torrent's name (a BEP 19 web seed fetches ``<base>/<name>/<path>``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from screenkit.handover.errors import CatalogueError
from screenkit.languages import is_tag
from screenkit.names import file_name_problem, name_problem

FORMAT = 1
CATALOGUE_NAME = "catalogue.json"
MANIFEST_NAME = "manifest.json"
MAX_CATALOGUE_BYTES = 16 << 20
"""A catalogue of hundreds of bundles is well under a megabyte; more is not a catalogue."""

DEVICES = ("usb", "usb-legacy", "laptop", "browser", "archive", "dvd", "divx")
"""What plays a bundle, as the catalogue names it (the page and ``--list`` say it in words)."""

_SHA256 = re.compile(r"[0-9a-f]{64}")
_INFOHASH = re.compile(r"[0-9a-f]{40}")
_PRESET = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


@dataclass(frozen=True)
class CatalogueFile:
    """One file of a bundle: ``path`` relative to the catalogue, starting with the bundle's
    folder (``sample-uk-usb-player/subtitles/x.srt``)."""

    path: str
    size: int
    sha256: str

    @property
    def inside(self) -> str:
        """The path inside the bundle folder (as its manifest lists it)."""
        return self.path.split("/", 1)[1]

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "size": self.size, "sha256": self.sha256}


@dataclass(frozen=True)
class CatalogueBundle:
    name: str
    """The bundle's folder name, ``<kit>-<bundle>``: what ``fetch`` creates."""
    lang: str
    preset: str
    device: str
    """One of `DEVICES`."""
    size: int
    """Bytes of all its files together."""
    built: str
    """When it was built (the manifest's ``created``, ISO 8601)."""
    zip: str
    zip_sha256: str
    torrent: str
    magnet: str
    infohash: str
    files: tuple[CatalogueFile, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "lang": self.lang,
            "preset": self.preset,
            "device": self.device,
            "size": self.size,
            "built": self.built,
            "zip": self.zip,
            "zip_sha256": self.zip_sha256,
            "torrent": self.torrent,
            "magnet": self.magnet,
            "infohash": self.infohash,
            "files": [f.to_json() for f in self.files],
        }


@dataclass(frozen=True)
class Catalogue:
    kit: str
    title: str
    bundles: tuple[CatalogueBundle, ...]
    format: int = FORMAT

    def to_json(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "kit": self.kit,
            "title": self.title,
            "bundles": [b.to_json() for b in self.bundles],
        }

    def dumps(self) -> str:
        return json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n"

    def find(self, lang: str, preset: str) -> CatalogueBundle | None:
        """The bundle for ``lang`` (``pt-br`` finds ``pt-BR``) and ``preset``, or None."""
        for bundle in self.bundles:
            if bundle.lang.lower() == lang.lower() and bundle.preset == preset:
                return bundle
        return None


class _Reader:
    """Typed access to one JSON object, every complaint naming its key."""

    def __init__(self, data: object, where: str) -> None:
        if not isinstance(data, Mapping):
            raise CatalogueError(f"{where or 'the catalogue'} is not a JSON object", key=where)
        self.data = data
        self.where = where

    def key(self, name: str) -> str:
        return f"{self.where}.{name}" if self.where else name

    def fail(self, name: str, why: str, value: object = None) -> CatalogueError:
        return CatalogueError(f"catalogue {self.key(name)}: {why}", key=self.key(name), value=value)

    def get(self, name: str) -> object:
        if name not in self.data:
            raise self.fail(name, "missing")
        return self.data[name]

    def text(self, name: str) -> str:
        value = self.get(name)
        if not isinstance(value, str):
            raise self.fail(name, f"expected text, got {type(value).__name__}", value)
        return value

    def count(self, name: str) -> int:
        value = self.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.fail(name, f"expected a whole number of bytes, got {value!r}", value)
        return value

    def pattern(self, name: str, pattern: re.Pattern[str], what: str) -> str:
        value = self.text(name)
        if not pattern.fullmatch(value):
            raise self.fail(name, f"{value[:80]!r} is not {what}", value)
        return value


def path_problem(path: str) -> str | None:
    """Why ``path`` cannot name a file of a catalogue (relative, ``/``-separated, every part
    a name the bundle rules accept), or None."""
    if not path:
        return "an empty path"
    if path.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", path):
        return f"{path[:80]!r} is an absolute path"
    if "\\" in path:
        return f"{path[:80]!r} holds a backslash"
    for part in path.split("/"):
        if part in ("", ".", ".."):
            return f"{path[:80]!r} is not a plain path inside the catalogue ({part or 'empty'!r})"
        if part.startswith("."):
            return f"{path[:80]!r} names a hidden file, which no bundle holds"
        problem = file_name_problem(part)
        if problem is not None:
            return f"{path[:80]!r}: {problem}"
    return None


def _relative(reader: _Reader, name: str) -> str:
    value = reader.text(name)
    problem = path_problem(value)
    if problem is not None:
        raise reader.fail(name, problem, value)
    return value


def _files(reader: _Reader, bundle: str) -> tuple[CatalogueFile, ...]:
    items = reader.get("files")
    if not isinstance(items, list) or not items:
        raise reader.fail("files", "expected a list of the bundle's files", items)
    files, seen = [], set()
    for i, item in enumerate(items):
        r = _Reader(item, reader.key(f"files[{i}]"))
        path = _relative(r, "path")
        if not path.startswith(f"{bundle}/"):
            raise r.fail("path", f"{path[:80]!r} is not inside the bundle's folder {bundle}/", path)
        folded = path.casefold()  # a FAT32/exFAT stick does not tell x.srt from X.SRT
        if folded in seen:
            raise r.fail("path", f"{path[:80]!r} is listed twice", path)
        seen.add(folded)
        files.append(CatalogueFile(path, r.count("size"), r.pattern("sha256", _SHA256, "a sha256")))
    if f"{bundle}/{MANIFEST_NAME}".casefold() not in seen:
        raise reader.fail("files", f"the bundle's {MANIFEST_NAME} is not among its files")
    return tuple(files)


def _bundle(item: object, where: str) -> CatalogueBundle:
    r = _Reader(item, where)
    name = r.text("name")
    problem = name_problem(name)
    if problem is not None:
        raise r.fail("name", f"a bundle folder name the bundle rules refuse: {problem}", name)
    lang = r.text("lang")
    if not is_tag(lang):
        raise r.fail("lang", f"{lang[:40]!r} is not a language tag", lang)
    device = r.text("device")
    if device not in DEVICES:
        raise r.fail("device", f"{device[:40]!r} is not one of {', '.join(DEVICES)}", device)
    magnet = r.text("magnet")
    if magnet and not magnet.startswith("magnet:?"):
        raise r.fail("magnet", f"{magnet[:40]!r} is not a magnet link", magnet)
    files = _files(r, name)
    size = r.count("size")
    if size != sum(f.size for f in files):
        raise r.fail("size", f"{size} is not the sum of its files' sizes", size)
    return CatalogueBundle(
        name=name,
        lang=lang,
        preset=r.pattern("preset", _PRESET, "a preset name"),
        device=device,
        size=size,
        built=r.text("built"),
        zip=_relative(r, "zip"),
        zip_sha256=r.pattern("zip_sha256", _SHA256, "a sha256"),
        torrent=_relative(r, "torrent"),
        magnet=magnet,
        infohash=r.pattern("infohash", _INFOHASH, "a torrent info hash"),
        files=files,
    )


def parse_catalogue(data: bytes | str) -> Catalogue:
    """``catalogue.json``'s text as a `Catalogue`; `CatalogueError` for anything not right."""
    if len(data) > MAX_CATALOGUE_BYTES:
        raise CatalogueError(f"the catalogue is larger than {MAX_CATALOGUE_BYTES >> 20} MiB")
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise CatalogueError(
            f"the catalogue is not JSON: {exc}",
            hint="the address must lead to the catalogue.json of a site made by screenkit "
            "publish (or to its folder)",
        ) from exc
    top = _Reader(document, "")
    if top.get("format") != FORMAT:
        raise top.fail(
            "format",
            f"{top.get('format')!r} is not a catalogue format this screenkit reads ({FORMAT})",
            top.get("format"),
        )
    kit = top.text("kit")
    problem = name_problem(kit)
    if problem is not None:
        raise top.fail("kit", problem, kit)
    items = top.get("bundles")
    if not isinstance(items, list):
        raise top.fail("bundles", "expected a list", items)
    bundles = tuple(_bundle(item, f"bundles[{i}]") for i, item in enumerate(items))
    names: set[str] = set()
    for i, bundle in enumerate(bundles):
        if bundle.name.casefold() in names:
            raise CatalogueError(
                f"catalogue bundles[{i}].name: {bundle.name!r} is listed twice",
                key=f"bundles[{i}].name",
                value=bundle.name,
            )
        names.add(bundle.name.casefold())
    return Catalogue(kit=kit, title=top.text("title"), bundles=bundles)
