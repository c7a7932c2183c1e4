"""``screenkit build``, ``screenkit verify`` and ``screenkit cache info|clear``."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

import click

from screenkit import diskspace
from screenkit.bundle import (
    OVERALL,
    SCHEDULER_ENV,
    BuildEvent,
    BuildPlan,
    BuildProgress,
    BuildSettings,
    ClusterSpec,
    EventCallback,
    Organiser,
    StepCache,
    StepFinished,
    StepProgress,
    build,
    cache_dir_for,
    describe,
    plan_build,
    plan_needs,
    require_dask,
    resolve_requests,
    user_cache_dir,
    verify_bundle,
)
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
from screenkit.kit import MANIFEST, OUTRO_MAX, OUTRO_SECONDS, load_kit
from screenkit.presets import speed_problem
from screenkit.progress import Progress, ProgressCallback


@click.command("build")
@click.argument("names", nargs=-1, metavar="[NAME]...")
@kit_option()
@click.option(
    "--all",
    "all_bundles",
    is_flag=True,
    help="Every kit language x standard file preset (old players by --preset).",
)
@click.option("--preset", metavar="P", help="An ad-hoc bundle for this venue preset.")
@lang_option("The screening language of an ad-hoc bundle.")
@lang_option("Burn this language into the picture.", "--burn")
@click.option("--venue", help="The organiser's line on the card: where.")
@click.option("--date", help="The organiser's line on the card: when.")
@click.option("--contact", help="The organiser's line on the card: a local contact.")
@click.option(
    "--outro",
    type=click.FloatRange(1, OUTRO_MAX),
    is_flag=False,
    flag_value=OUTRO_SECONDS,
    default=None,
    metavar="[SECONDS]",
    help=f"Show the appeal card again after the film, for the collection "
    f"({OUTRO_SECONDS:g} s without a number, up to {OUTRO_MAX:g} s for a talk).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 64),
    default=2,
    show_default=True,
    help="Steps to run side by side (ffmpeg itself uses every core).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 256),
    help="Run on a local Dask cluster of N worker processes (the cluster extra).",
)
@click.option(
    "--scheduler",
    metavar="tcp://HOST:PORT",
    help="Run on an existing Dask cluster (default: $SCREENKIT_SCHEDULER).",
)
@click.option(
    "--chunks",
    default="auto",
    show_default=True,
    metavar="off|auto|SECONDS",
    callback=lambda _ctx, _param, value: _chunks(value),
    help="Encode a long film in chunks of SECONDS (auto: 60-s chunks over 3 minutes).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where bundles go (default: <kit>/out).",
)
@click.option(
    "--speed",
    metavar="X264_PRESET",
    callback=lambda _ctx, _param, value: _speed(value),
    help="x264 speed for every encode, e.g. ultrafast for a quick preview.",
)
@click.option(
    "--allow-placeholder",
    is_flag=True,
    help="Build even if the appeal still holds placeholders (the sheet and verify say so).",
)
@click.option(
    "--processes",
    is_flag=True,
    help="Run each step in its own worker process, from its description alone.",
)
@click.option("--dry-run", is_flag=True, help="Print the plan and its commands; run nothing.")
@quiet_option
@json_option
def build_command(
    names: tuple[str, ...],
    kit_dir: Path,
    all_bundles: bool,
    preset: str | None,
    lang: str | None,
    burn: str | None,
    venue: str | None,
    date: str | None,
    contact: str | None,
    outro: float | None,
    jobs: int,
    workers: int | None,
    scheduler: str | None,
    chunks: str,
    out: Path | None,
    speed: str | None,
    allow_placeholder: bool,
    processes: bool,
    dry_run: bool,
    quiet: bool,
    as_json: bool,
) -> None:
    """Build screening bundles: named ones from screenkit.toml, an ad-hoc one, or --all.

    A bundle is a folder to copy onto the stick: the film with the appeal card in front, a
    test clip, the subtitle files, SCREENING.html/.txt, poster.pdf, index.html where a
    browser can play the film, and manifest.json (check it later with screenkit verify).
    Before a long encode the plan says how long it should take on this machine. For old
    players: dvd-pal / dvd-ntsc make VIDEO_TS/ and an .iso to burn (every language as a
    subtitle stream on the remote), divx an AVI with its .srt for a DVD player's USB port.

    \b
      screenkit build demo
      screenkit build --preset usb-player --lang it --venue "Circolo Arci" --date "12 May"
      screenkit build --preset web --lang uk --outro 60
      screenkit build --preset dvd-pal --lang uk --outro
      screenkit build --all --jobs 2 --dry-run
      screenkit build --all --workers 2
    """
    cluster = _cluster(workers, scheduler, processes)
    kit = load_kit(kit_dir)
    requests = resolve_requests(
        kit,
        names,
        all_bundles=all_bundles,
        preset=preset,
        lang=lang,
        burn=burn,
        organiser=Organiser(venue=venue, date=date, contact=contact),
        outro=outro,
    )
    with progress_bars(quiet or as_json) as progress:
        settings = BuildSettings(
            out=out, x264_preset=speed, allow_placeholder=allow_placeholder, chunks=chunks
        )
        plan = plan_build(kit, requests, settings, progress=progress)
        if dry_run:
            _show_plan(plan, as_json)
            return
        if not (quiet or as_json):
            for estimate in plan.estimates:
                note(estimate.sentence())
        report = build(
            plan, jobs=jobs, events=_bars(progress), processes=processes, cluster=cluster
        )
    if as_json:
        emit_json({**report.to_json(), "estimates": [e.to_json() for e in plan.estimates]})
        return
    for warning in report.warnings:
        note(f"Warning: {warning}")
    for planned in plan.bundles:
        if planned.stand_in:
            why = "; ".join(planned.stand_in)
            note(f"Warning: {planned.folder.name} has a stand-in appeal: {why}")
    for bundle in report.bundles:
        click.echo(f"{bundle.status:<10}  {bundle.video}")
    ran = sum(1 for s in report.steps if s.status == "built")
    cached = sum(1 for s in report.steps if s.status == "cached")
    note(f"{ran} steps run, {cached} from the cache, in {report.elapsed:.1f} s")


def _bars(progress: ProgressCallback) -> EventCallback:
    """The build's events as bars: one per running step (gone when it finishes), and the
    whole build's."""
    shown: set[str] = set()

    def show(event: BuildEvent) -> None:
        if isinstance(event, StepProgress):
            shown.add(event.label)
            progress(Progress(event.label, event.done, event.total, event.unit, event.speed))
        elif isinstance(event, StepFinished) and event.label in shown:
            shown.discard(event.label)
            progress(Progress(event.label, 1.0, 1.0))  # a full bar gives its row back
        elif isinstance(event, BuildProgress):
            progress(Progress(OVERALL, event.percent, 100.0, unit="%"))

    return show


def _chunks(value: str) -> str:
    if value in ("off", "auto"):
        return value
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not 5 <= seconds <= 24 * 3600:
        raise click.BadParameter(f"{value!r}: give off, auto or the seconds of a chunk (>= 5)")
    return f"{seconds:g}"


def _speed(value: str | None) -> str | None:
    problem = speed_problem(value) if value is not None else None
    if problem is not None:
        raise click.BadParameter(problem)
    return value


def _cluster(workers: int | None, scheduler: str | None, processes: bool) -> ClusterSpec | None:
    if workers is not None and scheduler:
        raise click.UsageError("--workers and --scheduler exclude each other: choose one")
    if processes and (workers is not None or scheduler):
        raise click.UsageError("--processes runs on this machine: leave it out with a cluster")
    if workers is None:
        scheduler = scheduler or os.environ.get(SCHEDULER_ENV) or None
    if workers is None and scheduler is None:
        return None
    require_dask()
    return ClusterSpec(workers=workers, scheduler=scheduler)


def _show_plan(plan: BuildPlan, as_json: bool) -> None:
    views = describe(plan)
    needs = plan_needs(plan, [v.id for v in views if v.state == "cached"])
    free = [diskspace.free_bytes(n.path) for n in needs]
    space = [
        {"path": str(n.path), "what": n.what, "need_bytes": n.size, "free_bytes": f}
        for n, f in zip(needs, free, strict=True)
    ]
    bundles = [
        {
            "name": b.request.name,
            "folder": str(b.folder),
            "video": b.video_name,
            "preset": b.preset.name,
            "lang": b.request.lang,
            "burn": b.burn,
            "up_to_date": b.up_to_date,
            "steps": list(b.step_ids),
        }
        for b in plan.bundles
    ]
    if as_json:
        emit_json(
            {
                "cache": str(plan.cache_root),
                "bundles": bundles,
                "space": space,
                "estimates": [e.to_json() for e in plan.estimates],
                "steps": [v.to_json() for v in views],
            }
        )
        return
    for b in plan.bundles:
        state = "up to date" if b.up_to_date else "to build"
        click.echo(f"bundle {b.folder.name} ({b.preset.name}, {b.request.lang}): {state}")
    click.echo(f"cache: {plan.cache_root}")
    for estimate in plan.estimates:
        click.echo(estimate.sentence())
    for need, left in zip(needs, free, strict=True):
        click.echo(
            f"space: about {diskspace.mb(need.size)} MB for {need.what} "
            f"in {need.path} ({diskspace.mb(left)} MB free there)"
        )
    for view in views:
        key = view.key[:12] if view.key else "-"
        click.echo(f"\n[{view.state}] {view.label}  ({view.kind}, key {key})")
        for command in view.commands:
            click.echo(f"  $ {shlex.join(command)}")
        if view.note:
            click.echo(f"  # {view.note}")


@click.command("verify")
@click.argument("folder", metavar="BUNDLE_DIR", type=click.Path(path_type=Path))
@quiet_option
@json_option
def verify_command(folder: Path, quiet: bool, as_json: bool) -> None:
    """Check a bundle: every file's checksum, the video against its preset, the test clip."""
    with progress_bars(quiet or as_json) as progress:
        report = verify_bundle(folder, progress=progress)
    if as_json:
        emit_json(report.to_json())
    else:
        for problem in report.problems:
            click.echo(f"problem: {problem}")
        for warning in report.warnings:
            note(f"Warning: {warning}")
        verdict = "OK" if report.ok else f"{len(report.problems)} problem(s)"
        note(f"{report.folder.name}: {report.files_checked} files checked, {verdict}")
    if not report.ok:
        raise click.exceptions.Exit(1)


def _cache_for(kit_dir: Path | None) -> StepCache:
    folder = kit_dir or Path()
    if (folder / MANIFEST).is_file():
        return StepCache(cache_dir_for(load_kit(folder)))
    if kit_dir is not None:
        raise ConfigError(f"{kit_dir} holds no {MANIFEST}: not a screenkit kit", path=kit_dir)
    return StepCache(user_cache_dir())


@click.group("cache")
def cache_group() -> None:
    """The build step cache (the kit's .screenkit/cache, or the user cache)."""


@cache_group.command("info")
@kit_option(
    "The kit whose cache to show (default: the one here, else the user cache).", default=None
)
@json_option
def cache_info(kit_dir: Path | None, as_json: bool) -> None:
    """Where the cache is, how many entries it holds and their size."""
    info = _cache_for(kit_dir).info()
    if as_json:
        emit_json(
            {
                "root": str(info.root),
                "entries": info.entries,
                "size_bytes": info.size_bytes,
                "kinds": dict(info.kinds),
            }
        )
        return
    click.echo(f"where:   {info.root}")
    click.echo(f"entries: {info.entries}")
    click.echo(f"size:    {info.size_bytes / 1e6:.1f} MB")
    for kind, count in sorted(info.kinds.items()):
        click.echo(f"  {kind:<10} {count}")


@cache_group.command("clear")
@kit_option(
    "The kit whose cache to clear (default: the one here, else the user cache).", default=None
)
@json_option
def cache_clear(kit_dir: Path | None, as_json: bool) -> None:
    """Remove every cached step (built bundles are not touched)."""
    result = _cache_for(kit_dir).clear()
    if as_json:
        emit_json(
            {
                "root": str(result.root),
                "removed": result.removed,
                "freed_bytes": result.freed_bytes,
                "busy": result.busy,
            }
        )
        return
    click.echo(
        f"removed {result.removed} entries ({result.freed_bytes / 1e6:.1f} MB) from {result.root}"
    )
    if result.busy:
        note(f"{result.busy} entries are in use by a running build and were kept")


COMMANDS: list[click.Command] = [build_command, verify_command, cache_group]
