"""Is there room for the build? Checked before the long steps start, disk by disk.

A build writes to two places that may be two disks: the step cache (every encode, the
joined film, the test clip) and the output folder (the bundle: hard links into the cache
where both are one disk, copies where they are not, e.g. ``--out`` on a USB stick). Each
output's size is estimated from the preset and the probed film (bitrate x duration: the
two-pass budget where the preset has a size limit, the source's own rate where the video is
copied, else the CRF's typical bits per pixel, capped by the preset's peak rate), the needs
are summed per disk, and a disk with less free space than that is named with both figures
before anything runs. Steps already in the cache need nothing.
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from screenkit.encode import EncodeOptions, output_format
from screenkit.encode.builder import audio_bitrate_bps, bitrate_budget
from screenkit.errors import ScreenkitError, path_error
from screenkit.media.info import MediaInfo
from screenkit.presets import VenuePreset
from screenkit.presets.legacy import PS_OVERHEAD
from screenkit.presets.model import LEGACY_CODECS

if TYPE_CHECKING:
    from screenkit.bundle.model import BuildPlan

MARGIN = 0.10
"""Estimates are estimates: a disk must hold this much more than the sum."""
SMALL = 1_000_000
"""Bytes for a small step (a sheet, stills, sidecar tracks, a loudness measurement)."""
CARD_SECONDS = 12.0
CLIP_SECONDS = 60.0


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


def film_bytes_per_second(master: MediaInfo, preset: VenuePreset, burn: bool) -> float:
    """How many bytes a second of the finished film takes under ``preset`` (an estimate)."""
    fmt = output_format(master, preset, EncodeOptions())
    audio = audio_bitrate_bps(preset, fmt) / 8
    if fmt.copy_video and not burn and master.duration > 0:
        return master.size_bytes / master.duration + audio
    try:
        budget = bitrate_budget(preset, fmt)
    except ScreenkitError:
        budget = None  # the encode itself will say the film cannot fit
    if budget is not None:
        return budget * 1000 / 8 + audio
    spec = preset.video
    if spec.codec in LEGACY_CODECS and spec.bitrate_kbps:  # an old player's fixed average
        return (spec.bitrate_kbps * 1000 / 8 + audio) * (1 + PS_OVERHEAD)
    bpp = 0.1 * 2 ** ((20 - spec.crf) / 6)  # x264 at CRF 20: ~0.1 bit a pixel, x2 per -6
    video = fmt.width * fmt.height * float(fmt.frame_rate) * bpp / 8
    if spec.max_bitrate_kbps is not None:
        video = min(video, spec.max_bitrate_kbps * 1000 / 8)
    return video + audio


def plan_needs(plan: BuildPlan, cached: Sequence[str] = ()) -> list[Need]:
    """What ``plan``'s out-of-date bundles will write to the cache and to the output folder.

    ``cached`` names the step ids whose results the cache holds already.
    """
    seen = set(cached)
    cache_bytes = 0.0
    out_bytes = 0.0
    duration = plan.master.duration
    steps = {s.id: s for s in plan.steps}
    for bundle in plan.bundles:
        if bundle.up_to_date:
            continue
        rate = film_bytes_per_second(plan.master, bundle.preset, bundle.burn is not None)
        sizes = {
            "film": rate * duration,
            "join": rate * (duration + CARD_SECONDS),
            "mux": rate * (duration + CARD_SECONDS),
            "card": rate * CARD_SECONDS,
            "clip": rate * min(CLIP_SECONDS, duration + CARD_SECONDS),
            "legacycard": rate * CARD_SECONDS,
            "subpictures": rate * duration,
            "dvdauthor": rate * (duration + CARD_SECONDS),
            "dvdiso": rate * (duration + CARD_SECONDS),
        }
        for step_id in bundle.step_ids:
            if step_id in seen or step_id not in steps:
                continue
            seen.add(step_id)
            cache_bytes += sizes.get(steps[step_id].kind, SMALL)
        if bundle.clip_name is None:  # a DVD: VIDEO_TS/ and the image of it
            out_bytes += 2 * sizes["dvdauthor"] + 2 * SMALL
        else:
            out_bytes += sizes["join"] + sizes["clip"] + 2 * SMALL
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
