"""``screenkit publish`` and ``screenkit fetch``: hand the built bundles over."""

from __future__ import annotations

from pathlib import Path

import click

from screenkit.cli.common import (
    emit_json,
    json_option,
    kit_option,
    lang_option,
    note,
    progress_bars,
    quiet_option,
)
from screenkit.errors import ConfigError
from screenkit.handover import OpenedCatalogue, fetch_bundle, open_catalogue, publish
from screenkit.handover.words import device_words, size_words
from screenkit.i18n import translator
from screenkit.kit import MANIFEST, load_kit


@click.command("publish")
@click.argument("site", metavar="OUT_DIR", type=click.Path(file_okay=False, path_type=Path))
@click.argument("names", nargs=-1, metavar="[BUNDLE]...")
@kit_option()
@click.option(
    "--from",
    "source",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Where the built bundles are (default: <kit>/out).",
)
@click.option(
    "--base-url",
    metavar="URL",
    help="The address OUT_DIR will be served from: the torrents' web seed and the magnet links.",
)
@quiet_option
@json_option
def publish_command(
    site: Path,
    names: tuple[str, ...],
    kit_dir: Path,
    source: Path | None,
    base_url: str | None,
    quiet: bool,
    as_json: bool,
) -> None:
    """Write a site to download the bundles from: pages, ZIPs, torrents, catalogue.json.

    OUT_DIR gets, for every built bundle (or each BUNDLE named, as build names it:
    uk-usb-player), its folder (files hard-linked from out/ where the disk allows), one ZIP
    (stored: a one-click browser download), one .torrent whose web seed is --base-url (it
    downloads from the server when nobody seeds), a magnet link, a page per kit language
    (index.html picks the browser's) and catalogue.json for screenkit fetch. Copy OUT_DIR to
    any web server or object store as it is. Publishing again rewrites only the bundles that
    changed and removes those no longer there. The server must answer range requests (nginx,
    Apache, Caddy and object stores do; python -m http.server does not): torrent clients fetch
    pieces from the web seed by range, and fetch resumes by range.

    \b
      screenkit build --all
      screenkit publish site --base-url https://films.example.net/preparing/
      screenkit publish site uk-usb-player it-usb-player --base-url https://…/
    """
    kit = load_kit(kit_dir)
    with progress_bars(quiet or as_json) as progress:
        report = publish(
            kit, site, source=source, names=names, base_url=base_url, progress=progress
        )
    if as_json:
        emit_json(report.to_json())
        return
    tr = translator("en")
    width = max((len(b.name) for b in report.bundles), default=0)
    for bundle in report.bundles:
        click.echo(
            f"{bundle.status:<10} {bundle.name:<{width}}  {size_words(bundle.size, tr):>9}  "
            f"(ZIP {size_words(bundle.zip_size, tr)})"
        )
    for name in report.removed:
        click.echo(f"{'removed':<10} {name}")
    for warning in report.warnings:
        note(f"Warning: {warning}")
    note(
        f"{report.site}: {len(report.bundles)} bundles, pages in {', '.join(kit.languages)}, "
        f"catalogue.json, in {report.elapsed:.1f} s"
    )


def _location(catalogue: str | None, kit_dir: Path) -> str:
    if catalogue:
        return catalogue
    if (kit_dir / MANIFEST).is_file():
        kit = load_kit(kit_dir)
        if kit.catalogue:
            return kit.catalogue
        raise ConfigError(
            f"{kit.manifest} names no catalogue and none was given",
            path=kit.manifest,
            key="kit.catalogue",
            hint="give the address: screenkit fetch https://…/catalogue.json, or add [kit] "
            'catalogue = "https://…" to the kit',
        )
    raise click.UsageError("give the catalogue's address (an https URL or a folder)")


def _show_list(opened: OpenedCatalogue, lang: str | None, preset: str | None) -> None:
    tr = translator("en")
    catalogue = opened.catalogue
    shown = [
        b
        for b in catalogue.bundles
        if (lang is None or b.lang.lower() == lang.lower()) and preset in (None, b.preset)
    ]
    click.echo(
        f"{catalogue.title} (kit {catalogue.kit}): {len(shown)} of {len(catalogue.bundles)} bundles"
    )
    for b in shown:
        click.echo(
            f"  {b.lang:<6} {b.preset:<18} {size_words(b.size, tr):>9}  built {b.built[:10]}  "
            f"{tr.native_name(b.lang)}: {device_words(b.device, tr)}"
        )
    if shown:
        first = shown[0]
        note(
            f"get one: screenkit fetch {opened.location} "
            f"--lang {first.lang} --preset {first.preset}"
        )


@click.command("fetch")
@click.argument("catalogue", required=False, metavar="[CATALOGUE]")
@lang_option("The screening language of the bundle.")
@click.option("--preset", metavar="P", help="The venue preset of the bundle (usb-player, …).")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    metavar="DIR",
    help="Where the bundle folder goes.",
)
@click.option("--list", "listing", is_flag=True, help="Show what the catalogue offers.")
@kit_option("A kit whose [kit] catalogue is the default CATALOGUE.")
@quiet_option
@json_option
def fetch_command(
    catalogue: str | None,
    lang: str | None,
    preset: str | None,
    out: Path,
    listing: bool,
    kit_dir: Path,
    quiet: bool,
    as_json: bool,
) -> None:
    """Download a ready bundle from a catalogue, check every file, verify it.

    CATALOGUE is the address screenkit publish's site is served from (https://…/, or its
    catalogue.json), or that site's folder; without it, the kit's [kit] catalogue. Every
    file's size and sha256 are checked against the catalogue as it arrives, then the
    bundle is verified as on the stick; its folder appears in --out only when all holds.
    An interrupted download goes on where it stopped when run again (HTTP range requests).

    \b
      screenkit fetch https://films.example.net/preparing/ --list
      screenkit fetch https://films.example.net/preparing/ --lang uk --preset usb-player
      screenkit fetch /media/stick/site --lang it --preset laptop --out bundles
    """
    location = _location(catalogue, kit_dir)
    if not listing and (lang is None or preset is None):
        raise click.UsageError("give --lang and --preset of the bundle (or --list to see them)")
    with open_catalogue(location) as opened:
        for warning in opened.warnings:
            note(f"Warning: {warning}")
        if listing:
            if as_json:
                emit_json(opened.catalogue.to_json())
            else:
                _show_list(opened, lang, preset)
            return
        assert lang is not None and preset is not None
        bundle = opened.choose(lang, preset)
        with progress_bars(quiet or as_json) as progress:
            result = fetch_bundle(opened, bundle, out, progress=progress)
    if as_json:
        emit_json(result.to_json())
        return
    tr = translator("en")
    for warning in result.verify.warnings:
        note(f"Warning: {warning}")
    if result.already:
        note(f"{bundle.name} was already in {out}: verified again, OK")
    else:
        resumed = f", {size_words(result.resumed, tr)} resumed" if result.resumed else ""
        note(
            f"{bundle.name}: {len(bundle.files)} files, {size_words(result.downloaded, tr)} "
            f"downloaded{resumed} in {result.elapsed:.1f} s; every file checked, verified OK"
        )
    click.echo(str(result.folder))


COMMANDS: list[click.Command] = [publish_command, fetch_command]
