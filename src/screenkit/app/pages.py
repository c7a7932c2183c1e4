"""The organiser's pages before a build: the kit, the choices, the check before building.

Each handler reads what it needs from the library, puts it in the page's words and renders
one template. Choices travel in the query string (``/check?lang=uk&preset=usb-player``), so
the browser's Back button and a reload keep them; the only changes are POSTed forms (the
page language, opening a kit) and the API.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from screenkit.app.builds import PlanPreview
from screenkit.app.choice import BuildChoice, ChoiceError
from screenkit.app.context import LANG_COOKIE
from screenkit.app.devices import devices, questions, standard_words, suggest
from screenkit.app.kitview import Issue, KitView
from screenkit.app.web import context_of, page_lang, render, tr_of
from screenkit.app.words import APP_LANGUAGES, duration, evening_date, explain, native_name, size
from screenkit.errors import ScreenkitError
from screenkit.i18n import Translator
from screenkit.kit import MANIFEST


async def form_of(request: Request) -> dict[str, str]:
    """A URL-encoded form body (the app's forms post nothing else)."""
    body = (await request.body())[:65536].decode("utf-8", "replace")
    return dict(parse_qsl(body, keep_blank_values=True))


def from_form(request: Request) -> bool:
    """Whether a POST comes from one of the app's forms (URL-encoded), not the API (JSON):
    a form is answered with a page to go to, the API with JSON."""
    return request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded")


async def json_object(request: Request, hint: str | None = None) -> dict[str, Any]:
    """A JSON request body, which must be an object (`ChoiceError` otherwise)."""
    try:
        body = json.loads(await request.body())
    except ValueError as exc:
        raise ChoiceError("the request body is not JSON", key="body", hint=hint) from exc
    if not isinstance(body, dict):
        raise ChoiceError("the request body must be a JSON object", key="body", hint=hint)
    return body


async def posted(request: Request) -> dict[str, Any]:
    """The fields of a POST, from a form or a JSON object alike."""
    if from_form(request):
        return dict(await form_of(request))
    return await json_object(request)


def safe_next(value: str | None) -> str:
    """A place in the app to go back to: a local path, never another site."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


def issue_text(tr: Translator, issue: Issue) -> str:
    p = issue.params
    lang = native_name(str(p.get("lang", "")))
    texts = {
        "film-missing": tr.gettext(
            "The film is missing: the kit expects it at {path}. Copy the film there."
        ),
        "film-unreadable": tr.gettext("The film at {path} cannot be read: is it copied whole?"),
        "track-missing": tr.gettext("There are no subtitles for {lang}."),
        "track-unreadable": tr.gettext("The subtitles for {lang} ({file}) cannot be read."),
        "appeal-missing": tr.gettext("There is no appeal text for {lang}."),
    }
    if issue.code == "track-errors":
        n = int(p["n"])
        return tr.ngettext(
            "The subtitles for {lang} have {n} error: see the Subtitles page.",
            "The subtitles for {lang} have {n} errors: see the Subtitles page.",
            n,
        ).format(lang=lang, n=n)
    if issue.code == "placeholder":
        if issue.blocking:
            return tr.gettext(
                "The appeal still holds the placeholder text that screenkit init wrote: "
                "write the real appeal before building."
            )
        return tr.gettext(
            "This is a demonstration kit: its appeal is a stand-in. The sheet says so in red."
        )
    text = texts.get(issue.code, issue.code)
    return text.format(path=p.get("path", ""), lang=lang, file=p.get("file", ""))


def film_facts(tr: Translator, view: KitView) -> list[tuple[str, str]]:
    film = view.film
    if not film.found:
        return [(tr.gettext("Film"), tr.gettext("missing"))]
    facts = []
    if film.duration:
        facts.append((tr.gettext("Length"), duration(tr, film.duration)))
    if film.size_bytes:
        facts.append((tr.gettext("Size"), size(tr, film.size_bytes)))
    if film.width and film.height:
        shape = {
            "landscape": tr.gettext("landscape"),
            "portrait": tr.gettext("portrait (upright)"),
            "square": tr.gettext("square"),
        }.get(film.shape or "", "")
        facts.append(
            (tr.gettext("Picture"), f"{film.width} × {film.height}, {film.aspect}, {shape}")
        )
    return facts


def home(request: Request) -> Response:
    ctx = context_of(request)
    view = ctx.view()
    if view is None:
        return RedirectResponse("/kits", status_code=303)
    lang = page_lang(request)
    tr = tr_of(request)
    wanted = request.query_params.get("card")
    card = wanted if wanted in view.kit.languages else None
    card = card or (lang if lang in view.kit.languages else view.kit.original_language)
    return render(
        request,
        "kit.html",
        {
            "step": "kit",
            "facts": film_facts(tr, view),
            "issues": [(i, issue_text(tr, i)) for i in view.issues],
            "blocking": any(i.blocking for i in view.issues),
            "card_lang": card,
            "appeal_text": view.appeal_text(card),
            "native": native_name,
        },
    )


def kits(request: Request) -> Response:
    ctx = context_of(request)
    asked = request.query_params.get("dir")
    folder: Path | None = None
    entries: list[tuple[Path, bool]] = []
    refused = False
    if asked:
        candidate = Path(asked)
        if "\x00" in asked or not candidate.is_absolute() or not ctx.may_browse(candidate):
            refused = True
        else:
            folder = candidate.resolve()
            try:
                for child in sorted(folder.iterdir(), key=lambda p: p.name.casefold()):
                    if child.name.startswith(".") or not child.is_dir():
                        continue
                    entries.append((child, (child / MANIFEST).is_file()))
            except OSError:
                refused = True
    parent = None
    if folder is not None and folder.parent != folder and ctx.may_browse(folder.parent):
        parent = folder.parent
    error = None
    if ctx.kit_error is not None:
        error = explain(tr_of(request), ctx.kit_error)
    return render(
        request,
        "kits.html",
        {
            "step": "kit",
            "recent": ctx.recent(),
            "roots": ctx.config.roots,
            "folder": folder,
            "is_kit": folder is not None and (folder / MANIFEST).is_file(),
            "entries": entries,
            "parent": parent,
            "refused": refused,
            "error": error,
            "kit_path": ctx.kit_root,
        },
    )


async def open_kit(request: Request) -> Response:
    ctx = context_of(request)
    form = await form_of(request)
    folder = Path(form.get("path", ""))
    if not folder.is_absolute() or not (ctx.may_browse(folder) or folder in ctx.recent()):
        return RedirectResponse("/kits", status_code=303)
    ctx.open_kit(folder, strict=False)
    return RedirectResponse("/" if ctx.kit_error is None else "/kits", status_code=303)


async def make_sample(request: Request) -> Response:
    """The sample kit, made in the app's own folder when there is no kit to try."""
    import anyio

    from screenkit.sample.kit import write_sample

    ctx = context_of(request)
    folder = ctx.config.state_dir / "sample-kit"
    try:
        await anyio.to_thread.run_sync(lambda: write_sample(folder))
    except ScreenkitError as exc:
        ctx.kit_root, ctx.kit_error = folder, exc
        return RedirectResponse("/kits", status_code=303)
    ctx.open_kit(folder, strict=False)
    return RedirectResponse("/", status_code=303)


async def set_language(request: Request) -> Response:
    form = await form_of(request)
    lang = form.get("lang", "")
    response = RedirectResponse(safe_next(form.get("next")), status_code=303)
    if lang in APP_LANGUAGES:
        context_of(request).remember_language(lang)
        response.set_cookie(
            LANG_COOKIE, lang, max_age=365 * 86400, httponly=True, samesite="strict", path="/"
        )
    return response


def _choices(request: Request, view: KitView) -> dict[str, str]:
    q = request.query_params
    lang = page_lang(request)
    default_lang = lang if lang in view.kit.languages else view.kit.original_language
    return {
        "lang": q.get("lang") or default_lang,
        "preset": q.get("preset") or "usb-player",
        "venue": q.get("venue", ""),
        "day": q.get("day", ""),
        "time": q.get("time", ""),
        "contact": q.get("contact", ""),
        "outro": "1" if q.get("outro") else "",
    }


def screening(request: Request, error: Any = None, status: int = 200) -> Response:
    ctx = context_of(request)
    view = ctx.view()
    if view is None:
        return RedirectResponse("/kits", status_code=303)
    tr = tr_of(request)
    return render(
        request,
        "screening.html",
        {
            "step": "screening",
            "choices": _choices(request, view),
            "devices": devices(tr, view.kit.root),
            "native": native_name,
            "error": error,
        },
        status=status,
    )


def helper(request: Request) -> Response:
    tr = tr_of(request)
    answers = {k: v for k, v in request.query_params.items() if k in ("how", "usb", "region")}
    picked = suggest(answers)
    keep = {k: v for k, v in request.query_params.items() if k in ("lang", "venue", "contact")}
    return render(
        request,
        "helper.html",
        {
            "step": "screening",
            "questions": questions(tr),
            "answers": answers,
            "picked": picked,
            "picked_words": standard_words(tr, picked) if picked else None,
            "choose_link": "/screening?" + urlencode({**keep, "preset": picked or ""}),
            "keep": keep,
        },
    )


def choice_of(values: Mapping[str, str]) -> BuildChoice:
    """The build choice from the page's fields: the date line in the *bundle's* language."""
    try:
        day = date.fromisoformat(values["day"]) if values.get("day") else None
        at = time.fromisoformat(values["time"]) if values.get("time") else None
    except ValueError as exc:
        raise ChoiceError("the date or time is not valid", key="day") from exc
    lang = values.get("lang", "")
    return BuildChoice.from_json(
        {
            "lang": lang,
            "preset": values.get("preset", ""),
            "venue": values.get("venue") or None,
            "date": evening_date(lang, day, at),
            "contact": values.get("contact") or None,
            "outro": bool(values.get("outro")),
        }
    )


def check(request: Request) -> Response:
    ctx = context_of(request)
    view = ctx.view()
    if view is None:
        return RedirectResponse("/kits", status_code=303)
    tr = tr_of(request)
    values = _choices(request, view)
    try:
        choice = choice_of(values)
        preview = ctx.manager.preview(view.kit, choice)
    except ScreenkitError as exc:
        return screening(request, error=explain(tr, exc), status=400)
    device = next((d for d in devices(tr, view.kit.root) if d.preset == choice.preset), None)
    return render(
        request,
        "check.html",
        {
            "step": "check",
            "choice": choice,
            "choices": values,
            "device": device,
            "preview": preview,
            "estimate": _estimate(tr, preview),
            "space": [
                (what_words(tr, what), str(path), size(tr, need), size(tr, free), free >= need)
                for what, path, need, free in preview.needs
            ],
            "back": "/screening?" + urlencode(values),
            "download": "/download?" + urlencode(values),
            "native": native_name,
        },
    )


def what_words(tr: Translator, what: str) -> str:
    if "cache" in what:
        return tr.gettext("the build's working files (kept to make the next build faster)")
    return tr.gettext("the bundle folder")


def _estimate(tr: Translator, preview: PlanPreview) -> str:
    if preview.up_to_date:
        return tr.gettext("This bundle is already built: the app will only check it again.")
    if preview.estimates:
        total = sum(seconds for _, seconds in preview.estimates)
        return tr.gettext("About {time} on this computer.").format(time=duration(tr, total))
    return tr.gettext("A short film: a few minutes at most on this computer.")


def not_found(request: Request, exc: Exception) -> Response:
    if request.url.path.startswith("/api/"):
        from starlette.responses import JSONResponse

        return JSONResponse({"error": "not found", "hint": None}, status_code=404)
    return render(request, "missing.html", {"step": None}, status=404)


def not_allowed(request: Request, exc: Exception) -> Response:
    from starlette.responses import JSONResponse

    return JSONResponse(
        {"error": "method not allowed", "hint": "read with GET, change with POST"},
        status_code=405,
        headers={"allow": "GET, HEAD, POST"},
    )


ROUTES = [
    Route("/", home),
    Route("/kits", kits),
    Route("/kits/open", open_kit, methods=["POST"]),
    Route("/kits/sample", make_sample, methods=["POST"]),
    Route("/settings/language", set_language, methods=["POST"]),
    Route("/screening", screening),
    Route("/helper", helper),
    Route("/check", check),
]
