"""``encode SOURCE --preset P -o OUT``: one file that plays on the venue's device."""

from __future__ import annotations

import shlex
from pathlib import Path

import click

from screenkit.bundle import FileHasher, cache_dir_for, user_cache_dir
from screenkit.cli.common import emit_json, json_option, note, progress_bars, quiet_option
from screenkit.cli.presets import default_kit, kit_presets_option
from screenkit.cli.probe_words import colour_words
from screenkit.encode import EncodeOptions, SubtitleInput, dry_run, encode
from screenkit.errors import InputError
from screenkit.fonts import Font, font_family
from screenkit.kit import Kit, load_kit
from screenkit.languages import is_tag, parse_tag, valid_language
from screenkit.presets import X264_SPEEDS, VenuePreset, load_preset
from screenkit.subtitles.load import language_from_name


def cache_dir(kit: Kit | None) -> Path:
    """Where loudness measurements are kept: the build's own step cache (one store)."""
    return cache_dir_for(kit) if kit is not None else user_cache_dir()


def source_sha256(source: Path, kit: Kit | None) -> str | None:
    """The source's content digest through the build's hash index (cheap after the first)."""
    if not source.is_file():
        return None  # the encode names the problem
    return FileHasher(cache_dir(kit) / "hashes").digest(source).sha256


def parse_track(value: str, kit: Kit | None) -> SubtitleInput:
    """``uk`` (the kit's track), ``uk=path.srt`` or ``path/uk.srt`` (language from the name)."""
    lang, sep, rest = value.partition("=")
    if sep and is_tag(lang):
        return SubtitleInput(Path(rest), parse_tag(lang))
    path = Path(value)
    if valid_language(value) and not path.exists():
        if kit is None:
            raise InputError(
                f"'{value}' names a kit language, but no kit is given",
                value=value,
                hint="pass --kit DIR, or the track's file",
            )
        return SubtitleInput(kit.subtitle_path(value), value)
    found = language_from_name(path)
    if found is None:
        raise InputError(
            f"cannot tell the language of {path}: name it like uk.srt, or write LANG={path}",
            path=path,
        )
    return SubtitleInput(path, found)


@click.command("encode")
@click.argument("source", type=click.Path(dir_okay=True, path_type=Path))
@click.option("--preset", "-p", "preset_name", required=True, help="The venue preset.")
@click.option(
    "-o", "--output", "out", required=True, type=click.Path(path_type=Path), help="Output file."
)
@kit_presets_option
@click.option(
    "--burn", metavar="TRACK", help="Track to burn in: a kit language, FILE or LANG=FILE."
)
@click.option("--soft", metavar="TRACK", multiple=True, help="A soft/sidecar track (repeatable).")
@click.option(
    "--x264-preset",
    type=click.Choice(X264_SPEEDS),
    help="Override the preset's x264 speed (ultrafast for a quick preview).",
)
@click.option(
    "--no-copy",
    is_flag=True,
    help="Re-encode the video even when the source already meets the preset.",
)
@click.option("--dry-run", is_flag=True, help="Print the ffmpeg command(s); run nothing.")
@json_option
@quiet_option
def encode_command(
    source: Path,
    preset_name: str,
    out: Path,
    kit_dir: Path | None,
    burn: str | None,
    soft: tuple[str, ...],
    x264_preset: str | None,
    no_copy: bool,
    dry_run: bool,
    as_json: bool,
    quiet: bool,
) -> None:
    """Encode SOURCE for a venue preset into OUT, checked against the preset afterwards.

    \b
    screenkit encode media/film.mkv --preset usb-player --burn uk -o film-uk.mp4
    screenkit encode film.mov --preset laptop --soft en.srt --soft uk.srt -o film.mkv
    """
    kit_root = default_kit(kit_dir)
    kit = load_kit(kit_root) if kit_root is not None else None
    preset = load_preset(preset_name, kit_root)
    burn_track = parse_track(burn, kit) if burn else None
    options = EncodeOptions(
        burn=burn_track,
        soft=tuple(parse_track(t, kit) for t in soft),
        audio_lang=kit.original_language if kit else None,
        fonts=tuple(Font(path=p, family=font_family(p)) for p in kit.fonts) if kit else (),
        x264_preset=x264_preset,
        allow_copy=not no_copy,
    )
    if dry_run:
        plan = _dry_run_command(source, preset, out, options, kit)
        click.echo("\n".join(plan))
        return
    with progress_bars(quiet or as_json) as progress:
        result = encode(
            source,
            preset,
            out,
            options,
            progress=progress,
            cache_dir=cache_dir(kit),
            sha256=source_sha256(source, kit),
        )
    for warning in result.warnings:
        note(f"Warning: {warning}")
    if as_json:
        emit_json(
            {
                "out": str(result.out),
                "preset": preset.name,
                "copied_video": result.copied_video,
                "two_pass": result.two_pass,
                "enlarged_from": list(result.enlarged_from) if result.enlarged_from else None,
                "colour": result.colour.to_json() if result.colour is not None else None,
                "sidecars": [str(p) for p in result.sidecars],
                "warnings": list(result.warnings),
                "commands": [shlex.join(c) for c in result.commands],
                "elapsed": round(result.elapsed, 3),
                "info": result.info.to_json(),
            }
        )
        return
    v = result.info.video
    shape = f"{v.width}x{v.height} {float(v.frame_rate):g} fps" if v else ""
    how = "video copied" if result.copied_video else "encoded"
    if result.enlarged_from is not None:
        how += ", enlarged from the stored {}x{}".format(*result.enlarged_from)
    note(f"wrote {result.out} ({preset.name}: {shape}, {how}, {result.elapsed:.1f} s)")
    if (colour := colour_words(result.colour)) is not None:
        note(f"  {colour}")
    for path in result.sidecars:
        note(f"wrote {path}")


def _dry_run_command(
    source: Path, preset: VenuePreset, out: Path, options: EncodeOptions, kit: Kit | None
) -> list[str]:
    planned = dry_run(
        source, preset, out, options, cache_dir=cache_dir(kit), sha256=source_sha256(source, kit)
    )
    for line in planned.notes:
        note(f"# {line}")
    return [shlex.join(cmd) for cmd in planned.commands]


COMMANDS: list[click.Command] = [encode_command]
