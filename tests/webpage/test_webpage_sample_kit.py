"""The acceptance of issue 11 on the sample kit, short of the bundle step that is not wired yet:
the kit's five tracks as the web preset's WebVTT sidecars, its film as MP4, its Ukrainian
appeal — the page from file:// shows the Ukrainian cue, every language, and ends on the appeal.
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
from screenkit.media.binaries import FFmpeg
from screenkit.media.runner import output_arg, run_ffmpeg, safe_input
from screenkit.subtitles.load import load_track
from screenkit.subtitles.save import save_track
from screenkit.subtitles.webvtt import read_cues
from screenkit.webpage import PageAppeal, PageInputs, PageTrack, check_page, write_index_html


def _shown(markup: str) -> str:
    """What a browser shows of a cue: WebVTT's tags dropped, references resolved."""
    return html.unescape(re.sub(r"<[^>]*>", "", markup))


@pytest.fixture
def kit_page(sample_kit: Path, ffmpeg: FFmpeg) -> tuple[Path, dict[str, str]]:
    kit = load_kit(sample_kit)
    out = sample_kit / "out"
    (out / "subtitles").mkdir(parents=True)
    film = out / "Preparing a Screening (uk, web).mp4"
    run_ffmpeg(
        [*safe_input(kit.master), "-map", "0:v", "-map", "0:a", "-c", "copy",
         "-movflags", "+faststart", output_arg(film)],
        ffmpeg=ffmpeg,
        what="remuxing the sample film",
    )  # fmt: skip
    vtt: dict[str, str] = {}
    for lang in kit.languages:
        path = save_track(
            load_track(kit.subtitle_path(lang), lang=lang).subs, out / "subtitles" / f"{lang}.vtt"
        )
        vtt[lang] = path.read_text(encoding="utf-8")
    appeal = PageAppeal(
        title=kit.appeal.title or kit.title,
        text=kit.appeal_text("uk"),
        beneficiary=kit.appeal.beneficiary,
        link=kit.appeal.link,
    )
    write_index_html(
        out / "index.html",
        PageInputs(
            title=kit.title,
            video=film.name,
            language="uk",
            tracks=tuple(PageTrack(lang, vtt[lang]) for lang in kit.languages),
            appeal=appeal,
        ),
    )
    return out / "index.html", vtt


@pytest.mark.slow
def test_the_sample_kit_page_in_chromium(
    chromium: Any, kit_page: tuple[Path, dict[str, str]]
) -> None:
    page_path, vtt = kit_page
    kit = load_kit(page_path.parent.parent)
    cues = {lang: read_cues(text)[0] for lang, text in vtt.items()}
    assert check_page(page_path, {lang: len(c) for lang, c in cues.items()}) == []
    opened = open_page(chromium, page_path)
    try:
        state = opened.state()
        langs = list(kit.languages)
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
