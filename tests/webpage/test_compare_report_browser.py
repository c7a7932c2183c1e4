"""The ``subs compare --html`` report in the system Chromium, at a desk (1280 px) and on a phone
(390 px): it fetches nothing, every frame shows, and the two texts sit side by side where
there is room and one above the other where there is not."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pysubs2
import pytest

from support import run_cli

DATA = Path(__file__).resolve().parents[1] / "subtitles" / "data" / "compare"


@pytest.fixture
def report(sample_kit: Path, tmp_path: Path) -> Path:
    subs = pysubs2.load(str(DATA / "sample.fi.srt"))
    subs[0].text = "Welcome. Tonight we show a film together."  # left in English
    subs[6].text = r"USB-tikku, läppäri, selain ja vanha DVD-soitin:\Nkokeilkaa kaikki ensin."
    subs[9].text += " ✓"  # a character the shipped font lacks
    del subs[11]  # a dropped cue
    fi = sample_kit / "subtitles" / "fi.srt"
    subs.save(str(fi))
    out = tmp_path / "review.html"
    code, _, err = run_cli(
        "subs", "compare", str(sample_kit / "subtitles" / "en.srt"), str(fi),
        "--film", str(sample_kit / "media" / "film.mkv"), "--html", str(out), "--ui-lang", "it",
    )  # fmt: skip
    assert code == 1, err
    return out


BOXES = """() => Array.from(document.querySelectorAll('.cue')).map(cue => {
    const [a, b] = cue.querySelectorAll('.text');
    const img = cue.querySelector('img');
    const r = el => { const x = el.getBoundingClientRect(); return [x.left, x.top, x.width]; };
    return {original: r(a), translation: r(b), image: img ? img.naturalWidth : 0,
            shown: img ? img.getBoundingClientRect().width : 0};
})"""


@pytest.mark.slow
@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_the_report_reads_at_a_desk_and_on_a_phone(
    chromium: Any, report: Path, width: int, height: int
) -> None:
    context = chromium.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    requests: list[str] = []
    problems: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: m.type in ("error", "warning") and problems.append(m.text))
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    try:
        page.goto(report.as_uri())
        page.wait_for_load_state("load")
        shots = os.environ.get("SCREENKIT_PAGE_SHOTS")
        if shots:
            page.screenshot(path=str(Path(shots) / f"compare-{width}.png"), full_page=True)
        assert [u for u in requests if not u.startswith("data:")] == [report.as_uri()]
        assert problems == []  # no CSP violation, no error
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.locator("h1").text_content() == "Confronto dei sottotitoli"
        assert "Sottotitolo mancante" in (page.locator(".cues").text_content() or "")
        boxes = page.evaluate(BOXES)
        assert len(boxes) == 4 and all(b["image"] == 320 for b in boxes)
        for box in boxes:
            (ox, oy, ow), (tx, ty, _) = box["original"], box["translation"]
            if width >= 1000:
                assert oy == ty and tx > ox + ow  # side by side
            else:
                assert ox == tx and ty > oy and ow > width * 0.7  # one above the other
                assert box["shown"] <= width
        page.locator("summary").click()  # all cues side by side
        assert page.locator("table.all tbody tr").count() == 15
    finally:
        context.close()
