"""The translators' tools and a ready bundle's download in a real browser, in Ukrainian.

``screenkit app --no-browser`` runs as a process on a copy of the sample kit; Debian's
Chromium (Playwright, no browser download) starts a Finnish catalogue, downloads it, sends it
back with two lines translated into Finnish, reads the list of untranslated cues, opens the
comparison (the film's frames) and its full report; then downloads the published bundle of
a catalogue served on 127.0.0.1 by a range-capable server, sees it verified and copies it to
a folder standing in for the stick. Every page at 1280x800 and 390x844, no console error,
no request to another origin, no English word of the app. ``SCREENKIT_PAGE_SHOTS=DIR`` keeps
the screenshots (``DIR/app-tools``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from app_helpers import Running
from test_app_browser import TECHNICAL, Visit
from test_app_translate import FINNISH, filled

from handover.handover_helpers import Served, site_server, tree
from screenkit.handover import publish
from screenkit.kit import load_kit

pytestmark = pytest.mark.slow
NAME = "sample-uk-usb-player"
WORDS = TECHNICAL | {
    "PO", "Poedit", "Lokalize", "Weblate", "msgstr", "fuzzy", "fi.po", "fi.srt", "en.srt",
    "fi.po.bak", "fi.srt.bak", "bak", "http", "srt", "po",
}  # fmt: skip
"""Latin words the translators' pages may show: the tools, the gettext terms, file names."""


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    wanted = os.environ.get("SCREENKIT_PAGE_SHOTS")
    return Path(wanted) / "app-tools" if wanted else tmp_path_factory.mktemp("tools-shots")


@pytest.fixture(scope="module")
def catalogue(
    built: dict[str, Any], app_kit: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    """The session's uk/usb-player bundle published, served with ranges, a little slowly
    (so the page shows the download's progress)."""
    site = tmp_path_factory.mktemp("tools-site") / "site"
    publish(load_kit(app_kit), site, names=[NAME])
    with site_server(site, tmp_path_factory.mktemp("tools-srv"), "--rate", "3000000") as server:
        yield server


class Tools(Visit):
    """A visit that shoots each page at both sizes and knows the translators' words."""

    def both(self, name: str) -> None:
        self.shot(name)
        self.page.set_viewport_size({"width": 390, "height": 844})
        self.page.wait_for_timeout(100)
        path = self.shots / f"390-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        self.page.set_viewport_size({"width": 1280, "height": 800})

    def no_english(self) -> None:
        from test_app_browser import VISIBLE_APP_TEXT

        self.page.wait_for_load_state("domcontentloaded")
        text = self.page.evaluate(VISIBLE_APP_TEXT)
        words = set(re.findall(r"[A-Za-z][A-Za-z0-9'’.-]*[A-Za-z0-9]", text))
        stray = sorted(w for w in words if w not in WORDS and not re.fullmatch(r"[A-Z]{1,3}\d*", w))
        assert stray == [], f"English words on {self.page.url}: {stray}"


def test_a_finnish_translation_from_catalogue_to_comparison(
    chromium: Any,
    app_home: tuple[Running, Path, Path],
    shots: Path,
    tmp_path: Path,
) -> None:
    app, kit, _ = app_home
    visit = Tools(chromium, app, 1280, 800, shots)
    page = visit.page
    page.goto(f"{app.base}/?token={app.token}")
    page.get_by_role("link", name="Субтитри", exact=True).click()
    page.wait_for_url("**/subtitles")
    visit.no_english()
    visit.both("1-subtitles")

    page.select_option("#lang-new", "fi")
    page.get_by_role("button", name="Почати каталог").click()
    page.wait_for_url("**/subtitles/translations/fi")
    assert "Перекладено: 0 з 15" in page.inner_text("main")
    visit.no_english()
    visit.both("2-catalogue")

    with page.expect_download() as got:
        page.get_by_role("link", name="Завантажити fi.po").click()
    download = got.value
    assert download.suggested_filename == "fi.po"
    sent = tmp_path / "fi.po"
    sent.write_bytes(filled(Path(download.path()).read_bytes(), FINNISH))  # a translator's work

    page.set_input_files("#po", str(sent))
    assert page.inner_text("#import .file-name") == "fi.po"  # the script shows the choice
    visit.both("3-chosen")
    page.get_by_role("button", name="Зробити доріжку").click()
    page.wait_for_url("**/subtitles/translations/fi#import")
    main = page.inner_text("main")
    assert "Доріжка fi.srt містить 2 з 15 субтитрів." in main
    assert "13 субтитрів ще не перекладено: їх немає в доріжці." in main
    assert "субтитр 2 · 00:00:06,400" in main
    assert (kit / "subtitles" / "fi.srt").is_file()
    visit.no_english()
    visit.both("4-imported")

    page.get_by_role("button", name="Порівняти з оригіналом").click()
    page.wait_for_url("**/subtitles/translations/fi#review")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.rframe img')].every(i => i.naturalWidth > 0)"
    )
    assert len(page.query_selector_all(".rframe img")) == 13
    assert "13 помилок" in page.inner_text("#review")
    visit.no_english()
    visit.both("5-compared")

    with visit.context.expect_page() as opened:
        page.get_by_role("link", name="Увесь звіт — зберегти чи надіслати").click()
    report = opened.value
    report.on("console", lambda m: visit.errors.append(m.text) if m.type == "error" else None)
    report.wait_for_load_state("load")
    assert report.evaluate("document.documentElement.lang") == "uk"
    assert report.evaluate(
        "() => [...document.images].length > 0 && [...document.images].every(i => i.naturalWidth)"
    )
    report.screenshot(path=str(shots / "1280-6-report.png"), full_page=True)
    report.set_viewport_size({"width": 390, "height": 844})
    report.screenshot(path=str(shots / "390-6-report.png"), full_page=True)
    visit.check()


def test_a_ready_bundle_downloaded_verified_and_copied(
    chromium: Any,
    app_home: tuple[Running, Path, Path],
    catalogue: Served,
    shots: Path,
    built: dict[str, Any],
) -> None:
    app, kit, home = app_home
    visit = Tools(chromium, app, 1280, 800, shots)
    page = visit.page
    page.goto(f"{app.base}/?token={app.token}")
    page.goto(f"{app.base}/screening")
    page.get_by_text("Флешка в телевізорі чи проєкторі", exact=True).click()
    page.get_by_role("button", name="Або завантажити готовий").click()
    page.wait_for_url("**/download?*")
    assert "Набір не називає каталогу." in page.inner_text("main")
    visit.no_english()
    visit.both("7-no-catalogue")

    page.get_by_label("Адреса каталогу").fill(catalogue.url)
    page.get_by_role("button", name="Переглянути цей каталог").click()
    page.wait_for_url("**/download?*catalogue=*")
    offer = page.inner_text("#offer")
    assert "Телевізор або проєктор, що відтворює з USB-флешки" in offer
    visit.no_english()
    visit.both("8-offer")

    page.get_by_role("button", name=re.compile(r"^Завантажити \(")).click()
    page.wait_for_url("**/builds/*")
    if page.query_selector("#sk-overall") is not None:
        visit.shot("9-downloading")
    page.wait_for_selector("#h-verify", timeout=120_000)
    verdict = page.inner_text("#h-verify")
    assert re.match(r"Перевірено \d+ файл", verdict), verdict
    assert "Завантажено за" in page.inner_text("main")
    assert tree(kit / "downloads" / NAME) == tree(Path(built["bundle"]))
    page.wait_for_function("() => document.querySelector('img.shot').naturalWidth > 0")
    visit.no_english()
    visit.both("10-downloaded")

    page.get_by_role("link", name="Скопіювати на флешку").click()
    page.wait_for_url("**/copy")
    page.get_by_role("link", name=str(home.resolve())).click()
    page.get_by_role("link", name="stick", exact=True).click()
    page.wait_for_url(re.compile(r".*/copy\?dir=.*stick$"))
    page.get_by_role("button", name="Скопіювати в цю теку").click()
    page.wait_for_selector("text=Флешка готова", timeout=60_000)
    assert (home / "stick" / NAME / "manifest.json").is_file()
    visit.no_english()
    visit.both("11-copied")
    visit.check()
