"""Pure builders: (MediaInfo, preset, options) → ffmpeg-python graphs → argv.

Nothing here runs a process or writes a file, so every decision is unit-testable: the
filter chain (deinterlace, constant frame rate, scale with SAR and rotation applied, 4:2:0,
burn-in), the audio chain (downmix, loudness, resampling, or a silent track), the codec
options (profile, level, peak rate, or a two-pass bitrate budget under a size limit), the
soft tracks with their languages and default flag, and the container options.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ffmpeg as ffm

from screenkit.encode.colour import (
    apply_colour,
    colour_output_options,
    x264_hdr_params,
)
from screenkit.encode.geometry import copy_blockers, output_format
from screenkit.encode.loudness import Loudness, apply_options, downmix_filters, linear_gain
from screenkit.encode.options import EncodeOptions, OutputFormat, SubtitleInput
from screenkit.encode.peakrate import BUFFER_SECONDS
from screenkit.encode.subs import (
    BURN_NAME,
    FONTS_NAME,
    burn_family,
    force_style,
    soft_name,
    soft_track_options,
)
from screenkit.errors import ScreenkitError
from screenkit.languages import iso639_2
from screenkit.media.binaries import FFmpeg
from screenkit.media.info import MediaInfo
from screenkit.media.runner import full_argv, input_arg, output_arg
from screenkit.presets.model import AUTO_SPEED, VenuePreset

MUX_OVERHEAD = 0.01
"""Share of a size limit kept for container overhead (MP4/MKV index, headers)."""
MIN_VIDEO_KBPS = 150
PASSLOG_NAME = "x264-pass"


class SizeLimitError(ScreenkitError):
    """The film cannot fit the preset's file-size limit at any watchable bitrate."""


@dataclass(frozen=True)
class EncodePlan:
    """The ffmpeg commands of one encode and what they will make."""

    commands: tuple[tuple[str, ...], ...]
    """Arguments after the global options, as `run_ffmpeg` takes them, in order."""
    steps: tuple[str, ...]
    """A progress label per command."""
    format: OutputFormat
    two_pass: bool
    video_bitrate_kbps: int | None
    """The two-pass budget; None when the preset's CRF and peak rate decide."""
    burn: SubtitleInput | None
    soft: tuple[SubtitleInput, ...]
    """Tracks muxed into the container (staged by the caller under `soft_name`)."""
    workdir: Path
    notes: tuple[str, ...]
    out: Path
    """The file the last command writes."""
    burn_format: OutputFormat | None = None
    """The canvas the burned track is laid out on, when not `format` (a DVD's square pixels)."""

    @property
    def copy_video(self) -> bool:
        return self.format.copy_video

    def argv(self, ffmpeg: FFmpeg, loglevel: str = "warning") -> list[list[str]]:
        """The full commands, binary included, as a user would type them."""
        return [full_argv(cmd, ffmpeg, loglevel=loglevel, progress=False) for cmd in self.commands]

    def shell(self, ffmpeg: FFmpeg) -> list[str]:
        return [shlex.join(argv) for argv in self.argv(ffmpeg)]


def _rate_text(fmt: OutputFormat) -> str:
    rate = fmt.frame_rate
    return f"{rate.numerator}/{rate.denominator}"


def audio_bitrate_bps(preset: VenuePreset, fmt: OutputFormat) -> int:
    audio = preset.audio
    if audio.is_pcm:
        depth = 3 if audio.codec == "pcm_s24le" else 2
        return fmt.sample_rate * fmt.channels * depth * 8
    return (audio.bitrate_kbps or 128) * 1000


def bitrate_budget(preset: VenuePreset, fmt: OutputFormat) -> int | None:
    """The video bitrate (kbit/s) a two-pass encode must hit to stay under the size limit.

    None when the preset's peak rate already guarantees the limit (single-pass CRF).
    """
    limit = preset.file_size_limit
    if limit is None or fmt.duration <= 0:
        return None
    usable = limit * (1 - MUX_OVERHEAD) - 64 * 1024
    audio_bytes = audio_bitrate_bps(preset, fmt) / 8 * fmt.duration
    peak = preset.video.max_bitrate_kbps
    if peak is not None:
        worst = peak * 1000 / 8 * (fmt.duration + 2)  # + the VBV buffer (2 s at peak)
        if worst + audio_bytes <= usable:
            return None
    budget = int((usable - audio_bytes) * 8 / fmt.duration / 1000)
    if budget < MIN_VIDEO_KBPS:
        raise SizeLimitError(
            f"{fmt.duration / 60:.0f} minutes cannot fit below {limit:,} bytes "
            f"({preset.name}'s limit) at a watchable bitrate",
            key="file_size_limit",
            value=limit,
            hint="cut the film in parts, or use a preset without a size limit",
        )
    return min(budget, peak) if peak is not None else budget


def x264_speed(preset: VenuePreset, options: EncodeOptions) -> str:
    """The x264 preset of an encode: the one asked for, else the preset's; ``auto`` not
    resolved by a measurement (`screenkit.encode.speedpick`) is ``medium``, its reference."""
    speed = options.x264_preset or preset.video.speed
    return "medium" if speed == AUTO_SPEED else speed


def video_codec_options(
    preset: VenuePreset,
    fmt: OutputFormat,
    options: EncodeOptions,
    *,
    bitrate_kbps: int | None = None,
    pass_number: int | None = None,
    passlog: Path | None = None,
) -> dict[str, str]:
    """x264 options meeting the preset: profile, level, peak rate, CRF or a bitrate, and the
    colour tags (VUI and container) of ``fmt``'s colour plan; a kept HDR master is High 10."""
    spec = preset.video
    ten_bit = fmt.colour is not None and fmt.colour.output.bit_depth == 10
    opts = {
        "c:v": "libx264",
        "preset:v": x264_speed(preset, options),
        "profile:v": "high10" if ten_bit else spec.profile,
        "level:v": spec.level,
        "pix_fmt": fmt.pix_fmt,
    }
    if fmt.colour is not None:
        opts.update(colour_output_options(fmt.colour))
        if (hdr_params := x264_hdr_params(fmt.colour)) is not None:
            opts["x264-params"] = hdr_params
    if bitrate_kbps is not None:
        opts["b:v"] = f"{bitrate_kbps}k"
    else:
        opts["crf"] = str(spec.crf)
    if spec.max_bitrate_kbps is not None:
        opts["maxrate:v"] = f"{spec.max_bitrate_kbps}k"
        opts["bufsize:v"] = f"{spec.max_bitrate_kbps * BUFFER_SECONDS}k"
    if pass_number is not None and passlog is not None:
        opts["pass"] = str(pass_number)
        opts["passlogfile"] = str(passlog)
    return opts


def video_codec_args(
    preset: VenuePreset,
    fmt: OutputFormat,
    options: EncodeOptions | None = None,
    *,
    bitrate_kbps: int | None = None,
) -> list[str]:
    """`video_codec_options` as argv words (for a card encoded to match the film)."""
    opts = video_codec_options(preset, fmt, options or EncodeOptions(), bitrate_kbps=bitrate_kbps)
    return [word for key, value in opts.items() for word in (f"-{key}", value)]


SEEK_LEAD = 0.5
"""Seconds of the master a cut (a chunk, a sample) reads before its start.

The frame the whole film shows at a time can lie before it: a master whose picture starts
more than half a frame after its sound (21 ms in many phone files) has its frames rounded
onto the next slot of the output's frame grid. A cut that read from its start lost that
frame and repeated the next one (a stutter at every chunk boundary). Read from a little
earlier, then put back on the cut's own timeline, the frame rate filter picks for each
slot the frame the whole film's picks (`_video_chain`), and the sound drops what lies
before the start (`_cut_audio`)."""


def _lead(options: EncodeOptions) -> float:
    """How much earlier than its start a cut reads the master (0: it is no cut)."""
    return min(options.start, SEEK_LEAD) if options.start else 0.0


def _main_input(info: MediaInfo, options: EncodeOptions) -> Any:
    kwargs: dict[str, str] = {"protocol_whitelist": "file,pipe"}
    lead = _lead(options)
    if options.start is not None:
        kwargs["ss"] = f"{options.start - lead:.3f}"
    if options.duration is not None:
        kwargs["t"] = f"{options.duration + lead:.3f}"
    return ffm.input(input_arg(info.path), **kwargs)


def _cut_audio(stream: Any, options: EncodeOptions) -> Any:
    """A cut's sound from its start (`SEEK_LEAD`); the whole film's as it is."""
    lead = _lead(options)
    if not lead:
        return stream
    return stream.filter("asetpts", f"PTS-{lead:.3f}/TB").filter("atrim", start=0)


def _video_chain(
    stream: Any,
    info: MediaInfo,
    fmt: OutputFormat,
    preset: VenuePreset,
    options: EncodeOptions,
    workdir: Path,
) -> Any:
    video = info.video
    assert video is not None
    # rotation metadata is applied by ffmpeg's autorotate before this chain, in 5.1 and 9.0
    lead = _lead(options)
    if lead:  # a cut: back on its own timeline, its first slot filled as the whole film's
        stream = stream.filter("setpts", f"PTS-{lead:.3f}/TB")
    if video.interlaced:
        stream = stream.filter("bwdif", mode="send_frame", parity="auto", deint="all")
    stream = stream.filter("fps", fps=_rate_text(fmt), **({"start_time": 0} if lead else {}))
    if fmt.enlarged_from is not None:  # a small master grows: lanczos keeps edges and text sharp
        stream = stream.filter("scale", fmt.width, fmt.height, flags="lanczos")
    else:
        stream = stream.filter("scale", fmt.width, fmt.height)
    stream = stream.filter("setsar", "1")
    if fmt.colour is not None:  # HDR tone-mapped to SDR (or kept), as 4:2:0 of its depth
        stream = apply_colour(stream, fmt.colour)
    else:
        stream = stream.filter("format", pix_fmts=fmt.pix_fmt)
    if options.burn is not None and preset.subtitles.burn:
        stream = stream.filter(
            "subtitles",
            filename=str(workdir / BURN_NAME),
            fontsdir=str(workdir / FONTS_NAME),
            force_style=force_style(preset, fmt, burn_family(options.fonts)),
        )
    return stream


def reference_video(
    info: MediaInfo,
    preset: VenuePreset,
    options: EncodeOptions,
    fmt: OutputFormat,
    workdir: Path,
) -> Any:
    """The master's picture exactly as the encoder is fed it (rate, scaling, 4:2:0, burn-in).

    What an encode's picture quality is measured against: only the compression differs.
    """
    assert info.video is not None
    return _video_chain(
        _main_input(info, options)[str(info.video.index)], info, fmt, preset, options, workdir
    )


def downmix_and_normalise(stream: Any, preset: VenuePreset, loudness: Loudness | None) -> Any:
    """The preset's channel layout, then the measured loudness gain (every audio chain's head)."""
    for name, opts in downmix_filters(preset.audio.channels):
        stream = stream.filter(name, **opts)
    spec = preset.audio.loudness
    if spec is not None and loudness is not None and not loudness.silent:
        gain = linear_gain(spec, loudness)
        if gain is not None:
            stream = stream.filter("volume", volume=f"{gain:.2f}dB")
        else:  # the peak would clip: loudnorm's measured second pass, with its limiter
            stream = stream.filter("loudnorm", **apply_options(spec, loudness))
    return stream


def _audio_chain(
    stream: Any, preset: VenuePreset, fmt: OutputFormat, loudness: Loudness | None
) -> Any:
    stream = downmix_and_normalise(stream, preset, loudness)
    return stream.filter("aresample", str(fmt.sample_rate))


def _silence(fmt: OutputFormat) -> Any:
    layout = {1: "mono", 2: "stereo", 6: "5.1"}.get(fmt.channels, "stereo")
    return ffm.input(
        f"anullsrc=r={fmt.sample_rate}:cl={layout}", f="lavfi", t=f"{fmt.duration:.3f}"
    )


def _audio_options(preset: VenuePreset, fmt: OutputFormat) -> dict[str, str]:
    opts = {"c:a": preset.audio.codec, "ar": str(fmt.sample_rate), "ac": str(fmt.channels)}
    if not preset.audio.is_pcm:
        opts["b:a"] = f"{preset.audio.bitrate_kbps or 128}k"
        # ffmpeg's maintainers: at 128 kbit/s and up "fast" sounds better than the default
        # twoloop coder, and it is three times faster (it decides the copy path's speed)
        opts["aac_coder"] = "fast"
    return opts


def _with_extra(args: list[str], extra: Sequence[str]) -> list[str]:
    """Options ffmpeg-python cannot repeat (per-stream metadata) go before the output name."""
    return [*args[:-1], *extra, args[-1]]


def _soft_tracks(preset: VenuePreset, options: EncodeOptions) -> tuple[SubtitleInput, ...]:
    if not preset.subtitles.soft:
        return ()
    tracks = list(options.soft)
    if options.burn is not None and not preset.subtitles.burn:
        tracks.insert(0, options.burn)  # nothing is burned here: carry it instead
    unique: dict[str, SubtitleInput] = {}
    for track in tracks:
        unique.setdefault(track.lang, track)
    return tuple(unique.values())


def plan_file_encode(
    info: MediaInfo,
    preset: VenuePreset,
    out: Path,
    options: EncodeOptions | None = None,
    *,
    loudness: Loudness | None = None,
    workdir: Path,
    ffmpeg_version: tuple[int, int] = (6, 0),
) -> EncodePlan:
    """`screenkit.encode.plan_encode` for the file family (H.264 in MP4 or Matroska). Pure."""
    options = options or EncodeOptions()
    if info.video is None:
        raise ValueError("an encode needs a source with video")
    fmt = output_format(info, preset, options)
    notes: list[str] = []
    if fmt.copy_video:
        notes.append("the source's video already meets the preset: copied untouched")
    else:
        blockers = copy_blockers(info, preset, options)
        notes.append("video re-encoded: " + "; ".join(blockers[:3]))
    if fmt.colour is not None and (colour_note := fmt.colour.note()) is not None:
        notes.append(colour_note)
    if fmt.size_note is not None:
        notes.append(
            f"picture {fmt.size_note} to reach {preset.name}'s minimum frame "
            f"({preset.video.min_width or '-'}x{preset.video.min_height or '-'})"
        )
    budget = None if fmt.copy_video else bitrate_budget(preset, fmt)
    two_pass = budget is not None
    if two_pass:
        notes.append(f"two-pass at {budget} kbit/s to stay under the file-size limit")
    soft = _soft_tracks(preset, options)
    passlog = workdir / PASSLOG_NAME
    commands: list[tuple[str, ...]] = []
    steps: list[str] = []

    if two_pass:
        first = _main_input(info, options)
        v1 = _video_chain(first[str(info.video.index)], info, fmt, preset, options, workdir)
        vopts = video_codec_options(
            preset, fmt, options, bitrate_kbps=budget, pass_number=1, passlog=passlog
        )
        pass1 = ffm.output(v1, "-", format="null", an=None, sn=None, **vopts)
        commands.append(tuple(ffm.get_args(pass1)))
        steps.append("encode (pass 1)")

    main = _main_input(info, options)
    streams: list[Any] = []
    out_opts: dict[str, str] = {}
    if fmt.copy_video:
        streams.append(main[str(info.video.index)])
        out_opts["c:v"] = "copy"
    else:
        streams.append(
            _video_chain(main[str(info.video.index)], info, fmt, preset, options, workdir)
        )
        out_opts.update(
            video_codec_options(
                preset,
                fmt,
                options,
                bitrate_kbps=budget,
                pass_number=2 if two_pass else None,
                passlog=passlog if two_pass else None,
            )
        )
        out_opts["fps_mode:v" if ffmpeg_version >= (5, 1) else "vsync"] = "cfr"
    if info.audio:
        sound = _cut_audio(main[str(info.audio[0].index)], options)
        streams.append(_audio_chain(sound, preset, fmt, loudness))
    else:
        streams.append(_silence(fmt)["a"])
        notes.append("the source has no sound: a silent track is added")
    out_opts.update(_audio_options(preset, fmt))
    for n, track in enumerate(soft):  # staged already shifted to a cut's start
        staged = workdir / soft_name(n, track, preset.container)
        streams.append(ffm.input(input_arg(staged))["s"])
    out_opts["disposition:a:0"] = "default"
    if options.audio_lang:
        out_opts["metadata:s:a:0"] = f"language={iso639_2(options.audio_lang)}"
    out_opts["map_metadata"] = "-1"  # no phone GPS or camera serials in a public file
    out_opts["map_chapters"] = "-1"
    out_opts["max_muxing_queue_size"] = "4096"
    out_opts["format"] = preset.format_name
    if preset.index_first:
        out_opts["movflags"] = "+faststart"
    node = ffm.output(*streams, output_arg(out), **out_opts)
    args = _with_extra(
        ffm.get_args(node), soft_track_options(soft, preset.container, options.default_lang)
    )
    commands.append(tuple(args))
    steps.append("encode (pass 2)" if two_pass else "encode")
    return EncodePlan(
        commands=tuple(commands),
        steps=tuple(steps),
        format=fmt,
        two_pass=two_pass,
        video_bitrate_kbps=budget,
        burn=options.burn if preset.subtitles.burn else None,
        soft=soft,
        workdir=workdir,
        notes=tuple(notes),
        out=out,
    )
