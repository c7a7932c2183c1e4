"""Joining card(s) and film by stream copy: the concat demuxer, spaced to the sample.

Each part's start is placed so that nothing overlaps and nothing drifts: the next part's
AAC priming frame (before its zero) begins where this part's last audio frame ends, and its
first picture after this part's last one (`PartTiming.slot`). The concat list gives each
part that ``duration``; parts are linked into a private folder under plain names, because
the demuxer runs with ``safe`` on (no absolute paths, no odd characters) and ffmpeg reads
only files (``-protocol_whitelist file,pipe``). Subtitle tracks, attachments and metadata
come from the main part (the film), shifted by its start.
"""

from __future__ import annotations

import contextlib
import math
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from screenkit.media.atomic import atomic_output, write_text_atomic
from screenkit.media.binaries import FFmpeg
from screenkit.media.info import MediaInfo
from screenkit.media.probe import probe
from screenkit.media.runner import output_arg, run_ffmpeg, safe_input
from screenkit.progress import ProgressCallback
from screenkit.slides.bitstream import read_part_timing, read_video_bitstream
from screenkit.slides.errors import JoinError
from screenkit.slides.render import render_card
from screenkit.slides.spec import CardSpec
from screenkit.slides.target import CardTarget
from screenkit.tempdirs import scratch_dir

_SUFFIX = re.compile(r"^\.[a-z0-9]{1,5}$")
INBAND_WARNING = (
    "the card's H.264 headers differ from the film's (was the film made by another encoder?): "
    "the joined file carries both sets in-band; software players cope, some hardware may not"
)


@dataclass(frozen=True)
class JoinResult:
    out: Path
    info: MediaInfo
    parts: tuple[Path, ...]
    offsets: tuple[float, ...]
    """Where each part starts in the joined file, in seconds."""
    inband_parameter_sets: bool
    warnings: tuple[str, ...] = ()


def quote_concat_path(name: str) -> str:
    """A path as a concat-list word: single-quoted, ``'`` written as ``'\\''``."""
    return "'" + name.replace("'", "'\\''") + "'"


def concat_list(names: Sequence[str], slots: Sequence[float | None]) -> str:
    """PURE: an ffconcat script for ``names`` (relative to the list), each lasting its slot."""
    lines = ["ffconcat version 1.0"]
    for name, slot in zip(names, slots, strict=True):
        lines.append(f"file {quote_concat_path(name)}")
        if slot is not None:
            lines.append(f"duration {slot:.6f}")
    return "\n".join(lines) + "\n"


def _describe(info: MediaInfo) -> dict[str, object]:
    video = info.video
    facts: dict[str, object] = {"audio tracks": len(info.audio)}
    if video is not None:
        facts.update(
            {
                "video codec": video.codec,
                "frame size": f"{video.width}x{video.height}",
                "pixel format": video.pix_fmt,
                "sample aspect ratio": str(video.sar),
                "frame rate": str(video.frame_rate),
            }
        )
    for n, audio in enumerate(info.audio):
        facts[f"audio {n} codec"] = audio.codec
        facts[f"audio {n} sample rate"] = audio.sample_rate
        facts[f"audio {n} channels"] = audio.channels
    return facts


def check_joinable(infos: Sequence[MediaInfo]) -> None:
    """Raise `JoinError` naming the first part whose streams differ from the first part's."""
    if infos[0].video is None:
        raise JoinError(f"{infos[0].path} holds no video", path=infos[0].path)
    first = _describe(infos[0])
    for info in infos[1:]:
        facts = _describe(info)
        for key, value in first.items():
            if facts.get(key) != value:
                raise JoinError(
                    f"{info.path} cannot be joined to {infos[0].path} by stream copy: its {key} "
                    f"is {facts.get(key)}, not {value}",
                    path=info.path,
                    key=key,
                    value=facts.get(key),
                )


def _link(src: Path, dest: Path) -> None:
    try:
        dest.symlink_to(src.absolute())
    except OSError:
        shutil.copyfile(src, dest)


@dataclass(frozen=True)
class JoinPlan:
    """A join worked out before it runs: the concat list, the links, the exact arguments."""

    args: tuple[str, ...]
    """The ffmpeg arguments after the global options (run them with `run_join`)."""
    folder: Path
    """The private folder holding the parts' links and the list."""
    links: tuple[tuple[Path, str], ...]
    """(part, its plain name in ``folder``)."""
    listing: str
    """The ffconcat list, written to ``folder/parts.ffconcat``."""
    offsets: tuple[float, ...]
    """Where each part starts in the joined file, in seconds."""
    total: float
    inband_parameter_sets: bool
    warnings: tuple[str, ...] = ()


LISTING_NAME = "parts.ffconcat"


def join_args(folder: Path, out: Path, extras: tuple[Path, float] | None = None) -> list[str]:
    """PURE: the concat-demuxer stream copy of ``folder``'s list into ``out``.

    ``extras`` (the main part and where it starts) carries its subtitle tracks, attachments
    and metadata over.
    """
    args = ["-f", "concat", "-safe", "1", *safe_input(folder / LISTING_NAME)]
    maps = ["-map", "0:v", "-map", "0:a?"]
    if extras is not None:
        args += ["-itsoffset", f"{extras[1]:.6f}", *safe_input(extras[0])]
        maps += ["-map", "1:s?", "-map", "1:t?", "-map_metadata", "1"]
    args += [*maps, "-c", "copy"]
    if out.suffix.lower() in (".mp4", ".m4v", ".mov"):
        args += ["-movflags", "+faststart"]
    return [*args, output_arg(out)]


def part_names(parts: Sequence[Path]) -> list[str]:
    """The plain names the parts are linked under (the demuxer runs with ``safe`` on)."""
    return [
        f"part{n}{p.suffix.lower() if _SUFFIX.match(p.suffix.lower()) else '.bin'}"
        for n, p in enumerate(parts)
    ]


def plan_join(
    parts: Sequence[Path],
    out: Path,
    folder: Path,
    *,
    main: int | None = None,
    ffmpeg: FFmpeg | None = None,
    carry: bool = True,
) -> JoinPlan:
    """Probe ``parts`` (cards and film, in order) and work out their join into ``out``.

    ``main`` is the index of the film (default: the longest part); its subtitle tracks,
    attachments and metadata are carried over (unless ``carry`` is off). Raises `JoinError`
    for parts that do not match.
    """
    if not parts:
        raise JoinError("nothing to join")
    parts = tuple(Path(p) for p in parts)
    out = Path(out)
    if out.suffix.lower() not in (".mp4", ".mkv", ".m4v", ".mov", ".avi"):
        raise JoinError(f"{out}: the joined file must be .mp4, .mkv or .avi (DivX)", path=out)
    for part in parts:
        if part.absolute() == out.absolute():
            raise JoinError(f"{out} is one of the parts; write the join elsewhere", path=out)
    infos = [probe(p, ffmpeg=ffmpeg) for p in parts]
    check_joinable(infos)
    if main is None:
        main = max(range(len(parts)), key=lambda n: infos[n].duration)
    timings = [read_part_timing(p) for p in parts]
    # Matroska keeps milliseconds: round each slot UP to the grid, a hair of gap rather than
    # a hair of overlap (which a decoder reports as non-monotonic audio)
    matroska = out.suffix.lower() == ".mkv" or any("matroska" in i.container for i in infos)
    tick = 1000 if matroska else 1_000_000
    slots: list[float | None] = []
    for n, timing in enumerate(timings):
        if n + 1 < len(timings):
            slots.append(math.ceil(timing.slot(timings[n + 1]) * tick - 1e-6) / tick)
        else:
            slots.append(None)
    offsets = tuple(float(sum(s or 0.0 for s in slots[:n])) for n in range(len(parts)))
    headers = [read_video_bitstream(p).parameter_sets for p in parts]
    inband = any(h != headers[0] for h in headers[1:])
    # subtitle tracks and attachments copy only within one container family (subrip does not
    # go into MP4, mov_text not into Matroska)
    same_family = ("matroska" in infos[main].container) == (out.suffix.lower() == ".mkv")
    carry_extras = (
        carry and same_family and (bool(infos[main].subtitles) or out.suffix.lower() == ".mkv")
    )
    warnings = [INBAND_WARNING] if inband else []
    if infos[main].subtitles and not same_family:
        warnings.append(
            f"the subtitle tracks of {parts[main].name} cannot be copied into a "
            f"{out.suffix} file and were left out"
        )
    names = part_names(parts)
    extras = (parts[main], offsets[main]) if carry_extras else None
    return JoinPlan(
        args=tuple(join_args(folder, out, extras)),
        folder=folder,
        links=tuple(zip(parts, names, strict=True)),
        listing=concat_list(names, slots),
        offsets=offsets,
        total=offsets[-1] + infos[-1].duration,
        inband_parameter_sets=inband,
        warnings=tuple(warnings),
    )


def stage_join(plan: JoinPlan) -> None:
    """Link the parts and write the list into the plan's folder."""
    plan.folder.mkdir(parents=True, exist_ok=True)
    for part, name in plan.links:
        _link(part, plan.folder / name)
    write_text_atomic(plan.folder / LISTING_NAME, plan.listing)


def join_parts(
    parts: Sequence[Path],
    out: Path,
    *,
    main: int | None = None,
    progress: ProgressCallback | None = None,
    ffmpeg: FFmpeg | None = None,
) -> JoinResult:
    """Join ``parts`` (cards and film, in order) into ``out`` (.mp4 with faststart, or .mkv).

    See `plan_join`; the output appears by atomic rename.
    """
    out = Path(out)
    for part in parts:
        if Path(part).absolute() == out.absolute():
            raise JoinError(f"{out} is one of the parts; write the join elsewhere", path=out)
    with (
        scratch_dir("join-") as tmp,
        atomic_output(out) as part_out,
    ):
        plan = plan_join(parts, part_out, Path(tmp), main=main, ffmpeg=ffmpeg)
        stage_join(plan)
        run_ffmpeg(
            plan.args,
            ffmpeg=ffmpeg,
            duration=plan.total,
            progress=progress,
            step="join",
            what=f"joining {len(plan.links)} parts into {out.name}",
        )
    return JoinResult(
        out=out,
        info=probe(out, ffmpeg=ffmpeg),
        parts=tuple(p for p, _ in plan.links),
        offsets=plan.offsets,
        inband_parameter_sets=plan.inband_parameter_sets,
        warnings=plan.warnings,
    )


def attach_cards(
    film: Path,
    out: Path,
    *,
    intro: CardSpec | None,
    outro: CardSpec | None = None,
    safe_area: float = 0.05,
    workdir: Path | None = None,
    progress: ProgressCallback | None = None,
    ffmpeg: FFmpeg | None = None,
) -> JoinResult:
    """Put ``intro`` before and ``outro`` after the ENCODED ``film``, without re-encoding it.

    The cards are rendered into ``workdir`` (kept), else into a temporary folder removed on
    return (then the result's ``parts`` name files that are gone).
    """
    film = Path(film)
    info = probe(film, ffmpeg=ffmpeg)
    target = CardTarget.from_media_info(info, safe_area=safe_area)
    with contextlib.ExitStack() as stack:
        if workdir is None:
            workdir = Path(stack.enter_context(scratch_dir("join-")))
        parts: list[Path] = []
        if intro is not None:
            parts.append(
                render_card(
                    intro,
                    target,
                    workdir / f"intro{target.extension}",
                    progress=progress,
                    ffmpeg=ffmpeg,
                )
            )
        main = len(parts)
        parts.append(film)
        if outro is not None:
            parts.append(
                render_card(
                    outro,
                    target,
                    workdir / f"outro{target.extension}",
                    progress=progress,
                    ffmpeg=ffmpeg,
                )
            )
        return join_parts(parts, out, main=main, progress=progress, ffmpeg=ffmpeg)
