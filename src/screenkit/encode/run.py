"""Running an encode: probe, measure, plan, stage, run, check, publish.

The output appears only by atomic rename after the compliance check passed; a failure at
any point (bad source, ffmpeg error, a mismatch, Ctrl-C) leaves no file at ``out``. The
source is never written: an ``out`` that is the source is refused before anything runs.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace
from pathlib import Path

from screenkit.encode.builder import EncodePlan
from screenkit.encode.colour import colour_plan, require_tone_mapping
from screenkit.encode.compliance import ComplianceError
from screenkit.encode.family import check_compliance, plan_encode
from screenkit.encode.loudness import Loudness, cached_loudness, measure_args, measure_loudness
from screenkit.encode.options import EncodeOptions, EncodeResult
from screenkit.encode.quality import Quality, measure_quality
from screenkit.encode.subs import (
    check_sidecars,
    sidecar_tracks,
    stage_burn,
    stage_soft,
    undrawable,
    write_sidecars,
)
from screenkit.errors import InputError
from screenkit.languages import valid_language
from screenkit.media.atomic import atomic_output
from screenkit.media.binaries import FFmpeg, find_ffmpeg
from screenkit.media.info import MediaInfo
from screenkit.media.probe import probe
from screenkit.media.runner import full_argv, run_ffmpeg
from screenkit.presets.model import LoudnessSpec, VenuePreset
from screenkit.progress import ProgressCallback
from screenkit.tempdirs import placeholder, scratch_dir

EXTENSIONS = {"mp4": (".mp4", ".m4v"), "mkv": (".mkv",), "avi": (".avi",), "dvd": (".mpg", ".vob")}
_DAMAGE_WORDS = ("error while decoding", "invalid data", "corrupt", "truncat", "missing picture")


def _same_file(a: Path, b: Path) -> bool:
    if a.resolve() == b.resolve():
        return True
    try:
        return b.exists() and a.samefile(b)
    except OSError:
        return False


def check_paths(source: Path, out: Path, preset: VenuePreset, options: EncodeOptions) -> None:
    """Refuse what would overwrite an input or make a file the device cannot open."""
    if _same_file(source, out):
        raise InputError(
            f"{out} is the source: screenkit never overwrites a source",
            path=out,
            hint="choose another output name with -o",
        )
    for track in (*([options.burn] if options.burn else []), *options.soft):
        if not track.path.is_file():
            raise InputError(f"{track.path}: no such subtitle file", path=track.path)
        if not valid_language(track.lang):
            raise InputError(
                f"'{track.lang}' is not a language tag like 'en' or 'pt-BR' ({track.path})",
                path=track.path,
                value=track.lang,
            )
        if _same_file(track.path, out):
            raise InputError(f"{out} is an input subtitle track", path=out)
    if out.suffix.lower() not in EXTENSIONS[preset.container]:
        raise InputError(
            f"{out.name}: preset {preset.name} makes {preset.container.upper()} files, "
            f"name the output {preset.extension}",
            path=out,
            value=out.suffix,
            hint=f"-o {out.with_suffix(preset.extension).name}",
        )


def probe_source(source: Path, ffmpeg: FFmpeg) -> MediaInfo:
    """The source's `MediaInfo`; sound alone is an error (there is no picture to screen)."""
    info = probe(source, ffmpeg=ffmpeg)
    if info.video is None:
        raise InputError(
            f"{source} holds only sound, no picture to screen",
            path=source,
            hint="give the film's video file",
        )
    return info


def _warnings(preset: VenuePreset, options: EncodeOptions) -> list[str]:
    notes = []
    if options.burn is not None and not preset.subtitles.burn:
        where = "a soft track" if preset.subtitles.soft else "a sidecar"
        if preset.subtitles.subpictures:
            where = "a DVD subpicture stream (authored with the disc)"
        notes.append(f"{preset.name} burns no subtitles: {options.burn.lang} goes in {where}")
    if options.soft and not preset.subtitles.soft and preset.subtitles.sidecar == "none":
        notes.append(f"{preset.name} carries no soft subtitles: --soft tracks are left out")
    return notes


def _damage(log: str) -> list[str]:
    lines = [ln.strip() for ln in log.splitlines() if any(w in ln.lower() for w in _DAMAGE_WORDS)]
    if not lines:
        return []
    return [f"the source is damaged; ffmpeg said: {lines[0]} ({len(lines)} such messages)"]


def _stage(plan: EncodePlan, preset: VenuePreset, options: EncodeOptions) -> None:
    if plan.burn is not None:
        fmt = plan.burn_format or plan.format
        stage_burn(plan.burn, preset, fmt, plan.workdir, options.fonts, options.start)
    stage_soft(plan.soft, preset.container, plan.workdir, options.start)


def encode(
    source: Path | str,
    preset: VenuePreset,
    out: Path | str,
    options: EncodeOptions | None = None,
    *,
    progress: ProgressCallback | None = None,
    cache_dir: Path | None = None,
    ffmpeg: FFmpeg | None = None,
    check: bool = True,
    sha256: str | None = None,
    quality: bool = False,
) -> EncodeResult:
    """Encode ``source`` to ``out`` under ``preset``; the output is compliance-checked.

    ``cache_dir`` keeps the loudness measurement of the source between runs (``sha256``:
    the source's content digest, when the caller knows it; see `measurement_key`). Raises
    `InputError`/`ProbeError` for an unusable source, `FFmpegFailed`, `ComplianceError`.
    ``quality`` measures the picture's SSIM/PSNR against the master (`measure_quality`)
    before the file is published; a copied video stream is the master's and is not measured.
    """
    started = time.monotonic()
    ffmpeg = ffmpeg or find_ffmpeg()
    source, out = Path(source), Path(out)
    options = options or EncodeOptions()
    check_paths(source, out, preset, options)
    info = probe_source(source, ffmpeg)
    check_colour_tools(info, preset, ffmpeg)  # an HDR master needs zscale: refused before
    sidecars = sidecar_tracks(preset, options)
    check_sidecars(sidecars, preset)
    loudness = None
    if info.audio and preset.audio.loudness is not None:
        loudness = measure_loudness(
            info,
            channels=preset.audio.channels,
            cache_dir=cache_dir,
            ffmpeg=ffmpeg,
            progress=progress,
            sha256=sha256,
        )
    with (
        scratch_dir("encode-") as tmp,
        atomic_output(out) as part,
    ):
        plan = plan_encode(
            info,
            preset,
            part,
            options,
            loudness=loudness,
            workdir=Path(tmp),
            ffmpeg_version=ffmpeg.version_tuple,
        )
        done = run_plan(
            plan, info, preset, options, ffmpeg=ffmpeg, progress=progress, check=check, out=out
        )
        measured: Quality | None = None
        if quality and not plan.copy_video:
            measured = measure_quality(
                part,
                info,
                preset,
                options,
                plan.format,
                Path(tmp),
                ffmpeg=ffmpeg,
                progress=progress,
            )
    written = write_sidecars(sidecars, preset, out)
    return EncodeResult(
        out=out,
        info=_moved(done.info, out),
        source=info,
        commands=done.commands,
        copied_video=plan.copy_video,
        two_pass=plan.two_pass,
        sidecars=written,
        warnings=done.warnings,
        elapsed=time.monotonic() - started,
        enlarged_from=plan.format.enlarged_from,
        quality=measured,
        colour=plan.format.colour,
    )


def check_colour_tools(info: MediaInfo, preset: VenuePreset, ffmpeg: FFmpeg) -> None:
    """Refuse a master whose colour the preset cannot take (Dolby Vision without a base
    layer) or the ffmpeg cannot convert (HDR without ``zscale``), before any work."""
    require_tone_mapping(ffmpeg, colour_plan(info, preset))


@dataclass(frozen=True)
class PlanRun:
    """What running an `EncodePlan` made: the output as probed, the argv run, warnings."""

    info: MediaInfo
    commands: tuple[tuple[str, ...], ...]
    warnings: tuple[str, ...]


def encode_warnings(preset: VenuePreset, options: EncodeOptions) -> list[str]:
    """What an encode warns about before it runs (a setting overridden, a missing glyph)."""
    warnings = _warnings(preset, options)
    burn = options.burn if preset.subtitles.burn else None
    if burn is not None and (missing := undrawable(burn, options.fonts)):
        warnings.append(
            f"the burn-in font cannot draw {''.join(missing[:20])!r} "
            f"({burn.path.name}): add a kit font that can (fonts in screenkit.toml)"
        )
    return warnings


def run_plan(
    plan: EncodePlan,
    source: MediaInfo,
    preset: VenuePreset,
    options: EncodeOptions,
    *,
    ffmpeg: FFmpeg,
    progress: ProgressCallback | None = None,
    check: bool = True,
    out: Path | None = None,
) -> PlanRun:
    """Stage the plan's tracks in its workdir, run its commands, check the output.

    The output is the plan's own path (``out`` only names it in a `ComplianceError`); the
    argv run are exactly ``plan.argv(ffmpeg)`` with the runner's progress options.
    """
    warnings = encode_warnings(preset, options)
    _stage(plan, preset, options)
    commands: list[tuple[str, ...]] = []
    for args, step in zip(plan.commands, plan.steps, strict=True):
        result = run_ffmpeg(
            args,
            ffmpeg=ffmpeg,
            duration=plan.format.duration,
            progress=progress,
            step=step,
            what=f"encoding {source.path.name}",
        )
        commands.append(result.argv)
        warnings += _damage(result.log)
    out_info = probe(plan.out, ffmpeg=ffmpeg)
    mismatches = check_compliance(out_info, preset, plan.format) if check else []
    if mismatches:
        raise ComplianceError(out or plan.out, preset.name, mismatches)
    return PlanRun(out_info, tuple(commands), tuple(dict.fromkeys(warnings)))


def _moved(info: MediaInfo, out: Path) -> MediaInfo:
    return replace(info, path=out)


@dataclass(frozen=True)
class DryRun:
    """The commands an encode would run now, without running them."""

    commands: tuple[tuple[str, ...], ...]
    """Full argv lists (binary first), in order."""
    notes: tuple[str, ...]
    plan: EncodePlan


def dry_run(
    source: Path | str,
    preset: VenuePreset,
    out: Path | str,
    options: EncodeOptions | None = None,
    *,
    cache_dir: Path | None = None,
    ffmpeg: FFmpeg | None = None,
    sha256: str | None = None,
) -> DryRun:
    """What `encode` would run: probes the source and reads the loudness cache, runs nothing.

    When the source's loudness is not cached yet, the measuring command comes first and the
    encode's ``measured_*`` values read ``nan``: they are filled from that measurement.
    """
    ffmpeg = ffmpeg or find_ffmpeg()
    source, out = Path(source), Path(out)
    options = options or EncodeOptions()
    check_paths(source, out, preset, options)
    info = probe_source(source, ffmpeg)
    check_colour_tools(info, preset, ffmpeg)
    commands: list[tuple[str, ...]] = []
    notes = list(_warnings(preset, options))
    loudness: Loudness | None = None
    if info.audio and preset.audio.loudness is not None:
        loudness = cached_loudness(info, preset.audio.channels, cache_dir, ffmpeg, sha256)
        if loudness is None:
            args = measure_args(info, preset.audio.channels, LoudnessSpec())
            commands.append(tuple(full_argv(args, ffmpeg, loglevel="info", progress=False)))
            notes.append("the encode's measured_* loudness values come from the first command")
            nan = math.nan
            loudness = Loudness(nan, nan, nan, nan)
    workdir = placeholder("encode")
    plan = plan_encode(
        info,
        preset,
        out,
        options,
        loudness=loudness,
        workdir=workdir,
        ffmpeg_version=ffmpeg.version_tuple,
    )
    if plan.burn is not None or plan.soft:
        notes.append(f"{workdir} stands for the private folder holding the staged tracks")
    commands += [tuple(argv) for argv in plan.argv(ffmpeg)]
    return DryRun(commands=tuple(commands), notes=(*notes, *plan.notes), plan=plan)
