"""Rendering the card with libass: pure argv builders, then one ffmpeg run.

The picture is a colour source, the ASS script burned by the ``ass`` filter (fonts from a
staged ``fontsdir``, so an empty fontconfig still draws text), the QR code overlaid as a PNG
at whole pixels per module, and a fade in and out. The audio is silence in the film's
layout. Script, QR image and fonts are written to a private temporary folder under fixed
names: no user path or text ever reaches a filter string.

Durations are chosen so the card joins cleanly: with AAC the card's audio is a whole
number of 1024-sample frames (ffmpeg's encoder adds one priming frame before zero), and
where the frame rate allows, the video ends exactly where the audio does.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import ffmpeg as ffmpeg_graph

from screenkit.fonts import stage_fonts
from screenkit.media.atomic import atomic_output
from screenkit.media.binaries import FFmpeg
from screenkit.media.colour import MATRICES, PRIMARIES, RANGES, TRANSFERS, tag_name
from screenkit.media.runner import input_arg, output_arg, run_ffmpeg
from screenkit.progress import ProgressCallback
from screenkit.slides.errors import CardError
from screenkit.slides.layout import CardLayout, layout_card, qr_code
from screenkit.slides.script import card_script
from screenkit.slides.spec import CardSpec
from screenkit.slides.target import CardTarget, VideoParams
from screenkit.tempdirs import scratch_dir

BACKGROUND = "0x15171c"
_LAYOUT_NAME = re.compile(r"^[A-Za-z0-9.()+_-]+$")
SEARCH_SECONDS = 2


@dataclass(frozen=True)
class CardTiming:
    """``frames`` of video; ``slot`` seconds until the next part; ``samples`` of silence."""

    frames: int
    slot: Fraction
    samples: int | None


def card_timing(seconds: float, target: CardTarget) -> CardTiming:
    """Whole video frames and whole audio frames close to ``seconds`` (never shorter)."""
    fps = target.frame_rate
    audio = target.audio[0] if target.audio else None
    if audio is not None and audio.frame_size:
        size, rate = audio.frame_size, audio.sample_rate
        first = math.ceil(Fraction(seconds) * rate / size)
        chosen = first
        for blocks in range(first, first + math.ceil(rate / size) * SEARCH_SECONDS):
            if (Fraction(blocks * size, rate) * fps).denominator == 1:
                chosen = blocks
                break
        slot = Fraction(chosen * size, rate)
        return CardTiming(math.floor(slot * fps), slot, chosen * size - audio.priming)
    frames = max(1, round(Fraction(seconds) * fps))
    slot = frames / fps
    samples = round(slot * audio.sample_rate) if audio is not None else None
    return CardTiming(frames, slot, samples)


@dataclass(frozen=True)
class StagedCard:
    """The card's inputs in a private folder under fixed, safe names."""

    script: Path
    qr: Path
    fontsdir: Path


def staged_names(folder: Path) -> StagedCard:
    """Where `stage_card` puts the card's inputs in ``folder`` (a command can name them
    before they are written)."""
    return StagedCard(script=folder / "card.ass", qr=folder / "qr.png", fontsdir=folder / "fonts")


def stage_card(layout: CardLayout, spec: CardSpec, seconds: float, folder: Path) -> StagedCard:
    folder.mkdir(parents=True, exist_ok=True)
    names = staged_names(folder)
    card_script(layout, seconds).save(str(names.script), encoding="utf-8", format_="ass")
    qr_code(spec.link).save(
        str(names.qr), kind="png", scale=layout.qr.module, border=4, dark="#000000", light="#ffffff"
    )
    return StagedCard(names.script, names.qr, stage_fonts(names.fontsdir, layout.fonts))


def _rate(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"


def card_picture(
    layout: CardLayout,
    staged: StagedCard,
    target: CardTarget,
    *,
    fade: float,
    frames: int,
    still_frame: int | None,
) -> Any:
    """PURE: the card's picture as an ffmpeg-python node (colour, text, QR, fades), in
    ``target``'s size and pixel format; ``still_frame`` picks one frame. Encoders for other
    codecs than H.264 (the old players' cards) chain onto it."""
    size = f"{target.width}x{target.height}"
    video = ffmpeg_graph.input(
        f"color=c={BACKGROUND}:s={size}:r={_rate(target.frame_rate)}", f="lavfi"
    )
    # trim, not -frames:v: a frame limit on the output would cut the audio's last frames
    if still_frame is not None:
        video = video.trim(start_frame=still_frame, end_frame=still_frame + 1)
    else:
        video = video.trim(end_frame=frames)
    video = video.filter(
        "ass", str(staged.script), fontsdir=str(staged.fontsdir), shaping="complex"
    )
    qr = ffmpeg_graph.input(input_arg(staged.qr))
    video = ffmpeg_graph.overlay(video, qr, x=layout.qr.x, y=layout.qr.y)
    if still_frame is None and fade > 0:
        end = float(frames / target.frame_rate)
        video = video.filter("fade", type="in", start_time=0, duration=fade)
        video = video.filter("fade", type="out", start_time=round(end - fade, 6), duration=fade)
    video = video.filter("setsar", _rate(target.sar))
    return film_colour(video, target.video)


_SWS_MATRICES = {"bt2020nc": "bt2020", "bt2020c": "bt2020", "bt470bg": "bt470"}


def film_colour(video: Any, params: VideoParams) -> Any:
    """The card's RGB picture as the film's YUV: its pixel format, made with the film's
    matrix and range (a BT.709 film's card by BT.709's matrix, not swscale's BT.601 default)
    and its frames tagged like the film's, so that x264 writes the same colour VUI into the
    card's SPS (ffmpeg 9 takes the VUI from the frames, not from ``-color_trc``) and the
    card joins the film by stream copy with the film's headers."""
    color_range, primaries, trc, space = params.color
    matrix = tag_name(MATRICES, space)
    if matrix is not None and matrix != "gbr":
        sws_range = {1: "tv", 2: "pc"}.get(color_range, "tv")
        video = video.filter(
            "scale", out_color_matrix=_SWS_MATRICES.get(matrix, matrix), out_range=sws_range
        )
    video = video.filter("format", params.pix_fmt)
    tags = {
        key: value
        for key, value in (
            ("color_primaries", tag_name(PRIMARIES, primaries)),
            ("color_trc", tag_name(TRANSFERS, trc)),
            ("colorspace", matrix),
            ("range", tag_name(RANGES, color_range)),
        )
        if value is not None
    }
    return video.filter("setparams", **tags) if tags else video


def _video_codec_args(target: CardTarget) -> dict[str, Any]:
    params = target.video
    if params.codec != "h264":
        raise CardError(f"cards are encoded as H.264, not {params.codec}", value=params.codec)
    args: dict[str, Any] = {
        "c:v": "libx264",
        "preset": params.x264_preset,
        "pix_fmt": params.pix_fmt,
    }
    if params.profile:
        args["profile:v"] = params.profile
    if params.level:
        args["level:v"] = f"{params.level // 10}.{params.level % 10}"
    if params.x264:
        args["x264-params"] = ":".join(f"{k}={v}" for k, v in params.x264)
    color_range, primaries, trc, space = params.color
    if color_range:
        args["color_range"] = color_range
    for key, value in (("color_primaries", primaries), ("color_trc", trc), ("colorspace", space)):
        if value != 2:
            args[key] = value
    if target.container == "mp4":
        args["movflags"] = "+faststart"
        if params.timescale:
            args["video_track_timescale"] = params.timescale
    return args


def card_args(
    layout: CardLayout,
    staged: StagedCard,
    target: CardTarget,
    timing: CardTiming,
    out: Path,
    *,
    fade: float,
) -> list[str]:
    """PURE: ffmpeg arguments rendering the whole card (video + silent audio) into ``out``."""
    video = card_picture(layout, staged, target, fade=fade, frames=timing.frames, still_frame=None)
    streams = [video]
    args = _video_codec_args(target)
    for n, audio in enumerate(target.audio):
        layout_name = audio.layout if audio.layout and _LAYOUT_NAME.match(audio.layout) else None
        channels = layout_name or f"{audio.channels}c"
        silence = ffmpeg_graph.input(
            f"anullsrc=r={audio.sample_rate}:cl={channels}", f="lavfi"
        ).filter("atrim", end_sample=timing.samples)
        streams.append(silence)
        args[f"c:a:{n}"] = "aac" if audio.codec == "aac" else audio.codec
        if audio.bit_rate and audio.codec == "aac":
            args[f"b:a:{n}"] = audio.bit_rate
        if audio.language:
            args[f"metadata:s:a:{n}"] = f"language={audio.language}"
    graph = ffmpeg_graph.output(*streams, output_arg(out), **args)
    return list(ffmpeg_graph.get_args(graph))


def still_args(
    layout: CardLayout, staged: StagedCard, target: CardTarget, timing: CardTiming, out: Path
) -> list[str]:
    """PURE: ffmpeg arguments writing the card's middle frame as a PNG to ``out``."""
    video = card_picture(
        layout, staged, target, fade=0, frames=timing.frames, still_frame=timing.frames // 2
    )
    graph = ffmpeg_graph.output(video, output_arg(out), **{"frames:v": 1, "update": 1})
    return list(ffmpeg_graph.get_args(graph))


def render_card(
    spec: CardSpec,
    target: CardTarget,
    out: Path,
    *,
    progress: ProgressCallback | None = None,
    ffmpeg: FFmpeg | None = None,
) -> Path:
    """Render the whole card (video + silent audio) to ``out``, encoded as ``target`` says."""
    return _render(
        spec,
        target,
        out,
        lambda layout, staged, timing, part: card_args(
            layout, staged, target, timing, part, fade=spec.fade
        ),
        ffmpeg=ffmpeg,
        progress=progress,
        what=f"rendering the {spec.kind} card",
    )


def render_card_png(
    spec: CardSpec, target: CardTarget, out: Path, *, ffmpeg: FFmpeg | None = None
) -> Path:
    """One frame from the middle of the card, as a PNG."""
    return _render(
        spec,
        target,
        out,
        lambda layout, staged, timing, part: still_args(layout, staged, target, timing, part),
        ffmpeg=ffmpeg,
        what=f"rendering the {spec.kind} card as a picture",
    )


_CardArgs = Callable[[CardLayout, StagedCard, CardTiming, Path], list[str]]


def _render(
    spec: CardSpec,
    target: CardTarget,
    out: Path,
    args: _CardArgs,
    *,
    ffmpeg: FFmpeg | None,
    what: str,
    progress: ProgressCallback | None = None,
) -> Path:
    """Lay out and stage the card, then run ``args(...)`` into ``out`` by atomic rename."""
    out = Path(out)
    layout = layout_card(spec, target)
    timing = card_timing(spec.seconds, target)
    with scratch_dir("card-") as tmp:
        staged = stage_card(layout, spec, float(timing.slot), Path(tmp))
        with atomic_output(out) as part:
            run_ffmpeg(
                args(layout, staged, timing, part),
                ffmpeg=ffmpeg,
                duration=float(timing.slot),
                progress=progress,
                step=f"{spec.kind} card",
                what=what,
            )
    return out
