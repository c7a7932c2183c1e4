"""A DVD from the film's VOB, the card's VOB and the kit's tracks: VIDEO_TS/ and <Title>.iso.

Three pieces a bundle can cache separately: `subtitled_film` (the film VOB with one
subpicture stream per language: redone only when a track changes), `author_disc` (seconds:
redone when the card changes) and `write_disc_image`. `make_dvd` runs all three. Outputs
appear whole: VIDEO_TS/ is authored in a hidden sibling folder and renamed into place, the
ISO is written under a ``.part-`` name and renamed.
"""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from screenkit.dvd.author import VIDEO_TS, TitleLayout, author
from screenkit.dvd.iso import DiscFit, disc_fit, iso_listing, tree_size, volume_label, write_iso
from screenkit.dvd.readback import DvdReport, read_dvd
from screenkit.dvd.subpictures import mux_subpictures, render_subpictures
from screenkit.dvd.tools import DvdTools, require_dvd_tools
from screenkit.encode.options import OutputFormat, SubtitleInput
from screenkit.errors import InputError
from screenkit.fonts import Font
from screenkit.media.atomic import atomic_output, link_or_copy
from screenkit.media.binaries import FFmpeg
from screenkit.presets.model import VenuePreset
from screenkit.tempdirs import scratch_dir


@dataclass(frozen=True)
class DvdBuild:
    video_ts: Path
    iso: Path
    fit: DiscFit
    report: DvdReport
    listing: tuple[str, ...]
    warnings: tuple[str, ...]


def stream_order(tracks: Sequence[SubtitleInput], screening: str | None) -> list[SubtitleInput]:
    """Subpicture streams: the screening language first, then the kit's order, one per language."""
    unique: dict[str, SubtitleInput] = {}
    for track in sorted(tracks, key=lambda t: t.lang != screening):
        unique.setdefault(track.lang, track)
    return list(unique.values())


def subtitled_film(
    film: Path,
    tracks: Sequence[SubtitleInput],
    preset: VenuePreset,
    fmt: OutputFormat,
    out: Path,
    *,
    speed: Fraction = Fraction(1),
    fonts: Sequence[Font] = (),
    ffmpeg: FFmpeg | None = None,
    tools: DvdTools | None = None,
) -> Path:
    """``film`` (a DVD MPEG-PS) with a subpicture stream per track, in order, as ``out``."""
    tools = tools or require_dvd_tools()
    with (
        scratch_dir("spu-") as tmp,
        atomic_output(out) as part,
    ):
        drawn = [
            render_subpictures(
                track, preset, Path(tmp) / f"s{n}", fmt=fmt, speed=speed, fonts=fonts,
                ffmpeg=ffmpeg,
            )
            for n, track in enumerate(tracks)
        ]  # fmt: skip
        if drawn:
            mux_subpictures(film, drawn, part, tools)
        else:
            shutil.copyfile(film, part)
    return out


def _publish_dir(built: Path, final: Path) -> None:
    """Rename ``built`` to ``final``, replacing an older ``final`` only once ``built`` is whole."""
    old = final.with_name(f".{final.name}.old-{secrets.token_hex(4)}")
    if final.exists():
        final.rename(old)
    built.rename(final)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


def author_disc(
    layout: TitleLayout, preset: VenuePreset, out_dir: Path, *, tools: DvdTools | None = None
) -> tuple[Path, DiscFit]:
    """Author ``layout`` as ``out_dir/VIDEO_TS``; refuses a disc over DVD-9 before publishing."""
    tools = tools or require_dvd_tools()
    out_dir.mkdir(parents=True, exist_ok=True)
    work = out_dir / f".dvd-part-{secrets.token_hex(4)}"
    try:
        root = author(layout, preset, work, tools)
        fit = disc_fit(tree_size(root / VIDEO_TS), preset)
        _publish_dir(root / VIDEO_TS, out_dir / VIDEO_TS)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return out_dir / VIDEO_TS, fit


def write_disc_image(
    video_ts: Path, iso: Path, title: str, *, tools: DvdTools | None = None
) -> Path:
    """``iso`` holding VIDEO_TS/ (and an empty AUDIO_TS/), volume label from ``title``."""
    tools = tools or require_dvd_tools()
    with (
        scratch_dir("iso-", base=iso.parent) as tmp,
        atomic_output(iso) as part,
    ):
        staged = Path(tmp) / "disc"
        staged.mkdir()
        (staged / "AUDIO_TS").mkdir()
        shutil.copytree(video_ts, staged / VIDEO_TS, copy_function=_link_or_copy)
        write_iso(staged, part, volume_label(title), tools)
    return iso


def _link_or_copy(src: str, dst: str) -> None:
    """`link_or_copy` as `shutil.copytree` calls its copy function."""
    link_or_copy(Path(src), Path(dst))


def make_dvd(
    *,
    film: Path,
    card: Path | None,
    outro: Path | None,
    tracks: Sequence[SubtitleInput],
    screening_lang: str | None,
    preset: VenuePreset,
    fmt: OutputFormat,
    out_dir: Path,
    title: str,
    audio_lang: str | None = None,
    speed: Fraction = Fraction(1),
    fonts: Sequence[Font] = (),
    ffmpeg: FFmpeg | None = None,
) -> DvdBuild:
    """The whole disc in ``out_dir``: VIDEO_TS/, ``<title>.iso``, read back for verify."""
    if not title or Path(title).name != title or title.startswith("."):
        raise InputError(f"{title!r} cannot name the disc image", value=title)
    tools = require_dvd_tools()
    ordered = stream_order(tracks, screening_lang)
    out_dir.mkdir(parents=True, exist_ok=True)
    with scratch_dir("dvd-", base=out_dir) as tmp:
        subbed = subtitled_film(
            film, ordered, preset, fmt, Path(tmp) / "film.mpg",
            speed=speed, fonts=fonts, ffmpeg=ffmpeg, tools=tools,
        )  # fmt: skip
        layout = TitleLayout(
            card=card,
            film=subbed,
            outro=outro,
            film_seconds=fmt.duration,
            subtitle_langs=tuple(t.lang for t in ordered),
            audio_lang=audio_lang,
        )
        video_ts, fit = author_disc(layout, preset, out_dir, tools=tools)
    iso = write_disc_image(video_ts, out_dir / f"{title}.iso", title, tools=tools)
    return DvdBuild(
        video_ts=video_ts,
        iso=iso,
        fit=fit,
        report=read_dvd(out_dir, tools),
        listing=tuple(iso_listing(iso, tools)),
        warnings=(fit.warning,) if fit.warning else (),
    )
