"""The Starlette application: routes, templates, the guard, the start and the stop.

`create_app` wires the page handlers (`pages`), the JSON API (`api`), the bundle files
(`files`) and the static script and style behind `security.Guard`. On shutdown (Ctrl-C) the
build manager cancels what runs and waits for it: no half bundle.
"""

from __future__ import annotations

import contextlib
import html
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any

import anyio
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from screenkit import __version__
from screenkit.app.context import AppConfig, AppContext
from screenkit.app.security import Guard, Scope
from screenkit.app.words import APP_LANGUAGES, best_language, native_name
from screenkit.i18n import Translator, translator

STATIC = Path(__file__).resolve().parent / "static"


def environment() -> Environment:
    """The templates' Jinja2 environment (autoescaped; the words come per request)."""
    return Environment(
        loader=PackageLoader("screenkit.app", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


TEMPLATES = Jinja2Templates(env=environment())


def context_of(request: Request) -> AppContext:
    ctx: AppContext = request.app.state.ctx
    return ctx


def page_lang(request: Request) -> str:
    return context_of(request).page_language(
        dict(request.cookies), request.headers.get("accept-language")
    )


def tr_of(request: Request) -> Translator:
    return context_of(request).translator(page_lang(request))


def render(
    request: Request, name: str, values: Mapping[str, Any] | None = None, status: int = 200
) -> Response:
    """A page in the request's language: the template gets ``_``/``ngettext`` and the nav."""
    ctx = context_of(request)
    lang = page_lang(request)
    tr = ctx.translator(lang)
    view = ctx.view()
    here = request.url.path
    values = {
        "_": tr.gettext,
        "ngettext": tr.ngettext,
        "tr": tr,
        "lang": lang,
        "languages": [(code, native_name(code)) for code in APP_LANGUAGES],
        "kit": view,
        "kit_error": ctx.kit_error,
        "here": here + (f"?{request.url.query}" if request.url.query else ""),
        "version": __version__,
        **(values or {}),
    }
    return TEMPLATES.TemplateResponse(
        request, name, values, status_code=status, headers={"cache-control": "no-store"}
    )


def refusal(scope: Scope, status: int, why: str) -> tuple[str, bytes]:
    """What a refused request reads: JSON for the API, a short page in words otherwise."""
    path = str(scope.get("path", ""))
    accept = ""
    for key, value in scope.get("headers", []):
        if key.lower() == b"accept-language":
            accept = value.decode("latin-1")
    tr = translator(best_language(accept))
    texts = {
        "token": tr.gettext(
            "This page opens only from the link screenkit app printed in the terminal."
        ),
        "host": tr.gettext("This address is not the app's."),
        "origin": tr.gettext("A change can only come from the app's own page."),
        "method": tr.gettext("The app does not do that."),
        "path": tr.gettext("This file is not served."),
    }
    text = texts.get(why, texts["method"])
    if path.startswith("/api/"):
        import json

        return "application/json", json.dumps({"error": why, "hint": text}).encode()
    body = (
        f'<!doctype html><html lang="{tr.lang}"><meta charset="utf-8"><title>screenkit</title>'
        f"<p>{html.escape(text)}</p></html>"
    )
    return "text/html; charset=utf-8", body.encode()


def create_app(config: AppConfig) -> Starlette:
    """The app for ``config``; its `AppContext` is ``app.state.ctx``."""
    from screenkit.app import (
        api,
        buildpages,
        copypages,
        downloadpages,
        files,
        pages,
        subspages,
        translate,
    )

    ctx = AppContext(config)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        ctx.closing.set()
        ctx.copies.stop_all()
        await anyio.to_thread.run_sync(ctx.manager.close)
        await anyio.to_thread.run_sync(ctx.copies.close)

    routes = [
        *pages.ROUTES,
        *buildpages.ROUTES,
        *copypages.ROUTES,
        *downloadpages.ROUTES,
        *subspages.ROUTES,
        *translate.ROUTES,
        *api.ROUTES,
        *files.ROUTES,
        Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(Guard, token=config.token, port=config.port, refusal=refusal)],
        lifespan=lifespan,
        exception_handlers={404: pages.not_found, 405: pages.not_allowed},
    )
    app.state.ctx = ctx
    return app


__all__ = ["Route", "create_app", "render"]
