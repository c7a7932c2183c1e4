"""The kit: a folder holding ``screenkit.toml``, subtitle tracks, appeal texts and presets.

`load_kit` reads and validates the manifest into a frozen `Kit`; every error names the
file and the key. Paths in the manifest are relative to the kit folder and may not leave it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Literal

from screenkit.config import Table, read_toml
from screenkit.errors import ConfigError, InputError, path_error
from screenkit.languages import is_tag, parse_tag, valid_language
from screenkit.names import bundle_folder_problem, name_problem
from screenkit.subtitles.formats import KIT_TRACK_FORMATS, listing

MANIFEST = "screenkit.toml"
SUBTITLE_EXTS = tuple(f.extension for f in KIT_TRACK_FORMATS)
APPEAL_EXTS = (".txt", ".md")
_LINK = re.compile(r"https?://\S+")
_CATALOGUE = re.compile(
    r"https://[^/\s]+(/\S*)?"
    r"|http://(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(/\S*)?"
)
"""Where a kit's bundles can be downloaded: https (a catalogue's checksums guard against a
broken download, TLS against a forged one); plain http only on this machine, for trying."""

CacheMode = Literal["kit", "user"]


@dataclass(frozen=True)
class Appeal:
    beneficiary: str
    link: str
    title: str | None = None
    stand_in: bool = False
    """The kit says its appeal is a stand-in (a demo kit): it builds, and the sheet says so."""


@dataclass(frozen=True)
class BundleSpec:
    """A named bundle: which preset, which language, which tracks."""

    name: str
    preset: str
    lang: str
    burn: str | None = None
    """Language burned into the picture; None lets the preset's subtitle mode decide."""
    soft: tuple[str, ...] | None = None
    """Languages carried as soft/sidecar tracks; None means all of the kit's."""
    outro: float | None = None
    """Seconds the appeal card shows again after the film (the collection moment); None: no
    outro. ``outro = true`` in the manifest means the default length."""
    venue: str | None = None
    date: str | None = None
    contact: str | None = None


@dataclass(frozen=True)
class Kit:
    root: Path
    name: str
    title: str
    master: Path
    languages: tuple[str, ...]
    original_language: str
    appeal: Appeal
    cache: CacheMode = "kit"
    fonts: tuple[Path, ...] = ()
    blurb: str | None = None
    """One line about the film, for the poster (``[kit] blurb``)."""
    catalogue: str | None = None
    """Where the distributor publishes the ready bundles (``[kit] catalogue``, https): the
    default of ``screenkit fetch`` and the app's "download the ready bundle"."""
    bundles: MappingProxyType[str, BundleSpec] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def manifest(self) -> Path:
        return self.root / MANIFEST

    @property
    def subtitles_dir(self) -> Path:
        return self.root / "subtitles"

    @property
    def appeal_dir(self) -> Path:
        return self.root / "appeal"

    @property
    def presets_dir(self) -> Path:
        return self.root / "presets"

    def require_language(self, lang: str) -> str:
        """``lang`` when it is one of the kit's languages; else an `InputError` naming them."""
        if lang not in self.languages:
            raise InputError(
                f"'{lang}' is not one of the kit's languages ({', '.join(self.languages)})",
                value=lang,
                path=self.manifest,
            )
        return lang

    def subtitle_path(self, lang: str) -> Path:
        """The track for ``lang``: ``subtitles/<lang>.srt`` (or another kit track format)."""
        for ext in SUBTITLE_EXTS:
            candidate = self.subtitles_dir / f"{lang}{ext}"
            if candidate.is_file():
                return candidate
        raise InputError(
            f"the kit has no subtitle track for '{lang}' "
            f"(looked for {listing(KIT_TRACK_FORMATS, first_whole=f'subtitles/{lang}')})",
            path=self.subtitles_dir,
            value=lang,
        )

    def appeal_path(self, lang: str) -> Path:
        for ext in APPEAL_EXTS:
            candidate = self.appeal_dir / f"{lang}{ext}"
            if candidate.is_file():
                return candidate
        raise InputError(
            f"the kit has no appeal text for '{lang}' (looked for appeal/{lang}.txt)",
            path=self.appeal_dir,
            value=lang,
        )

    def appeal_text(self, lang: str) -> str:
        path = self.appeal_path(lang)
        try:
            return path.read_text(encoding="utf-8-sig").strip()
        except UnicodeDecodeError as exc:
            raise InputError(f"{path} is not UTF-8 text", path=path) from exc


def _inside(root: Path, value: str, table: Table, key: str) -> Path:
    # checked on the words, not the resolved target: a master symlinked in from an external
    # drive is fine, a manifest naming ../../somewhere is not
    path = Path(os.path.normpath(root / value))
    if Path(value).is_absolute() or not path.is_relative_to(root):
        raise table.error(key, f"'{value}' points outside the kit folder", value)
    return path


def _language(table: Table, key: str, value: str, known: tuple[str, ...] | None = None) -> str:
    if not valid_language(value):
        if is_tag(value):
            raise table.error(
                key, f"write the language tag '{value}' as '{parse_tag(value)}'", value
            )
        raise table.error(key, f"'{value}' is not a language tag like 'en', 'uk' or 'pt-BR'", value)
    if known is not None and value not in known:
        raise table.error(
            key, f"'{value}' is not one of the kit's languages ({', '.join(known)})", value
        )
    return value


OUTRO_SECONDS = 20.0
"""The outro's default length: long enough to scan the QR code while the hat goes round."""
OUTRO_MAX = 600.0
"""Ten minutes: a talk or a collection with the card behind it."""


def _outro(table: Table) -> float | None:
    """``outro = true`` (the default length), ``false``, or a number of seconds."""
    value = table.raw("outro")
    if value is None or value is False:
        return None
    if value is True:
        return OUTRO_SECONDS
    if isinstance(value, int | float):
        if not 1 <= value <= OUTRO_MAX:
            raise table.error(
                "outro", f"the outro lasts 1 to {OUTRO_MAX:g} seconds, not {value:g}", value
            )
        return float(value)
    raise table.error("outro", f"expected true, false or seconds, got {value!r}", value)


def _bundle(kit_name: str, name: str, table: Table, languages: tuple[str, ...]) -> BundleSpec:
    problem = name_problem(name) or bundle_folder_problem(kit_name, name)
    if problem is not None:
        raise table.error("", f"bundle name: {problem}", name)
    lang = _language(table, "lang", table.text("lang", required=True), languages)
    burn = table.text("burn")
    if burn is not None:
        _language(table, "burn", burn, languages)
    soft = table.texts("soft")
    if soft is not None:
        for tag in soft:
            _language(table, "soft", tag, languages)
    spec = BundleSpec(
        name=name,
        preset=table.text("preset", required=True),
        lang=lang,
        burn=burn,
        soft=tuple(soft) if soft is not None else None,
        outro=_outro(table),
        venue=table.text("venue"),
        date=table.text("date"),
        contact=table.text("contact"),
    )
    table.done()
    return spec


def catalogue_problem(address: str) -> str | None:
    """Why ``address`` cannot be where bundles are downloaded from (https; plain http only
    on this machine), or None. The kit's ``[kit] catalogue`` and the app's typed one."""
    if _CATALOGUE.fullmatch(address):
        return None
    return f"'{address[:200]}' is not an https:// address of a bundle catalogue"


def _catalogue(table: Table) -> str | None:
    value: str | None = table.text("catalogue")
    problem = catalogue_problem(value) if value is not None else None
    if problem is not None:
        raise table.error("catalogue", problem, value)
    return value


def load_kit(folder: Path | str = ".") -> Kit:
    """Read ``screenkit.toml`` in ``folder`` into a validated `Kit`."""
    root = Path(folder).absolute()
    manifest = root / MANIFEST
    try:
        found = manifest.is_file()
    except OSError as exc:  # a name too long for the disk, a folder we may not enter
        raise ConfigError(path_error(exc, "cannot read the kit").message, path=manifest) from exc
    if not found:
        raise ConfigError(
            f"{root} holds no {MANIFEST}: not a screenkit kit",
            path=manifest,
            hint="run screenkit init to make one, or pass --kit DIR",
        )
    top = Table(read_toml(manifest), manifest)
    kit_t = top.table("kit", required=True)
    appeal_t = top.table("appeal", required=True)
    bundles_t = top.table("bundles")
    top.done()

    name = kit_t.text("name", required=True)
    problem = name_problem(name)
    if problem is not None:
        raise kit_t.error("name", problem, name)
    languages = tuple(kit_t.texts("languages", required=True))
    if not languages:
        raise kit_t.error("languages", "the kit needs at least one language")
    for tag in languages:
        _language(kit_t, "languages", tag)
    original = _language(kit_t, "original_language", kit_t.text("original_language", languages[0]))
    kit = Kit(
        root=root,
        name=name,
        title=kit_t.text("title", required=True),
        master=_inside(root, kit_t.text("master", required=True), kit_t, "master"),
        languages=languages,
        original_language=original,
        cache=kit_t.choice("cache", ["kit", "user"], "kit"),
        fonts=tuple(_inside(root, f, kit_t, "fonts") for f in kit_t.texts("fonts", [])),
        blurb=kit_t.text("blurb"),
        catalogue=_catalogue(kit_t),
        appeal=Appeal(
            beneficiary=appeal_t.text("beneficiary", required=True),
            link=appeal_t.text("link", required=True),
            title=appeal_t.text("title"),
            stand_in=appeal_t.flag("stand_in", False),
        ),
        bundles=MappingProxyType(
            {n: _bundle(name, n, bundles_t.table(n), languages) for n in list(bundles_t.data)}
        ),
    )
    kit_t.done()
    appeal_t.done()
    if not _LINK.fullmatch(kit.appeal.link):
        raise appeal_t.error("link", f"'{kit.appeal.link}' is not an http(s) link", kit.appeal.link)
    return kit
