"""The files the page shows: the open kit's card pictures and the bundles this app built.

Nothing else on the disk is reachable. A bundle file is named by the build's id and a path
inside its folder, checked by `security.safe_file` (no ``..``, no absolute path, no hidden
name, no symlink leading out, no NUL); a card picture by a language of the open kit, made
by `kitview.card_picture` into the app's own folder. A bundle's own HTML pages get a policy
that runs only the inline blocks they hold (`security.html_csp`).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from screenkit.app.kitview import card_picture
from screenkit.app.security import FileRefused, html_csp, safe_file
from screenkit.app.web import context_of
from screenkit.errors import ScreenkitError

MEDIA_TYPES = {
    ".mp4": "video/mp4",
    ".mkv": "video/x-matroska",
    ".vtt": "text/vtt; charset=utf-8",
    ".srt": "text/plain; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
    ".html": "text/html; charset=utf-8",
    ".pdf": "application/pdf",
    ".png": "image/png",
}


def _refused(status: int = 404) -> Response:
    return JSONResponse({"error": "not served", "hint": None}, status_code=status)


def bundle_file(request: Request) -> Response:
    ctx = context_of(request)
    folder = ctx.manager.bundles().get(request.path_params["id"])
    if folder is None:
        return _refused()
    try:
        path = safe_file(folder, request.path_params["path"])
    except FileRefused:
        return _refused()
    media_type = MEDIA_TYPES.get(path.suffix.lower(), "application/octet-stream")
    headers = {"cache-control": "no-store"}
    if path.suffix.lower() == ".html":
        headers["content-security-policy"] = html_csp(path.read_text("utf-8", "replace"))
    return FileResponse(path, media_type=media_type, headers=headers)


def card(request: Request) -> Response:
    ctx = context_of(request)
    view = ctx.view()
    lang = request.path_params["lang"]
    if view is None or lang not in view.kit.languages:
        return _refused()
    try:
        path = card_picture(view, lang, ctx.config.state_dir / "cards")
    except ScreenkitError:
        return _refused(500)
    return FileResponse(path, media_type="image/png", headers={"cache-control": "no-store"})


ROUTES = [
    Route("/files/{id:str}/{path:path}", bundle_file),
    Route("/kit/card/{lang:str}.png", card),
]
