"""The JSON API the page itself uses (and scripts: ``Authorization: Bearer TOKEN``).

``GET /api/kit`` · ``GET /api/presets`` · ``POST /api/builds`` → ``{"id"}`` ·
``GET /api/builds`` · ``GET /api/builds/ID`` · ``GET /api/builds/ID/events`` (server-sent
events: the state again at every change, until the build has finished) ·
``POST /api/builds/ID/cancel`` · ``POST /api/builds/ID/open`` (the system file manager).

A refused request is a 400 with ``{"error", "hint"}`` in the CLI's words, and ``shown`` in
the page's language. The build form of the page posts here too (URL-encoded): then the
answer is a redirect to the build's page, so the page works before its script has loaded.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from screenkit.app.builds import Snapshot
from screenkit.app.choice import BuildChoice
from screenkit.app.devices import devices
from screenkit.app.pages import choice_of, form_of, from_form, json_object
from screenkit.app.web import context_of, tr_of
from screenkit.app.words import build_state, explain, percent, step_name, step_state, time_left
from screenkit.errors import ScreenkitError
from screenkit.i18n import Translator

EVENT_TICK = 0.25
"""Seconds between looks at a build's state for its event stream."""
PING_EVERY = 15.0


def refused(tr: Translator, exc: ScreenkitError, status: int = 400) -> JSONResponse:
    """``{"error", "hint"}`` in the CLI's words, ``shown`` in the page's."""
    words = explain(tr, exc)
    return JSONResponse(
        {
            "error": exc.message,
            "hint": exc.hint,
            "key": exc.key,
            "shown": {"error": words.message, "hint": words.hint},
        },
        status_code=status,
    )


def _no_kit(tr: Translator) -> JSONResponse:
    return refused(
        tr,
        ScreenkitError(
            "no kit is open", hint="open one on the app's first page, or start it with --kit DIR"
        ),
        409,
    )


def kit(request: Request) -> Response:
    view = context_of(request).view()
    if view is None:
        return _no_kit(tr_of(request))
    return JSONResponse(view.to_json())


def presets(request: Request) -> Response:
    ctx = context_of(request)
    view = ctx.view()
    tr = tr_of(request)
    found = devices(tr, view.kit.root if view else None)
    return JSONResponse({"presets": [d.to_json() for d in found]})


def state_json(snap: Snapshot, tr: Translator) -> dict[str, Any]:
    """A build as the API gives it: the contract's fields, then the page's words."""
    words = explain(tr, snap.error) if snap.error is not None else None
    verify = snap.verify
    return {
        "id": snap.id,
        "state": snap.state,
        "progress": snap.progress,
        "bundle": str(snap.bundle) if snap.bundle else None,
        "verified": snap.verified,
        "error": snap.error.message if snap.error else None,
        "hint": snap.error.hint if snap.error else None,
        "kit": snap.kit,
        "choice": {
            "lang": snap.choice.lang,
            "preset": snap.choice.preset,
            "venue": snap.choice.venue,
            "date": snap.choice.date,
            "contact": snap.choice.contact,
            "outro": snap.choice.outro,
        },
        "phase": snap.phase,
        "status": snap.status,
        "queue_position": snap.position,
        "elapsed": round(snap.elapsed, 1) if snap.elapsed is not None else None,
        "seconds_left": round(snap.seconds_left) if snap.seconds_left is not None else None,
        "steps": [
            {"label": s.label, "kind": s.kind, "state": s.state, "progress": round(s.fraction, 3)}
            for s in snap.steps
        ],
        "steps_run": snap.steps_run,
        "steps_cached": snap.steps_cached,
        "files_checked": verify.files_checked if verify else None,
        "problems": [str(p) for p in verify.problems] if verify else [],
        "failed_step": snap.failed_step if snap.state == "failed" else None,
        "version": snap.version,
        "kind": snap.kind,
        "source": snap.source,
        "shown": {
            "state": build_state(tr, snap.state, snap.phase, snap.position, snap.kind),
            "percent": percent(tr, snap.progress),
            "left": time_left(tr, snap.seconds_left) if snap.state == "running" else "",
            "steps": [
                {"name": step_name(tr, s.kind, s.label), "state": step_state(tr, s.state)}
                for s in snap.steps
            ],
            "error": words.message if words else None,
            "hint": words.hint if words else None,
        },
    }


async def create_build(request: Request) -> Response:
    ctx = context_of(request)
    tr = tr_of(request)
    view = ctx.view()
    if view is None:
        return _no_kit(tr)
    as_form = from_form(request)
    try:
        if as_form:
            choice = choice_of(await form_of(request))
        else:
            hint = 'send {"lang": "uk", "preset": "usb-player", ...}'
            choice = BuildChoice.from_json(await json_object(request, hint))
        job = ctx.manager.submit(view.kit, choice)
    except ScreenkitError as exc:
        return refused(tr, exc)
    if as_form:
        return RedirectResponse(f"/builds/{job.id}", status_code=303)
    return JSONResponse({"id": job.id}, status_code=201)


def _snapshot(request: Request) -> Snapshot | None:
    return context_of(request).manager.snapshot(request.path_params["id"])


def _missing() -> JSONResponse:
    return JSONResponse({"error": "no such build", "hint": None}, status_code=404)


def builds(request: Request) -> Response:
    tr = tr_of(request)
    return JSONResponse({"builds": [state_json(s, tr) for s in context_of(request).manager.all()]})


def build_state_route(request: Request) -> Response:
    snap = _snapshot(request)
    if snap is None:
        return _missing()
    return JSONResponse(state_json(snap, tr_of(request)))


async def events(request: Request) -> Response:
    """Server-sent events: the build's state at each change, ending when it has finished."""
    ctx = context_of(request)
    job_id = request.path_params["id"]
    if ctx.manager.snapshot(job_id) is None:
        return _missing()
    tr = tr_of(request)

    async def stream() -> AsyncIterator[bytes]:
        seen = -1
        quiet = 0.0
        yield b"retry: 2000\n\n"
        while not ctx.closing.is_set():
            snap = ctx.manager.snapshot(job_id)
            if snap is None:
                return
            if snap.version != seen:
                seen, quiet = snap.version, 0.0
                data = json.dumps(state_json(snap, tr), ensure_ascii=False)
                yield f"event: state\nid: {snap.version}\ndata: {data}\n\n".encode()
                if snap.finished:
                    return
            elif quiet >= PING_EVERY:
                quiet = 0.0
                yield b": still here\n\n"
            await asyncio.sleep(EVENT_TICK)
            quiet += EVENT_TICK

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"cache-control": "no-store", "x-accel-buffering": "no"},
    )


async def cancel(request: Request) -> Response:
    ctx = context_of(request)
    job_id = request.path_params["id"]
    if ctx.manager.snapshot(job_id) is None:
        return _missing()
    cancelled = ctx.manager.cancel(job_id)
    if from_form(request):
        return RedirectResponse(f"/builds/{job_id}", status_code=303)
    return JSONResponse({"id": job_id, "cancelled": cancelled})


def opener() -> list[str] | None:
    """The command that shows a folder in the system file manager here, if any."""
    if sys.platform == "darwin":
        return ["open"]
    if os.name == "nt":
        return ["explorer"]
    found = shutil.which("xdg-open")
    return [found] if found else None


async def open_folder(request: Request) -> Response:
    """Show the bundle's folder in the file manager (the folder of a build, never a path)."""
    ctx = context_of(request)
    tr = tr_of(request)
    folder = ctx.manager.bundles().get(request.path_params["id"])
    if folder is None:
        return _missing()
    command = opener()
    if command is None:
        return refused(
            tr,
            ScreenkitError(
                "no file manager to open here",
                hint=f"the bundle is in {folder}",
                path=folder,
            ),
            409,
        )
    subprocess.Popen(  # no shell: the folder is one argument
        [*command, str(folder)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    return JSONResponse({"opened": str(folder)})


ROUTES = [
    Route("/api/kit", kit),
    Route("/api/presets", presets),
    Route("/api/builds", builds, methods=["GET"]),
    Route("/api/builds", create_build, methods=["POST"]),
    Route("/api/builds/{id:str}", build_state_route),
    Route("/api/builds/{id:str}/events", events),
    Route("/api/builds/{id:str}/cancel", cancel, methods=["POST"]),
    Route("/api/builds/{id:str}/open", open_folder, methods=["POST"]),
]
