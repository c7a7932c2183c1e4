"""``screenkit copy``: a bundle onto a USB stick, read back before it is called ready."""

from __future__ import annotations

from pathlib import Path

import click

from screenkit.cli.common import emit_json, json_option, note, progress_bars, quiet_option
from screenkit.i18n import translator
from screenkit.stick import (
    CopyReport,
    Drive,
    Finding,
    copy_bundle,
    describe_finding,
    display_name,
    removable_drives,
)
from screenkit.stick.words import size_words

_EN = translator("en")


def _finding_json(finding: Finding) -> dict[str, object]:
    return {**finding.to_json(), "message": describe_finding(finding, _EN)}


def _show_drives(drives: list[Drive], as_json: bool) -> None:
    if as_json:
        emit_json({"drives": [d.to_json() for d in drives]})
        return
    if not drives:
        note(
            "No removable drive is mounted. Plug in the stick and let the system mount it "
            "(or: udisksctl mount -b /dev/sdX1); any folder works as DEST too."
        )
        return
    for drive in drives:
        fs = display_name(drive.fstype) if drive.fstype else "?"
        free = size_words(drive.free, _EN) if drive.free is not None else "? MB"
        size = size_words(drive.size, _EN) if drive.size is not None else "?"
        label = drive.label or "-"
        click.echo(f"{drive.path}\t{label}\t{fs}\t{free} free of {size}\t{drive.device or ''}")


def _show_report(report: CopyReport, as_json: bool) -> None:
    if as_json:
        emit_json({**report.to_json(), "warnings": [_finding_json(w) for w in report.warnings]})
        return
    for warning in report.warnings:
        if warning.code != "already":
            note(f"Warning: {describe_finding(warning, _EN)}")
    size = size_words(report.bytes, _EN)
    how = (
        "already there: read back"
        if report.already
        else ("copied over the old folder, read back" if report.replaced else "copied, read back")
    )
    note(
        f"{report.folder.name}: {report.files} files, {size}, {how} and checked against "
        f"manifest.json in {report.elapsed:.1f} s. Eject the stick properly before pulling it."
    )
    click.echo(f"ready  {report.folder}")


@click.command("copy")
@click.argument("bundle", metavar="BUNDLE_DIR", required=False, type=click.Path(path_type=Path))
@click.argument("dest", metavar="DEST", required=False, type=click.Path(path_type=Path))
@click.option(
    "--replace",
    is_flag=True,
    help="Replace a different folder of the bundle's name in DEST, once the new copy is checked.",
)
@click.option(
    "--list-drives",
    is_flag=True,
    help="List the mounted removable drives (folder, label, format, free space) and exit.",
)
@quiet_option
@json_option
def copy_command(
    bundle: Path | None,
    dest: Path | None,
    replace: bool,
    list_drives: bool,
    quiet: bool,
    as_json: bool,
) -> None:
    """Copy a bundle onto a USB stick, sync it, and read every file back before it is ready.

    The bundle goes into DEST/<bundle folder name>: first under a hidden .part- name, each
    file synced, then every file read back from the stick and compared with manifest.json;
    only then renamed, so a stopped copy (Ctrl-C) leaves nothing that looks whole. Before
    anything is written the copy refuses, in the sheet's words, what cannot work: a file of
    4 GiB or more on FAT32, too little space, an unfinished bundle, a folder of the same
    name that holds something else (--replace); and warns of a format the preset's player
    may not read (NTFS, Mac or Linux formats for a TV). The same bundle already on the stick
    is only read back.

    \b
      screenkit copy --list-drives
      screenkit copy out/sample-demo /media/anna/STICK
      screenkit copy out/sample-demo /media/anna/STICK --replace --json
    """
    if list_drives:
        if bundle is not None or dest is not None or replace:
            raise click.UsageError("--list-drives takes no BUNDLE_DIR, DEST or --replace")
        _show_drives(removable_drives(), as_json)
        return
    if bundle is None or dest is None:
        raise click.UsageError(
            "give BUNDLE_DIR and DEST (the stick's folder: screenkit copy --list-drives)"
        )
    with progress_bars(quiet or as_json) as progress:
        report = copy_bundle(bundle, dest, progress=progress, replace=replace)
    _show_report(report, as_json)


COMMANDS = [copy_command]
