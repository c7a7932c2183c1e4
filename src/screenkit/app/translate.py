"""The Subtitles page's tools for translators: start a language, bring it back, review it.

A translator starts a new language from the kit's original track: ``POST
/subtitles/translations`` (a language picked by its native name) writes the gettext
catalogue ``subtitles/L.po`` beside the track (`export_po`: an existing ``L.po``, or an
``L.srt`` beside the original, is merged, never overwritten) and the page offers it to
download. The filled-in catalogue comes back by ``POST /subtitles/translations/upload`` (a
file of at most `MAX_PO_BYTES`, parsed as untrusted input; its language from its header, or
the one the form names): it is kept as ``subtitles/L.po`` (the one it replaces as ``.bak``)
and imported into ``subtitles/L.srt`` with the original's timing (`import_po`: an existing
track is kept as ``.bak``); what is left untranslated or fuzzy is listed cue by cue. The
comparison with the original (`compare_files`, frames of the film by `frames_for`) is shown
in the page's words; its frames are served as the app's own files (the page's policy allows
no ``data:`` picture), and the full report (`render_report`) under the policy it carries
itself: no script, its one style by hash, pictures from ``data:`` only.

Only names the kit's rules accept are written: a canonical language tag, not the original's
language, that makes a file name every stick takes (``con.po`` does not).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from screenkit.app.kitview import KitView
from screenkit.app.web import context_of, page_lang, render, tr_of
from screenkit.app.words import explain, native_name
from screenkit.errors import InputError, ScreenkitError
from screenkit.i18n import Translator, translator
from screenkit.subtitles.compare import Comparison
from screenkit.subtitles.po_export import PoExport
from screenkit.subtitles.po_import import PoImport

MAX_PO_BYTES = 5 * 1024 * 1024
"""The largest catalogue the app takes (a feature film's is a few hundred kilobytes)."""
MAX_SHOWN = 100
"""Flagged cues of a comparison shown in the page (the full report has them all)."""
PO_TYPE = "text/x-gettext-translation; charset=utf-8"


class TranslationRefused(ScreenkitError):
    """A language, a name or an uploaded catalogue the translators' tools cannot take."""


class CatalogueRefused(TranslationRefused):
    """The upload is not a translated subtitle catalogue (key ``po``)."""


class NothingTranslated(TranslationRefused):
    """The catalogue holds no translation yet: there is no track to make."""


class LanguageRefused(TranslationRefused):
    """Not a language tag (``value``), or none given where one is needed (``value`` None)."""


class OriginalLanguage(TranslationRefused):
    """A translation into the original's own language (``value``)."""


class LanguageMismatch(TranslationRefused):
    """The catalogue is in another language (``value``) than the page it was sent from."""


def refusal_words(tr: Translator, exc: TranslationRefused) -> tuple[str, str | None]:
    """A refusal of the translators' tools in the page's words (`words.explain`)."""
    lang = str(exc.value) if exc.value is not None else ""
    if isinstance(exc, OriginalLanguage):
        return (
            tr.gettext(
                "{language} is the original's language: there is nothing to translate into it."
            ).format(language=native_name(lang)),
            tr.gettext("Choose the language of the translation."),
        )
    if isinstance(exc, LanguageMismatch):
        return (
            tr.gettext("This catalogue is in {language}.").format(language=native_name(lang)),
            tr.gettext("Send it from the page of its own language, or from the Subtitles page."),
        )
    if isinstance(exc, LanguageRefused) and exc.value is None:
        return (
            tr.gettext("The catalogue does not say its language."),
            tr.gettext("Choose its language in the form, then send it again."),
        )
    if isinstance(exc, LanguageRefused):
        return (
            tr.gettext("'{lang}' is not a language code the app knows.").format(lang=lang),
            tr.gettext("Choose the language from the list."),
        )
    if isinstance(exc, NothingTranslated):
        return (
            tr.gettext("No subtitle of this catalogue is translated yet."),
            tr.gettext("Translate the msgstr lines in a PO editor (Poedit, Lokalize) first."),
        )
    if exc.key == "name":
        return (
            tr.gettext("'{name}' cannot be used as a name.").format(name=lang[:40]),
            tr.gettext("A track is named after its language, and this one cannot be."),
        )
    return (
        tr.gettext("This file cannot be used as a translated catalogue."),
        tr.gettext(
            "Send the .po file the app gave, once translated in a PO editor (Poedit, Lokalize)."
        ),
    )


@dataclass(frozen=True)
class Review:
    """A comparison of a translation with the original, and the film's frames for it."""

    comparison: Comparison
    frames: Mapping[int, bytes]
    film: Path | None
    left_out: int


@dataclass
class Work:
    """What the page remembers of one language's translation during this app run."""

    exported: PoExport | None = None
    imported: PoImport | None = None
    review: Review | None = None
    uploaded: str | None = field(default=None)
    """The uploaded file's own name, as the browser sent it."""


_WORK: dict[tuple[Path, str], Work] = {}
_LOCK = threading.Lock()


def work_of(view: KitView, lang: str) -> Work:
    with _LOCK:
        return _WORK.setdefault((view.kit.root, lang), Work())


def original_of(view: KitView) -> Path:
    """The kit's original track (what every translation starts from)."""
    return view.kit.subtitle_path(view.kit.original_language)


def target_language(view: KitView, text: str) -> str:
    """``text`` as the language of a translation this kit can hold; `TranslationRefused`
    (key ``lang`` or ``name``) otherwise."""
    from screenkit.languages import LanguageTagError, parse_tag, valid_language
    from screenkit.names import file_name_problem

    shown = text.strip()[:40]
    try:
        lang = parse_tag(text)
    except LanguageTagError as exc:
        raise LanguageRefused(exc.message, key="lang", value=shown, hint=exc.hint) from exc
    if not valid_language(lang):
        raise LanguageRefused(f"'{shown}' is not a language tag", key="lang", value=shown)
    if lang == view.kit.original_language:
        raise OriginalLanguage(
            f"'{lang}' is the original's own language: there is nothing to translate",
            key="lang",
            value=lang,
            hint="choose the language the subtitles are translated into",
        )
    for name in (f"{lang}.po", f"{lang}.srt"):
        problem = file_name_problem(name)
        if problem is not None:
            raise TranslationRefused(
                f"subtitles/{name}: {problem}",
                key="name",
                value=lang,
                hint="a kit's track is named after its language, and this one cannot be",
            )
    return lang


def offered_languages(view: KitView) -> list[tuple[str, str]]:
    """(tag, native name) of the languages to start: those with reading norms, the kit's,
    and those with a catalogue in the kit, less the original's; by name."""
    from screenkit.subtitles.norms import all_norms

    tags = {*all_norms(), *view.kit.languages, *(tag for tag, _ in catalogues(view))}
    tags.discard(view.kit.original_language)
    return sorted(((t, native_name(t)) for t in tags), key=lambda item: item[1].casefold())


def catalogues(view: KitView) -> list[tuple[str, Path]]:
    """The translation catalogues in the kit's ``subtitles/`` (``fi.po``), by language."""
    from screenkit.languages import valid_language

    folder = view.kit.subtitles_dir
    found = []
    for path in sorted(folder.glob("*.po")) if folder.is_dir() else []:
        if valid_language(path.stem) and path.stem != view.kit.original_language:
            found.append((path.stem, path))
    return found


@dataclass(frozen=True)
class Progress:
    """How far a catalogue is: messages, translated (not fuzzy), fuzzy."""

    total: int
    translated: int
    fuzzy: int


def catalogue_progress(path: Path) -> Progress | None:
    """Counted from the catalogue as it is on disk; None when it cannot be read."""
    from screenkit.subtitles.po import message_text, messages_of, read_catalogue

    try:
        messages = messages_of(read_catalogue(path))
    except ScreenkitError:
        return None
    done = [m for m in messages if message_text(m).strip()]
    fuzzy = sum(1 for m in done if m.fuzzy)
    return Progress(len(messages), len(done) - fuzzy, fuzzy)


def subtitles_values(view: KitView) -> dict[str, Any]:
    """What the Subtitles page shows of the translations (`subspages.subtitles_page`)."""
    return {
        "offered": offered_languages(view),
        "catalogues": [(tag, path, catalogue_progress(path)) for tag, path in catalogues(view)],
        "max_mb": MAX_PO_BYTES // (1024 * 1024),
    }


# -- refusals: in the page's words for the page, JSON for a script -------------------------


def _wants_page(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "")


def _refuse(request: Request, exc: ScreenkitError, lang: str | None = None) -> Response:
    from screenkit.app.api import refused

    tr = tr_of(request)
    if not _wants_page(request):
        return refused(tr, exc)
    view = context_of(request).view()
    if view is None:
        return RedirectResponse("/kits", status_code=303)
    if lang is not None:
        return _translation_page(request, view, lang, error=explain(tr, exc), status=400)
    values = {"step": None, "native": native_name, "error": explain(tr, exc)}
    return render(request, "subtitles.html", {**values, **subtitles_values(view)}, status=400)


# -- start a language ----------------------------------------------------------------------


async def start(request: Request) -> Response:
    """Export (or merge into) ``subtitles/L.po`` from the original, then show it."""
    import anyio

    from screenkit.app.pages import form_of
    from screenkit.subtitles.po_export import export_po

    ctx = context_of(request)
    view = ctx.view()
    if view is None:
        return RedirectResponse("/kits", status_code=303)
    form = await form_of(request)
    try:
        lang = target_language(view, form.get("lang", ""))
        original = original_of(view)
        # the notes in the translator's language when screenkit speaks it, else the page's
        ui = None if translator(lang).translated else page_lang(request)
        exported = await anyio.to_thread.run_sync(
            lambda: export_po(
                original, lang, view.kit.subtitles_dir / f"{lang}.po", kit=view.kit.root,
                ui_lang=ui,
            )
        )  # fmt: skip
    except ScreenkitError as exc:
        return _refuse(request, exc)
    work_of(view, lang).exported = exported
    if not _wants_page(request):
        return JSONResponse(
            {"lang": lang, "catalogue": f"/subtitles/translations/{lang}/catalogue.po"},
            status_code=201,
        )
    return RedirectResponse(f"/subtitles/translations/{lang}", status_code=303)


# -- the translation's page ----------------------------------------------------------------


def _known(view: KitView, lang: str) -> bool:
    """A language this page is about: it has a catalogue or a track in the kit."""
    try:
        if target_language(view, lang) != lang:  # one spelling: the file's name
            return False
    except ScreenkitError:
        return False
    folder = view.kit.subtitles_dir
    return (folder / f"{lang}.po").is_file() or (folder / f"{lang}.srt").is_file()


def translation_page(request: Request) -> Response:
    view = context_of(request).view()
    if view is None:
        return RedirectResponse("/kits", status_code=303)
    lang = request.path_params["lang"]
    if not _known(view, lang):
        return render(request, "missing.html", {"step": None}, status=404)
    return _translation_page(request, view, lang)


def _translation_page(
    request: Request, view: KitView, lang: str, *, error: object = None, status: int = 200
) -> Response:
    from screenkit.app.translate_view import import_words, review_words

    tr = tr_of(request)
    work = work_of(view, lang)
    folder = view.kit.subtitles_dir
    po = folder / f"{lang}.po"
    track = folder / f"{lang}.srt"
    known = _known(view, lang)
    return render(
        request,
        "translation.html",
        {
            "step": None,
            "native": native_name,
            "target": lang,
            "known": known,
            "original": _name_or_none(view),
            "po": po if po.is_file() else None,
            "po_progress": catalogue_progress(po) if po.is_file() else None,
            "track": track if track.is_file() else None,
            "exported": work.exported,
            "imported": import_words(tr, work.imported) if work.imported else None,
            "uploaded": work.uploaded,
            "review": review_words(tr, lang, work.review) if work.review else None,
            "film": view.film.found,
            "max_mb": MAX_PO_BYTES // (1024 * 1024),
            "error": error,
        },
        status=status,
    )


def _name_or_none(view: KitView) -> str | None:
    try:
        return original_of(view).name
    except ScreenkitError:
        return None


def catalogue_file(request: Request) -> Response:
    """``subtitles/L.po`` of the open kit, as a download."""
    view = context_of(request).view()
    lang = request.path_params["lang"]
    if view is None or not _known(view, lang):
        return JSONResponse({"error": "not served", "hint": None}, status_code=404)
    from screenkit.app.security import FileRefused, safe_file

    try:  # the kit's own file: a link leading out of subtitles/ is not followed
        path = safe_file(view.kit.subtitles_dir, f"{lang}.po")
    except FileRefused:
        return JSONResponse({"error": "not served", "hint": None}, status_code=404)
    return FileResponse(
        path,
        media_type=PO_TYPE,
        filename=f"{lang}.po",
        headers={"cache-control": "no-store"},
    )


# -- bring a translated catalogue back -----------------------------------------------------


async def upload(request: Request) -> Response:
    """Take a filled-in catalogue, keep it as ``subtitles/L.po``, import ``subtitles/L.srt``."""
    import anyio

    from screenkit.app.translate_upload import accept_catalogue, read_upload

    ctx = context_of(request)
    view = ctx.view()
    if view is None:
        return RedirectResponse("/kits", status_code=303)
    asked: str | None = None
    try:
        received = await read_upload(request, MAX_PO_BYTES)
        asked = received.lang
        lang, imported = await anyio.to_thread.run_sync(
            lambda: accept_catalogue(view, received, original_of(view))
        )
    except ScreenkitError as exc:
        return _refuse(request, exc, asked if asked and _known(view, asked) else None)
    work = work_of(view, lang)
    work.imported, work.uploaded, work.review = imported, received.filename, None
    if not _wants_page(request):
        return JSONResponse({"lang": lang, **imported.to_json()}, status_code=201)
    return RedirectResponse(f"/subtitles/translations/{lang}#import", status_code=303)


# -- the comparison with the original ------------------------------------------------------


def compare(request: Request) -> Response:
    """Compare ``subtitles/L.srt`` with the original (frames of the film at flagged cues)."""
    from screenkit.subtitles.compare import compare_files
    from screenkit.subtitles.compare_frames import MAX_FRAMES, frames_for

    view = context_of(request).view()
    lang = request.path_params["lang"]
    if view is None or not _known(view, lang):
        return JSONResponse({"error": "no such translation", "hint": None}, status_code=404)
    track = view.kit.subtitles_dir / f"{lang}.srt"
    try:
        if not track.is_file():
            raise InputError(
                f"{track.name}: there is no translated track yet",
                path=track,
                hint="bring the translated catalogue back first: the app makes the track",
            )
        comparison = compare_files(original_of(view), track, lang=lang, kit=view.kit.root)
        film = view.kit.master if view.film.found else None
        frames = frames_for(comparison, film) if film is not None else {}
    except ScreenkitError as exc:
        return _refuse(request, exc, lang)
    flagged = len(comparison.flagged)
    left_out = max(0, flagged - MAX_FRAMES) if film is not None else 0
    work_of(view, lang).review = Review(comparison, frames, film, left_out)
    if not _wants_page(request):
        from screenkit.subtitles.compare_words import comparison_json

        return JSONResponse(comparison_json(comparison, tr_of(request)))
    return RedirectResponse(f"/subtitles/translations/{lang}#review", status_code=303)


def _review(request: Request) -> Review | None:
    view = context_of(request).view()
    lang = request.path_params["lang"]
    if view is None:
        return None
    with _LOCK:
        work = _WORK.get((view.kit.root, lang))
    return work.review if work is not None else None


def frame(request: Request) -> Response:
    """A frame of the last comparison (kept in memory by this app run), as a JPEG."""
    review = _review(request)
    found = review.frames.get(request.path_params["n"]) if review else None
    if found is None:
        return JSONResponse({"error": "not served", "hint": None}, status_code=404)
    return Response(found, media_type="image/jpeg", headers={"cache-control": "no-store"})


def report(request: Request) -> Response:
    """The full comparison report in the page's language, under the policy it carries."""
    from screenkit.subtitles.compare_report import render_report, report_policy

    review = _review(request)
    if review is None:
        return JSONResponse({"error": "not served", "hint": None}, status_code=404)
    text = render_report(
        review.comparison,
        tr_of(request),
        frames=review.frames,
        film=review.film,
        frames_left_out=review.left_out,
    )
    return Response(
        text,
        media_type="text/html; charset=utf-8",
        headers={
            "cache-control": "no-store",
            "content-security-policy": f"{report_policy()}; frame-ancestors 'none'",
        },
    )


ROUTES = [
    Route("/subtitles/translations", start, methods=["POST"]),
    Route("/subtitles/translations/upload", upload, methods=["POST"]),
    Route("/subtitles/translations/{lang:str}", translation_page),
    Route("/subtitles/translations/{lang:str}/catalogue.po", catalogue_file),
    Route("/subtitles/translations/{lang:str}/compare", compare, methods=["POST"]),
    Route("/subtitles/translations/{lang:str}/frames/{n:int}.jpg", frame),
    Route("/subtitles/translations/{lang:str}/report", report),
]
