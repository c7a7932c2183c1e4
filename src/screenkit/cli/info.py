"""``doctor`` and ``probe``: what the machine and a media file offer."""

from __future__ import annotations

from pathlib import Path

import click

from screenkit.cli.common import emit_json, json_option
from screenkit.cli.presets import default_kit, kit_presets_option
from screenkit.cli.probe_words import describe, describe_output, describe_refusal
from screenkit.doctor import diagnose
from screenkit.encode.colour import HdrError
from screenkit.encode.family import encoded_format
from screenkit.media.probe import probe as probe_file
from screenkit.presets import load_preset

__all__ = ["COMMANDS", "describe"]


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
            if not check.ok and check.optional:
                mark = click.style("-- ", fg="yellow")
            click.echo(f"{mark} {check.name:<12} {check.detail}")
            if check.fix:
                click.echo(f"    {'':<12} fix: {check.fix}")
    if not report.ok:
        raise click.exceptions.Exit(1)


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
    """Show what a media file holds: streams, codecs, size, frame rate, rotation, colour.

    Sizes are said as players show them: "stored 1920×1080, shown 1080×1920 (portrait,
    rotated 90° clockwise)". In --json, video.rotation is that clockwise turn (0, 90, 180,
    270) and video.display_matrix_rotation the same turn as ffprobe prints its display
    matrix: counter-clockwise degrees, so a phone clip shown upright is -90.

    The colour line says SDR or HDR as a phone records it: "HDR: HLG, BT.2020, 10-bit;
    Dolby Vision 8.4 over HLG" (in --json: video.colour, with the tags by ffmpeg's names,
    bit_depth, mastering, light and dolby_vision).

    With --preset, also the picture an encode for that venue makes: a master below the
    preset's minimum frame is enlarged ("962x720, enlarged from the stored 176x144"); an
    HDR master is tone-mapped to SDR BT.709 for every preset but the archive, which keeps
    it HDR (in --json: outputs.PRESET.colour).
    """
    info = probe_file(file, route=route)  # type: ignore[arg-type]
    kit_root = default_kit(kit_dir)
    presets = [load_preset(name, kit_root) for name in preset_names]
    outputs: dict[str, dict[str, object]] = {}
    lines = describe(info)
    for preset in presets if info.video is not None else []:
        try:
            fmt = encoded_format(info, preset)
        except HdrError as exc:  # a Dolby Vision master without a base layer
            outputs[preset.name] = {"refused": exc.message, "hint": exc.hint}
            lines += describe_refusal(preset, exc)
            continue
        outputs[preset.name] = fmt.to_json()
        lines += describe_output(preset, fmt)
    if as_json:
        document = info.to_json()
        if presets:
            document["outputs"] = outputs
        emit_json(document)
    else:
        click.echo("\n".join(lines))


COMMANDS: list[click.Command] = [doctor, probe]
