"""The catalogue's pages in Debian's Chromium, served by ``python -m http.server``: in the
visitor's language, every link leading to a file that is there, nothing fetched elsewhere."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from handover_helpers import Served, http_server, publish_site

from screenkit.handover import parse_catalogue
from support import system_chromium


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with system_chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def served_site(
    tmp_path_factory: pytest.TempPathFactory, built_kit: Path
) -> Iterator[tuple[Path, Served]]:
    site = tmp_path_factory.mktemp("page") / "site"
    site.mkdir()
    with http_server(site) as served:
        publish_site(built_kit, site, base_url=served.url)
        yield site, served


def _open(
    browser: Any, url: str, width: int, locale: str = "en-US"
) -> tuple[Any, dict[str, list[str]]]:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale=locale)
    page = context.new_page()
    seen: dict[str, list[str]] = {"requests": [], "outside": [], "errors": []}
    origin = url.split("/", 3)[:3]

    def route(r: Any) -> None:
        target = r.request.url
        if target.split("/", 3)[:3] == origin or target.startswith("data:"):
            r.continue_()
        else:
            seen["outside"].append(target)
            r.abort()

    page.route("**/*", route)
    page.on("request", lambda req: seen["requests"].append(req.url))
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: seen["errors"].append(str(exc)))
    page.goto(url)
    page.wait_for_load_state("load")
    return page, seen


@pytest.mark.parametrize("width", [1280, 390])
def test_the_ukrainian_page_lists_the_bundles_and_every_link_resolves(
    chromium: Any, served_site: tuple[Path, Served], width: int
) -> None:
    site, served = served_site
    catalogue = parse_catalogue((site / "catalogue.json").read_bytes())
    page, seen = _open(chromium, served.url + "index.uk.html", width)
    try:
        shots = os.environ.get("SCREENKIT_PAGE_SHOTS")
        page.click("#sample-uk-usb-player details summary")  # what is inside: open
        assert "Субтитри, вшиті в зображення: українська" in page.inner_text("article")
        if shots:
            page.screenshot(path=str(Path(shots) / f"catalogue-uk-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.lang") == "uk"
        text = page.inner_text("body")
        for words in [
            "Пакети мовою: українська",
            "Телевізор або проєктор, що відтворює з USB-флешки",
            "Інші мови",
            "Браузер будь-якого комп'ютера, інтернет не потрібен",
            "Завантажити ZIP",
            "Торент",
            "Як завантажити",
        ]:
            assert words in text, words
        headings = page.eval_on_selector_all(
            "article h3", "hs => hs.map(h => h.id || h.textContent)"
        )
        assert len(headings) == len(catalogue.bundles)
        links = page.eval_on_selector_all(
            "a[href], link[href]", "ls => ls.map(l => l.getAttribute('href'))"
        )
        checked = 0
        for href in links:
            if href.startswith("magnet:"):
                assert any(href == b.magnet for b in catalogue.bundles)
                continue
            if href.startswith("https://example.org/") or href == "data:,":
                continue  # the appeal's link (a link to follow, never fetched) and no icon
            url = urljoin(served.url + "index.uk.html", href)
            assert url.startswith(served.url), href
            assert (site / unquote(urlsplit(url).path).lstrip("/")).is_file(), href
            response = page.request.get(url)
            assert response.status == 200, href
            checked += 1
        files = sum(len(b.files) for b in catalogue.bundles)
        assert checked >= files + 3 * len(catalogue.bundles)  # files, ZIPs, torrents, pages
        assert seen["outside"] == [] and seen["errors"] == []
        assert all(r.startswith((served.url, "data:")) for r in seen["requests"])
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scroll
    finally:
        page.context.close()


@pytest.mark.parametrize(
    ("locale", "page_name", "lang"),
    [
        ("uk-UA", "index.uk.html", "uk"),
        ("de", "index.de.html", "de"),
        ("fi-FI", "index.html", "en"),
    ],
)
def test_index_html_opens_the_page_of_the_browsers_language(
    chromium: Any, served_site: tuple[Path, Served], locale: str, page_name: str, lang: str
) -> None:
    _, served = served_site
    page, seen = _open(chromium, served.url, 1280, locale)
    try:
        page.wait_for_url(served.url + (page_name if page_name != "index.html" else ""))
        page.wait_for_load_state("load")
        assert page.evaluate("document.documentElement.lang") == lang
        assert seen["errors"] == [] and seen["outside"] == []
    finally:
        page.context.close()


def test_every_text_on_the_pages_is_escaped(kit_copy: Path, tmp_path: Path) -> None:
    evil = "</title><script>alert(1)</script>\"'&"
    manifest = kit_copy / "screenkit.toml"
    text = manifest.read_text(encoding="utf-8")
    quoted = json.dumps(evil)  # a TOML basic string too
    text = text.replace('title = "Preparing a Screening"', f"title = {quoted}")
    text = text.replace(
        'beneficiary = "Solidarity Collective (stand-in)"', f"beneficiary = {quoted}"
    )
    manifest.write_text(text, encoding="utf-8")
    (kit_copy / "appeal" / "uk.txt").write_text(f"{evil}\n\n<img src=x onerror=alert(2)>")
    publish_site(kit_copy, tmp_path / "site")
    for page in sorted((tmp_path / "site").glob("index*.html")):
        html = page.read_text(encoding="utf-8")
        assert "<script>alert" not in html and "<img" not in html, page.name
        assert "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#x27;&amp;" in html
        scripts = html.count("<script")
        policy = html.split('http-equiv="Content-Security-Policy" content="', 1)[1].split('"')[0]
        assert "default-src &#x27;none&#x27;" in policy
        if page.name == "index.html":
            assert scripts == 1 and "script-src &#x27;sha256-" in policy
        else:
            assert scripts == 0 and "script-src &#x27;none&#x27;" in policy
