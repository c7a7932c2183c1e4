"""The catalogue's pages: ``index.<lang>.html`` for every kit language, and ``index.html``.

Static files any web server or object store serves as they are. Each page lists the
bundles (its own language's first), each with the device in plain words, its size and date,
what it holds, and four ways to get it: the ZIP, the ``.torrent``, the magnet link and the
files one by one. Pages link to each other by language.

``index.html`` is the page of the kit's original language plus one tiny script of our own:
it reads the pages' ``<link rel="alternate" hreflang>`` list and moves to the page of the
browser's preferred language when there is one. The chooser is that script rather than
server-side negotiation because the site must work on any static host; without script the
original language shows, with the links to the others at the top.

The same rules as the bundle's own page (`screenkit.webpage`): nothing is fetched from
anywhere (no font, no picture, no CDN), a Content-Security-Policy forbids it and admits the
page's style and script only by their sha256, every text from the kit or a manifest is
escaped, every file link is a percent-encoded relative URL.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib.resources import files
from pathlib import Path

from screenkit import __version__
from screenkit.bundle.documents.manifest import Manifest
from screenkit.errors import ScreenkitError
from screenkit.handover.catalogue import CATALOGUE_NAME, CatalogueBundle
from screenkit.handover.words import device_words, inside_words, size_words
from screenkit.i18n import Translator, translator
from screenkit.kit import Kit
from screenkit.media.atomic import write_text_atomic
from screenkit.webpage.model import relative_url
from screenkit.webpage.render import csp_hash, paragraphs_html

INDEX = "index.html"


@dataclass(frozen=True)
class SiteBundle:
    """A published bundle as its pages show it."""

    entry: CatalogueBundle
    manifest: Manifest
    zip_size: int


@cache
def asset(name: str) -> str:
    text = (files("screenkit.handover") / "assets" / name).read_text(encoding="utf-8")
    assert "</script" not in text.lower() and "</style" not in text.lower(), name
    return text


def page_name(lang: str) -> str:
    return f"index.{lang}.html"


def default_language(kit: Kit) -> str:
    """The language of ``index.html``: the film's original one when the kit has it."""
    return kit.original_language if kit.original_language in kit.languages else kit.languages[0]


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _built(text: str, tr: Translator) -> str:
    try:
        return tr.date(datetime.strptime(text, "%Y-%m-%dT%H:%M:%S%z").date())
    except ValueError:
        return text


def _appeal(kit: Kit, lang: str, tr: Translator) -> str:
    text = ""
    for candidate in (lang, kit.original_language):
        try:
            text = kit.appeal_text(candidate)
            break
        except ScreenkitError:
            continue
    title = kit.appeal.title or tr.gettext("The appeal")
    link = _e(kit.appeal.link)
    return "".join(
        [
            '<section class="sk-appeal" aria-labelledby="sk-appeal-title">',
            f'<h2 id="sk-appeal-title">{_e(title)}</h2>',
            paragraphs_html(text),
            "<p>"
            + _e(tr.gettext("For: {beneficiary}")).format(
                beneficiary=f"<b>{_e(kit.appeal.beneficiary)}</b>"
            )
            + "</p>",
            "<p>"
            + _e(tr.gettext("Donate: {link}")).format(
                link=f'<a href="{link}" rel="noreferrer">{link}</a>'
            )
            + "</p>",
            "</section>",
        ]
    )


def _bundle(item: SiteBundle, tr: Translator) -> str:
    entry, _ = item.entry, tr.gettext
    sizes = {f.inside: f.size for f in entry.files}
    meta = " · ".join(
        [
            tr.native_name(entry.lang),
            entry.preset,
            size_words(entry.size, tr),
            _("built on {date}").format(date=_built(entry.built, tr)),
        ]
    )
    inside = "".join(f"<li>{_e(line)}</li>" for line in inside_words(item.manifest, sizes, tr))
    file_items = "".join(
        f'<li><a href="{_e(relative_url(f.path, "path"))}">{_e(f.inside)}</a> '
        f'<span class="sk-size">{_e(size_words(f.size, tr))}</span></li>'
        for f in entry.files
    )
    words = {
        "zip": _("Download ZIP ({size})").format(size=size_words(item.zip_size, tr)),
        "torrent": _("Torrent"),
        "magnet": _("Magnet link"),
        "inside": _("What is inside"),
        "files": _("The files one by one"),
    }
    w = {key: _e(text) for key, text in words.items()}
    magnet = (
        f'<li><a class="sk-magnet" href="{_e(entry.magnet)}">{w["magnet"]}</a></li>'
        if entry.magnet
        else ""
    )
    return "".join(
        [
            f'<article class="sk-bundle" id="{_e(entry.name)}">',
            f"<h3>{_e(device_words(entry.device, tr))}</h3>",
            f'<p class="sk-meta">{_e(meta)}</p>',
            '<ul class="sk-get">',
            f'<li><a class="sk-zip" href="{_e(relative_url(entry.zip, "zip"))}" download>'
            f"{w['zip']}</a></li>",
            f'<li><a class="sk-torrent" href="{_e(relative_url(entry.torrent, "torrent"))}">'
            f"{w['torrent']}</a></li>",
            magnet,
            "</ul>",
            f"<details><summary>{w['inside']}</summary><ul>{inside}</ul></details>",
            f'<details><summary>{w["files"]}</summary><ul class="sk-files">{file_items}</ul>'
            "</details>",
            "</article>",
        ]
    )


def _grid(items: Sequence[SiteBundle], tr: Translator) -> str:
    return '<div class="sk-grid">' + "".join(_bundle(i, tr) for i in items) + "</div>"


def _how(lang: str, items: Sequence[SiteBundle], base_url: str | None, tr: Translator) -> str:
    _ = tr.gettext
    address = f"{base_url}{CATALOGUE_NAME}" if base_url else _("ADDRESS-OF-THIS-PAGE")
    ours = [i for i in items if i.entry.lang == lang] or list(items)
    preset = ours[0].entry.preset if ours else "usb-player"
    command = f"screenkit fetch {address} --lang {lang} --preset {preset}"
    heading = _("How to download")
    paragraphs = [
        _(
            "ZIP: one click in the browser. Unpack it, then copy the folder inside it "
            "(not the ZIP) onto the stick; the sheet in the folder says how to play it."
        ),
        _(
            "Torrent or magnet link: open it in a BitTorrent client (qBittorrent, "
            "Transmission, aria2). It downloads from this server as well when nobody "
            "else shares the bundle, and checks every piece."
        ),
        _(
            "With screenkit: this command downloads the bundle, goes on where it "
            "stopped after a broken connection, and checks every file:"
        ),
    ]
    last = _("The files one by one: every file is a plain link; keep the folder's layout.")
    return "".join(
        [
            '<section class="sk-how" id="how">',
            f"<h2>{_e(heading)}</h2>",
            *(f"<p>{_e(p)}</p>" for p in paragraphs),
            f"<pre><code>{_e(command)}</code></pre>",
            f"<p>{_e(last)}</p>",
            "</section>",
        ]
    )


def _language_nav(kit: Kit, lang: str, tr: Translator) -> str:
    items = []
    for tag in kit.languages:
        name = _e(tr.native_name(tag))
        if tag == lang:
            items.append(f'<li><a href="{_e(page_name(tag))}" aria-current="page">{name}</a></li>')
        else:
            items.append(
                f'<li><a href="{_e(page_name(tag))}" hreflang="{_e(tag)}" lang="{_e(tag)}">'
                f"{name}</a></li>"
            )
    label = _e(tr.gettext("This page in other languages"))
    return f'<nav aria-label="{label}"><ul class="sk-langs">{"".join(items)}</ul></nav>'


def _csp(style: str, script: str | None) -> str:
    parts = [
        "default-src 'none'",
        f"style-src {csp_hash(style)}",
        f"script-src {csp_hash(script)}" if script else "script-src 'none'",
        "img-src data:",
        "base-uri 'none'",
        "form-action 'none'",
    ]
    return "; ".join(parts)


def render_page(
    kit: Kit,
    lang: str,
    items: Sequence[SiteBundle],
    *,
    base_url: str | None,
    chooser: bool = False,
) -> str:
    """The catalogue page in ``lang``; ``chooser``: the script that picks the browser's
    language (``index.html``)."""
    tr = translator(lang, kit.root)
    _ = tr.gettext
    style = asset("catalogue.css")
    script = asset("chooser.js") if chooser else None
    ours = [i for i in items if i.entry.lang == lang]
    others = [i for i in items if i.entry.lang != lang]
    alternates = "".join(
        f'<link rel="alternate" hreflang="{_e(tag)}" href="{_e(page_name(tag))}">'
        for tag in kit.languages
    )
    sections = []
    if ours:
        heading = _("Bundles in {language}").format(language=tr.native_name(lang))
        sections.append(f'<section id="bundles"><h2>{_e(heading)}</h2>{_grid(ours, tr)}</section>')
    else:
        none_yet = _("No bundle in this language yet.")
        sections.append(f'<section id="bundles"><p>{_e(none_yet)}</p></section>')
    if others:
        heading = _("Other languages")
        sections.append(f'<section id="others"><h2>{_e(heading)}</h2>{_grid(others, tr)}</section>')
    head_title = _("{title}: screening bundles").format(title=kit.title)
    lead = _(
        "Ready-to-play screening bundles: pick the one for your language and the device you "
        "will show the film on. Each is a folder to copy onto a USB stick as it is: the film "
        "with the appeal card in front, a test clip, the subtitles, and a sheet that says what "
        "to check before the doors open."
    )
    return "\n".join(
        [
            "<!DOCTYPE html>",
            f'<html lang="{_e(lang)}">',
            "<head>",
            '<meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{_e(_csp(style, script))}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            '<meta name="referrer" content="no-referrer">',
            f'<meta name="generator" content="screenkit {_e(__version__)}">',
            '<link rel="icon" href="data:,">',
            alternates,
            f'<link rel="alternate" hreflang="x-default" href="{INDEX}">',
            f"<title>{_e(head_title)}</title>",
            f"<style>{style}</style>",
            "</head>",
            "<body>",
            '<header class="sk-top"><div class="sk-wrap">',
            _language_nav(kit, lang, tr),
            f"<h1>{_e(kit.title)}</h1>",
            f'<p class="sk-lead">{_e(lead)}</p>',
            "</div></header>",
            '<main class="sk-wrap">',
            _appeal(kit, lang, tr),
            *sections,
            _how(lang, items, base_url, tr),
            "</main>",
            '<footer class="sk-wrap sk-foot">',
            f'<a href="{CATALOGUE_NAME}">{CATALOGUE_NAME}</a> · screenkit {_e(__version__)}',
            "</footer>",
            f"<script>{script}</script>" if script else "",
            "</body>",
            "</html>",
            "",
        ]
    )


def write_pages(
    site: Path, kit: Kit, items: Sequence[SiteBundle], *, base_url: str | None
) -> list[Path]:
    """Every language's page and ``index.html``, each by atomic rename; the paths written."""
    written = []
    for lang in kit.languages:
        text = render_page(kit, lang, items, base_url=base_url)
        written.append(write_text_atomic(site / page_name(lang), text))
    default = render_page(kit, default_language(kit), items, base_url=base_url, chooser=True)
    written.append(write_text_atomic(site / INDEX, default))
    return written
