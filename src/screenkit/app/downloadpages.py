"""Download the ready bundle: the page beside "Before building", and its API.

``GET /download?lang=uk&preset=usb-player[&catalogue=URL]`` reads the catalogue (the typed
one, else the kit's) and shows the bundle it offers for that language and device in the
page's words (the device, the size, when it was built), or what it offers instead;
``POST /api/downloads`` (``{"lang", "preset", "catalogue"}``, or the page's form) queues the
download (`downloads.submit_download`) and answers ``201 {"id"}`` (the form: the build's
page, ``/builds/ID``, which follows a download as it does a build); ``GET
/api/catalogue?catalogue=URL`` lists what a catalogue offers, for scripts.
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

import anyio
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from screenkit.app.choice import BuildChoice, ChoiceError
from screenkit.app.devices import devices
from screenkit.app.downloads import NoCatalogue, Offer, catalogue_address, look_up, submit_download
from screenkit.app.web import context_of, page_lang, render, tr_of
from screenkit.app.words import explain, native_name
from screenkit.errors import ScreenkitError
from screenkit.handover import CatalogueBundle
from screenkit.handover.words import device_words, size_words
from screenkit.i18n import Translator

EVENING = ("venue", "day", "time", "contact", "outro")
"""The screening page's fields a ready bundle cannot have (they are drawn on its card)."""


def offer_words(tr: Translator, bundle: CatalogueBundle) -> dict[str, str]:
    """One bundle of a catalogue in the page's words."""
    try:
        built = tr.date(datetime.date.fromisoformat(bundle.built[:10]))
    except ValueError:
        built = bundle.built[:10]
    return {
        "device": device_words(bundle.device, tr),
        "size": size_words(bundle.size, tr),
        "language": native_name(bundle.lang),
        "built": tr.gettext("built on {date}").format(date=built),
    }


def _wants_page(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "")


def _link(path: str, values: dict[str, str]) -> str:
    return f"{path}?" + urlencode({k: v for k, v in values.items() if v})


async def download_page(
    request: Request, values: dict[str, str] | None = None, error: Any = None, status: int = 200
) -> Response:
    ctx = context_of(request)
    view = ctx.view()
    if view is None:
        return RedirectResponse("/kits", status_code=303)
    tr = tr_of(request)
    q = values if values is not None else dict(request.query_params)
    lang = page_lang(request)
    default = lang if lang in view.kit.languages else view.kit.original_language
    chosen = {
        "lang": q.get("lang") or default,
        "preset": q.get("preset") or "usb-player",
        **{k: q.get(k, "") for k in EVENING},
    }
    typed = (q.get("catalogue") or "").strip()
    try:
        choice = BuildChoice.from_json({"lang": chosen["lang"], "preset": chosen["preset"]})
        choice.request(view.kit)
    except ScreenkitError as exc:
        from screenkit.app.pages import screening

        return screening(request, error=explain(tr, exc), status=400)
    location: str | None = None
    offer: Offer | None = None
    try:
        location = catalogue_address(view.kit, typed)
        offer = await anyio.to_thread.run_sync(look_up, location)
    except NoCatalogue:
        location = None
    except ScreenkitError as exc:
        error = error or explain(tr, exc)
    bundle = offer.find(choice.lang, choice.preset) if offer else None
    others: list[tuple[CatalogueBundle, dict[str, str]]] = []
    if offer is not None and bundle is None:
        same = [b for b in offer.bundles if b.lang.lower() == choice.lang.lower()]
        others = [(b, offer_words(tr, b)) for b in (same or list(offer.bundles))]
    device = next((d for d in devices(tr, view.kit.root) if d.preset == choice.preset), None)
    return render(
        request,
        "download.html",
        {
            "step": "check",
            "choice": choice,
            "device": device,
            "typed": typed,
            "location": location,
            "offer": offer,
            "bundle": bundle,
            "words": offer_words(tr, bundle) if bundle else None,
            "others": others,
            "evening": any(chosen[k] for k in EVENING),
            "back": _link("/screening", chosen),
            "build_here": _link("/check", chosen),
            "again": {"lang": choice.lang, "preset": choice.preset, "catalogue": typed},
            "native": native_name,
            "error": error,
        },
        status=status,
    )


async def create_download(request: Request) -> Response:
    """Queue a download: 201 ``{"id"}`` (a form: the page of the download)."""
    from screenkit.app.api import refused
    from screenkit.app.pages import from_form, posted

    ctx = context_of(request)
    tr = tr_of(request)
    view = ctx.view()
    if view is None:
        return RedirectResponse("/kits", status_code=303)
    as_form = from_form(request)
    body: dict[str, Any] = {}
    try:
        body = await posted(request)
        typed = body.get("catalogue")
        if typed is not None and not isinstance(typed, str):
            raise ChoiceError("'catalogue' must be text", key="catalogue")
        choice = BuildChoice.from_json({"lang": body.get("lang"), "preset": body.get("preset")})
        job = await anyio.to_thread.run_sync(
            lambda: submit_download(ctx.manager, view.kit, choice, typed)
        )
    except ScreenkitError as exc:
        if as_form and _wants_page(request):
            values = {k: str(v) for k, v in body.items() if isinstance(v, str)}
            return await download_page(request, values, explain(tr, exc), status=400)
        return refused(tr, exc)
    if as_form:
        return RedirectResponse(f"/builds/{job.id}", status_code=303)
    return JSONResponse({"id": job.id}, status_code=201)


async def catalogue_api(request: Request) -> Response:
    """What a catalogue (``?catalogue=URL``, else the kit's) offers, with the page's words."""
    from screenkit.app.api import refused

    ctx = context_of(request)
    tr = tr_of(request)
    view = ctx.view()
    if view is None:
        return RedirectResponse("/kits", status_code=303)
    try:
        location = catalogue_address(view.kit, request.query_params.get("catalogue"))
        offer = await anyio.to_thread.run_sync(look_up, location)
    except ScreenkitError as exc:
        return refused(tr, exc)
    bundles = []
    for b in offer.bundles:
        entry = {k: v for k, v in b.to_json().items() if k != "files"}
        bundles.append({**entry, "files": len(b.files), "shown": offer_words(tr, b)})
    return JSONResponse(
        {"location": offer.location, "title": offer.title, "kit": offer.kit, "bundles": bundles}
    )


ROUTES = [
    Route("/download", download_page),
    Route("/api/downloads", create_download, methods=["POST"]),
    Route("/api/catalogue", catalogue_api),
]
