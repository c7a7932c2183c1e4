"""The build's page: progress while it runs, the result when it is done, and the list.

The page is rendered from the build's state as it is now, so a reload (or a page opened
later) shows the same progress; the script then follows the build's event stream and
reloads the page once it has finished, which renders the result.
"""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from screenkit.app.api import state_json
from screenkit.app.builds import Snapshot
from screenkit.app.devices import devices
from screenkit.app.web import context_of, render, tr_of
from screenkit.app.words import duration, explain, native_name, size
from screenkit.bundle import read_manifest
from screenkit.bundle.documents.files import CARD_IMAGE, FRAME_IMAGE
from screenkit.bundle.documents.files import PAGE as PAGE_NAME
from screenkit.bundle.documents.files import SHEET_HTML as HTML_NAME
from screenkit.errors import ScreenkitError
from screenkit.i18n import Translator

PLAYABLE = (".mp4", ".mkv", ".webm")
"""Files the page offers to play in the browser (it shows a note where one cannot)."""


def _again(snap: Snapshot) -> str:
    """The check page with this build's choices, to build it again (a download: its page)."""
    c = snap.choice
    if snap.kind == "download":
        wanted = {"lang": c.lang, "preset": c.preset, "catalogue": snap.source or ""}
        return "/download?" + urlencode(wanted)
    values = {
        "lang": c.lang,
        "preset": c.preset,
        "venue": c.venue or "",
        "contact": c.contact or "",
    }
    return "/check?" + urlencode({k: v for k, v in values.items() if v})


def _result(tr: Translator, snap: Snapshot) -> dict[str, object]:
    folder = snap.bundle
    if folder is None:
        return {}
    files = []
    video = clip = None
    try:
        manifest = read_manifest(folder)
        names = [f.path for f in manifest.files]
    except ScreenkitError:
        names = []
    for name in names:
        if name.startswith(("VIDEO_TS/", "subtitles/")) or name == "manifest.json":
            continue
        path = folder / name
        if not path.is_file():
            continue
        is_video = path.suffix.lower() in (".mp4", ".mkv", ".avi", ".iso")
        if name.startswith("test-clip") and is_video:
            clip = name
        elif is_video and video is None:
            video = name
        files.append((name, size(tr, path.stat().st_size)))
    links = []
    for name, label in (
        (HTML_NAME, tr.gettext("The screening sheet: what to check before the doors open")),
        ("poster.pdf", tr.gettext("The poster to print (A4)")),
        (PAGE_NAME, tr.gettext("The page that plays the film in a browser")),
    ):
        if name in names:
            links.append((name, label))
    return {
        "files": files,
        "video": video,
        "video_plays": bool(video and video.lower().endswith(PLAYABLE)),
        "clip": clip,
        "clip_plays": bool(clip and clip.lower().endswith(PLAYABLE)),
        "card_image": CARD_IMAGE if CARD_IMAGE in names else None,
        "frame_image": FRAME_IMAGE if FRAME_IMAGE in names else None,
        "links": links,
    }


def build_page(request: Request) -> Response:
    ctx = context_of(request)
    snap = ctx.manager.snapshot(request.path_params["id"])
    if snap is None:
        return render(request, "missing.html", {"step": None}, status=404)
    tr = tr_of(request)
    state = state_json(snap, tr)
    device = next((d for d in devices(tr, ctx.kit_root) if d.preset == snap.choice.preset), None)
    return render(
        request,
        "build.html",
        {
            "step": "copy" if snap.state == "done" else "build",
            "snap": snap,
            "state": state,
            "device": device,
            "error": explain(tr, snap.error) if snap.error else None,
            "failed_step": snap.failed_step,
            "result": _result(tr, snap),
            "elapsed": duration(tr, snap.elapsed) if snap.elapsed else None,
            "again": _again(snap),
            "native": native_name,
            "download": _download(tr, ctx.manager.get(snap.id)),
        },
    )


def _download(tr: Translator, job: object) -> dict[str, object] | None:
    """What a download's page says beside a build's: the bytes, resumed or already there."""
    from screenkit.app.downloads import DownloadJob

    if not isinstance(job, DownloadJob):
        return None
    result = job.result
    return {
        "already": bool(result and result.already),
        "downloaded": size(tr, result.downloaded) if result else None,
        "resumed": size(tr, result.resumed) if result and result.resumed else None,
    }


def builds_page(request: Request) -> Response:
    ctx = context_of(request)
    tr = tr_of(request)
    snaps = ctx.manager.all()
    if len(snaps) == 0 and ctx.view() is None:
        return RedirectResponse("/kits", status_code=303)
    return render(
        request,
        "builds.html",
        {
            "step": None,
            "builds": [(s, state_json(s, tr)) for s in snaps],
            "titles": {d.preset: d.title for d in devices(tr, ctx.kit_root)},
            "native": native_name,
        },
    )


ROUTES = [
    Route("/builds", builds_page),
    Route("/builds/{id:str}", build_page),
]
