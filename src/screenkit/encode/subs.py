"""Subtitle tracks for an encode: the burned one, the soft ones, the sidecars.

No user path ever reaches a filter string: the burned track is rewritten as ASS under a
plain name in the encode's private folder, with the kit's font staged beside it as libass's
``fontsdir``. The style names that font (libass with an empty fontconfig draws nothing
otherwise), sizes the text from the picture's height and keeps it inside the preset's safe
area.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pysubs2

from screenkit.encode.options import EncodeOptions, OutputFormat, SubtitleInput
from screenkit.errors import SubtitleError
from screenkit.fonts import SHIPPED_FAMILY, Font, missing_glyphs, shipped_font, stage_fonts
from screenkit.presets.languages import iso639_2, language_name, legacy_codepage
from screenkit.presets.model import VenuePreset
from screenkit.subtitles.load import load_track
from screenkit.subtitles.save import save_track

BURN_NAME = "burn.ass"
FONTS_NAME = "fonts"


def fonts_or_shipped(fonts: Sequence[Font]) -> tuple[Font, ...]:
    """The fonts to stage: the given ones (kit fonts first), then the shipped Noto Sans."""
    shipped = shipped_font()
    chosen = tuple(fonts)
    if all(f.path != shipped.path for f in chosen):
        chosen = (*chosen, shipped)
    return chosen


def burn_family(fonts: Sequence[Font]) -> str:
    """The family named in the burn-in style: the first kit font's, else Noto Sans."""
    return fonts[0].family if fonts else SHIPPED_FAMILY


def margins(preset: VenuePreset, width: int, height: int) -> tuple[int, int]:
    """(left/right, bottom) margins in pixels: the safe area, at least a little air."""
    horizontal, vertical = preset.safe_margins(width, height)
    return max(horizontal, round(width * 0.02)), max(vertical, round(height * 0.03))


def force_style(preset: VenuePreset, fmt: OutputFormat, family: str) -> str:
    """The ``force_style`` of the subtitles filter: the font by name, the safe-area margins."""
    side, bottom = margins(preset, fmt.width, fmt.height)
    return f"FontName={family},MarginL={side},MarginR={side},MarginV={bottom}"


def load_cut(track: SubtitleInput, start: float | None) -> pysubs2.SSAFile:
    """The track's events, re-timed for a cut starting at ``start`` s (input seeking makes
    the cut's first frame time 0); events wholly before the cut are dropped."""
    subs = load_track(track.path, lang=track.lang).subs
    if start:
        offset = round(start * 1000)
        kept = [e for e in subs.events if e.end > offset]
        for event in kept:
            event.start = max(0, event.start - offset)
            event.end = event.end - offset
        subs.events = kept
    return subs


def burn_track(
    track: SubtitleInput,
    preset: VenuePreset,
    fmt: OutputFormat,
    family: str,
    start: float | None = None,
) -> pysubs2.SSAFile:
    """The track as ASS laid out for a ``fmt`` picture: one script pixel = one output pixel."""
    subs = load_cut(track, start)
    if subs.format in ("ass", "ssa") and "PlayResY" in subs.info:
        return subs  # an authored style: force_style still sets the font and the margins
    size = max(8, round(fmt.height * preset.subtitles.font_size))
    side, bottom = margins(preset, fmt.width, fmt.height)
    subs.info["PlayResX"] = str(fmt.width)
    subs.info["PlayResY"] = str(fmt.height)
    subs.info["ScaledBorderAndShadow"] = "yes"
    subs.info["WrapStyle"] = "0"
    for style in subs.styles.values():
        style.fontname = family
        style.fontsize = size
        style.marginl = style.marginr = side
        style.marginv = bottom
        style.outline = max(1.0, size * 0.07)
        style.shadow = max(0.0, size * 0.03)
        style.borderstyle = 1
        style.primarycolor = pysubs2.Color(255, 255, 255, 0)
        style.outlinecolor = pysubs2.Color(0, 0, 0, 0)
        style.backcolor = pysubs2.Color(0, 0, 0, 128)
    return subs


def stage_burn(
    track: SubtitleInput,
    preset: VenuePreset,
    fmt: OutputFormat,
    workdir: Path,
    fonts: Sequence[Font],
    start: float | None = None,
) -> tuple[Path, Path]:
    """Write the ASS and the fonts under plain names in ``workdir``: (ass, fontsdir)."""
    chosen = fonts_or_shipped(fonts)
    fontsdir = stage_fonts(workdir / FONTS_NAME, chosen)
    subs = burn_track(track, preset, fmt, burn_family(fonts), start)
    ass = workdir / BURN_NAME
    save_track(subs, ass, format="ass")
    return ass, fontsdir


def soft_name(n: int, track: SubtitleInput, container: str) -> str:
    """The staged file of soft track ``n``: SRT for MP4 (becomes mov_text), ASS kept in MKV."""
    keep_ass = container == "mkv" and track.path.suffix.lower() in (".ass", ".ssa")
    return f"soft{n}.{'ass' if keep_ass else 'srt'}"


def soft_track_options(
    tracks: Sequence[SubtitleInput], container: str, default: str | None
) -> list[str]:
    """Per-track codec, language (ISO 639-2), title (name + BCP-47 tag) and default flag.

    mov_text in MP4 (what players and browsers read); SRT or ASS kept as such in Matroska.
    The language field holds ISO 639-2 (what containers know); the title names the language
    and keeps the full BCP-47 tag (``Portuguese (pt-BR)``), which players show in their menu.
    """
    words: list[str] = []
    for n, track in enumerate(tracks):
        name = soft_name(n, track, container)
        codec = "mov_text" if container == "mp4" else ("ass" if name.endswith(".ass") else "srt")
        words += [f"-c:s:{n}", codec]
        words += [f"-metadata:s:s:{n}", f"language={iso639_2(track.lang)}"]
        words += [f"-metadata:s:s:{n}", f"title={language_name(track.lang)}"]
        words += [f"-disposition:s:{n}", "default" if track.lang == default else "0"]
    return words


def stage_soft(
    tracks: Sequence[SubtitleInput], container: str, workdir: Path, start: float | None = None
) -> list[Path]:
    """Each soft track re-written in UTF-8 under a plain name (ffmpeg reads subtitles as UTF-8)."""
    staged = []
    for n, track in enumerate(tracks):
        subs = load_cut(track, start)
        target = workdir / soft_name(n, track, container)
        save_track(subs, target)
        staged.append(target)
    return staged


def sidecar_encoding(preset: VenuePreset, lang: str) -> str:
    enc = preset.subtitles.sidecar_encoding
    return legacy_codepage(lang) if enc == "legacy" else enc


def sidecar_tracks(preset: VenuePreset, options: EncodeOptions) -> tuple[SubtitleInput, ...]:
    """The tracks written beside the film: every given one, when the preset writes sidecars."""
    if preset.subtitles.sidecar == "none":
        return ()
    unique: dict[str, SubtitleInput] = {}
    for track in (*([options.burn] if options.burn else []), *options.soft):
        unique.setdefault(track.lang, track)
    return tuple(unique.values())


def check_sidecars(tracks: Sequence[SubtitleInput], preset: VenuePreset) -> None:
    """Fail before the long encode when a sidecar cannot be written in its encoding."""
    for track in tracks:
        subs = load_track(track.path, lang=track.lang).subs
        encoding = sidecar_encoding(preset, track.lang)
        text = subs.to_string(preset.subtitles.sidecar)
        try:
            text.encode(encoding)
        except UnicodeEncodeError as exc:
            bad = text[exc.start : exc.end]
            raise SubtitleError(
                f"{track.path}: {encoding} (the {track.lang} sidecar's code page for "
                f"{preset.name}) cannot hold {bad!r}",
                path=track.path,
                value=bad,
                hint="replace the character in the track, or use a preset with UTF-8 sidecars",
            ) from exc


def sidecar_path(out: Path, lang: str, preset: VenuePreset) -> Path:
    return out.with_name(f"{out.stem}.{lang}.{preset.subtitles.sidecar}")


def write_sidecars(
    tracks: Sequence[SubtitleInput], preset: VenuePreset, out: Path
) -> tuple[Path, ...]:
    """``<out stem>.<lang>.srt|vtt`` beside ``out``, in the encoding the preset asks for.

    One file per language (the first track of a language wins). A character the legacy code
    page cannot hold is a `SubtitleError` naming it; nothing is written for that track.
    """
    if preset.subtitles.sidecar == "none":
        return ()
    written: dict[str, Path] = {}
    for track in tracks:
        if track.lang in written:
            continue
        subs = load_track(track.path, lang=track.lang).subs
        path = sidecar_path(out, track.lang, preset)
        written[track.lang] = save_track(
            subs,
            path,
            format=preset.subtitles.sidecar,
            encoding=sidecar_encoding(preset, track.lang),
        )
    return tuple(written.values())


def undrawable(track: SubtitleInput, fonts: Sequence[Font]) -> list[str]:
    """Characters of the burned track that none of the staged fonts can draw (libass would
    leave a gap or a box: better said before the screening than seen during it)."""
    subs = load_track(track.path, lang=track.lang).subs
    return missing_glyphs("\n".join(e.plaintext for e in subs.events), fonts_or_shipped(fonts))
