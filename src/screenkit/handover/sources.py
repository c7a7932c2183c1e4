"""Which built bundles a site publishes, read from their manifests and checked first.

A bundle is published from its folder in ``out/`` exactly as its manifest lists it: every
file must be there with the size the manifest says (a stat, not a hash: the build hashed
them, and ``screenkit verify`` is the full check), every path one the catalogue accepts, and
the bundle must belong to the kit being published. The manifest itself is the one file
hashed here (a few kilobytes).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from screenkit.bundle import Manifest, read_manifest
from screenkit.bundle.engine.hashing import sha256_file
from screenkit.errors import InputError
from screenkit.handover.catalogue import MANIFEST_NAME, CatalogueFile, path_problem
from screenkit.handover.errors import HandoverError
from screenkit.kit import Kit
from screenkit.names import name_problem
from screenkit.presets import STANDARD, standard_presets


@dataclass(frozen=True)
class Source:
    """A built bundle to publish: its folder, manifest and the catalogue's file list."""

    folder: Path
    manifest: Manifest
    files: tuple[CatalogueFile, ...]

    @property
    def name(self) -> str:
        return self.folder.name


def _order(kit: Kit, manifest: Manifest, name: str) -> tuple[int, int, str]:
    lang = manifest.options.get("lang", "")
    presets = [*standard_presets("file"), *STANDARD]
    return (
        kit.languages.index(lang) if lang in kit.languages else len(kit.languages),
        presets.index(manifest.preset.name) if manifest.preset.name in presets else len(presets),
        name,
    )


def _read(folder: Path, kit: Kit) -> Source:
    manifest = read_manifest(folder)
    if manifest.kit != kit.name:
        raise HandoverError(
            f"{folder} is a bundle of the kit '{manifest.kit}', not of '{kit.name}'",
            path=folder,
            hint="publish each kit into its own site folder",
        )
    problem = name_problem(folder.name)
    if problem is not None:
        raise HandoverError(f"bundle folder {folder}: {problem}", path=folder)
    files = []
    for record in manifest.files:
        problem = path_problem(record.path)
        if problem is not None:
            raise HandoverError(f"{folder}/{MANIFEST_NAME}: {problem}", path=folder)
        try:
            size = (folder / record.path).stat().st_size
        except OSError as exc:
            raise HandoverError(
                f"{folder.name}/{record.path} is missing",
                path=folder / record.path,
                hint=f"run screenkit verify {folder}, and build the bundle again",
            ) from exc
        if size != record.size:
            raise HandoverError(
                f"{folder.name}/{record.path} has changed since it was built "
                f"({size:,} bytes, its manifest says {record.size:,})",
                path=folder / record.path,
                hint=f"run screenkit verify {folder}, and build the bundle again",
            )
        files.append(CatalogueFile(f"{folder.name}/{record.path}", record.size, record.sha256))
    digest = sha256_file(folder / MANIFEST_NAME)  # the only file hashed here: a few KB
    files.append(CatalogueFile(f"{folder.name}/{MANIFEST_NAME}", digest.size, digest.sha256))
    return Source(folder, manifest, tuple(files))


def find_bundles(
    source: Path, kit: Kit, names: Sequence[str] = ()
) -> tuple[list[Source], list[str]]:
    """The bundles to publish (named ones, or every finished one in ``source``) and warnings."""
    if not source.is_dir():
        raise InputError(
            f"{source} is not a folder of built bundles",
            path=source,
            hint="build the bundles first (screenkit build --all), or pass --from DIR",
        )
    warnings: list[str] = []
    folders: list[Path] = []
    if names:
        for name in names:
            problem = name_problem(name)
            if problem is not None:
                raise HandoverError(f"bundle {problem}", value=name)
            found = [
                f
                for f in (source / name, source / f"{kit.name}-{name}")
                if (f / MANIFEST_NAME).is_file()
            ]
            if not found:
                raise HandoverError(
                    f"no built bundle '{name}' in {source}",
                    value=name,
                    hint="name a bundle as build does (uk-usb-player) or by its folder "
                    "(sample-uk-usb-player); screenkit build makes it",
                )
            folders.append(found[0])
    else:
        for folder in sorted(source.iterdir()):
            if folder.name.startswith(".") or not folder.is_dir():
                continue
            if (folder / MANIFEST_NAME).is_file():
                folders.append(folder)
            else:
                warnings.append(f"{folder.name}: no {MANIFEST_NAME} (an unfinished build): skipped")
        if not folders:
            raise HandoverError(
                f"{source} holds no built bundle",
                path=source,
                hint="build the bundles first (screenkit build --all)",
            )
    sources = [_read(f, kit) for f in dict.fromkeys(folders)]
    sources.sort(key=lambda s: _order(kit, s.manifest, s.name))
    return sources, warnings
