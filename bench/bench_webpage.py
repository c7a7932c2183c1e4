"""The screening page at feature length: render, verify and open times, page size.

A 70-minute film's five tracks (about 1,100 two-line cues each) embedded in one index.html:
how long screenkit takes to render it and to check it, how large it is, and how long the
system Chromium takes from opening the file to a cue shown after a language switch and a
seek. There is no bare-ffmpeg equivalent, so this reports medians of alternating rounds.

python -m bench.bench_webpage [--rounds N] [--json FILE]
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path

from bench.harness import cli, ffmpeg_for_bench, media_path
from screenkit.sample.sources import SourceSpec, make_source
from screenkit.webpage import PageAppeal, PageInputs, PageTrack, check_page, render_index_html

TAGS = ("en", "it", "uk", "pl", "de")
FILM_MINUTES = 70
CUE_EVERY_S = 3.8
CHROMIUM = Path("/usr/bin/chromium")


def _stamp(s: float) -> str:
    ms = round(s * 1000)
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def feature_track(tag: str) -> str:
    blocks = ["WEBVTT"]
    t, n = 1.0, 0
    while t + 3 < FILM_MINUTES * 60:
        n += 1
        blocks.append(
            f"{n}\n{_stamp(t)} --> {_stamp(t + 3.2)}\n"
            f"[{tag}] line {n}: a subtitle of ordinary length,\n<i>and its second line</i> & more"
        )
        t += CUE_EVERY_S
    return "\n\n".join(blocks) + "\n"


def feature_inputs(video: str) -> PageInputs:
    return PageInputs(
        title="Preparing a Screening",
        video=video,
        language="uk",
        tracks=tuple(PageTrack(tag, feature_track(tag)) for tag in TAGS),
        appeal=PageAppeal("Support", "Give what you can.", "Collective", "https://example.org/d"),
    )


def _timed(fn: object, rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        out.append(time.perf_counter() - start)
    return out


def browser_rounds(page: Path, rounds: int) -> list[float]:
    """Open → five tracks built → switch to pl, seek to 30:00, cue text read."""
    from playwright.sync_api import sync_playwright

    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"]  # fmt: skip
    out = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=args)
        for _ in range(rounds + 1):
            ctx = browser.new_context(viewport={"width": 1280, "height": 720})
            tab = ctx.new_page()
            start = time.perf_counter()
            tab.goto(page.as_uri())
            tab.select_option("#sk-lang", str(TAGS.index("pl")))
            text = tab.evaluate(
                """() => new Promise(done => { const v = document.getElementById('sk-video');
                v.addEventListener('seeked', () => done(Array.from(v.textTracks[3].activeCues)
                  .map(c => c.getCueAsHTML().textContent)), {once: true});
                v.currentTime = 1800.5; })"""
            )
            out.append(time.perf_counter() - start)
            ctx.close()
            assert text and text[0].startswith("[pl] line 474:"), text  # 29:58.4-30:01.6
        browser.close()
    return out[1:]  # the first round warms the browser


def main() -> None:
    args = cli(__doc__ or "")
    film = media_path("webpage-70min.mp4")
    if not film.exists():
        film.parent.mkdir(parents=True, exist_ok=True)
        # a feature-length file that costs nothing to make: 1 fps, a thumbnail, no sound
        spec = SourceSpec(
            duration=FILM_MINUTES * 60, width=64, height=36, fps="1", audio_channels=None
        )
        make_source(film, spec, ffmpeg=ffmpeg_for_bench())
    inputs = feature_inputs(film.name)
    render_index_html(inputs)  # warm-up
    renders = _timed(lambda: render_index_html(inputs), args.rounds)
    text = render_index_html(inputs)
    cues = sum(len(feature_track(t).split("-->")) - 1 for t in TAGS)
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "index.html"
        page.write_text(text, encoding="utf-8")
        (Path(folder) / film.name).symlink_to(film)
        expected = {t: cues // len(TAGS) for t in TAGS}
        checks = _timed(lambda: check_page(page, expected), args.rounds)
        assert check_page(page, expected) == []
        opens = browser_rounds(page, args.rounds) if CHROMIUM.exists() else []
    figures = {
        "case": "webpage feature length",
        "tracks": len(TAGS),
        "cues": cues,
        "page_kib": round(len(text.encode()) / 1024, 1),
        "render_median_s": statistics.median(renders),
        "check_median_s": statistics.median(checks),
        "open_to_cue_median_s": statistics.median(opens) if opens else None,
    }
    print(
        f"index.html for {FILM_MINUTES} min, {len(TAGS)} tracks, {cues} cues: "
        f"{figures['page_kib']} KiB; render median {figures['render_median_s'] * 1000:.0f} ms, "
        f"check_page median {figures['check_median_s'] * 1000:.0f} ms"
        + (
            f", Chromium open → cue after switch + seek median "
            f"{figures['open_to_cue_median_s'] * 1000:.0f} ms"  # type: ignore[operator]
            if opens
            else ", no Chromium: browser figure skipped"
        )
        + f" ({args.rounds} rounds)"
    )
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
