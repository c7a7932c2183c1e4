"""Looking after the step cache: its size, the sweep of what killed builds left, clearing it.

Kept apart from `screenkit.bundle.engine.cache` (keys, entries, locking, building), which calls
these from `StepCache.info`, `sweep_tmp` and `clear`. An entry a running build holds (its
key's lock) is never touched.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from screenkit import tempdirs

if TYPE_CHECKING:
    from screenkit.bundle.engine.cache import StepCache

JOURNAL = "journal.jsonl"
"""What each build did with each key (`StepCache.record`)."""


@dataclass(frozen=True)
class CacheInfo:
    root: Path
    entries: int
    size_bytes: int
    kinds: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class ClearResult:
    root: Path
    removed: int
    freed_bytes: int
    busy: int
    """Entries left alone because a running build holds them."""


def entries(cache: StepCache) -> Iterator[Path]:
    """Every entry folder, ``objects/<k[:2]>/<key>/``."""
    objects = cache.root / "objects"
    if objects.is_dir():
        for shard in sorted(objects.iterdir()):
            if shard.is_dir():
                yield from sorted(p for p in shard.iterdir() if p.is_dir())


def folder_size(folder: Path) -> int:
    total = 0
    for path in folder.rglob("*"):
        with contextlib.suppress(OSError):
            if path.is_file():
                total += path.stat().st_size
    return total


def info(cache: StepCache) -> CacheInfo:
    count = 0
    size = 0
    kinds: dict[str, int] = {}
    for folder in entries(cache):
        entry = cache.read_entry(folder.name)
        count += 1
        size += folder_size(folder)
        kind = entry.kind if entry else "damaged"
        kinds[kind] = kinds.get(kind, 0) + 1
    return CacheInfo(cache.root, count, size, MappingProxyType(kinds))


def sweep_tmp(cache: StepCache) -> None:
    tmp = cache.root / "tmp"
    tempdirs.sweep(tmp)
    for stale in tmp.iterdir() if tmp.is_dir() else ():
        if stale.name.startswith(tempdirs.PREFIX):
            continue  # a live process's own (tempdirs.sweep removed the others)
        if (fd := cache.try_lock(stale.name.split(".")[0].removeprefix("corrupt-"))) is None:
            continue
        shutil.rmtree(stale, ignore_errors=True)
        os.close(fd)


def clear(cache: StepCache) -> ClearResult:
    removed = busy = freed = 0
    for folder in list(entries(cache)):
        fd = cache.try_lock(folder.name)
        if fd is None:
            busy += 1
            continue
        try:
            freed += folder_size(folder)
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
        finally:
            os.close(fd)
    sweep_tmp(cache)
    shutil.rmtree(cache.root / "hashes", ignore_errors=True)
    with contextlib.suppress(OSError):
        (cache.root / JOURNAL).unlink()
    return ClearResult(cache.root, removed, freed, busy)
