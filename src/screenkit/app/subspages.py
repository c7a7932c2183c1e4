"""The Subtitles page, for subtitlers: a kit track's check in words, and its sync to the film.

``/subtitles`` lists the kit's tracks with their errors and warnings; ``/subtitles/LANG``
shows `subs check`'s findings (each rule in the page's language, with the line it is about)
and syncs the track to the film's speech (``POST /subtitles/LANG/sync``): the plot, the
confidence and what moved, in words. The synced track is saved beside the original as
``LANG.synced.srt`` (``LANG.synced-2.srt`` … when that is taken), never over it; a result
below the confidence threshold is not saved. The tools for translators (a gettext catalogue
of the original, its import, the comparison with the original) are `translate`'s.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from screenkit.app.web import context_of, render, tr_of
from screenkit.app.words import explain, native_name
from screenkit.errors import ScreenkitError
from screenkit.i18n import Translator
from screenkit.subtitles.checkrun import check_files
from screenkit.subtitles.sync import SyncNotTrusted, SyncResult
from screenkit.subtitles.timecode import format_time

MAX_SHOWN = 200
"""Findings listed on the page (a track in a foreign encoding may have thousands)."""


def rule_title(tr: Translator, rule: str) -> str:
    """What a `subs check` rule means, in the page's language."""
    titles = {
        "line-length": tr.gettext("A line is too long"),
        "line-count": tr.gettext("Too many lines at once"),
        "reading-speed": tr.gettext("Too fast to read"),
        "reading-speed-far": tr.gettext("Far too fast to read"),
        "duration-short": tr.gettext("Shown too briefly"),
        "duration-long": tr.gettext("Shown too long"),
        "gap": tr.gettext("Too close to the next subtitle"),
        "overlap": tr.gettext("Overlaps the next subtitle"),
        "negative-duration": tr.gettext("Ends before it starts"),
        "past-end": tr.gettext("Shown after the film has ended"),
        "empty-event": tr.gettext("An empty subtitle"),
        "empty-track": tr.gettext("The file holds no subtitles"),
        "unbalanced-tags": tr.gettext("A formatting tag is not closed"),
        "missing-glyphs": tr.gettext("The font cannot draw some letters"),
        "encoding": tr.gettext("The file is not UTF-8"),
        "encoding-guess": tr.gettext("The file's encoding is a guess"),
        "load": tr.gettext("Something in the file was read as best it could be"),
        "timing-line": tr.gettext("A timing line was mistyped and read as meant"),
    }
    return titles.get(rule, rule)


def severity_word(tr: Translator, severity: str) -> str:
    return {
        "error": tr.gettext("must be fixed"),
        "warning": tr.gettext("worth a look"),
        "info": tr.gettext("for information"),
    }.get(severity, severity)


@dataclass(frozen=True)
class SyncOutcome:
    result: SyncResult
    saved: Path | None


_LAST: dict[tuple[Path, str], SyncOutcome] = {}
_LOCK = threading.Lock()


def _output_for(track: Path) -> Path:
    """``uk.synced.srt`` beside ``uk.srt``; a free numbered name when that one exists."""
    stem = track.name.split(".")[0]
    candidate = track.with_name(f"{stem}.synced{track.suffix}")
    n = 2
    while candidate.exists():
        candidate = track.with_name(f"{stem}.synced-{n}{track.suffix}")
        n += 1
    return candidate


def subtitles_page(request: Request) -> Response:
    ctx = context_of(request)
    view = ctx.view()
    if view is None:
        return RedirectResponse("/kits", status_code=303)
    from screenkit.app.translate import subtitles_values

    values = {"step": None, "native": native_name, **subtitles_values(view)}
    return render(request, "subtitles.html", values)


def track_page(request: Request) -> Response:
    ctx = context_of(request)
    view = ctx.view()
    lang = request.path_params["lang"]
    if view is None or lang not in view.kit.languages:
        return render(request, "missing.html", {"step": None}, status=404)
    tr = tr_of(request)
    track: Path | None
    try:
        track = view.kit.subtitle_path(lang)
    except ScreenkitError:
        track = None
    findings = []
    total = 0
    error = None
    if track is not None:
        run = check_files([track], kit=view.kit.root, lang=lang, film=_film(view.kit.master))
        result = run.results[0]
        if result.report is None:
            error = explain(tr, result.error) if result.error else None
        else:
            events = result.report.track.subs
            total = len(result.report.findings)
            for finding in result.report.findings[:MAX_SHOWN]:
                text = ""
                if finding.event is not None and 0 < finding.event <= len(events):
                    text = events[finding.event - 1].plaintext.replace("\n", " / ")
                findings.append(
                    {
                        "severity": finding.severity,
                        "severity_word": severity_word(tr, finding.severity),
                        "title": rule_title(tr, finding.rule),
                        "event": finding.event,
                        "at": format_time(finding.start) if finding.start is not None else None,
                        "text": text,
                    }
                )
    with _LOCK:
        synced = _LAST.get((view.kit.root, lang))
    return render(
        request,
        "track.html",
        {
            "step": None,
            "track_lang": lang,
            "track": track,
            "findings": findings,
            "more": max(0, total - MAX_SHOWN),
            "error": error,
            "sync": _sync_words(tr, synced) if synced else None,
            "native": native_name,
        },
    )


def _film(master: Path) -> Path | None:
    return master if master.is_file() else None


def _sync_words(tr: Translator, outcome: SyncOutcome) -> dict[str, object]:
    result = outcome.result
    offset = result.offset
    if abs(offset) < 0.0005:
        moved = tr.gettext("The subtitles were already in time with the speech.")
    elif offset > 0:
        moved = tr.gettext("The subtitles were moved {seconds} later.").format(
            seconds=tr.seconds(abs(offset))
        )
    else:
        moved = tr.gettext("The subtitles were moved {seconds} earlier.").format(
            seconds=tr.seconds(abs(offset))
        )
    level = {
        "high": tr.gettext("The app is sure of this result."),
        "medium": tr.gettext("The app is fairly sure of this result: watch a few lines."),
    }.get(result.level, tr.gettext("The app is not sure: the result was not saved."))
    placed = tr.ngettext(
        "{n} of {total} subtitle placed.", "{n} of {total} subtitles placed.", result.events
    ).format(n=result.placed, total=result.events)
    return {
        "moved": moved,
        "level": level,
        "trusted": result.trusted,
        "confidence": tr.number(result.confidence, 2),
        "placed": placed,
        "dropped": len(result.dropped),
        "cut": len(result.segments) > 1,
        "saved": outcome.saved.name if outcome.saved else None,
        "plot": result.plot is not None and result.plot.is_file(),
    }


def sync(request: Request) -> Response:
    """Sync the kit's track to the film's speech; the page then shows the outcome."""
    from screenkit.subtitles.sync_audio import FilmSyncOptions, sync_to_film

    ctx = context_of(request)
    view = ctx.view()
    lang = request.path_params["lang"]
    if view is None or lang not in view.kit.languages:
        return JSONResponse({"error": "no such track", "hint": None}, status_code=404)
    tr = tr_of(request)
    try:
        track = view.kit.subtitle_path(lang)
        output = _output_for(track)
        plot = ctx.config.state_dir / "plots" / f"{view.kit.name}-{lang}.png"
        plot.parent.mkdir(parents=True, exist_ok=True)
        options = FilmSyncOptions(plot=plot, lang=lang)
        try:
            result = sync_to_film(track, view.kit.master, output, options=options)
            outcome = SyncOutcome(result, output)
        except SyncNotTrusted as exc:
            outcome = SyncOutcome(exc.result, None)
    except ScreenkitError as exc:
        from screenkit.app.api import refused

        return refused(tr, exc)
    with _LOCK:
        _LAST[(view.kit.root, lang)] = outcome
    return RedirectResponse(f"/subtitles/{lang}#sync", status_code=303)


def plot(request: Request) -> Response:
    ctx = context_of(request)
    view = ctx.view()
    lang = request.path_params["lang"]
    if view is None or lang not in view.kit.languages:
        return JSONResponse({"error": "not served", "hint": None}, status_code=404)
    with _LOCK:
        outcome = _LAST.get((view.kit.root, lang))
    if outcome is None or outcome.result.plot is None or not outcome.result.plot.is_file():
        return JSONResponse({"error": "not served", "hint": None}, status_code=404)
    return FileResponse(outcome.result.plot, media_type="image/png")


ROUTES = [
    Route("/subtitles", subtitles_page),
    Route("/subtitles/{lang:str}", track_page),
    Route("/subtitles/{lang:str}/sync", sync, methods=["POST"]),
    Route("/subtitles/{lang:str}/plot.png", plot),
]
