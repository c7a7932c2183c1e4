"""``presets list | show | check``: what devices the kit can target, and where each value
of a preset came from."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from screenkit.cli.common import emit_json, json_option, kit_option
from screenkit.errors import ScreenkitError
from screenkit.kit import MANIFEST
from screenkit.presets import (
    VenuePreset,
    describe_value,
    flatten,
    list_presets,
    load_preset,
    load_preset_file,
)

kit_presets_option = kit_option(
    "The kit whose presets/ folder adds to the standard presets (default: the current folder "
    "when it is a kit).",
    default=None,
)


def default_kit(kit_dir: Path | None) -> Path | None:
    """``--kit``, else the current folder when it holds a kit manifest."""
    if kit_dir is not None:
        return kit_dir
    return Path.cwd() if (Path.cwd() / MANIFEST).is_file() else None


def preset_json(preset: VenuePreset) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, value in flatten(preset):
        shown: Any = value
        if not isinstance(value, bool | int | float | str) and value is not None:
            shown = describe_value(value)
        values[key] = {"value": shown, "from": preset.origin(key)}
    return {"name": preset.name, "extends": preset.extends, "source": preset.source, **values}


@click.group()
def presets() -> None:
    """Venue presets: what a playback device accepts."""


@presets.command("list")
@kit_presets_option
@json_option
def list_command(kit_dir: Path | None, as_json: bool) -> None:
    """List the standard presets and the kit's own."""
    entries = list_presets(default_kit(kit_dir))
    if as_json:
        emit_json(
            [
                {
                    "name": e.name,
                    "description": e.description,
                    "origin": e.origin,
                    "path": str(e.path),
                    "extends": e.extends,
                    "overrides_standard": e.overrides_standard,
                }
                for e in entries
            ]
        )
        return
    width = max((len(e.name) for e in entries), default=4)
    for e in entries:
        origin = "kit, replaces standard" if e.overrides_standard else e.origin
        desc = e.description or (f"extends {e.extends}" if e.extends else "")
        click.echo(f"{e.name:<{width}}  {origin:<8}  {desc}")


@presets.command("show")
@click.argument("name")
@kit_presets_option
@json_option
def show_command(name: str, kit_dir: Path | None, as_json: bool) -> None:
    """Show preset NAME resolved (extends applied), with where each value came from."""
    preset = load_preset(name, default_kit(kit_dir))
    if as_json:
        emit_json(preset_json(preset))
        return
    chain = f" (extends {preset.extends})" if preset.extends else ""
    click.echo(f"{preset.name}{chain}: {preset.description}")
    rows = [(key, describe_value(value), preset.origin(key)) for key, value in flatten(preset)]
    kw = max(len(r[0]) for r in rows)
    vw = max(len(r[1]) for r in rows)
    for key, value, origin in rows:
        click.echo(f"  {key:<{kw}}  {value:<{vw}}  {origin}")


@presets.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@kit_presets_option
def check_command(files: tuple[Path, ...], kit_dir: Path | None) -> None:
    """Validate preset FILES; exit 1 when any has an unknown key or an impossible value."""
    failed = 0
    for path in files:
        try:
            preset = load_preset_file(path, kit_dir)
        except ScreenkitError as exc:
            failed += 1
            click.secho(f"Error: {exc.message}", err=True, fg="red")
            continue
        chain = f", extends {preset.extends}" if preset.extends else ""
        click.echo(f"ok  {path} ({preset.name}{chain})")
    if failed:
        raise click.exceptions.Exit(1)


COMMANDS: list[click.Command] = [presets]
