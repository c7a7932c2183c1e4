"""What this machine offers screenkit: which ffmpeg, how it probes, which features and fonts."""

from __future__ import annotations

import shutil
import sys
from dataclasses import asdict, dataclass
from typing import Any

from screenkit.dvd.errors import INSTALL_LINE
from screenkit.dvd.tools import TOOLS, find_tool
from screenkit.encode.colour import ZSCALE_FIX
from screenkit.errors import ScreenkitError
from screenkit.fonts import shipped_font
from screenkit.media.binaries import FFmpeg, find_ffmpeg, has_filter
from screenkit.media.probe import default_route


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str | None = None
    optional: bool = False
    """Needed only by some presets (the DVD tools): missing, it does not fail the doctor."""


@dataclass(frozen=True)
class DoctorReport:
    ffmpeg_path: str | None
    ffmpeg_version: str | None
    ffmpeg_source: str | None
    probe_route: str | None
    checks: tuple[Check, ...]

    @property
    def ok(self) -> bool:
        return all(c.ok or c.optional for c in self.checks)

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "ffmpeg": {
                "path": self.ffmpeg_path,
                "version": self.ffmpeg_version,
                "source": self.ffmpeg_source,
            },
            "probe": {"route": self.probe_route},
            "checks": [asdict(c) for c in self.checks],
        }


_FEATURES = {
    "libass": "burned subtitles and the appeal card",
    "libfreetype": "text rendering",
    "libx264": "H.264 encoding",
    "libfribidi": "right-to-left text on the card",
}


def diagnose() -> DoctorReport:
    """Inspect the environment; never raises for a missing piece, reports it with a fix."""
    checks: list[Check] = []
    try:
        ffmpeg = find_ffmpeg()
    except ScreenkitError as exc:
        checks.append(Check("ffmpeg", False, exc.message, exc.hint))
        return DoctorReport(None, None, None, None, tuple(checks))
    checks.append(Check("ffmpeg", True, f"{ffmpeg.version} ({ffmpeg.source}) at {ffmpeg.path}"))
    route = default_route(ffmpeg)
    probe_detail = (
        f"ffprobe at {ffmpeg.ffprobe}" if ffmpeg.ffprobe else "PyAV (no ffprobe beside ffmpeg)"
    )
    checks.append(Check("probe", True, probe_detail))
    fix_ffmpeg = "use the bundled ffmpeg (unset SCREENKIT_FFMPEG, or pass --ffmpeg to another)"
    for feature, purpose in _FEATURES.items():
        ok = ffmpeg.has_enabled(feature)
        checks.append(
            Check(
                feature,
                ok,
                f"needed for {purpose}",
                None if ok else f"{fix_ffmpeg} built with {feature}",
            )
        )
    checks.append(tone_mapping_check(ffmpeg))
    try:
        font = shipped_font()
        ok = font.path.is_file()
        checks.append(
            Check(
                "font",
                ok,
                f"{font.family} at {font.path}",
                None if ok else "pip install fontpkg-noto-sans",
            )
        )
    except ScreenkitError as exc:
        checks.append(Check("font", False, exc.message, exc.hint))
    checks += dvd_checks()
    checks += stick_checks()
    checks.append(msgfmt_check())
    checks.append(torrent_client_check())
    checks.append(app_check())
    return DoctorReport(str(ffmpeg.path), ffmpeg.version, ffmpeg.source, route, tuple(checks))


def tone_mapping_check(ffmpeg: FFmpeg) -> Check:
    """zscale (zimg) and tonemap: an HDR master (a phone's HLG or PQ) is tone-mapped with them."""
    missing = [name for name in ("zscale", "tonemap") if not has_filter(ffmpeg, name)]
    purpose = "needed to tone-map HDR masters (HLG, PQ: phones) to SDR"
    if not missing:
        return Check("zscale", True, f"zscale and tonemap: {purpose}")
    return Check("zscale", False, f"no {' or '.join(missing)} filter: {purpose}", ZSCALE_FIX)


def app_check() -> Check:
    """The organiser's page (``screenkit app``): the ``app`` extra's web stack."""
    from screenkit.app import INSTALL_LINE, missing_web_stack

    missing = missing_web_stack()
    detail = (
        "the organiser's page: screenkit app"
        if not missing
        else f"{', '.join(missing)} not installed (needed for screenkit app)"
    )
    return Check("app", not missing, detail, INSTALL_LINE if missing else None, optional=True)


def dvd_checks() -> list[Check]:
    """dvdauthor, spumux, xorriso, lsdvd: on PATH, or the install line (dvd presets only)."""
    out = []
    for name in TOOLS:
        path = find_tool(name)
        detail = f"{path}" if path else "not on PATH"
        out.append(
            Check(
                name,
                path is not None,
                f"{detail} (needed for the dvd-pal / dvd-ntsc presets)",
                None if path else INSTALL_LINE,
                optional=True,
            )
        )
    return out


_STICK_TOOLS = {
    "lsblk": ("lists the USB sticks for screenkit copy --list-drives and the app", "util-linux"),
    "udisksctl": ("mounts a stick without root: udisksctl mount -b /dev/sdX1", "udisks2"),
}


def stick_checks() -> list[Check]:
    """lsblk and udisksctl (Linux): without them the faces offer a folder chooser instead."""
    if not sys.platform.startswith("linux"):
        return []
    out = []
    for name, (purpose, package) in _STICK_TOOLS.items():
        path = shutil.which(name)
        detail = f"{path}" if path else "not on PATH"
        fix = None if path else f"apt-get install {package}"
        out.append(Check(name, path is not None, f"{detail} ({purpose})", fix, optional=True))
    return out


def msgfmt_check() -> Check:
    """GNU gettext's msgfmt: checks a translator's catalogue as gettext itself reads it
    (optional: ``subs po`` works without it)."""
    path = shutil.which("msgfmt")
    return Check(
        "msgfmt",
        path is not None,
        f"{path or 'not on PATH'} (optional: checks a translation catalogue, msgfmt --check)",
        None if path else "apt-get install gettext",
        optional=True,
    )


def torrent_client_check() -> Check:
    """aria2c: not used by screenkit itself; with it a distributor tries a published
    ``.torrent`` through its web seed before announcing the catalogue."""
    path = shutil.which("aria2c")
    return Check(
        "aria2c",
        path is not None,
        f"{path or 'not on PATH'} (optional: try a published .torrent through its web seed)",
        None if path else "apt-get install aria2 (or any BitTorrent client with web seeds)",
        optional=True,
    )
