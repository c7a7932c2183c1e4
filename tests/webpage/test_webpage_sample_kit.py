"""The acceptance of issue 11 on the sample kit: ``screenkit build --preset web --lang uk``,
then its ``index.html`` from file:// shows the Ukrainian cue, every language (each cue as the
bundle's own WebVTT sidecar times it), and ends on the appeal with a QR code that decodes.
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path
from typing import Any

import av
import pytest
from page_driver import open_page

from screenkit.kit import load_kit
from screenkit.subtitles.webvtt import read_cues
from screenkit.webpage import check_page
from support import run_cli


def _shown(markup: str) -> str:
    """What a browser shows of a cue: WebVTT's tags dropped, references resolved."""
    return html.unescape(re.sub(r"<[^>]*>", "", markup))


@pytest.fixture
def kit_page(sample_kit: Path) -> tuple[Path, dict[str, str]]:
    """``screenkit build --preset web --lang uk`` on the sample kit: its page and its tracks."""
    code, _, err = run_cli(
        "build", "--kit", str(sample_kit), "--preset", "web", "--lang", "uk",
        "--speed", "ultrafast", "--quiet",
    )  # fmt: skip
    assert code == 0, err
    bundle = sample_kit / "out" / "sample-uk-web"
    code, _, err = run_cli("verify", str(bundle), "--quiet")
    assert code == 0, err  # verify checks the page's tracks against the sidecars
    vtt = {
        lang: next((bundle / "subtitles").glob(f"*.{lang}.vtt")).read_text(encoding="utf-8")
        for lang in load_kit(sample_kit).languages
    }  # the sidecars: timed for the card in front, as the page's cues must be
    return bundle / "index.html", vtt


@pytest.mark.slow
def test_the_sample_kit_page_in_chromium(
    chromium: Any, kit_page: tuple[Path, dict[str, str]]
) -> None:
    page_path, vtt = kit_page
    kit = load_kit(page_path.parent.parent.parent)
    cues = {lang: read_cues(text)[0] for lang, text in vtt.items()}
    assert check_page(page_path, {lang: len(c) for lang, c in cues.items()}) == []
    opened = open_page(chromium, page_path)
    try:
        state = opened.state()
        langs = ["uk", *[lang for lang in kit.languages if lang != "uk"]]  # the bundle's order
        assert state["picked"] == str(langs.index("uk"))
        for lang in ["uk", *langs]:
            i = langs.index(lang)
            opened.page.select_option("#sk-lang", str(i))
            for cue in (cues[lang][0], cues[lang][len(cues[lang]) // 2]):
                opened.seek((cue.start + cue.end) / 2000)
                assert opened.active(i) == [_shown(cue.markup)], (lang, cue)
        duration = opened.page.evaluate("() => document.getElementById('sk-video').duration")
        opened.page.evaluate("() => { document.getElementById('sk-video').muted = true }")
        opened.seek(duration - 0.3)
        opened.page.keyboard.press("k")
        opened.page.wait_for_function("() => !document.getElementById('sk-appeal').hidden")
        assert kit.appeal_text("uk").strip()[:40] in opened.page.inner_text("#sk-appeal")
        with av.open(io.BytesIO(opened.page.screenshot())) as shot:
            gray = next(shot.decode(video=0)).to_ndarray(format="gray")
        import zxingcpp

        assert [c.text for c in zxingcpp.read_barcodes(gray)] == [kit.appeal.link]
        assert opened.errors == [] and opened.blocked == []
    finally:
        opened.page.context.close()
