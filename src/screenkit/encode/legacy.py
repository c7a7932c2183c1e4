"""Encodes for old players: DVD-Video (MPEG-2 in MPEG-PS) and DivX (MPEG-4 Part 2 in AVI).

A separate plan from the H.264 one (`screenkit.encode.builder.plan_encode` hands over here
when the preset's codec is ``mpeg2video`` or ``mpeg4``), so the H.264 path stays as it is.
The codec and muxer words come from `screenkit.encode.mpeg2` and `screenkit.encode.divx`.

Frame rates are conformed, not just resampled: a DVD is 25 or 29.97 frames per second and
nothing else. A 24 or 23.976 film goes to PAL by the 4 % speed-up PAL broadcasters use
(every frame shown once, the sound sped up by ``atempo`` so the pitch stays, the film 4 %
shorter); to NTSC by repeating frames in the 3:2 cadence (``fps``), because ffmpeg's MPEG-2
encoder writes no soft-pulldown flags. 25 stays untouched; 50 is halved; anything else goes
through ``fps`` (dropping or repeating frames, as a player would).

Subtitles are burned on the picture *as it is displayed* (square pixels, 1024x576 for 16:9
PAL) before the picture is squeezed to the stored 720 pixels, and before the speed-up, so
a track's times need no retiming. The same canvas is what the DVD subpictures are drawn on.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import ffmpeg as ffm

from screenkit.encode import divx, mpeg2
from screenkit.encode.builder import EncodePlan, bitrate_budget, downmix_and_normalise
from screenkit.encode.colour import apply_colour, colour_output_options, colour_plan
from screenkit.encode.geometry import STANDARD_RATES, choose_rate, cut_duration, fit_size
from screenkit.encode.loudness import Loudness
from screenkit.encode.options import EncodeOptions, OutputFormat
from screenkit.encode.subs import BURN_NAME, FONTS_NAME, burn_family, force_style
from screenkit.languages import iso639_2
from screenkit.media.info import MediaInfo, VideoStream
from screenkit.media.runner import input_arg, output_arg
from screenkit.presets.model import VenuePreset

_FILM_RATES = (Fraction(24), Fraction(24000, 1001))


@dataclass(frozen=True)
class Conform:
    """How a source's frame rate becomes the preset's: the output rate and a speed factor."""

    rate: Fraction
    speed: Fraction = Fraction(1)
    """Playback speed against the source (25/24 for the PAL speed-up; 1: untouched)."""

    @property
    def note(self) -> str:
        if self.speed == 1:
            return f"{float(self.rate):g} frames per second"
        return (
            f"sped up {float(self.speed - 1):.1%} to {float(self.rate):g} frames per second "
            "(PAL speed-up, pitch kept)"
        )


def conform(video: VideoStream, preset: VenuePreset) -> Conform:
    """The rate an old player gets and whether the film is sped up to reach it."""
    fixed = preset.video.frame_rate
    if fixed is None:
        return Conform(choose_rate(video, preset.video.max_fps))
    source = choose_rate(video, Fraction(120))
    nearest = min(STANDARD_RATES, key=lambda r: abs(r - source))
    if fixed == 25 and nearest in _FILM_RATES:
        return Conform(fixed, fixed / nearest)
    return Conform(fixed)


def display_canvas(preset: VenuePreset) -> tuple[int, int] | None:
    """The square-pixel picture a fixed DVD frame is shown as (16:9 PAL: 1024x576)."""
    size = preset.video.fixed_size
    if size is None:
        return None
    height = size[1]
    aspect = Fraction(16, 9) if preset.video.aspect == "16:9" else Fraction(4, 3)
    width = round(height * aspect / 2) * 2
    return width, height


def legacy_format(info: MediaInfo, preset: VenuePreset, options: EncodeOptions) -> OutputFormat:
    """The picture and sound of an old-player encode (what its card must match)."""
    video = info.video
    assert video is not None
    rate = conform(video, preset)
    size = preset.video.fixed_size
    canvas = display_canvas(preset)
    if size is not None and canvas is not None:
        width, height = size
        sar = Fraction(canvas[0], canvas[1]) / Fraction(width, height)
    else:
        dw, dh = video.display_size
        width, height = fit_size(dw, dh, preset.video.max_width, preset.video.max_height)
        width, height = width - width % 4, height - height % 4  # DivX: multiples of 4
        sar = Fraction(1)
    return OutputFormat(
        width=width,
        height=height,
        frame_rate=rate.rate,
        pix_fmt=preset.video.pix_fmt,
        sample_rate=preset.audio.sample_rate,
        channels=preset.audio.channels or 2,
        copy_video=False,
        duration=cut_duration(info, options) / float(rate.speed),
        sar=sar,
        colour=colour_plan(info, preset, options.tone_mapping),
    )


def fill_size(shown: tuple[int, int], canvas: tuple[int, int]) -> tuple[int, int]:
    """The picture scaled (up or down) to fill ``canvas`` with its shape kept, even-sized: a
    DVD frame is fixed, so a small source grows to it rather than sitting in a black box."""
    scale = min(canvas[0] / shown[0], canvas[1] / shown[1])
    width = min(canvas[0], 2 * round(shown[0] * scale / 2))
    height = min(canvas[1], 2 * round(shown[1] * scale / 2))
    if canvas[0] - width <= canvas[0] // 100 and canvas[1] - height <= canvas[1] // 100:
        return canvas  # within 1 %: stretch the last pixels rather than draw a hairline bar
    return max(2, width), max(2, height)


def burn_format(fmt: OutputFormat, preset: VenuePreset) -> OutputFormat:
    """The square-pixel canvas the burned text is laid out on."""
    canvas = display_canvas(preset)
    if canvas is None:
        return fmt
    return OutputFormat(
        width=canvas[0],
        height=canvas[1],
        frame_rate=fmt.frame_rate,
        pix_fmt=fmt.pix_fmt,
        sample_rate=fmt.sample_rate,
        channels=fmt.channels,
        copy_video=False,
        duration=fmt.duration,
    )


def _rate(rate: Fraction) -> str:
    return f"{rate.numerator}/{rate.denominator}"


def video_chain(
    stream: Any,
    info: MediaInfo,
    preset: VenuePreset,
    options: EncodeOptions,
    workdir: Path,
) -> Any:
    """Deinterlace, fit on the display canvas (letterbox / pillarbox), burn, conform, squeeze."""
    video = info.video
    assert video is not None
    fmt = legacy_format(info, preset, options)
    canvas = burn_format(fmt, preset)
    rate = conform(video, preset)
    if video.interlaced:
        stream = stream.filter("bwdif", mode="send_frame", parity="auto", deint="all")
    width, height = fill_size(video.display_size, (canvas.width, canvas.height))
    stream = stream.filter("scale", width, height).filter("setsar", "1")
    if (width, height) != (canvas.width, canvas.height):
        stream = stream.filter("pad", canvas.width, canvas.height, "(ow-iw)/2", "(oh-ih)/2")
    assert fmt.colour is not None
    stream = apply_colour(stream, fmt.colour)  # an HDR master tone-mapped, as 8-bit 4:2:0
    if options.burn is not None and preset.subtitles.burn:
        stream = stream.filter(
            "subtitles",
            filename=str(workdir / BURN_NAME),
            fontsdir=str(workdir / FONTS_NAME),
            force_style=force_style(preset, canvas, burn_family(options.fonts)),
        )
    if rate.speed != 1:
        stream = stream.filter("setpts", f"PTS*{rate.speed.denominator}/{rate.speed.numerator}")
    stream = stream.filter("fps", fps=_rate(rate.rate))
    if (fmt.width, fmt.height) != (canvas.width, canvas.height):
        stream = stream.filter("scale", fmt.width, fmt.height)
    if preset.video.aspect is not None:
        stream = stream.filter("setdar", "16/9" if preset.video.aspect == "16:9" else "4/3")
    else:
        stream = stream.filter("setsar", "1")
    return stream


def audio_chain(
    stream: Any, info: MediaInfo, preset: VenuePreset, loudness: Loudness | None
) -> Any:
    """Downmix, normalise (the measured gain), speed up with the picture, resample."""
    stream = downmix_and_normalise(stream, preset, loudness)
    assert info.video is not None
    speed = conform(info.video, preset).speed
    if speed != 1:
        stream = stream.filter("atempo", f"{float(speed):.6f}")
    return stream.filter("aresample", str(preset.audio.sample_rate))


def codec_words(preset: VenuePreset, fmt: OutputFormat, bitrate_kbps: int) -> dict[str, str]:
    """The video, audio and container options of the preset's old-player format."""
    if preset.video.codec == "mpeg2video":
        return mpeg2.dvd_options(preset, fmt, bitrate_kbps)
    return divx.divx_options(preset, fmt, bitrate_kbps)


def video_bitrate(preset: VenuePreset, budget_kbps: int | None) -> int:
    """The average: the preset's, lowered to a size limit's budget where one applies."""
    rate = preset.video.bitrate_kbps or 2000
    return min(rate, budget_kbps) if budget_kbps is not None else rate


def output_options(
    info: MediaInfo,
    preset: VenuePreset,
    options: EncodeOptions,
    budget_kbps: int | None,
) -> dict[str, str]:
    fmt = legacy_format(info, preset, options)
    opts = codec_words(preset, fmt, video_bitrate(preset, budget_kbps))
    if fmt.colour is not None:
        opts.update(colour_output_options(fmt.colour))
    opts["disposition:a:0"] = "default"
    if options.audio_lang:
        opts["metadata:s:a:0"] = f"language={iso639_2(options.audio_lang)}"
    opts["map_metadata"] = "-1"
    opts["map_chapters"] = "-1"
    opts["max_muxing_queue_size"] = "4096"
    return opts


def legacy_command(
    info: MediaInfo,
    preset: VenuePreset,
    out: Path,
    options: EncodeOptions,
    *,
    loudness: Loudness | None,
    workdir: Path,
    budget_kbps: int | None,
) -> tuple[str, ...]:
    """The one ffmpeg command of an old-player encode. Pure."""
    assert info.video is not None
    kwargs: dict[str, str] = {"protocol_whitelist": "file,pipe"}
    if options.start is not None:
        kwargs["ss"] = f"{options.start:.3f}"
    if options.duration is not None:
        kwargs["t"] = f"{options.duration:.3f}"
    main = ffm.input(input_arg(info.path), **kwargs)
    streams = [video_chain(main[str(info.video.index)], info, preset, options, workdir)]
    fmt = legacy_format(info, preset, options)
    if info.audio:
        streams.append(audio_chain(main[str(info.audio[0].index)], info, preset, loudness))
    else:
        layout = "mono" if fmt.channels == 1 else "stereo"
        silence = ffm.input(
            f"anullsrc=r={fmt.sample_rate}:cl={layout}", f="lavfi", t=f"{fmt.duration:.3f}"
        )
        streams.append(silence["a"])
    node = ffm.output(
        *streams, output_arg(out), **output_options(info, preset, options, budget_kbps)
    )
    return tuple(ffm.get_args(node))


def plan_legacy_encode(
    info: MediaInfo,
    preset: VenuePreset,
    out: Path,
    options: EncodeOptions,
    *,
    loudness: Loudness | None,
    workdir: Path,
) -> EncodePlan:
    """`plan_encode` for the DVD and DivX presets: one single-pass command. Pure."""
    assert info.video is not None
    fmt = legacy_format(info, preset, options)
    budget = bitrate_budget(preset, fmt)
    rate = conform(info.video, preset)
    notes = [f"{preset.video.codec} for an old player: {rate.note}"]
    if fmt.colour is not None and (colour_note := fmt.colour.note()) is not None:
        notes.append(colour_note)
    if budget is not None and budget < video_bitrate(preset, None):
        notes.append(f"the average lowered to {budget} kbit/s to stay under the file-size limit")
    command = legacy_command(
        info, preset, out, options, loudness=loudness, workdir=workdir, budget_kbps=budget
    )
    burn = options.burn if preset.subtitles.burn else None
    return EncodePlan(
        commands=(command,),
        steps=("encode",),
        format=fmt,
        two_pass=False,
        video_bitrate_kbps=video_bitrate(preset, budget),
        burn=burn,
        soft=(),
        workdir=workdir,
        notes=tuple(notes),
        out=out,
        burn_format=burn_format(fmt, preset),
    )
