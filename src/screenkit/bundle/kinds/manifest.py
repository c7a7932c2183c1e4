"""The manifest step, a bundle's last: place the cached files, write ``manifest.json``, swap in.

Every file comes from a verified cache entry, so its sha256 is already known: the manifest
costs no re-reading, even for a film of several gigabytes. The manifest is written last,
inside the hidden partial folder, and the folder is then swapped into place.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from screenkit import __version__
from screenkit.bundle.documents.assemble import partial_bundle, place, publish, recover
from screenkit.bundle.documents.manifest import (
    FileRecord,
    InputRecord,
    Manifest,
    StepRecord,
    write_manifest,
)
from screenkit.bundle.engine.cache import Entry
from screenkit.bundle.engine.errors import disk_full_guard
from screenkit.bundle.engine.hashing import FileDigest, FileHasher
from screenkit.bundle.engine.kind import Kind
from screenkit.bundle.engine.planner import Planner
from screenkit.bundle.engine.registry import REGISTRY, main_file
from screenkit.bundle.engine.results import to_meta
from screenkit.bundle.engine.step import Dep, Step, StepRun
from screenkit.bundle.kinds import film
from screenkit.bundle.kinds.shape import BundlePlan


@dataclass(frozen=True)
class Result:
    folder: str
    video: str


@dataclass(frozen=True)
class BundleContext:
    kit_name: str
    title: str
    kit_root: str
    cache_mode: str
    ffmpeg_version: str
    hash_index: str
    """The cache's hash index: placed files are remembered there (see `_up_to_date`)."""


def _relative(path: str, root: str) -> str:
    return path[len(root) + 1 :] if path.startswith(root + "/") else path


def _placements(bundle: BundlePlan, deps: Mapping[str, Entry]) -> list[tuple[Entry, str, str]]:
    """(entry, its file, the path in the bundle) for every file the bundle holds: the
    video under the bundle's name, every file of the steps whose kind is placed whole."""
    final = deps[bundle.final_step]
    out = [(final, main_file(final).relative_to(final.folder).as_posix(), bundle.video_name)]
    for entry in deps.values():
        if REGISTRY[entry.kind].placed == "whole":
            out += [(entry, name, name) for name in sorted(entry.files)]
    return out


@dataclass(frozen=True)
class Settings:
    context: BundleContext
    bundle: BundlePlan


class ManifestKind(Kind[Settings, Result]):
    """No ffmpeg: hard links, a JSON file, a rename."""

    name = "manifest"
    runs_ffmpeg = False

    def run(self, run: StepRun[Settings]) -> Result:
        s = run.step.settings
        ctx, bundle = s.context, s.bundle
        deps = run.deps
        recover(bundle.folder)
        encoded = film.KIND.result(deps[bundle.film_step])
        quality, colour = encoded.quality, encoded.colour
        with (
            disk_full_guard(f"writing the bundle {bundle.folder.name}", bundle.folder.parent),
            partial_bundle(bundle.folder) as part,
        ):
            files = []
            for entry, name, dest in _placements(bundle, deps):
                place(entry.path(name), part.folder / dest)
                digest = entry.files[name]
                files.append(FileRecord(dest, digest.sha256, digest.size))
            manifest = Manifest(
                kit=ctx.kit_name,
                title=ctx.title,
                bundle=bundle.request.name,
                preset=bundle.preset,
                options={
                    "lang": bundle.request.lang,
                    "burn": bundle.burn,
                    "soft": list(bundle.soft),
                    "outro": bundle.request.outro,
                    "venue": bundle.request.venue,
                    "date": bundle.request.date,
                    "contact": bundle.request.contact,
                    **({"stand_in_appeal": list(bundle.stand_in)} if bundle.stand_in else {}),
                },
                ffmpeg_version=ctx.ffmpeg_version,
                screenkit_version=__version__,
                created=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                plan_key=bundle.plan_key,
                video=bundle.video_name,
                test_clip=bundle.clip_name,
                cache=ctx.cache_mode,
                inputs=tuple(
                    InputRecord(i.role, _relative(str(i.path), ctx.kit_root), i.sha256, i.size)
                    for i in bundle.inputs
                ),
                steps=tuple(
                    StepRecord(sid, e.kind, e.key) for sid, e in deps.items() if e.folder.name
                ),
                files=tuple(files),
                quality=to_meta(quality) if quality is not None else None,
                colour=colour.to_json() if colour is not None else None,
            )
            write_manifest(part.folder, manifest)  # last: the bundle is complete now
            publish(part)
        hasher = FileHasher(Path(ctx.hash_index))
        for record in files:
            hasher.remember(bundle.folder / record.path, FileDigest(record.sha256, record.size))
        return Result(str(bundle.folder), str(main_file(deps[bundle.final_step])))


KIND = ManifestKind()


def plan(p: Planner, ctx: BundleContext, bundle: BundlePlan) -> Step[Settings]:
    """The bundle's assembly: not cached (it writes the bundle folder itself)."""
    needs = [s for s in bundle.step_ids if s != bundle.manifest_step]
    return Step(
        id=bundle.manifest_step,
        kind=KIND.name,
        label=f"bundle {bundle.folder.name}",
        key=None,
        deps=tuple(Dep(d, d, p.key(d)) for d in needs),
        settings=Settings(ctx, bundle),
        tools=p.tools,
        note="links the files into a hidden folder, writes manifest.json last, "
        "swaps the folder into place",
        weight=0.2,
        bundle=bundle.request.name,
    )
