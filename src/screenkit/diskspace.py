"""Is there room for the build? Checked before the long steps start, disk by disk.

A build writes to two places that may be two disks: the step cache (every encode, each
chunk of a chunked one, the joined film, the test clip) and the output folder (the bundle:
hard links into the cache where both are one disk, copies where they are not, e.g. ``--out``
on a USB stick). A space check must not undercount, so each output is counted at a rate the
encode cannot exceed: the preset's peak (x264's VBV, MPEG-2's and MPEG-4's ``maxrate``,
plus the buffer it may burst), the two-pass budget where a size limit sets a lower one, the
source's own rate where the video is copied. Only a preset without a peak has no bound; its
rate is the CRF model's, generously scaled (`screenkit.encode.family`). The needs are summed per
disk, and a disk with less free space than that is named with both figures before anything
runs. Steps already in the cache need nothing.
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from screenkit.errors import ScreenkitError, path_error

if TYPE_CHECKING:
    from screenkit.bundle.model import BuildPlan

MARGIN = 0.10
"""Estimates are estimates: a disk must hold this much more than the sum."""
SMALL = 1_000_000
"""Bytes for a small step (a sheet, stills, sidecar tracks, a loudness measurement)."""


@dataclass(frozen=True)
class Need:
    path: Path
    """Where the bytes go (a folder; it need not exist yet)."""
    size: int
    what: str
    cache: bool = False
    """The bytes go to the step cache (``screenkit cache clear`` frees that disk)."""


class NotEnoughSpace(ScreenkitError):
    """A disk has less free space than the build needs; ``path`` names where it is."""

    def __init__(
        self, message: str, *, path: Path, need_bytes: int, free_bytes: int, hint: str
    ) -> None:
        super().__init__(message, path=path, value=need_bytes, hint=hint)
        self.need_bytes = need_bytes
        self.free_bytes = free_bytes


def mb(size: float) -> str:
    """Megabytes as a person reads them: ``3``, ``0.4``, ``79323``."""
    if size >= 10e6:
        return f"{size / 1e6:.0f}"
    return f"{size / 1e6:.1f}".rstrip("0").rstrip(".")


def _existing(path: Path) -> Path:
    while not path.exists() and path.parent != path:
        path = path.parent
    return path


def _device(path: Path) -> int:
    return _existing(path).stat().st_dev


def free_bytes(path: Path) -> int:
    return shutil.disk_usage(_existing(path)).free


def plan_needs(plan: BuildPlan, cached: Sequence[str] = ()) -> list[Need]:
    """What ``plan``'s out-of-date bundles will write to the cache and to the output folder.

    ``cached`` names the step ids whose results the cache holds already. Each step's size
    is its kind's (`Kind.output_bytes`) at the bundle's rate; a step shared by bundles is
    counted once.
    """
    from screenkit.bundle.kind import Rate
    from screenkit.bundle.registry import kind_of
    from screenkit.encode.family import peak_bytes_per_second

    counted = set(cached)
    cache_bytes = 0.0
    out_bytes = 0.0
    steps = {s.id: s for s in plan.steps}
    for bundle in plan.bundles:
        if bundle.up_to_date:
            continue
        burn = bundle.burn is not None
        rate = Rate(peak_bytes_per_second(plan.master, bundle.preset, burn))
        sizes: dict[str, float] = {}
        for step_id in bundle.step_ids:  # dependencies first
            step = steps[step_id]
            kind = kind_of(step)
            deps = {d.role: sizes[d.id] for d in step.deps}
            sizes[step_id] = kind.output_bytes(step, rate, deps) if step.key else 0.0
            if step_id not in counted:
                counted.add(step_id)
                cache_bytes += sizes[step_id]
            if kind.placed == "whole":
                out_bytes += sizes[step_id]
        out_bytes += sizes[bundle.final_step]
    cache_root = plan.cache_root.resolve()
    out = plan.out.resolve()
    if _device(out) == _device(cache_root):
        out_bytes = SMALL * len(plan.bundles)  # the bundle's files are hard links
    return [
        Need(cache_root, int(cache_bytes), "the build cache (encodes, joins, test clips)", True),
        Need(out, int(out_bytes), "the bundles (film, test clip, sheets)"),
    ]


def prepare_output(out: Path) -> None:
    """Make the output folder now: one that cannot be made (a path under /proc, a name too
    long, a read-only stick) fails before the encodes, not after them."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        if not os.access(out, os.W_OK | os.X_OK):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(out))
    except OSError as exc:
        raise path_error(exc, "cannot make the output folder") from exc


def check_space(needs: Sequence[Need]) -> None:
    """Raise `NotEnoughSpace` naming the first disk that cannot hold what goes onto it."""
    disks: dict[int, list[Need]] = {}
    for need in needs:
        if need.size > 0:
            disks.setdefault(_device(need.path), []).append(need)
    for group in disks.values():
        total = sum(n.size for n in group)
        where = group[0].path
        free = free_bytes(where)
        if free >= total * (1 + MARGIN):
            continue
        what = " and ".join(f"{n.what}: {mb(n.size)} MB" for n in group)
        on_cache = any(n.cache for n in group)
        hint = (
            "free space on that disk; `screenkit cache clear` empties the cache (its "
            "encodes run again next time), or put the cache on a bigger disk "
            '(cache = "user" in screenkit.toml, or $SCREENKIT_CACHE_DIR)'
            if on_cache
            else "free space on that disk or choose another --out; the cache is on another "
            "disk, so clearing it does not help here"
        )
        raise NotEnoughSpace(
            f"not enough space on the disk holding {where}: the build needs about "
            f"{mb(total)} MB there ({what}), the disk has {mb(free)} MB free",
            path=where,
            need_bytes=total,
            free_bytes=free,
            hint=hint,
        )
