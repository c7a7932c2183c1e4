"""The screening page in a real browser (Debian's Chromium via Playwright), opened from disk."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import av
import pytest
from page_driver import OpenPage, open_page
from webpage_helpers import DURATION, EVIL, LINK, POSTER_NAME, TAGS, VIDEO_NAME, lines, shown_at

from screenkit.webpage import native_name


@pytest.fixture
def opened(chromium: Any, web_bundle: Path) -> Any:
    page = open_page(chromium, web_bundle / "index.html")
    yield page
    page.page.context.close()


def test_loads_offline_with_no_error_and_no_network(opened: OpenPage, web_bundle: Path) -> None:
    assert opened.errors == []
    assert opened.blocked == []
    assert all(url.startswith(("file:", "data:", "blob:")) for url in opened.requests)
    fetched = {unquote(url.rsplit("/", 1)[1]) for url in opened.requests}
    assert {"index.html", VIDEO_NAME, POSTER_NAME} <= fetched  # the card picture is the poster
    video = opened.page.evaluate(
        "() => { const v = document.getElementById('sk-video');"
        " return [v.videoWidth, v.duration, v.error, v.poster.endsWith('card%201.png')] }"
    )
    assert video[0] == 320  # Debian's Chromium decodes the H.264 film
    assert video[1] == pytest.approx(DURATION, abs=0.1)
    assert video[2] is None and video[3] is True


def test_screening_language_is_on_by_default(opened: OpenPage) -> None:
    state = opened.state()
    uk = TAGS.index("uk")
    assert state["picked"] == str(uk)
    assert [m != "disabled" for m in state["modes"]] == [i == uk for i in range(len(TAGS))]
    at = lines("uk")[0].middle
    opened.seek(at)
    assert opened.active(uk) == shown_at("uk", at)
    opened.page.wait_for_function(
        "t => document.getElementById('sk-cue').textContent === t", arg=shown_at("uk", at)[0]
    )


def test_every_language_by_name_shows_its_cue_at_its_time(opened: OpenPage) -> None:
    labels = opened.page.eval_on_selector_all("#sk-lang option", "os => os.map(o => o.text)")
    assert labels == ["Off", *(native_name(t) for t in TAGS)]
    tracks = opened.page.evaluate(
        "() => Array.from(document.getElementById('sk-video').textTracks)"
        ".map(t => [t.language, t.label, t.kind])"
    )
    assert tracks == [[t, native_name(t), "subtitles"] for t in TAGS]
    for i, tag in enumerate(TAGS):
        opened.page.select_option("#sk-lang", str(i))
        count = "i => document.getElementById('sk-video').textTracks[i].cues.length"
        assert opened.page.evaluate(count, i) == len(lines(tag))
        for line in lines(tag):
            opened.seek(line.middle)
            assert opened.active(i) == [line.shown], (tag, line)
            opened.page.wait_for_function(
                "t => document.getElementById('sk-cue').textContent === t", arg=line.shown
            )
        between = lines(tag)[0].end + 0.05
        opened.seek(between)
        assert opened.active(i) == shown_at(tag, between) == []
    opened.page.select_option("#sk-lang", "off")
    assert opened.state()["modes"] == ["disabled"] * len(TAGS)
    opened.seek(lines("en")[0].middle)
    assert opened.state()["cue"] == ""
    assert opened.errors == []


def test_script_in_a_cue_shows_as_text(opened: OpenPage) -> None:
    en = TAGS.index("en")
    opened.page.select_option("#sk-lang", str(en))
    opened.seek(lines("en")[1].middle)
    assert opened.active(en) == [EVIL]
    opened.page.wait_for_function(
        "t => document.getElementById('sk-cue').textContent === t", arg=EVIL
    )
    assert opened.page.eval_on_selector_all("script", "s => s.length") == 2
    assert opened.page.eval_on_selector_all("#sk-cue script, #sk-cue img", "s => s.length") == 0
    assert opened.page.title().startswith('Preparing a "Screening" </title><script>')
    assert opened.errors == []  # no alert dialog, no CSP violation


def test_keyboard_shortcuts(opened: OpenPage) -> None:
    page, uk = opened.page, TAGS.index("uk")
    page.evaluate("document.getElementById('sk-video').muted = true")
    page.keyboard.press("m")
    assert opened.state()["muted"] is False
    page.keyboard.press("m")
    assert opened.state()["muted"] is True
    page.keyboard.press("k")
    page.wait_for_function("() => !document.getElementById('sk-video').paused")
    page.keyboard.press(" ")
    page.wait_for_function("() => document.getElementById('sk-video').paused")
    opened.seek(6.0)
    page.keyboard.press("ArrowRight")
    assert opened.state()["time"] == pytest.approx(11.0, abs=0.05)
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert opened.state()["time"] == pytest.approx(1.0, abs=0.05)
    page.keyboard.press("s")
    assert opened.state()["picked"] == str((uk + 1) % len(TAGS))
    page.keyboard.press("c")
    assert opened.state()["picked"] == "off"
    assert set(opened.state()["modes"]) == {"disabled"}
    page.keyboard.press("c")
    assert opened.state()["picked"] == str((uk + 1) % len(TAGS))
    page.keyboard.press("f")
    page.wait_for_function("() => document.fullscreenElement !== null")
    assert opened.state()["fullscreen"] == "sk-player"
    page.keyboard.press("f")
    page.wait_for_function("() => document.fullscreenElement === null")
    assert opened.errors == []


def test_subtitle_size_is_kept_in_the_page_storage(chromium: Any, web_bundle: Path) -> None:
    first = open_page(chromium, web_bundle / "index.html")
    try:
        first.page.evaluate("localStorage.clear()")
        first.page.reload()
        first.page.wait_for_function("() => document.getElementById('sk-video').readyState >= 1")
        assert first.state()["size"] == "1"
        small = first.page.eval_on_selector("#sk-cue", "e => parseFloat(e.style.fontSize)")
        first.page.keyboard.press("+")
        first.page.click("#sk-bigger")
        assert first.state()["size"] == "1.45"
        big = first.page.eval_on_selector("#sk-cue", "e => parseFloat(e.style.fontSize)")
        assert big == pytest.approx(small * 1.45, rel=0.02)
        first.page.reload()
        first.page.wait_for_function("() => document.getElementById('sk-video').readyState >= 1")
        assert first.state()["size"] == "1.45"
        first.page.keyboard.press("-")
        assert first.state()["size"] == "1.2"
        assert first.errors == []
    finally:
        first.page.evaluate("localStorage.clear()")
        first.page.context.close()


def test_mouse_alone(opened: OpenPage) -> None:
    page = opened.page
    page.evaluate("document.getElementById('sk-video').muted = true")
    page.click("#sk-bigplay")
    page.wait_for_function("() => !document.getElementById('sk-video').paused")
    page.click("#sk-play")
    page.wait_for_function("() => document.getElementById('sk-video').paused")
    page.click("#sk-mute")
    assert opened.state()["muted"] is False
    page.select_option("#sk-lang", str(TAGS.index("pl")))
    box = page.locator("#sk-seek").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] * lines("pl")[2].middle / DURATION, box["y"] + 8)
    page.wait_for_function(
        "t => document.getElementById('sk-cue').textContent === t", arg=lines("pl")[2].shown
    )
    page.click("#sk-mute")  # the focus stays on the button: space must not press it again
    assert opened.state()["muted"] is True
    page.keyboard.press(" ")
    page.wait_for_function("() => !document.getElementById('sk-video').paused")
    assert opened.state()["muted"] is True
    page.click("#sk-fs")
    page.wait_for_function("() => document.fullscreenElement !== null")
    assert opened.errors == []


def _decode_qr(png: bytes) -> list[str]:
    import zxingcpp

    with av.open(io.BytesIO(png)) as container:
        gray = next(container.decode(video=0)).to_ndarray(format="gray")
    return [code.text for code in zxingcpp.read_barcodes(gray)]


@pytest.mark.parametrize(("width", "height"), [(1280, 720), (390, 844)])
def test_the_end_fills_the_screen_with_the_appeal(
    chromium: Any, web_bundle: Path, width: int, height: int
) -> None:
    opened = open_page(chromium, web_bundle / "index.html", width, height)
    page = opened.page
    try:
        shots = os.environ.get("SCREENKIT_PAGE_SHOTS")
        if shots:
            page.screenshot(path=str(Path(shots) / f"start-{width}x{height}.png"))
        assert opened.state()["appeal"] is False
        page.evaluate("document.getElementById('sk-video').muted = true")
        opened.seek(lines("uk")[2].middle)
        page.wait_for_function("() => document.getElementById('sk-cue').textContent !== ''")
        if shots:
            page.screenshot(path=str(Path(shots) / f"cue-{width}x{height}.png"))
        opened.seek(DURATION - 0.4)
        page.keyboard.press("k")
        page.wait_for_function("() => document.getElementById('sk-video').ended", timeout=10000)
        page.wait_for_function("() => !document.getElementById('sk-appeal').hidden")
        box = page.locator("#sk-appeal").bounding_box()
        assert box == {"x": 0, "y": 0, "width": width, "height": height}
        link = page.locator("#sk-link")
        assert link.text_content() == LINK and link.get_attribute("href") == LINK
        png = page.screenshot()
        if shots:
            Path(shots, f"end-{width}x{height}.png").write_bytes(png)
        assert _decode_qr(png) == [LINK]
        page.click("#sk-again")
        page.wait_for_function("() => !document.getElementById('sk-video').paused")
        assert opened.state()["appeal"] is False
        assert opened.errors == [] and opened.blocked == []
    finally:
        page.context.close()


def test_a_track_src_is_refused_from_file_which_is_why_cues_are_embedded(
    chromium: Any, web_bundle: Path, tmp_path: Path
) -> None:
    """The cause of issue 11: <track src> beside a file:// page gets no cues in Chromium."""
    (tmp_path / "uk.vtt").write_text("WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nВітаємо\n")
    os.link(web_bundle / VIDEO_NAME, tmp_path / "film.mp4")
    (tmp_path / "old.html").write_text(
        '<!doctype html><video id="sk-video" src="film.mp4" preload="metadata">'
        '<track kind="subtitles" src="uk.vtt" srclang="uk" default></video>'
    )
    old = open_page(chromium, tmp_path / "old.html")
    try:
        old.page.wait_for_function(
            "() => document.querySelector('track').readyState >= 2", timeout=5000
        )
        assert old.page.evaluate("document.querySelector('track').readyState") == 3  # ERROR
        assert (
            old.page.evaluate("document.getElementById('sk-video').textTracks[0].cues")
            in (
                None,
                [],
            )
            or old.page.evaluate("document.getElementById('sk-video').textTracks[0].cues.length")
            == 0
        )
    finally:
        old.page.context.close()


def test_a_film_that_is_not_beside_the_page_says_so(
    chromium: Any, web_bundle: Path, tmp_path: Path
) -> None:
    (tmp_path / "index.html").write_bytes((web_bundle / "index.html").read_bytes())
    context = chromium.new_context()
    page = context.new_page()
    try:
        page.goto((tmp_path / "index.html").as_uri())
        page.wait_for_function("() => !document.getElementById('sk-msg').hidden", timeout=10000)
        assert "same folder as the film" in page.inner_text("#sk-msg")
    finally:
        context.close()
