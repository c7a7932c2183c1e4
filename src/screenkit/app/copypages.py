"""Copy to a USB stick: the page, and ``/api/drives`` · ``POST /api/copies`` (``{"build",
"dest"}`` → ``{"id"}``) · ``GET /api/copies/ID`` · ``POST /api/copies/ID/cancel``.

The destination is a mounted removable drive or a folder under the chooser's roots (home and
drives): any other path is refused. What `check_destination` finds is shown in the sheet's
words before the copy; the copy's page follows it and says when the stick is ready.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from screenkit.app.api import refused
from screenkit.app.copies import CopyJob
from screenkit.app.pages import from_form, posted
from screenkit.app.web import context_of, render, tr_of
from screenkit.app.words import explain, percent, size
from screenkit.errors import ScreenkitError
from screenkit.i18n import Translator
from screenkit.stick import DestinationRefused, Finding, describe_finding, display_name


class DestinationNotAllowed(ScreenkitError):
    """A copy asked for a folder that is neither a drive nor under the chooser's roots."""


def _findings(tr: Translator, found: list[Finding]) -> list[tuple[str, str]]:
    return [(f.level, describe_finding(f, tr)) for f in found]


def _allowed(request: Request, dest: Path) -> bool:
    ctx = context_of(request)
    if not dest.is_absolute() or "\x00" in str(dest):
        return False
    drives = {d.path.resolve() for d in ctx.copies.drives()}
    try:
        resolved = dest.resolve()
    except OSError:
        return False
    return resolved in drives or ctx.may_browse(resolved)


def copy_json(tr: Translator, job: CopyJob) -> dict[str, Any]:
    report = job.report
    words = explain(tr, job.error) if job.error else None
    findings = job.error.findings if isinstance(job.error, DestinationRefused) else ()
    return {
        "id": job.id,
        "build": job.build,
        "state": job.state,
        "phase": job.phase,
        "progress": job.progress,
        "dest": str(job.dest),
        "folder": str(report.folder) if report else None,
        "files": report.files if report else None,
        "bytes": report.bytes if report else None,
        "verified": bool(report and report.verified),
        "error": job.error.message if job.error else None,
        "hint": job.error.hint if job.error else None,
        "shown": {
            "state": copy_state(tr, job),
            "percent": percent(tr, job.progress),
            "error": words.message if words else None,
            "hint": words.hint if words else None,
            "findings": [text for _, text in _findings(tr, list(findings))],
            "warnings": [describe_finding(w, tr) for w in (report.warnings if report else ())],
        },
    }


def copy_state(tr: Translator, job: CopyJob) -> str:
    if job.state == "running":
        if job.phase == "reading back":
            return tr.gettext("Reading every file back from the stick")
        return tr.gettext("Copying onto the stick")
    return {
        "queued": tr.gettext("Waiting for the copy before this one"),
        "done": tr.gettext("The stick is ready"),
        "failed": tr.gettext("The copy failed"),
        "cancelled": tr.gettext("The copy was cancelled"),
    }.get(job.state, job.state)


def copy_page(request: Request) -> Response:
    ctx = context_of(request)
    tr = tr_of(request)
    build_id = request.path_params["id"]
    bundle = ctx.manager.bundles().get(build_id)
    if bundle is None:
        return render(request, "missing.html", {"step": None}, status=404)
    drives = []
    for drive in ctx.copies.drives():
        drives.append(
            {
                "path": drive.path,
                "label": drive.label or drive.path.name,
                "fstype": display_name(drive.fstype) if drive.fstype else "",
                "free": size(tr, drive.free) if drive.free is not None else "",
                "findings": _findings(tr, ctx.copies.check(bundle, drive.path)),
            }
        )
    asked = request.query_params.get("dir")
    folder: Path | None = None
    entries: list[Path] = []
    folder_findings: list[tuple[str, str]] = []
    if asked and _allowed(request, Path(asked)) and Path(asked).is_dir():
        folder = Path(asked).resolve()
        try:
            entries = sorted(
                (p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")),
                key=lambda p: p.name.casefold(),
            )
        except OSError:
            entries = []
        folder_findings = _findings(tr, ctx.copies.check(bundle, folder))
    parent = folder.parent if folder is not None and ctx.may_browse(folder.parent) else None
    return render(
        request,
        "copy.html",
        {
            "step": "copy",
            "build_id": build_id,
            "bundle": bundle,
            "drives": drives,
            "folder": folder,
            "entries": entries,
            "parent": parent if parent != folder else None,
            "folder_findings": folder_findings,
            "folder_blocked": any(level == "error" for level, _ in folder_findings),
            "roots": ctx.config.roots,
        },
    )


def copy_progress_page(request: Request) -> Response:
    ctx = context_of(request)
    job = ctx.copies.get(request.path_params["id"])
    if job is None:
        return render(request, "missing.html", {"step": None}, status=404)
    tr = tr_of(request)
    return render(
        request,
        "copying.html",
        {
            "step": "copy",
            "job": job,
            "state": copy_json(tr, job),
            "error": explain(tr, job.error) if job.error else None,
            "size": size(tr, job.report.bytes) if job.report else None,
        },
    )


def drives_api(request: Request) -> Response:
    ctx = context_of(request)
    tr = tr_of(request)
    bundle = ctx.manager.bundles().get(request.query_params.get("build", ""))
    found = []
    for drive in ctx.copies.drives():
        entry = drive.to_json()
        if bundle is not None:
            entry["findings"] = [
                {**f.to_json(), "text": describe_finding(f, tr)}
                for f in ctx.copies.check(bundle, drive.path)
            ]
        found.append(entry)
    return JSONResponse({"drives": found})


async def create_copy(request: Request) -> Response:
    ctx = context_of(request)
    tr = tr_of(request)
    as_form = from_form(request)
    try:
        body = await posted(request)
        build_id, dest = body.get("build"), body.get("dest")
        if not isinstance(build_id, str) or not isinstance(dest, str):
            raise ScreenkitError("'build' and 'dest' are required, as text", key="body")
        bundle = ctx.manager.bundles().get(build_id)
        if bundle is None:
            raise ScreenkitError(
                f"no finished build '{build_id[:20]}'", key="build", value=build_id[:20]
            )
        target = Path(dest)
        if not _allowed(request, target):
            raise DestinationNotAllowed(
                f"{dest[:200]}: the app copies onto a drive or into a folder under your "
                "home folder only",
                key="dest",
                value=dest[:200],
                hint="choose a drive or a folder on the copy page",
            )
        job = ctx.copies.submit(
            build_id, bundle, target, replace=body.get("replace") in (True, "1")
        )
    except ScreenkitError as exc:
        return refused(tr, exc)
    if as_form:
        return RedirectResponse(f"/copies/{job.id}", status_code=303)
    return JSONResponse({"id": job.id}, status_code=201)


def copy_api(request: Request) -> Response:
    ctx = context_of(request)
    job = ctx.copies.get(request.path_params["id"])
    if job is None:
        return JSONResponse({"error": "no such copy", "hint": None}, status_code=404)
    return JSONResponse(copy_json(tr_of(request), job))


async def cancel_copy(request: Request) -> Response:
    ctx = context_of(request)
    job_id = request.path_params["id"]
    if ctx.copies.get(job_id) is None:
        return JSONResponse({"error": "no such copy", "hint": None}, status_code=404)
    cancelled = ctx.copies.cancel(job_id)
    if from_form(request):
        return RedirectResponse(f"/copies/{job_id}", status_code=303)
    return JSONResponse({"id": job_id, "cancelled": cancelled})


ROUTES = [
    Route("/builds/{id:str}/copy", copy_page),
    Route("/copies/{id:str}", copy_progress_page),
    Route("/api/drives", drives_api),
    Route("/api/copies", create_copy, methods=["POST"]),
    Route("/api/copies/{id:str}", copy_api),
    Route("/api/copies/{id:str}/cancel", cancel_copy, methods=["POST"]),
]
