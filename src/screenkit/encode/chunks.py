"""Chunked film encodes: one film's picture in pieces, each its own encode, joined by copy.

A long film is cut on the output's frame grid (`chunk_bounds` near fixed intervals;
`screenkit.encode.gaps` in the gaps between cues, as a build does); every chunk is encoded
alone with the encode's own video chain and x264 settings (the same CRF, profile, level
and VBV; each chunk starts with an IDR frame and x264's GOPs are closed), picture only
(`chunk_args`). A chunk counts on a half-full decoder buffer at its start
(`peakrate.CHUNK_BUFFER_START`), which the chunk before it leaves, so the joined film keeps
the preset's peak rate (compliance checks it). The sound is encoded once, for the whole
film, from the master (`sound_args`: a build does it while the chunks encode), and the
chunks are joined by stream copy (concat demuxer, ``safe`` on, plain names) beside it,
copied too (`join_args`): so A/V sync cannot drift at a boundary. `join_chunks` runs the
sound and the join, checks the result against the preset and measures its picture quality
like a single encode.

Only single-pass encodes are chunked: a two-pass bitrate budget (a size limit) is a
property of the whole film, and a copied video stream needs no encode.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path

import ffmpeg as ffm

from screenkit.encode.builder import (
    MUX_OVERHEAD,
    _audio_chain,
    _audio_options,
    _silence,
    audio_bitrate_bps,
    bitrate_budget,
    reference_video,
    video_codec_options,
)
from screenkit.encode.compliance import ComplianceError
from screenkit.encode.family import check_compliance, chunked_family
from screenkit.encode.geometry import output_format
from screenkit.encode.loudness import Loudness
from screenkit.encode.options import EncodeOptions, EncodeResult, OutputFormat
from screenkit.encode.peakrate import (
    BUFFER_SECONDS,
    BUFFER_START,
    CHUNK_BUFFER_START,
    SLACK,
    buffer_bits,
    replay,
    video_packets,
)
from screenkit.encode.quality import (
    frame_count,
    measure_quality,
    quality_args,
    sample_step,
    sampled,
)
from screenkit.encode.subs import burn_family, stage_burn
from screenkit.errors import ScreenkitError
from screenkit.languages import iso639_2
from screenkit.media.atomic import atomic_output, link_or_copy
from screenkit.media.binaries import FFmpeg
from screenkit.media.info import MediaInfo
from screenkit.media.mp4box import decoder_setup
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
REFIT_SHARE = 0.5
"""A chunk running the buffer dry by this share of what compliance lets pass is encoded
again (`fit_buffer`): what is left passes with room to spare."""
REFIT_LEAST = 0.02
"""The least of the buffer a chunk encoded again counts on (x264 needs some for its first
frame; below that the picture could not fit, and compliance says so)."""


class ChunkJoinError(ScreenkitError):
    """The chunks of a film cannot be joined into one that plays."""


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

    def seconds(self, rate: Fraction, film_seconds: float) -> float:
        """How long it is, the last chunk running to the film's end."""
        return self.length(rate) or max(0.0, film_seconds - self.start(rate))


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
    return not fmt.copy_video and options.start is None


def chunk_peak(preset: VenuePreset, fmt: OutputFormat, chunks: int) -> int | None:
    """The peak rate (kbit/s) the chunks of one film keep: the preset's, or lower where its
    file-size limit needs it.

    One encode keeps a size limit by a two-pass average (`bitrate_budget`), which needs the
    whole film at once; chunks keep it by their peak instead: at this rate even a film
    that asks for more everywhere stays below the limit, with what each chunk may spend of
    the buffer it counts on at its start. A film well below it is encoded at its CRF.
    """
    peak = preset.video.max_bitrate_kbps
    if bitrate_budget(preset, fmt) is None:  # the peak keeps the limit already (or none)
        return peak
    limit = preset.file_size_limit
    assert limit is not None  # a budget comes from a limit
    usable = limit * (1 - MUX_OVERHEAD) - 64 * 1024
    sound = audio_bitrate_bps(preset, fmt) / 8 * fmt.duration
    seconds = fmt.duration + BUFFER_SECONDS * (BUFFER_START + chunks * CHUNK_BUFFER_START)
    cap = int((usable - sound) * 8 / seconds / 1000)
    return cap if peak is None else min(peak, cap)


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


def chunk_args(
    info: MediaInfo,
    preset: VenuePreset,
    options: EncodeOptions,
    chunk: Chunk,
    workdir: Path,
    out: Path,
    ffmpeg_version: tuple[int, int] = (6, 0),
    buffer_start: float = CHUNK_BUFFER_START,
    peak_kbps: int | None = None,
) -> list[str]:
    """One chunk's picture, encoded exactly as the whole film's would be (no sound),
    counting on a decoder buffer ``buffer_start`` full at its start; ``peak_kbps``: the
    film's `chunk_peak` when it is below the preset's."""
    fmt = output_format(info, preset, options)
    rate = fmt.frame_rate
    video = reference_video(info, preset, chunk_options(options, chunk, rate), fmt, workdir)
    opts = video_codec_options(preset, fmt, options)
    if peak_kbps is not None:
        opts["maxrate:v"] = f"{peak_kbps}k"
        opts["bufsize:v"] = f"{peak_kbps * BUFFER_SECONDS}k"
    if "maxrate:v" in opts:  # the buffer it may count on at its start
        params = [opts.get("x264-params"), f"vbv-init={buffer_start:.3f}"]
        opts["x264-params"] = ":".join(p for p in params if p)
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
    buffer_start: float | None = None,
    peak_kbps: int | None = None,
) -> tuple[str, ...]:
    """Encode ``chunk`` to ``out`` (published by rename); the argv it ran. ``buffer_start``:
    what it counts on of the decoder buffer (default `CHUNK_BUFFER_START`); ``peak_kbps``:
    as `chunk_args`."""
    fmt = output_format(info, preset, options)
    length = chunk.seconds(fmt.frame_rate, info.duration)
    with scratch_dir("chunk-") as tmp, atomic_output(out) as part:
        stage_chunk_burn(preset, options, fmt, chunk, Path(tmp))
        start = CHUNK_BUFFER_START if buffer_start is None else buffer_start
        args = chunk_args(
            info, preset, options, chunk, Path(tmp), part, ffmpeg.version_tuple, start, peak_kbps
        )
        result = run_ffmpeg(
            args,
            ffmpeg=ffmpeg,
            duration=length,
            progress=progress,
            step=f"chunk {chunk.index + 1}",
            what=f"encoding chunk {chunk.index + 1} of {master.name}",
        )
    return result.argv


def stage_chunk_burn(
    preset: VenuePreset, options: EncodeOptions, fmt: OutputFormat, chunk: Chunk, workdir: Path
) -> None:
    """Stage into ``workdir`` the part of the burned track a chunk shows, on the chunk's own
    timeline (for its encode and for the reference its measure burns); nothing where the
    encode burns no track. ``fmt``: the whole film's output format."""
    if options.burn is not None and preset.subtitles.burn:
        start = chunk_options(options, chunk, fmt.frame_rate).start
        stage_burn(options.burn, preset, fmt, workdir, options.fonts, start)


def chunk_quality_args(
    part: Path,
    info: MediaInfo,
    preset: VenuePreset,
    options: EncodeOptions,
    chunk: Chunk,
    workdir: Path,
) -> list[str] | None:
    """ffmpeg arguments measuring one chunk's picture quality (its frames compared every
    `sample_step` of the whole film); None where the chunk holds none of the frames a
    measure of the whole film compares (a chunk shorter than its sampling step).

    The chunk's encode ``part`` is compared with the master fed as its encoder was (from
    the chunk's start; ``workdir`` holds its staged part of the burned track) on the film's
    own sampled frames (`sample_step` of the whole film, counted from the film's first
    frame): the chunks' measures, `combine`-d, are the measure of the joined film, made
    where and when each chunk is encoded instead of in one decode of the whole film after
    the join.
    """
    fmt = output_format(info, preset, options)
    every = sample_step(fmt)
    frames = chunk.frames if chunk.frames is not None else frame_count(fmt) - chunk.first
    if sampled(chunk.first, max(1, frames), every) == 0:
        return None
    cut = chunk_options(options, chunk, fmt.frame_rate)
    fed = output_format(info, preset, cut)
    return quality_args(part, info, preset, cut, fed, workdir, every, chunk.first)


def check_decoder_setup(parts: Sequence[Path]) -> None:
    """Refuse to join chunks encoded with different H.264 set-ups (sequence and picture
    parameter sets): the joined film keeps the first one's, and the others would decode
    wrongly. One encoder with one set of options writes the same set-up for every chunk."""
    if not parts:
        return
    first = decoder_setup(parts[0])
    for n, part in enumerate(parts[1:], start=2):
        if decoder_setup(part) != first:
            raise ChunkJoinError(
                f"chunk {n} of the film was encoded with another H.264 set-up than chunk 1: "
                "joined, it would not decode",
                path=part,
                hint="this is a screenkit bug: please report it; build the film unchunked "
                "with --chunks off meanwhile",
            )


def fit_buffer(
    parts: Sequence[Path],
    pieces: Sequence[Chunk],
    info: MediaInfo,
    preset: VenuePreset,
    options: EncodeOptions,
    workdir: Path,
    *,
    ffmpeg: FFmpeg,
    progress: ProgressCallback | None = None,
    peak_kbps: int | None = None,
) -> tuple[list[Path], list[tuple[str, ...]]]:
    """The chunks to join, each finding the decoder buffer as full as it counts on.

    The buffer is replayed chunk after chunk as a player fills and empties it; a chunk that
    would run it dry (it counted on more than the chunks before it leave: a picture asking
    far more than the peak) is encoded again into ``workdir`` from the level it really
    finds. Returns the parts to join and the argv of every chunk encoded again.
    ``peak_kbps``: the chunks' own (`chunk_peak`), kept by a chunk encoded again.
    """
    peak = preset.video.max_bitrate_kbps
    if peak is None or len(parts) < 2:
        return list(parts), []
    rate, size = peak * 1000.0, buffer_bits(peak)
    frame = 1 / float(output_format(info, preset, options).frame_rate)
    level = BUFFER_START * size
    out, ran = list(parts), []
    for n, piece in enumerate(pieces):
        done = replay(video_packets(out[n]), rate, size, level)
        if done.dry_bits > REFIT_SHARE * SLACK * size:
            start = min(CHUNK_BUFFER_START, max(REFIT_LEAST, 0.95 * level / size))
            again = workdir / f"refit{n:04d}.mp4"
            ran.append(
                encode_chunk(info.path, info, preset, options, piece, again, ffmpeg=ffmpeg,
                             progress=progress, buffer_start=start, peak_kbps=peak_kbps)
            )  # fmt: skip
            out[n] = again
            done = replay(video_packets(again), rate, size, level)
        level = min(size, done.end_bits + rate * frame)
    return out, ran


def sound_args(
    info: MediaInfo,
    preset: VenuePreset,
    loudness: Loudness | None,
    out: Path,
) -> list[str]:
    """The film's sound alone, encoded once from the master as a single encode's would be
    (the measured loudness gain, the preset's layout, rate and codec), in the preset's
    container: the join copies it beside the chunks' picture."""
    fmt = output_format(info, preset, EncodeOptions())
    if info.audio:
        master = ffm.input(input_arg(info.path), protocol_whitelist="file,pipe")
        audio = _audio_chain(master[str(info.audio[0].index)], preset, fmt, loudness)
    else:
        audio = _silence(fmt)["a"]
    opts = {**_audio_options(preset, fmt), "map_metadata": "-1", "map_chapters": "-1"}
    opts["format"] = preset.format_name
    args = list(ffm.output(audio, output_arg(out), **opts).get_args())
    return [*args[:-1], "-vn", "-sn", args[-1]]


def join_args(
    chunk_list: Path,
    sound: Path,
    info: MediaInfo,
    preset: VenuePreset,
    options: EncodeOptions,
    out: Path,
) -> list[str]:
    """The chunks' pictures (the concat list) and the film's sound (`sound_args`), both by
    stream copy, muxed."""
    video = ffm.input(input_arg(chunk_list), f="concat", safe="1", protocol_whitelist="file,pipe")
    audio = ffm.input(input_arg(sound), protocol_whitelist="file,pipe")["a:0"]
    opts = {"c:v": "copy", "c:a": "copy", "disposition:a:0": "default"}
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
    pieces: Sequence[Chunk] = (),
) -> EncodeResult:
    """Join encoded chunks into the film at ``out``, compliance-checked and measured.

    ``pieces``: the chunks' bounds, so that a chunk the decoder buffer cannot take as it is
    can be encoded again (`fit_buffer`); without them the compliance check alone says so.
    """
    started = time.monotonic()
    fmt = output_format(info, preset, options)
    with scratch_dir("join-") as tmp, atomic_output(out) as part:
        work = Path(tmp)
        lines = []
        if pieces:
            chunks, _ = fit_buffer(
                chunks, pieces, info, preset, options, work, ffmpeg=ffmpeg, progress=progress
            )
        check_decoder_setup(chunks)
        for n, chunk in enumerate(chunks):
            staged = work / f"chunk{n:04d}.mp4"
            link_or_copy(chunk, staged)
            lines.append(f"file '{staged.name}'\n")
        (work / LIST_NAME).write_text("".join(lines), encoding="utf-8")
        sound = work / f"sound{preset.extension}"
        made = run_ffmpeg(
            sound_args(info, preset, loudness, sound),
            ffmpeg=ffmpeg,
            duration=fmt.duration,
            progress=progress,
            step="sound",
            what=f"encoding the sound of {info.path.name}",
        )
        args = join_args(work / LIST_NAME, sound, info, preset, options, part)
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
        commands=(made.argv, result.argv),
        copied_video=False,
        two_pass=False,
        sidecars=(),
        warnings=(),
        elapsed=time.monotonic() - started,
        quality=quality,
    )


def family_of(options: EncodeOptions) -> str:
    return burn_family(options.fonts)
