"""A look at the card before a build: ``screenkit slide OUT.png|OUT.mp4``."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from screenkit.kit import load_kit
from screenkit.media.binaries import FFmpeg
from screenkit.progress import ProgressCallback
from screenkit.slides.errors import CardError
from screenkit.slides.render import render_card, render_card_png
from screenkit.slides.spec import CardKind, card_spec_from_kit
from screenkit.slides.target import CardTarget

DEFAULT_PRESET = "usb-player"
PREVIEW_FPS = Fraction(25)
SUFFIXES = (".png", ".mp4", ".mkv")


def preview_target(preset_name: str, kit_dir: Path, container: str = "mp4") -> CardTarget:
    """The frame a preset gives (its largest size, its safe area) for a look-only card."""
    from screenkit.presets import load_preset

    preset = load_preset(preset_name, kit_dir)
    return CardTarget.plain(
        preset.video.max_width,
        preset.video.max_height,
        min(PREVIEW_FPS, Fraction(preset.video.max_fps)),
        safe_area=preset.safe_area,
        container="mkv" if container == "mkv" else "mp4",
    )


def preview_card(
    out: Path,
    *,
    kit_dir: Path,
    lang: str,
    preset: str | None = None,
    venue: str | None = None,
    date: str | None = None,
    contact: str | None = None,
    outro: bool = False,
    progress: ProgressCallback | None = None,
    ffmpeg: FFmpeg | None = None,
) -> Path:
    """Render the kit's card for ``lang`` alone: a PNG (the middle frame) or the whole card."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in SUFFIXES:
        raise CardError(
            f"{out}: the card is written as .png (one frame) or .mp4/.mkv (the whole card)",
            path=out,
        )
    kit = load_kit(kit_dir)
    kind: CardKind = "outro" if outro else "intro"
    spec = card_spec_from_kit(kit, lang, venue=venue, date=date, contact=contact, kind=kind)
    target = preview_target(preset or DEFAULT_PRESET, kit.root, suffix.lstrip("."))
    if suffix == ".png":
        return render_card_png(spec, target, out, ffmpeg=ffmpeg)
    return render_card(spec, target, out, progress=progress, ffmpeg=ffmpeg)
