"""``doctor`` and ``probe``: what the machine and a media file offer."""

from __future__ import annotations

from pathlib import Path

import click

from screenkit.cli.common import emit_json, json_option
from screenkit.doctor import diagnose
from screenkit.media.info import MediaInfo
from screenkit.media.probe import probe as probe_file


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
        if v.rotation:
            extra.append(f"rotated {v.rotation}°")
        if v.interlaced:
            extra.append(f"interlaced ({v.field_order})")
        if v.sar != 1:
            extra.append(f"SAR {v.sar}")
        profile = " ".join(p for p in (v.profile, f"L{v.level / 10:g}" if v.level else None) if p)
        lines.append(
            f"  video      #{v.index} {v.codec} {profile} {v.width}x{v.height} {v.pix_fmt}, {rate}"
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


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@json_option
@click.option(
    "--route",
    type=click.Choice(["ffprobe", "pyav"]),
    help="How to read the file (default: ffprobe when it sits beside ffmpeg, else PyAV).",
)
def probe(file: Path, as_json: bool, route: str | None) -> None:
    """Show what a media file holds: streams, codecs, size, frame rate, rotation."""
    info = probe_file(file, route=route)  # type: ignore[arg-type]
    if as_json:
        emit_json(info.to_json())
    else:
        click.echo("\n".join(describe(info)))


COMMANDS: list[click.Command] = [doctor, probe]
