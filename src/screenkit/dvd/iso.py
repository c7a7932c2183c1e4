"""The disc image: ``<Title>.iso`` from VIDEO_TS/ by xorriso, and what fits which disc.

A single-layer DVD-5 holds 4,700,372,992 bytes, a dual-layer DVD-9 8,543,666,176. A film
over DVD-5 is authored for DVD-9 with a warning (dual-layer blanks cost more and some old
burners cannot write them); over DVD-9 is an error that names the preset's bitrate to lower.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from screenkit.dvd.errors import DiscTooLarge
from screenkit.dvd.tools import DvdTools, run_tool
from screenkit.presets.model import VenuePreset

DVD5_BYTES = 4_700_372_992
DVD9_BYTES = 8_543_666_176
ISO_OVERHEAD = 4 * 1024 * 1024
"""File-system structures and padding xorriso adds around VIDEO_TS (generous)."""


@dataclass(frozen=True)
class DiscFit:
    disc: str
    """``DVD-5`` or ``DVD-9``."""
    size: int
    warning: str | None


def tree_size(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def disc_fit(size: int, preset: VenuePreset) -> DiscFit:
    """Which disc ``size`` bytes of DVD-Video need; `DiscTooLarge` when not even DVD-9."""
    need = size + ISO_OVERHEAD
    if need <= DVD5_BYTES:
        return DiscFit("DVD-5", size, None)
    if need <= DVD9_BYTES:
        return DiscFit(
            "DVD-9",
            size,
            f"the DVD is {need / 1e9:.2f} GB: more than a DVD-5 (4.7 GB) holds, burn it on a "
            f"dual-layer DVD-9, or lower video.bitrate_kbps ({preset.video.bitrate_kbps}) "
            f"in preset {preset.name} for a single-layer disc",
        )
    raise DiscTooLarge(
        f"the DVD would be {need / 1e9:.2f} GB, more than a dual-layer DVD-9 holds (8.5 GB)",
        key="video.bitrate_kbps",
        value=preset.video.bitrate_kbps,
        hint=f"lower video.bitrate_kbps ({preset.video.bitrate_kbps}) in a preset extending "
        f"{preset.name}",
    )


def volume_label(title: str) -> str:
    """An ISO 9660 volume id from the title: A-Z, 0-9 and _, at most 32 characters."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    label = re.sub(r"[^A-Z0-9]+", "_", plain.upper()).strip("_")[:32]
    return label or "SCREENING"


def dvd_order(root: Path) -> list[str]:
    """VIDEO_TS files in the order a DVD player expects them on the disc: the manager
    (IFO, menu VOB, BUP), then each title set (IFO, menu VOB, title VOBs, BUP). Players
    address a title set's VOBs by sectors counted from its IFO, so the order matters."""
    names = sorted(p.name for p in (root / "VIDEO_TS").iterdir() if p.is_file())

    def rank(name: str) -> tuple[int, int, str]:
        stem, _, ext = name.upper().partition(".")
        group = 0 if stem.startswith("VIDEO_TS") else int(stem[4:6] or 0)
        kind = {"IFO": 0, "VOB": 1, "BUP": 2}.get(ext, 3)
        return group, kind, stem

    return sorted(names, key=rank)


def iso_args(tools: DvdTools, root: Path, out: Path, label: str) -> list[str]:
    """xorriso in mkisofs mode, VIDEO_TS files laid out in DVD order by sort weights. Pure
    but for listing VIDEO_TS.

    xorriso writes ISO 9660 (+ Joliet) but not the UDF bridge the DVD-Video spec asks for;
    players that read only UDF want the VIDEO_TS folder burned as DVD-Video by a burning
    program instead (the sheet says so).
    """
    order = dvd_order(root)
    weights: list[str] = []
    for n, name in enumerate(order):
        weights += ["--sort-weight", str(len(order) - n + 1), f"/VIDEO_TS/{name}"]
    return [
        str(tools.xorriso), "-as", "mkisofs", "-quiet", "-iso-level", "1", "-J",
        "-V", label, *weights, "-o", str(out), str(root),
    ]  # fmt: skip


def write_iso(root: Path, out: Path, label: str, tools: DvdTools) -> Path:
    run_tool(iso_args(tools, root, out, label), what="writing the DVD image")
    return out


def iso_listing(iso: Path, tools: DvdTools) -> list[str]:
    """Every path inside the image (``/VIDEO_TS/VIDEO_TS.IFO``, ...), as xorriso reads it."""
    text = run_tool(
        [tools.xorriso, "-indev", iso, "-find", "/", "-type", "f"], what="listing the image"
    )
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("'") and line.endswith("'"):
            out.append(line[1:-1])
    return sorted(out)
