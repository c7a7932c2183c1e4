"""``screenkit verify`` for old players: the DVD read back as a player sees it, the DivX sidecar.

DVD: lsdvd (and our own IFO read) on the bundle's VIDEO_TS/ — one title, the aspect, one
audio stream, the subpicture streams in the bundle's language order with the first shown
from the start; the title set's VOB against the preset (MPEG-2 at the DVD frame, AC-3/MP2);
the image lists every file of VIDEO_TS/; the image fits a DVD-5 (a DVD-9 is a warning).
DivX: the video's compliance is the general check's; here the ``.srt`` named like the AVI,
in the screening language's code page. Without lsdvd or xorriso the checks that need them
are skipped with a warning naming the install line, never passed in silence.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from screenkit.bundle.documents.manifest import Manifest
from screenkit.bundle.documents.tracks import film_sidecar_name
from screenkit.dvd import INSTALL_LINE, read_dvd
from screenkit.dvd.author import VIDEO_TS
from screenkit.dvd.iso import DVD5_BYTES, DVD9_BYTES, iso_listing
from screenkit.dvd.readback import disc_problems
from screenkit.dvd.tools import DvdTools, find_tool
from screenkit.encode import check_compliance
from screenkit.encode.compliance import promised_colour_mismatches
from screenkit.encode.legacy_check import check_sidecar
from screenkit.errors import ScreenkitError
from screenkit.media.binaries import FFmpeg
from screenkit.media.probe import probe

Found = tuple[list[tuple[str | None, str]], list[str]]
"""(problems as (path, what), warnings)."""


def _tools() -> DvdTools | None:
    lsdvd, xorriso = find_tool("lsdvd"), find_tool("xorriso")
    if lsdvd is None or xorriso is None:
        return None
    return DvdTools(
        dvdauthor=Path("dvdauthor"), spumux=Path("spumux"), xorriso=xorriso, lsdvd=lsdvd
    )


def check_dvd(folder: Path, manifest: Manifest, ffmpeg: FFmpeg) -> Found:
    preset = manifest.preset
    video_ts = folder / VIDEO_TS
    if not (video_ts / "VIDEO_TS.IFO").is_file():
        return [(f"{VIDEO_TS}/", "missing: the DVD's files are not there")], []
    tools = _tools()
    if tools is None:
        warning = (
            "lsdvd or xorriso is not installed: the DVD's structure and image were not "
            f"checked ({INSTALL_LINE})"
        )
        return _check_vob(video_ts, manifest, None, ffmpeg), [warning]
    langs = tuple(str(lang) for lang in manifest.options.get("soft") or ())
    if not preset.subtitles.subpictures:
        langs = ()
    try:
        report = read_dvd(folder, tools)
    except ScreenkitError as exc:
        return [(f"{VIDEO_TS}/", f"cannot be read as a DVD: {exc.message}")], []
    problems: list[tuple[str | None, str]] = [
        (f"{VIDEO_TS}/", p)
        for p in disc_problems(
            report, langs, preset.video.aspect or "4:3", shown=not manifest.options.get("burn")
        )
    ]
    length = report.titles[0].length if report.titles else None
    problems += _check_vob(video_ts, manifest, length, ffmpeg)
    found, warnings = _check_image(folder, manifest, tools)
    return [*problems, *found], warnings


def _check_vob(
    video_ts: Path, manifest: Manifest, length: float | None, ffmpeg: FFmpeg
) -> list[tuple[str | None, str]]:
    """The title set's first VOB against the preset. Its average rate is the title's VOBs
    over the title's length as the IFO says: the timestamps start again in every cell, so
    the probed duration of a VOB holding several cells says nothing."""
    vob = video_ts / "VTS_01_1.VOB"
    where = f"{VIDEO_TS}/{vob.name}"
    if not vob.is_file():
        return [(where, "missing: the title's video is not there")]
    try:
        info = probe(vob, ffmpeg=ffmpeg)
    except ScreenkitError as exc:
        return [(where, f"cannot be read: {exc.message}")]
    vobs = sum(p.stat().st_size for p in video_ts.glob("VTS_01_[1-9].VOB"))
    rate = round(vobs * 8 / length) if length else None
    checked = replace(info, bit_rate=rate)
    preset = manifest.preset
    mismatches = check_compliance(checked, preset)
    mismatches += promised_colour_mismatches(checked, manifest.promised_colour())
    return [(where, f"does not meet {preset.name}: {m}") for m in mismatches]


def _check_image(folder: Path, manifest: Manifest, tools: DvdTools) -> Found:
    iso = folder / manifest.video
    if not iso.is_file():
        return [], []  # reported by the file check
    try:
        listed = set(iso_listing(iso, tools))
    except ScreenkitError as exc:
        return [(manifest.video, f"cannot be read: {exc.message}")], []
    wanted = {f"/{r.path}" for r in manifest.files if r.path.startswith(f"{VIDEO_TS}/")}
    lacking = sorted(wanted - listed)
    problems: list[tuple[str | None, str]] = []
    if lacking:
        problems.append((manifest.video, f"lacks {', '.join(lacking)}"))
    size = iso.stat().st_size
    if size > DVD9_BYTES:
        problems.append((manifest.video, f"{size / 1e9:.2f} GB: larger than a DVD-9"))
    elif size > DVD5_BYTES:
        return problems, [f"{manifest.video} needs a dual-layer DVD-9 ({size / 1e9:.2f} GB)"]
    return problems, []


def check_divx_sidecar(folder: Path, manifest: Manifest) -> list[tuple[str | None, str]]:
    lang = str(manifest.options.get("burn") or manifest.options.get("lang") or "und")
    named = film_sidecar_name(Path(manifest.video).stem, lang, manifest.preset)
    if named is None:
        return []
    name, encoding = named
    return [(name, str(m)) for m in check_sidecar(folder / manifest.video, lang, encoding)]
