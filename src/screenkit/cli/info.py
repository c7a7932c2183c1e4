"""``doctor`` and ``probe``: what the machine and a media file offer."""

from __future__ import annotations

from pathlib import Path

import click

from screenkit.cli.common import emit_json, json_option
from screenkit.cli.presets import default_kit, kit_presets_option
from screenkit.doctor import diagnose
from screenkit.encode import output_format
from screenkit.encode.options import OutputFormat
from screenkit.media.info import MediaInfo
from screenkit.media.probe import probe as probe_file
from screenkit.presets import VenuePreset, load_preset


@click.command()
@json_option
def doctor(as_json: bool) -> None:
    """Check this machine: ffmpeg, probing, libass/freetype/x264 and the font.

    Exits 1 when something screenkit needs is missing; each problem comes with a fix.
    """
    report = diagnose()
    if as_json:
        emit_json(report.to_json())
    else:
        for check in report.checks:
            mark = click.style("ok ", fg="green") if check.ok else click.style("NO ", fg="red")
            click.echo(f"{mark} {check.name:<12} {check.detail}")
            if check.fix:
                click.echo(f"    {'':<12} fix: {check.fix}")
    if not report.ok:
        raise click.exceptions.Exit(1)


def describe(info: MediaInfo) -> list[str]:
    lines = [
        f"{info.path}",
        f"  container  {info.container}, {info.duration:.3f} s, {info.size_bytes:,} bytes",
    ]
    if (v := info.video) is not None:
        rate = f"{float(v.frame_rate):.3f} fps ({v.frame_rate})"
        extra = []
        if v.vfr:
            extra.append(f"variable frame rate, average {float(v.avg_frame_rate or 0):.3f}")
        if v.interlaced:
            extra.append(f"interlaced ({v.field_order})")
        profile = " ".join(p for p in (v.profile, f"L{v.level / 10:g}" if v.level else None) if p)
        lines.append(
            f"  video      #{v.index} {v.codec} {profile} {v.shown_as()} {v.pix_fmt}, {rate}"
            + (f"; {'; '.join(extra)}" if extra else "")
        )
    for a in info.audio:
        lang = f" [{a.language}]" if a.language else ""
        lines.append(
            f"  audio      #{a.index} {a.codec} {a.layout or a.channels} {a.sample_rate} Hz{lang}"
        )
    for s in info.subtitles:
        lang = f" [{s.language}]" if s.language else ""
        lines.append(f"  subtitles  #{s.index} {s.codec}{lang}{' default' if s.default else ''}")
    return lines


def describe_output(preset: VenuePreset, fmt: OutputFormat) -> str:
    rate = f"{float(fmt.frame_rate):.3f} fps"
    if fmt.copy_video:
        how = "video copied as it is"
    elif fmt.size_note:
        low = f"{preset.video.min_width or '-'}x{preset.video.min_height or '-'}"
        how = f"encoded at {fmt.size_note} (the preset's minimum frame is {low})"
    else:
        how = f"encoded at {fmt.width}x{fmt.height}"
    return f"  {preset.name:<10} {how}, {rate}"


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@json_option
@click.option(
    "--route",
    type=click.Choice(["ffprobe", "pyav"]),
    help="How to read the file (default: ffprobe when it sits beside ffmpeg, else PyAV).",
)
@click.option(
    "--preset",
    "-p",
    "preset_names",
    multiple=True,
    help="Also say the picture an encode for this venue preset makes (repeatable).",
)
@kit_presets_option
def probe(
    file: Path,
    as_json: bool,
    route: str | None,
    preset_names: tuple[str, ...],
    kit_dir: Path | None,
) -> None:
    """Show what a media file holds: streams, codecs, size, frame rate, rotation.

    Sizes are said as players show them: "stored 1920×1080, shown 1080×1920 (portrait,
    rotated 90° clockwise)". In --json, video.rotation is that clockwise turn (0, 90, 180,
    270) and video.display_matrix_rotation the same turn as ffprobe prints its display
    matrix: counter-clockwise degrees, so a phone clip shown upright is -90.

    With --preset, also the size an encode for that venue makes: a master below the
    preset's minimum frame is enlarged ("962x720, enlarged from the stored 176x144").
    """
    info = probe_file(file, route=route)  # type: ignore[arg-type]
    kit_root = default_kit(kit_dir)
    presets = [load_preset(name, kit_root) for name in preset_names]
    outputs = [(p, output_format(info, p)) for p in presets if info.video is not None]
    if as_json:
        document = info.to_json()
        if presets:
            document["outputs"] = {p.name: fmt.to_json() for p, fmt in outputs}
        emit_json(document)
    else:
        click.echo("\n".join(describe(info)))
        for preset, fmt in outputs:
            click.echo(describe_output(preset, fmt))


COMMANDS: list[click.Command] = [doctor, probe]
