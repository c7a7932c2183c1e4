"""The ffprobe route of `screenkit.media.probe`."""

from __future__ import annotations

import collections
import json
import os
import subprocess
import threading
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from screenkit.errors import ProbeError
from screenkit.media.colour import (
    MATRICES,
    PRIMARIES,
    RANGES,
    TRANSFERS,
    Colour,
    ContentLight,
    DolbyVision,
    MasteringDisplay,
    bit_depth,
    tag_name,
)
from screenkit.media.gate import admit_media
from screenkit.media.info import (
    AudioStream,
    MediaInfo,
    SubtitleStream,
    VideoStream,
    normalise_rotation,
    parse_rate,
)
from screenkit.media.probe import HEAD_PACKETS, frame_times, is_vfr, raise_if_truncated
from screenkit.media.runner import input_arg

# a seek target past any film's end: the demuxer lands on the last keyframe
_PAST_THE_END = 10**9


def ffprobe_argv(ffprobe: Path, path: Path, extra: list[str]) -> list[str]:
    """Every ffprobe run: sniffed input, quiet, only the file and pipe protocols, as for ffmpeg."""
    admit_media(path)
    return [
        os.fspath(ffprobe), "-hide_banner", "-v", "error",
        "-protocol_whitelist", "file,pipe", *extra, input_arg(path),
    ]  # fmt: skip


def _ffprobe(ffprobe: Path, path: Path, extra: list[str]) -> tuple[dict[str, Any], str]:
    argv = ffprobe_argv(ffprobe, path, ["-print_format", "json", *extra])
    try:
        done = subprocess.run(argv, capture_output=True, timeout=120, check=False)
    except subprocess.TimeoutExpired as exc:
        raise ProbeError(f"{path}: ffprobe took too long to read it", path=path) from exc
    err = done.stderr.decode("utf-8", "replace").strip()
    if done.returncode != 0:
        last = err.splitlines()[-1] if err else f"exit status {done.returncode}"
        # ffprobe repeats the file name; keep just its reason
        reason = last.split(": ", 1)[-1] if last.startswith(("file:", str(path))) else last
        raise ProbeError(f"{path} is not a media file ffmpeg can read ({reason})", path=path)
    try:
        data: dict[str, Any] = json.loads(done.stdout.decode("utf-8", "replace") or "{}")
    except json.JSONDecodeError as exc:
        raise ProbeError(f"{path}: ffprobe gave unreadable output", path=path) from exc
    return data, err


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _lang(tags: dict[str, Any]) -> str | None:
    lang = tags.get("language")
    return None if not lang or lang == "und" else str(lang)


def _rotation(stream: dict[str, Any]) -> int:
    for side in stream.get("side_data_list", []) or []:
        if "rotation" in side:
            # ffprobe gives the display matrix angle counter-clockwise
            return normalise_rotation(-float(side["rotation"]))
    rotate = stream.get("tags", {}).get("rotate")
    if rotate is not None:  # old muxers: a clockwise tag
        return normalise_rotation(float(rotate))
    return 0


def video_times(ffprobe: Path, path: Path, index: int) -> list[float]:
    """The time of every packet of stream ``index``, demuxed (not decoded) from the whole file.

    Streamed line by line (a 70-minute master has ~100 000 packets): a few bytes a packet.
    ffprobe's exit status is checked: a file it cannot read to the end (unreadable, cut off
    before its index, gone meanwhile) is a `ProbeError`, never a short list of frame times.
    """
    argv = ffprobe_argv(
        ffprobe,
        path,
        ["-select_streams", str(index), "-show_entries", "packet=pts_time,dts_time",
         "-print_format", "csv=p=0"],
    )  # fmt: skip
    packets: list[tuple[float | None, float | None]] = []
    proc = subprocess.Popen(
        argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stdout is not None and proc.stderr is not None
    said: collections.deque[bytes] = collections.deque(maxlen=5)  # the log's tail, drained
    drain = threading.Thread(target=said.extend, args=(proc.stderr,), daemon=True)
    drain.start()  # so that a long log never fills its pipe and blocks ffprobe
    try:
        for line in proc.stdout:
            pts, _, dts = line.decode("ascii", "replace").strip().partition(",")
            packets.append((_seconds(pts), _seconds(dts)))
    except BaseException:  # Ctrl-C while scanning: ffprobe goes too
        proc.kill()
        raise
    finally:
        proc.stdout.close()
        code = proc.wait()  # after the last line: ffprobe is ending by itself
        drain.join(timeout=5)
        proc.stderr.close()
    if code != 0:
        last = said[-1].decode("utf-8", "replace").strip() if said else f"exit status {code}"
        raise ProbeError(
            f"{path} cannot be read to its end ({last.split(': ', 1)[-1]})",
            path=path,
            hint="copy the file again from its source",
        )
    return frame_times(packets)


def _seconds(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _ratio(value: Any) -> float:
    """ffprobe's ``"34000/50000"`` as a number, rounded as both probe routes round it."""
    return round(float(Fraction(str(value))), 5)


def _side_data(side: dict[str, Any]) -> MasteringDisplay | ContentLight | DolbyVision | None:
    kind = side.get("side_data_type", "")
    try:
        if kind == "Mastering display metadata" and "max_luminance" in side:
            return MasteringDisplay(
                red=(_ratio(side["red_x"]), _ratio(side["red_y"])),
                green=(_ratio(side["green_x"]), _ratio(side["green_y"])),
                blue=(_ratio(side["blue_x"]), _ratio(side["blue_y"])),
                white_point=(_ratio(side["white_point_x"]), _ratio(side["white_point_y"])),
                min_luminance=_ratio(side["min_luminance"]),
                max_luminance=_ratio(side["max_luminance"]),
            )
        if kind == "Content light level metadata":
            return ContentLight(int(side["max_content"]), int(side["max_average"]))
        if kind == "DOVI configuration record":
            return DolbyVision(
                profile=int(side["dv_profile"]),
                level=int(side["dv_level"]),
                compatibility=int(side["dv_bl_signal_compatibility_id"]),
                rpu=bool(int(side["rpu_present_flag"])),
                enhancement_layer=bool(int(side["el_present_flag"])),
                base_layer=bool(int(side["bl_present_flag"])),
            )
    except (KeyError, ValueError, ZeroDivisionError):
        return None
    return None


def _first_frame_side_data(ffprobe: Path, path: Path, index: int) -> list[dict[str, Any]]:
    """The side data of the stream's first decoded frame: HEVC carries the mastering display
    and content light level in SEI messages, which only a decode reports."""
    data, _ = _ffprobe(
        ffprobe,
        path,
        ["-select_streams", str(index), "-read_intervals", "%+#1", "-show_frames"],
    )
    frames = data.get("frames") or [{}]
    return list(frames[0].get("side_data_list") or [])


def _colour(ffprobe: Path, path: Path, stream: dict[str, Any]) -> Colour:
    facts = [_side_data(side) for side in stream.get("side_data_list") or []]
    colour = Colour(
        primaries=tag_name(PRIMARIES, stream.get("color_primaries")),
        transfer=tag_name(TRANSFERS, stream.get("color_transfer")),
        matrix=tag_name(MATRICES, stream.get("color_space")),
        range=tag_name(RANGES, stream.get("color_range")),
        bit_depth=bit_depth(stream.get("pix_fmt")),
        dolby_vision=next((f for f in facts if isinstance(f, DolbyVision)), None),
    )
    if not colour.hdr:  # mastering metadata matters only to a tone mapping
        return colour
    frame = [_side_data(side) for side in _first_frame_side_data(ffprobe, path, stream["index"])]
    return replace(
        colour,
        mastering=next((f for f in frame if isinstance(f, MasteringDisplay)), None),
        light=next((f for f in frame if isinstance(f, ContentLight)), None),
    )


def _video(stream: dict[str, Any], times: list[float], colour: Colour) -> VideoStream:
    sar = parse_rate((stream.get("sample_aspect_ratio") or "1:1").replace(":", "/"))
    level = _int(stream.get("level"))
    return VideoStream(
        index=int(stream["index"]),
        codec=str(stream.get("codec_name", "unknown")),
        profile=stream.get("profile"),
        level=level if level is not None and level > 0 else None,
        width=int(stream.get("width", 0)),
        height=int(stream.get("height", 0)),
        sar=sar or Fraction(1),
        frame_rate=parse_rate(stream.get("r_frame_rate")) or Fraction(25),
        avg_frame_rate=parse_rate(stream.get("avg_frame_rate")),
        vfr=is_vfr(times),
        pix_fmt=stream.get("pix_fmt"),
        rotation=_rotation(stream),
        field_order=str(stream.get("field_order", "unknown")),
        bit_rate=_int(stream.get("bit_rate")),
        colour=colour,
    )


def probe(path: Path, ffprobe: Path) -> MediaInfo:
    # one run: the headers, the first packets (frame timing) and, by seeking past the end,
    # the last ones (a file cut short ends before its header's duration)
    data, _ = _ffprobe(
        ffprobe,
        path,
        ["-show_format", "-show_streams",
         "-read_intervals", f"%+#{HEAD_PACKETS},{_PAST_THE_END}%",
         "-show_entries", "packet=stream_index,pts_time,duration_time"],
    )  # fmt: skip
    fmt = data.get("format", {})
    streams: list[dict[str, Any]] = data.get("streams", [])
    videos = [
        s
        for s in streams
        if s.get("codec_type") == "video" and not s.get("disposition", {}).get("attached_pic")
    ]
    packets = [p for p in data.get("packets", []) if p.get("pts_time") not in (None, "N/A")]
    duration = float(fmt.get("duration") or 0.0)
    ends = [float(p["pts_time"]) + float(p.get("duration_time") or 0) for p in packets]
    raise_if_truncated(path, duration, max(ends) if ends else None)
    return MediaInfo(
        path=path,
        container=str(fmt.get("format_name", "unknown")),
        duration=duration,
        size_bytes=path.stat().st_size,
        bit_rate=_int(fmt.get("bit_rate")),
        video=_video(
            videos[0],
            video_times(ffprobe, path, int(videos[0]["index"])),
            _colour(ffprobe, path, videos[0]),
        )
        if videos
        else None,
        audio=tuple(
            AudioStream(
                index=int(s["index"]),
                codec=str(s.get("codec_name", "unknown")),
                profile=s.get("profile"),
                channels=int(s.get("channels", 0)),
                layout=s.get("channel_layout"),
                sample_rate=int(s.get("sample_rate", 0)),
                language=_lang(s.get("tags", {})),
                bit_rate=_int(s.get("bit_rate")),
            )
            for s in streams
            if s.get("codec_type") == "audio"
        ),
        subtitles=tuple(
            SubtitleStream(
                index=int(s["index"]),
                codec=str(s.get("codec_name", "unknown")),
                language=_lang(s.get("tags", {})),
                default=bool(s.get("disposition", {}).get("default")),
                title=s.get("tags", {}).get("title"),
            )
            for s in streams
            if s.get("codec_type") == "subtitle"
        ),
        probed_with="ffprobe",
    )
