"""The organiser's whole evening in a real browser, in Ukrainian, at 1280x800 and 390x844.

``screenkit app --no-browser`` runs as a process on a copy of the sample kit; Debian's
Chromium (driven by Playwright, no browser download) goes through the flow with the mouse
and with the keyboard: the kit, language and device, the evening, the check, the build with
its progress (a reload mid-build shows it again), the result ("checked"), the copy into a
folder standing in for the stick (read back); a cancelled build leaves no bundle and the
next build succeeds. No console error, no request to another origin, no English word of
the app on any page. ``SCREENKIT_PAGE_SHOTS=DIR`` keeps the screenshots.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import Any

import pytest
from app_helpers import Running

TECHNICAL = {
    "USB", "DVD", "VLC", "mpv", "AVI", "DivX", "PAL", "NTSC", "HDMI", "QR", "index.html",
    "screenkit.toml",
    "screenkit", "init", "doctor", "app", "appeal", "out", "toml", "https", "FAT32", "exFAT",
    "ffmpeg", "e-mail", "mail", "MB", "GB", "ext4", "NTFS", "APFS", "HFS",
}  # fmt: skip
"""Latin words a Ukrainian page may show: names of formats, devices and programs."""

VISIBLE_APP_TEXT = """() => {
    const copy = document.body.cloneNode(true);
    const hidden = 'details:not([open]) > :not(summary)';
    copy.querySelectorAll(`code, .path, .kit-text, [lang]:not([lang="uk"]), video, ${hidden}`)
        .forEach(e => e.remove());
    document.body.appendChild(copy);
    copy.hidden = false;
    const text = copy.innerText;
    copy.remove();
    return text;
}"""


class Visit:
    """One browser context (one screen size) with what it saw."""

    def __init__(self, chromium: Any, app: Running, width: int, height: int, shots: Path):
        self.context = chromium.new_context(
            viewport={"width": width, "height": height}, locale="uk-UA"
        )
        self.page = self.context.new_page()
        self.width, self.shots, self.app = width, shots, app
        self.errors: list[str] = []
        self.foreign: list[str] = []
        own = f"http://127.0.0.1:{app.port}/"

        def route(r: Any) -> None:
            if r.request.url.startswith((own, "data:", "blob:")):
                r.continue_()
            else:
                self.foreign.append(r.request.url)
                r.abort()

        self.page.route("**/*", route)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))

    def shot(self, name: str) -> None:
        self.page.wait_for_load_state("load")
        self.shots.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(self.shots / f"{self.width}-{name}.png"), full_page=True)

    def no_english(self) -> None:
        self.page.wait_for_load_state("domcontentloaded")
        text = self.page.evaluate(VISIBLE_APP_TEXT)
        words = set(re.findall(r"[A-Za-z][A-Za-z0-9'’.-]*[A-Za-z0-9]", text))
        stray = sorted(
            w for w in words if w not in TECHNICAL and not re.fullmatch(r"[A-Z]{1,3}\d*", w)
        )
        assert stray == [], f"English words on {self.page.url}: {stray}"

    def check(self) -> None:
        assert self.errors == [], self.errors
        assert self.foreign == [], self.foreign


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    wanted = os.environ.get("SCREENKIT_PAGE_SHOTS")
    return Path(wanted) / "app" if wanted else tmp_path_factory.mktemp("app-shots")


def _progress(page: Any) -> float:
    return float(page.eval_on_selector("#sk-overall", "e => e.value"))


def _wait_progress(page: Any, above: float) -> float:
    for _ in range(600):
        if page.query_selector("#sk-overall") is None:
            break
        value = _progress(page)
        if value > above:
            return value
        time.sleep(0.1)
    raise AssertionError(f"the progress did not pass {above}")


@pytest.mark.slow
def test_the_evening_with_mouse_and_keyboard_at_1280(
    chromium: Any, app_home: tuple[Running, Path, Path], shots: Path
) -> None:
    app, _, home = app_home
    visit = Visit(chromium, app, 1280, 800, shots)
    page = visit.page
    page.goto(f"{app.base}/?token={app.token}")
    assert page.url == f"{app.base}/"  # the token left the address bar for a cookie
    page.wait_for_selector("img[src='/kit/card/uk.png']")
    page.wait_for_function("() => document.querySelector('.cardpic img').naturalWidth > 0")
    visit.no_english()
    visit.shot("1-kit")

    page.get_by_role("link", name="Підготувати показ").click()  # the mouse
    page.wait_for_url("**/screening")
    page.focus("input[name=lang]:checked")  # the keyboard: arrows move within the group
    assert page.eval_on_selector("input[name=lang]:checked", "e => e.value") == "uk"
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowRight")
    assert page.eval_on_selector("input[name=lang]:checked", "e => e.value") == "uk"
    page.get_by_text("Флешка в телевізорі чи проєкторі", exact=True).click()
    page.get_by_label("Де", exact=True).fill("Будинок культури")
    page.get_by_label("Дата", exact=True).fill("2026-03-14")
    page.get_by_label("Час", exact=True).fill("20:30")
    page.get_by_label("Показати картку із закликом ще раз").check()
    visit.no_english()
    visit.shot("2-screening")
    page.get_by_role("button", name="Далі: перед збиранням").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/check?*")
    assert "14 березня 2026" in page.inner_text("main")
    visit.no_english()
    visit.shot("3-check")

    page.get_by_role("button", name="Зібрати", exact=True).click()
    page.wait_for_url("**/builds/*")
    build_url = page.url
    first = _wait_progress(page, 0.05)
    visit.no_english()
    visit.shot("4-building")
    page.reload()  # the build runs in the app: the page finds it again
    assert page.url == build_url
    if page.query_selector("#sk-overall") is not None:
        assert _progress(page) >= first
        assert page.query_selector("#sk-steps li.st-running, #sk-steps li.st-done")
    page.wait_for_selector("#h-verify", timeout=180_000)
    verdict = page.inner_text("#h-verify")
    assert re.match(r"Перевірено \d+ файл", verdict), verdict
    assert "усе таке, як було зібрано" in verdict
    page.wait_for_function("() => document.querySelector('img.shot').naturalWidth > 0")
    visit.no_english()
    visit.shot("5-result")

    page.get_by_role("link", name="Скопіювати на флешку").click()
    page.wait_for_url("**/copy")
    page.get_by_role("link", name=str(home.resolve())).click()
    page.wait_for_url(re.compile(r".*/copy\?dir=[^&]*home\d*$"))
    page.get_by_role("link", name="stick", exact=True).click()
    page.wait_for_url(re.compile(r".*/copy\?dir=.*stick$"))
    visit.no_english()
    visit.shot("6-copy")
    page.get_by_role("button", name="Скопіювати в цю теку").click()
    page.wait_for_url("**/copies/*")
    page.wait_for_selector("text=Флешка готова", timeout=60_000)
    assert "перечитано з флешки" in page.inner_text("main")
    bundle_name = "sample-uk-usb-player"
    assert (home / "stick" / bundle_name / "manifest.json").is_file()
    visit.no_english()
    visit.shot("7-copied")
    visit.check()


@pytest.mark.slow
def test_a_cancelled_build_leaves_no_bundle_and_the_next_one_succeeds_at_390(
    chromium: Any, app_home: tuple[Running, Path, Path], shots: Path
) -> None:
    app, kit, _ = app_home
    visit = Visit(chromium, app, 390, 844, shots)
    page = visit.page
    page.goto(f"{app.base}/?token={app.token}")
    page.wait_for_function("() => document.querySelector('.cardpic img').naturalWidth > 0")
    visit.no_english()
    visit.shot("1-kit")
    page.goto(f"{app.base}/screening")
    page.locator("#main").get_by_text("Polski", exact=True).click()
    page.get_by_text("Веббраузер", exact=True).click()
    visit.no_english()
    visit.shot("2-screening")
    page.get_by_role("button", name="Далі: перед збиранням").click()
    page.wait_for_url("**/check?*")
    visit.shot("3-check")
    page.get_by_role("button", name="Зібрати", exact=True).click()
    page.wait_for_url("**/builds/*")
    _wait_progress(page, 0.05)
    visit.no_english()
    visit.shot("4-building")
    page.get_by_role("button", name="Скасувати збирання").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Скасовано')", timeout=60_000)
    assert "Нічого недоробленого не залишилося" in page.inner_text("main")
    out = kit / "out"
    assert not (out / "sample-pl-web").exists()
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")] if out.exists() else True
    visit.no_english()
    visit.shot("5-cancelled")

    page.get_by_role("link", name="Зібрати ще раз").click()
    page.wait_for_url("**/check?*")
    page.get_by_role("button", name="Зібрати", exact=True).click()
    page.wait_for_selector("#h-verify", timeout=180_000)
    assert (out / "sample-pl-web" / "manifest.json").is_file()
    visit.no_english()
    visit.shot("6-result")
    page.goto(f"{app.base}/builds")
    visit.no_english()
    visit.shot("7-builds")
    page.goto(f"{app.base}/helper?how=usb&usb=old")
    assert "Флешка в старішому телевізорі чи проєкторі" in page.inner_text("main")
    visit.no_english()
    visit.shot("8-helper")
    page.goto(f"{app.base}/subtitles/uk")
    assert "Перевірка" in page.inner_text("main")
    visit.no_english()
    visit.shot("9-subtitles")
    page.goto(f"{app.base}/kits")
    visit.no_english()
    visit.shot("10-kits")
    visit.check()
