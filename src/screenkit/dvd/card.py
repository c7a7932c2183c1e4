"""The card's VOB: a still picture (the appeal card) as DVD MPEG-PS matching the film's VOB.

Same frame size, rate, aspect, GOP and AC-3 layout as the film (`screenkit.encode.mpeg2`),
with silent sound, so dvdauthor joins the two as cells of one title. The picture is fitted
on the display canvas (square pixels) and squeezed to the stored frame like the film.
"""

from __future__ import annotations

from pathlib import Path

import ffmpeg as ffm

from screenkit.encode.legacy import burn_format
from screenkit.encode.mpeg2 import dvd_options
from screenkit.encode.options import OutputFormat
from screenkit.media.binaries import FFmpeg, find_ffmpeg
from screenkit.media.runner import input_arg, output_arg, run_ffmpeg
from screenkit.presets.model import VenuePreset


def card_args(
    picture: Path, seconds: float, preset: VenuePreset, fmt: OutputFormat, out: Path
) -> list[str]:
    """ffmpeg words encoding ``picture`` for ``seconds`` as a DVD VOB. Pure."""
    canvas = burn_format(fmt, preset)
    rate = f"{fmt.frame_rate.numerator}/{fmt.frame_rate.denominator}"
    still = ffm.input(
        input_arg(picture), loop=1, framerate=rate, t=f"{seconds:.3f}", protocol_whitelist="file"
    )
    layout = "mono" if fmt.channels == 1 else "stereo"
    silence = ffm.input(f"anullsrc=r={fmt.sample_rate}:cl={layout}", f="lavfi", t=f"{seconds:.3f}")
    video = (
        still.video.filter(
            "scale", canvas.width, canvas.height, force_original_aspect_ratio="decrease"
        )
        .filter("pad", canvas.width, canvas.height, "(ow-iw)/2", "(oh-ih)/2")
        .filter("setsar", "1")
        .filter("format", pix_fmts=preset.video.pix_fmt)
        .filter("fps", fps=rate)
        .filter("scale", fmt.width, fmt.height)
        .filter("setdar", "16/9" if preset.video.aspect == "16:9" else "4/3")
    )
    opts = dvd_options(preset, fmt, preset.video.bitrate_kbps or 5000)
    node = ffm.output(video, silence["a"], output_arg(out), t=f"{seconds:.3f}", **opts)
    return list(ffm.get_args(node))


def encode_card_vob(
    picture: Path,
    seconds: float,
    preset: VenuePreset,
    fmt: OutputFormat,
    out: Path,
    *,
    ffmpeg: FFmpeg | None = None,
) -> Path:
    """Write the card VOB at ``out`` (the caller publishes it atomically)."""
    run_ffmpeg(
        card_args(picture, seconds, preset, fmt, out),
        ffmpeg=ffmpeg or find_ffmpeg(),
        duration=seconds,
        what="encoding the card for the DVD",
    )
    return out
