"""The build plan: bundles resolved against their presets, as a graph of cached steps.

For each bundle: loudness measurement → film encode → card (matched to the probed film) →
join (stream copy) → soft tracks (stream copy, when the preset carries them) → sidecars,
test clip, stills → sheet → manifest (the assembly, written last). Steps are shared by key:
the film encode's key holds the master, the preset, the burned track and the fonts, but not
the soft tracks, so soft-subtitle bundles in N languages share one encode, and the appeal
text is only in the card's key, so a new appeal re-renders the card and re-joins.

Planning runs nothing but a probe of the master and the hashing of inputs (cheap after the
first time, see `FileHasher`); it fails early on what would fail late (an appeal too long for
the card, a burn on a preset that cannot, a name that would escape the output folder).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path

from screenkit.bundle import actions, explain, sheetstep
from screenkit.bundle.assemble import check_inside
from screenkit.bundle.cache import StepCache, cache_dir_for, step_key
from screenkit.bundle.errors import BundleError
from screenkit.bundle.finish import BundleContext, manifest_step
from screenkit.bundle.hashing import FileHasher
from screenkit.bundle.manifest import read_manifest
from screenkit.bundle.model import BuildPlan, BuildSettings, BundlePlan, safe_filename
from screenkit.bundle.planner import Planner
from screenkit.bundle.request import BundleRequest
from screenkit.bundle.steps import Step
from screenkit.errors import ScreenkitError
from screenkit.kit import Kit
from screenkit.media.binaries import FFmpeg, find_ffmpeg
from screenkit.presets import VenuePreset, load_preset
from screenkit.progress import ProgressCallback
from screenkit.slides import card_spec_from_kit


def _resolve(
    kit: Kit, request: BundleRequest, preset: VenuePreset
) -> tuple[str | None, tuple[str, ...]]:
    if request.burn is not None and not preset.subtitles.burn:
        raise BundleError(
            f"preset {preset.name} does not burn subtitles in (it carries them as "
            f"{'soft tracks' if preset.subtitles.soft else 'sidecar files'})",
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
    out = (settings.out or kit.root / "out").absolute()
    cache = StepCache(cache_dir_for(kit), progress=progress)
    planner = Planner(kit, settings, cache, ffmpeg or find_ffmpeg())
    if planner.master.video is None:
        raise BundleError(f"the kit's master {kit.master} holds no video", path=kit.master)
    bundles = [_plan_bundle(planner, request, out) for request in requests]
    context = BundleContext(
        kit_name=kit.name,
        title=kit.title,
        kit_root=str(kit.root),
        cache_mode=kit.cache,
        ffmpeg_version=planner.ffmpeg.version,
        hash_index=str(cache.hasher.index_dir),
    )
    finals = [manifest_step(context, bundle) for bundle in bundles]
    return BuildPlan(
        kit=kit,
        out=out,
        cache_root=cache.root,
        ffmpeg=planner.ffmpeg,
        master=planner.master,
        steps=(*planner.steps.values(), *finals),
        bundles=tuple(bundles),
    )


def _plan_bundle(p: Planner, request: BundleRequest, out: Path) -> BundlePlan:
    kit = p.kit
    preset = load_preset(request.preset, kit.root)
    burn, soft = _resolve(kit, request, preset)
    folder = check_inside(out, out / f"{kit.name}-{request.name}", "bundle folder")
    stem = safe_filename(f"{kit.title} ({request.lang}, {preset.name})")
    video_name = f"{stem}{preset.extension}"
    clip_name = f"test-clip{preset.extension}"
    intro = card_spec_from_kit(
        kit, request.lang, venue=request.venue, date=request.date, contact=request.contact
    )
    film_id, inputs = p.film(preset, burn)
    film_key = p.steps[film_id].key
    if film_key is None or not p.cache.peek(film_key):
        p.early_card_check(intro, preset)  # before a long encode, not after it
    intro_id = p.card(intro, preset, film_id)
    parts = [intro_id, film_id]
    if request.outro:
        parts.append(
            p.card(
                card_spec_from_kit(
                    kit,
                    request.lang,
                    kind="outro",
                    venue=request.venue,
                    date=request.date,
                    contact=request.contact,
                ),
                preset,
                film_id,
            )
        )
    join_id = p.add(
        "join",
        f"join ({request.name})",
        params={"parts": parts},
        deps=parts,
        action=partial(actions.join, p.tools, parts, preset.extension),
        weight=p.master.duration * 0.02,
        note="concat demuxer, stream copy",
    )
    tracks = [p.track(lang) for lang in soft]
    track_files = [t for t, _ in tracks]
    inputs += [i for _, i in tracks]
    # what the audience reads: the burned track, else the screening language's
    screening = p.track(burn)[0] if burn else (track_files[0] if track_files else None)
    final_id = join_id
    carried = track_files if preset.subtitles.soft else []
    if carried:
        final_id = p.add(
            "mux",
            f"soft tracks ({request.name})",
            params={
                "langs": [t.lang for t in carried],
                "default": request.lang,
                "container": preset.container,
                "faststart": preset.faststart,
            },
            inputs=[i for _, i in tracks],
            deps=[join_id],
            action=partial(actions.mux, p.tools, join_id, carried, request.lang, preset),
            explain=partial(
                explain.mux, p.tools, join_id, carried, request.lang, preset, p.work("mux")
            ),
            weight=p.master.duration * 0.02,
            note="stream copy; tracks shifted by the card length",
        )
    side_id = p.add(
        "sidecars",
        f"sidecar tracks ({request.name})",
        params={
            "stem": stem,
            "langs": list(soft),
            "format": preset.subtitles.sidecar,
            "encoding": preset.subtitles.sidecar_encoding,
        },
        inputs=[i for _, i in tracks],
        deps=[join_id],
        action=partial(actions.sidecars, join_id, track_files, stem, preset),
        weight=0.2,
    )
    clip_id = p.add(
        "clip",
        f"test clip ({request.name})",
        params={
            "langs": [t.lang for t in carried],
            "default": request.lang,
            "screening": screening.lang if screening else None,
            "container": preset.container,
            "faststart": preset.faststart,
            "sidecar": None if burn or carried else preset.subtitles.sidecar,
        },
        inputs=[*[i for _, i in tracks], *([p.track(screening.lang)[1]] if screening else [])],
        deps=list(dict.fromkeys([film_id, intro_id, join_id, final_id])),
        explain=partial(
            explain.clip, p.tools, film_id, join_id, final_id, screening, preset, p.work("clip")
        ),
        action=partial(
            actions.clip,
            p.tools,
            film_id,
            intro_id,
            join_id,
            final_id,
            screening,
            carried,
            request.lang,
            preset,
        ),
        weight=2.0,
        note="the card + the busiest subtitled stretch, cut at keyframes, stream copy",
    )
    card_image_id = p.add(
        "stills",
        f"picture of the card ({request.lang}, {preset.name})",
        params={"image": "card"},
        deps=[intro_id],
        explain=partial(explain.card_still, p.tools, intro_id, p.work("stills")),
        action=partial(actions.card_still, p.tools, intro_id),
        weight=0.3,
    )
    frame_image_id = p.add(
        "stills",
        f"subtitled frame ({preset.name}, {screening.lang if screening else 'none'})",
        params={
            "image": "frame",
            "screening": screening.lang if screening else None,
            "burned": burn is not None,
            "safe_area": preset.safe_area,
            "font_size": preset.subtitles.font_size,
        },
        inputs=[*([p.track(screening.lang)[1]] if screening else []), *p.font_files],
        deps=[film_id],
        explain=partial(
            explain.frame_still, p.tools, film_id, screening, burn is not None, p.work("stills")
        ),
        action=partial(actions.frame_still, p.tools, film_id, screening, burn is not None, preset),
        weight=0.3,
    )
    sheet_inputs = sheetstep.SheetInputs(
        kit_name=kit.name,
        title=kit.title,
        bundle=request.name,
        lang=request.lang,
        burn=burn,
        soft=soft,
        preset=preset,
        video_name=video_name,
        clip_name=clip_name,
        appeal_text=intro.appeal,
        beneficiary=intro.beneficiary,
        link=intro.link,
        venue=request.venue,
        date=request.date,
        contact=request.contact,
        final_id=final_id,
        sidecars_id=side_id,
        clip_id=clip_id,
        card_image_id=card_image_id,
        frame_image_id=frame_image_id,
        film_id=film_id,
    )
    sheet_id = p.add(
        "sheet",
        f"screening sheet ({request.name})",
        params=sheetstep.params(sheet_inputs),
        deps=[final_id, side_id, card_image_id, frame_image_id, clip_id, film_id],
        action=partial(sheetstep.write_sheet, p.tools, sheet_inputs),
        weight=0.3,
    )
    step_ids = _closure(
        p.steps, [final_id, side_id, clip_id, card_image_id, frame_image_id, sheet_id]
    )
    plan_key = step_key(
        "bundle",
        params={
            "name": request.name,
            "folder": folder.name,
            "video": video_name,
            "clip": clip_name,
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
        video_name=video_name,
        clip_name=clip_name,
        final_step=final_id,
        step_ids=(*step_ids, manifest_id),
        manifest_step=manifest_id,
        plan_key=plan_key,
        up_to_date=_up_to_date(folder, plan_key, p.cache.hasher),
        inputs=tuple(dict.fromkeys(inputs)),
    )


def _closure(steps: Mapping[str, Step], roots: Sequence[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}

    def visit(step_id: str) -> None:
        if step_id in seen:
            return
        for dep in steps[step_id].deps:
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
