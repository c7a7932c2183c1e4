"""The content-addressed step cache.

Each build step (a film encode, a card, a join, ...) has a key: the sha256 of its input
contents, its parameters and the ffmpeg version (see `step_key`). Its outputs live in
``objects/<k[:2]>/<key>/`` beside an ``entry.json`` holding every file's sha256 and size.

Writing is crash-safe and concurrency-safe: a step runs into ``tmp/<key>.<random>/``
while holding ``locks/<key>.lock`` (``fcntl.flock``; the kernel drops it when a process
dies), and the finished folder appears by one atomic rename. A killed build leaves only a
temporary folder, removed by the next build of that key. A lookup checks each file against
its stored digest (cheaply: the `FileHasher` re-reads a file only when its size, mtime or
inode changed), so a corrupted entry is detected, thrown away and rebuilt.

``journal.jsonl`` records what each build did with each key (``hit``, ``start``, ``done``,
``failed``, ``corrupt``): the build report and the tests read which steps really ran.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import secrets
import shutil
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from screenkit.bundle.engine import cache_maintenance
from screenkit.bundle.engine.cache_maintenance import JOURNAL, CacheInfo, ClearResult
from screenkit.bundle.engine.errors import disk_full_guard
from screenkit.bundle.engine.hashing import FileDigest, FileHasher, sha256_file
from screenkit.errors import ScreenkitError
from screenkit.kit import Kit
from screenkit.media.atomic import PART_MARK
from screenkit.progress import ProgressCallback

CACHE_FORMAT = 1
ENV_VAR = "SCREENKIT_CACHE_DIR"
ENTRY_FILE = "entry.json"

Status = Literal["built", "cached"]
JournalEvent = Literal["hit", "start", "done", "failed", "corrupt"]
StepAction = Callable[[Path], Mapping[str, Any]]
"""Writes a step's outputs into the folder given; returns small JSON-able facts (``meta``)."""


def user_cache_dir() -> Path:
    """``$SCREENKIT_CACHE_DIR``, else the platform's user cache folder for screenkit."""
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override).absolute()
    import platformdirs

    return Path(platformdirs.user_cache_dir("screenkit", appauthor=False)) / "steps"


def cache_dir_for(kit: Kit) -> Path:
    """Where ``kit``'s steps are cached: ``<kit>/.screenkit/cache`` or the user cache."""
    if kit.cache == "kit":
        return kit.root / ".screenkit" / "cache"
    return user_cache_dir()


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def step_key(
    kind: str,
    *,
    params: Mapping[str, Any],
    inputs: Mapping[str, str],
    deps: Mapping[str, str],
    ffmpeg_version: str,
) -> str:
    """The cache key of a step: its kind, parameters, input file digests, upstream keys."""
    document = {
        "format": CACHE_FORMAT,
        "kind": kind,
        "params": params,
        "inputs": dict(inputs),
        "deps": dict(deps),
        "ffmpeg": ffmpeg_version,
    }
    return hashlib.sha256(canonical_json(document).encode()).hexdigest()


@dataclass(frozen=True)
class Entry:
    """A finished step in the cache: its files (name → digest) and what it reported."""

    key: str
    kind: str
    folder: Path
    files: Mapping[str, FileDigest]
    meta: Mapping[str, Any]
    status: Status

    def path(self, name: str) -> Path:
        return self.folder / name

    def __reduce__(self) -> tuple[Any, ...]:
        # the read-only mappings do not pickle; an entry crosses processes as plain data
        return (
            _entry,
            (self.key, self.kind, self.folder, dict(self.files), dict(self.meta), self.status),
        )


def _entry(
    key: str,
    kind: str,
    folder: Path,
    files: dict[str, FileDigest],
    meta: dict[str, Any],
    status: Status,
) -> Entry:
    return Entry(key, kind, folder, MappingProxyType(files), MappingProxyType(meta), status)


@dataclass(frozen=True)
class JournalRecord:
    time: float
    build: str
    event: JournalEvent
    key: str
    kind: str
    label: str


class StepCache:
    """One cache folder; safe to share between threads and between processes."""

    def __init__(
        self, root: Path, *, build_id: str | None = None, progress: ProgressCallback | None = None
    ) -> None:
        self.root = root.absolute()
        self.build_id = build_id or secrets.token_hex(6)
        self.hasher = FileHasher(self.root / "hashes", progress=progress)

    # -- layout ------------------------------------------------------------------------
    def entry_dir(self, key: str) -> Path:
        return self.root / "objects" / key[:2] / key

    def _lock_path(self, key: str) -> Path:
        return self.root / "locks" / f"{key}.lock"

    # -- journal -----------------------------------------------------------------------
    def record(self, event: JournalEvent, key: str, kind: str, label: str = "") -> None:
        line = canonical_json(
            {
                "time": time.time(),
                "build": self.build_id,
                "event": event,
                "key": key,
                "kind": kind,
                "label": label,
            }
        )
        # one short append is atomic between processes; the journal is advisory, so a
        # full disk must not turn a finished step into a failure
        with contextlib.suppress(OSError):
            self.root.mkdir(parents=True, exist_ok=True)
            with (self.root / JOURNAL).open("a", encoding="utf-8") as fh:
                fh.write(line + "\n")

    def journal(self) -> list[JournalRecord]:
        try:
            lines = (self.root / JOURNAL).read_text(encoding="utf-8").splitlines()
        except OSError:
            return []
        records = []
        for line in lines:
            try:
                data = json.loads(line)
                records.append(JournalRecord(**data))
            except (ValueError, TypeError):
                continue  # a line cut by a crash
        return records

    # -- locking -----------------------------------------------------------------------
    @contextlib.contextmanager
    def lock(self, key: str, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
        """Hold ``key``'s lock; polls (calling ``on_wait`` each time) so that a wait can end."""
        path = self._lock_path(key)
        with disk_full_guard("creating a lock file", path):
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if on_wait is not None:
                        on_wait()  # may raise to give up waiting
                    time.sleep(0.05)
            yield
        finally:
            os.close(fd)  # closing drops the lock

    def try_lock(self, key: str) -> int | None:
        """The key's lock taken without waiting (its fd: close it to let go), or None when a
        build holds it."""
        try:
            fd = os.open(self._lock_path(key), os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:
            return None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        return fd

    # -- reading -----------------------------------------------------------------------
    def read_entry(self, key: str) -> Entry | None:
        """The entry as recorded, its files not checked (None: none, or no readable record)."""
        folder = self.entry_dir(key)
        try:
            data = json.loads((folder / ENTRY_FILE).read_text(encoding="utf-8"))
            files = {
                name: FileDigest(str(rec["sha256"]), int(rec["size"]))
                for name, rec in data["files"].items()
            }
            meta = data.get("meta", {})
            kind = str(data["kind"])
            if data.get("key") != key:
                return None
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None
        return Entry(key, kind, folder, MappingProxyType(files), MappingProxyType(meta), "cached")

    def peek_entry(self, key: str) -> Entry | None:
        """The entry for ``key`` as stored, not verified (for planning and --dry-run)."""
        return self.read_entry(key)

    def peek(self, key: str) -> bool:
        """Whether an entry for ``key`` exists (not verified: for --dry-run)."""
        return (self.entry_dir(key) / ENTRY_FILE).is_file()

    def lookup(self, key: str, *, label: str = "") -> Entry | None:
        """The entry for ``key`` when present and intact; a damaged one is removed."""
        entry = self.read_entry(key)
        if entry is None:
            if self.entry_dir(key).exists():
                self._discard(key, "?", label)
            return None
        for name, want in entry.files.items():
            path = entry.path(name)
            try:
                got = self.hasher.digest(path, step=f"checking cached {label or name}")
            except (OSError, ScreenkitError):
                got = None
            if got != want:
                self._discard(key, entry.kind, label)
                return None
        return entry

    def _discard(self, key: str, kind: str, label: str) -> None:
        self.record("corrupt", key, kind, label)
        folder = self.entry_dir(key)
        trash = self.root / "tmp" / f"corrupt-{key}.{secrets.token_hex(4)}"
        try:
            trash.parent.mkdir(parents=True, exist_ok=True)
            folder.rename(trash)
        except OSError:
            trash = folder
        shutil.rmtree(trash, ignore_errors=True)

    # -- writing -----------------------------------------------------------------------
    def get_or_build(
        self,
        key: str,
        kind: str,
        action: StepAction,
        *,
        label: str = "",
        on_wait: Callable[[], None] | None = None,
    ) -> Entry:
        """The cached entry for ``key``, or run ``action`` into a fresh folder and store it."""
        entry = self.lookup(key, label=label)
        if entry is not None:
            self.record("hit", key, kind, label)
            return entry
        with self.lock(key, on_wait=on_wait):
            entry = self.lookup(key, label=label)  # another build may have made it meanwhile
            if entry is not None:
                self.record("hit", key, kind, label)
                return entry
            return self._build(key, kind, action, label)

    def _build(self, key: str, kind: str, action: StepAction, label: str) -> Entry:
        tmp_root = self.root / "tmp"
        for stale in tmp_root.glob(f"{key}.*"):  # left by a killed build of this key
            shutil.rmtree(stale, ignore_errors=True)
        work = tmp_root / f"{key}.{secrets.token_hex(4)}"
        self.record("start", key, kind, label)
        try:
            with disk_full_guard(label or f"running {kind}", work):
                work.mkdir(parents=True)
                meta = dict(action(work))
                entry = self._commit(key, kind, work, meta)
        except BaseException:
            self.record("failed", key, kind, label)
            shutil.rmtree(work, ignore_errors=True)
            raise
        self.record("done", key, kind, label)
        return entry

    def _commit(self, key: str, kind: str, work: Path, meta: dict[str, Any]) -> Entry:
        files: dict[str, FileDigest] = {}
        for path in sorted(work.rglob("*")):
            if path.is_file() and PART_MARK not in path.name:
                name = path.relative_to(work).as_posix()
                files[name] = sha256_file(
                    path, progress=self.hasher.progress, step=f"hashing {name}"
                )
        document = {
            "key": key,
            "kind": kind,
            "created": time.time(),
            "build": self.build_id,
            "files": {n: {"sha256": d.sha256, "size": d.size} for n, d in files.items()},
            "meta": meta,
        }
        with (work / ENTRY_FILE).open("w", encoding="utf-8") as fh:
            fh.write(json.dumps(document, indent=1, ensure_ascii=False))
            fh.flush()
            os.fsync(fh.fileno())
        final = self.entry_dir(key)
        final.parent.mkdir(parents=True, exist_ok=True)
        try:
            work.rename(final)
        except OSError:
            # only without the lock (cache cleared under a build): keep whichever came first
            if self.read_entry(key) is None:
                raise
            shutil.rmtree(work, ignore_errors=True)
        for name, digest in files.items():  # the index follows the files to their new home
            self.hasher.remember(final / name, digest)
        return Entry(key, kind, final, MappingProxyType(files), MappingProxyType(meta), "built")

    # -- maintenance (`screenkit.bundle.engine.cache_maintenance`) -------------------------------
    def info(self) -> CacheInfo:
        """How many entries of which kinds, and their size."""
        return cache_maintenance.info(self)

    def sweep_tmp(self) -> None:
        """Remove what killed builds left in tmp/ (work of unheld keys, dead processes')."""
        cache_maintenance.sweep_tmp(self)

    def clear(self) -> ClearResult:
        """Remove every entry no running build holds, the hash index and the journal."""
        return cache_maintenance.clear(self)
