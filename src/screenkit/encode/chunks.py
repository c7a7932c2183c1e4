"""Chunked film encodes: one film's picture in pieces, each its own encode, joined by copy.

A long film is cut at frame times near fixed intervals (`chunk_bounds`; the caller moves a
cut to a keyframe of the master near it); every chunk is encoded alone with the encode's
own video chain and x264 settings (the same CRF, profile, level and VBV; each chunk starts
with an IDR frame and x264's GOPs are closed), picture only (`chunk_args`). The chunks are
then joined by stream copy (concat demuxer, ``safe`` on, plain names) while the sound is
encoded once, for the whole film, from the master (`join_args`): so A/V sync cannot drift
at a boundary. `join_chunks` runs the join, checks the result against the preset and
measures its picture quality like a single encode.

Only single-pass encodes are chunked: a two-pass bitrate budget (a size limit) is a
property of the whole film, and a copied video stream needs no encode.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path

import ffmpeg as ffm

from screenkit.encode.builder import (
    _audio_chain,
    _audio_options,
    _silence,
    bitrate_budget,
    reference_video,
    video_codec_options,
)
from screenkit.encode.compliance import ComplianceError
from screenkit.encode.family import check_compliance, chunked_family
from screenkit.encode.geometry import output_format
from screenkit.encode.loudness import Loudness
from screenkit.encode.options import EncodeOptions, EncodeResult, OutputFormat, SubtitleInput
from screenkit.encode.quality import measure_quality
from screenkit.encode.subs import burn_family, burn_track, stage_burn
from screenkit.languages import iso639_2
from screenkit.media.atomic import atomic_output, link_or_copy
from screenkit.media.binaries import FFmpeg
from screenkit.media.info import MediaInfo
from screenkit.media.probe import probe
from screenkit.media.runner import input_arg, output_arg, run_ffmpeg
from screenkit.presets.model import VenuePreset
from screenkit.progress import ProgressCallback
from screenkit.tempdirs import scratch_dir

AUTO_ABOVE = 180.0
"""``--chunks auto`` splits films longer than this many seconds."""
AUTO_SECONDS = 60.0
"""The chunk length of ``--chunks auto``."""
LIST_NAME = "chunks.txt"


@dataclass(frozen=True)
class Chunk:
    """Frames [first, first + frames) of the film's output; ``frames`` None: to the end."""

    index: int
    first: int
    frames: int | None

    def start(self, rate: Fraction) -> float:
        return float(self.first / rate)

    def length(self, rate: Fraction) -> float | None:
        return None if self.frames is None else float(self.frames / rate)


def chunk_seconds(mode: str, duration: float) -> float | None:
    """The chunk length ``--chunks off|auto|SECONDS`` asks for this film (None: one piece)."""
    if mode == "off":
        return None
    if mode == "auto":
        return AUTO_SECONDS if duration > AUTO_ABOVE else None
    seconds = float(mode)
    return seconds if duration > seconds * 1.5 else None


def chunkable(info: MediaInfo, preset: VenuePreset, options: EncodeOptions) -> bool:
    """Whether this encode may be chunked: a single-pass H.264 re-encode of the whole film.

    Not the old players' encodes: MPEG-2 and MPEG-4 Part 2 are many times faster than x264
    at DVD sizes (one pass is minutes for a feature), and their chunks would need joins of
    MPEG-PS and AVI at a GOP boundary with the PAL speed-up's sound stretched per chunk.
    """
    if not chunked_family(preset):
        return False
    fmt = output_format(info, preset, options)
    return not fmt.copy_video and bitrate_budget(preset, fmt) is None and options.start is None


def chunk_bounds(cuts: Sequence[float], rate: Fraction) -> tuple[Chunk, ...]:
    """Chunks between ``cuts`` (seconds, increasing, none at 0), on the output's frame grid."""
    firsts = [0]
    for cut in cuts:
        frame = round(Fraction(cut).limit_denominator(100000) * rate)
        if frame > firsts[-1]:
            firsts.append(frame)
    ends: list[int | None] = [*firsts[1:], None]
    return tuple(
        Chunk(i, first, None if end is None else end - first)
        for i, (first, end) in enumerate(zip(firsts, ends, strict=True))
    )


def targets(duration: float, seconds: float) -> list[float]:
    """The fixed intervals a film is cut near (the last chunk at least half as long)."""
    count = max(1, math.floor(duration / seconds + 0.5))
    return [duration * n / count for n in range(1, count)]


def chunk_options(options: EncodeOptions, chunk: Chunk, rate: Fraction) -> EncodeOptions:
    return replace(options, start=chunk.start(rate) or None, duration=chunk.length(rate))


def burn_digest(
    track: SubtitleInput, preset: VenuePreset, fmt: OutputFormat, fonts_family: str, chunk: Chunk
) -> str:
    """What the chunk burns: the track's events that show in it, as laid out, and the styles.

    A chunk's cache key carries this instead of the whole track's checksum, so an edit of
    the track re-encodes only the chunks whose pictures it changes.
    """
    rate = fmt.frame_rate
    subs = burn_track(track, preset, fmt, fonts_family, chunk.start(rate) or None)
    length = chunk.length(rate)
    if length is not None:
        subs.events = [e for e in subs.events if e.start < length * 1000]
    return hashlib.sha256(subs.to_string("ass").encode()).hexdigest()


def chunk_args(
    info: MediaInfo,
    preset: VenuePreset,
    options: EncodeOptions,
    chunk: Chunk,
    workdir: Path,
    out: Path,
    ffmpeg_version: tuple[int, int] = (6, 0),
) -> list[str]:
    """One chunk's picture, encoded exactly as the whole film's would be (no sound)."""
    fmt = output_format(info, preset, options)
    rate = fmt.frame_rate
    video = reference_video(info, preset, chunk_options(options, chunk, rate), fmt, workdir)
    opts = video_codec_options(preset, fmt, options)
    opts["fps_mode:v" if ffmpeg_version >= (5, 1) else "vsync"] = "cfr"
    if chunk.frames is not None:
        opts["frames:v"] = str(chunk.frames)
    opts.update({"map_metadata": "-1", "format": "mp4"})
    args = list(ffm.output(video, output_arg(out), **opts).get_args())
    return [*args[:-1], "-an", "-sn", args[-1]]


def encode_chunk(
    master: Path,
    info: MediaInfo,
    preset: VenuePreset,
    options: EncodeOptions,
    chunk: Chunk,
    out: Path,
    *,
    ffmpeg: FFmpeg,
    progress: ProgressCallback | None = None,
) -> tuple[str, ...]:
    """Encode ``chunk`` to ``out`` (published by rename); the argv it ran."""
    fmt = output_format(info, preset, options)
    rate = fmt.frame_rate
    cut = chunk_options(options, chunk, rate)
    length = chunk.length(rate) or max(0.0, info.duration - chunk.start(rate))
    with scratch_dir("chunk-") as tmp, atomic_output(out) as part:
        if options.burn is not None and preset.subtitles.burn:
            stage_burn(options.burn, preset, fmt, Path(tmp), options.fonts, cut.start)
        args = chunk_args(info, preset, options, chunk, Path(tmp), part, ffmpeg.version_tuple)
        result = run_ffmpeg(
            args,
            ffmpeg=ffmpeg,
            duration=length,
            progress=progress,
            step=f"chunk {chunk.index + 1}",
            what=f"encoding chunk {chunk.index + 1} of {master.name}",
        )
    return result.argv


def join_args(
    chunk_list: Path,
    info: MediaInfo,
    preset: VenuePreset,
    options: EncodeOptions,
    loudness: Loudness | None,
    out: Path,
) -> list[str]:
    """The chunks' pictures by stream copy, the master's sound encoded once, muxed."""
    fmt = output_format(info, preset, options)
    video = ffm.input(input_arg(chunk_list), f="concat", safe="1", protocol_whitelist="file,pipe")
    master = ffm.input(input_arg(info.path), protocol_whitelist="file,pipe")
    if info.audio:
        audio = _audio_chain(master[str(info.audio[0].index)], preset, fmt, loudness)
    else:
        audio = _silence(fmt)["a"]
    opts = {"c:v": "copy", **_audio_options(preset, fmt), "disposition:a:0": "default"}
    if options.audio_lang:
        opts["metadata:s:a:0"] = f"language={iso639_2(options.audio_lang)}"
    opts.update({"map_metadata": "-1", "map_chapters": "-1", "max_muxing_queue_size": "4096"})
    opts["format"] = preset.format_name
    if preset.index_first:
        opts["movflags"] = "+faststart"
    return list(ffm.output(video["v"], audio, output_arg(out), **opts).get_args())


def join_chunks(
    chunks: Sequence[Path],
    info: MediaInfo,
    preset: VenuePreset,
    options: EncodeOptions,
    loudness: Loudness | None,
    out: Path,
    *,
    ffmpeg: FFmpeg,
    progress: ProgressCallback | None = None,
) -> EncodeResult:
    """Join encoded chunks into the film at ``out``, compliance-checked and measured."""
    started = time.monotonic()
    fmt = output_format(info, preset, options)
    with scratch_dir("join-") as tmp, atomic_output(out) as part:
        work = Path(tmp)
        lines = []
        for n, chunk in enumerate(chunks):
            staged = work / f"chunk{n:04d}.mp4"
            link_or_copy(chunk, staged)
            lines.append(f"file '{staged.name}'\n")
        (work / LIST_NAME).write_text("".join(lines), encoding="utf-8")
        args = join_args(work / LIST_NAME, info, preset, options, loudness, part)
        result = run_ffmpeg(
            args,
            ffmpeg=ffmpeg,
            duration=fmt.duration,
            progress=progress,
            step="join chunks",
            what=f"joining the chunks of {info.path.name}",
        )
        out_info = probe(part, ffmpeg=ffmpeg)
        mismatches = check_compliance(out_info, preset, fmt)
        if mismatches:
            raise ComplianceError(out, preset.name, mismatches)
        if options.burn is not None and preset.subtitles.burn:
            stage_burn(options.burn, preset, fmt, work, options.fonts)
        quality = measure_quality(
            part, info, preset, options, fmt, work, ffmpeg=ffmpeg, progress=progress
        )
    return EncodeResult(
        out=out,
        info=replace(out_info, path=out),
        source=info,
        commands=(result.argv,),
        copied_video=False,
        two_pass=False,
        sidecars=(),
        warnings=(),
        elapsed=time.monotonic() - started,
        quality=quality,
    )


def family_of(options: EncodeOptions) -> str:
    return burn_family(options.fonts)
