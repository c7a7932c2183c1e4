"""The build plan: bundles resolved against their presets, as a graph of cached steps.

Each step kind is planned by its own module (``bundle/kinds/<kind>.py``); this module
composes them. For each bundle: loudness measurement → film encode → card (matched to the
probed film) → join (stream copy) → soft tracks (stream copy, when the preset carries them)
→ sidecars, test clip, stills → sheet → manifest (the assembly, written last). Steps are
shared by key: the film encode's key holds the master, the preset, the burned track and the
fonts, but not the soft tracks, so soft-subtitle bundles in N languages share one encode,
and the appeal text is only in the card's key, so a new appeal re-renders the card and re-
joins.

Planning runs nothing but a probe of the master and the hashing of inputs (cheap after the
first time, see `FileHasher`); it fails early on what would fail late (an appeal too long
for the card, a burn on a preset that cannot, a name that would escape the output folder).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from screenkit.bundle.compose.estimates import estimate_films
from screenkit.bundle.compose.families import FAMILIES
from screenkit.bundle.compose.model import BuildPlan, BuildSettings
from screenkit.bundle.compose.request import BundleRequest
from screenkit.bundle.documents.assemble import check_inside
from screenkit.bundle.documents.manifest import read_manifest
from screenkit.bundle.engine.cache import StepCache, cache_dir_for, step_key
from screenkit.bundle.engine.errors import BundleError
from screenkit.bundle.engine.hashing import FileHasher
from screenkit.bundle.engine.planner import Planner
from screenkit.bundle.engine.registry import REGISTRY
from screenkit.bundle.engine.step import Step
from screenkit.bundle.kinds import (
    manifest,
    sheet,
    stills,
)
from screenkit.bundle.kinds.manifest import BundleContext
from screenkit.bundle.kinds.shape import BundlePlan, BundleShape, VideoRequest
from screenkit.encode import EncodeOptions, output_format
from screenkit.encode.colour import colour_plan, require_tone_mapping
from screenkit.encode.legacy import conform
from screenkit.errors import ConfigError, ScreenkitError
from screenkit.kit import Kit
from screenkit.media.binaries import FFmpeg, find_ffmpeg
from screenkit.media.info import MediaInfo
from screenkit.names import video_stem
from screenkit.placeholders import check_appeal
from screenkit.presets import VenuePreset, load_preset, speed_problem
from screenkit.progress import ProgressCallback
from screenkit.slides import card_spec_from_kit


@runtime_checkable
class BundlePart(Protocol):
    """A kind that adds (at most) one step to every bundle: its ``compose`` says whether and
    how, from the bundle composed so far (the poster, the page). Found in the registry, so
    such a kind needs no line here."""

    def compose(self, p: Planner, shape: BundleShape) -> str | None: ...


def _resolve(
    kit: Kit, request: BundleRequest, preset: VenuePreset
) -> tuple[str | None, tuple[str, ...]]:
    if request.burn is not None and not preset.subtitles.burn:
        carried = "soft tracks" if preset.subtitles.soft else "sidecar files"
        if preset.subtitles.subpictures:
            carried = "DVD subpictures, chosen with the remote"
        raise BundleError(
            f"preset {preset.name} does not burn subtitles in (it carries them as {carried})",
            key="burn",
            value=request.burn,
            hint="drop --burn, or choose a preset that burns, e.g. usb-player",
        )
    burn = (request.burn or request.lang) if preset.subtitles.burn else None
    soft = request.soft if request.soft is not None else kit.languages
    ordered = (request.lang, *[lang for lang in soft if lang != request.lang])
    return burn, tuple(ordered)


def plan_build(
    kit: Kit,
    requests: Sequence[BundleRequest],
    settings: BuildSettings | None = None,
    *,
    progress: ProgressCallback | None = None,
    ffmpeg: FFmpeg | None = None,
) -> BuildPlan:
    """The plan for ``requests``: every step with its key, and which bundles are up to date."""
    settings = settings or BuildSettings()
    speed = settings.x264_preset
    if speed is not None and (problem := speed_problem(speed)) is not None:
        raise ConfigError(problem, key="speed", value=speed)
    out = (settings.out or kit.root / "out").absolute()
    # before the probe: a placeholder appeal must not wait for the master to be hashed
    stand_in = check_appeal(kit, [r.lang for r in requests], allow=settings.allow_placeholder)
    cache = StepCache(cache_dir_for(kit), progress=progress)
    planner = Planner(
        kit, cache, ffmpeg or find_ffmpeg(), speed=settings.x264_preset, chunks=settings.chunks
    )
    if planner.master.video is None:
        raise BundleError(f"the kit's master {kit.master} holds no video", path=kit.master)
    bundles = [
        _plan_bundle(planner, request, out, stand_in.get(request.lang, ())) for request in requests
    ]
    context = BundleContext(
        kit_name=kit.name,
        title=kit.title,
        kit_root=str(kit.root),
        cache_mode=kit.cache,
        ffmpeg_version=planner.ffmpeg.version,
        hash_index=str(cache.hasher.index_dir),
    )
    finals = [manifest.plan(planner, context, bundle) for bundle in bundles]
    plan = BuildPlan(
        kit=kit,
        out=out,
        cache_root=cache.root,
        ffmpeg=planner.ffmpeg,
        master=planner.master,
        steps=(*planner.steps.values(), *finals),
        bundles=tuple(bundles),
    )
    if settings.estimate_after is None:
        return plan
    estimates = estimate_films(plan, after=settings.estimate_after, progress=progress)
    return replace(plan, estimates=estimates)


def _plan_bundle(
    p: Planner, request: BundleRequest, out: Path, stand_in: tuple[str, ...] = ()
) -> BundlePlan:
    """One bundle as a composition of step kinds (each planned in its own module): the video
    part (a file with the card in front, or a DVD), then the stills, sheet, poster, page."""
    kit = p.kit
    preset = load_preset(request.preset, kit.root)
    colour = colour_plan(p.master, preset)  # a master it cannot take is refused here,
    require_tone_mapping(p.ffmpeg, colour)  # and an ffmpeg without zscale: before any encode
    burn, soft = _resolve(kit, request, preset)
    folder = check_inside(out, out / f"{kit.name}-{request.name}", "bundle folder")
    stem = video_stem(kit.title, request.lang, preset.name)
    venue, date, contact = request.venue, request.date, request.contact
    intro = card_spec_from_kit(kit, request.lang, venue=venue, date=date, contact=contact)
    outro = None
    if request.outro is not None:
        outro = card_spec_from_kit(
            kit,
            request.lang,
            kind="outro",
            venue=venue,
            date=date,
            contact=contact,
            duration=request.outro,
        )
    shape = VideoRequest(request, preset, burn, soft, stem, intro, outro)
    video = FAMILIES[preset.family].plan_video(p, shape)
    card_image_id = stills.plan_card(p, video.intro_id, request.lang, preset)
    frame_image_id = stills.plan_frame(p, video.film_id, video.screening, burn is not None, preset)
    sheet_settings = sheet.Settings(
        kit_name=kit.name,
        title=kit.title,
        bundle=request.name,
        lang=request.lang,
        burned=burn,
        soft=soft,
        preset=preset,
        video_name=video.video_name,
        clip_name=video.clip_name,
        appeal_text=intro.appeal,
        beneficiary=intro.beneficiary,
        link=intro.link,
        venue=venue,
        date=date,
        contact=contact,
        kit_root=str(kit.root),
        outro_seconds=outro.seconds if outro else None,
        stand_in=stand_in,
        enlarged_from=output_format(p.master, preset, EncodeOptions()).enlarged_from,
        page=preset.plays_in_a_browser,
        conformed=conformed(p.master, preset),
        colour=colour,
    )
    ends = {
        **video.ends,
        "card_image": card_image_id,
        "frame_image": frame_image_id,
        "film": video.film_id,  # its measured picture quality
    }
    sheet_id = sheet.plan(p, sheet_settings, ends)
    images = {"card_image": card_image_id, "frame_image": frame_image_id}
    shape_so_far = BundleShape(shape, video, images)
    extras = [part_id for part in parts() if (part_id := part.compose(p, shape_so_far))]
    step_ids = _closure(p.steps, [video.final_id, *ends.values(), sheet_id, *extras])
    plan_key = step_key(
        "bundle",
        params={
            "name": request.name,
            "folder": folder.name,
            "video": video.video_name,
            "clip": video.clip_name,
            "request": vars(request),
        },
        inputs={},
        deps={s: p.steps[s].key or "" for s in step_ids},
        ffmpeg_version=p.ffmpeg.version,
    )
    manifest_id = f"manifest-{request.name}"
    return BundlePlan(
        request=request,
        preset=preset,
        burn=burn,
        soft=soft,
        folder=folder,
        video_name=video.video_name,
        clip_name=video.clip_name,
        final_step=video.final_id,
        film_step=video.film_id,
        step_ids=(*step_ids, manifest_id),
        manifest_step=manifest_id,
        plan_key=plan_key,
        up_to_date=_up_to_date(folder, plan_key, p.cache.hasher),
        inputs=tuple(dict.fromkeys(video.inputs)),
        stand_in=stand_in,
    )


def parts() -> list[BundlePart]:
    """The registered kinds that add a step to every bundle, in registration order."""
    found: list[Any] = [kind for kind in REGISTRY if isinstance(kind, BundlePart)]
    return found


def conformed(master: MediaInfo, preset: VenuePreset) -> tuple[float, float, bool] | None:
    """What the sheet says of a fixed-rate old player's conform (see `SheetData.conformed`)."""
    if master.video is None or preset.video.frame_rate is None:
        return None
    done = conform(master.video, preset)
    source = float(master.video.frame_rate)
    if done.speed != 1:
        return source, float(done.rate), True
    if abs(source - float(done.rate)) > 0.01:
        return source, float(done.rate), False
    return None


def _closure(steps: Mapping[str, Step[Any]], roots: Sequence[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}

    def visit(step_id: str) -> None:
        if step_id in seen:
            return
        for dep in steps[step_id].dep_ids:
            visit(dep)
        seen[step_id] = None

    for root in roots:
        visit(root)
    return tuple(seen)


def _up_to_date(folder: Path, plan_key: str, hasher: FileHasher) -> bool:
    """The bundle in ``folder`` was made by this very plan and no file of it changed since.

    Cheap whatever the film's size: the hash index remembers each file as it was placed
    (size, mtime, inode); a file edited or replaced since no longer matches and the bundle
    is assembled again (its damaged cache entry, a hard link of it, is rebuilt first).
    """
    try:
        manifest = read_manifest(folder)
    except ScreenkitError:
        return False
    if manifest.plan_key != plan_key:
        return False
    for record in manifest.files:
        known = hasher.known(folder / record.path)
        if known is None or known.sha256 != record.sha256:
            return False
    return True
