"""Opening the screening page in Chromium from file://, with every request and error recorded."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ACTIVE = """i => Array.from(document.getElementById('sk-video').textTracks[i].activeCues || [])
    .map(c => c.getCueAsHTML().textContent)"""
SEEK = """t => new Promise(done => {
    const v = document.getElementById('sk-video');
    v.addEventListener('seeked', () => done(v.currentTime), {once: true});
    v.currentTime = t;
})"""
STATE = """() => {
    const v = document.getElementById('sk-video');
    return {
        paused: v.paused, muted: v.muted, time: v.currentTime,
        modes: Array.from(v.textTracks).map(t => t.mode),
        picked: document.getElementById('sk-lang').value,
        fullscreen: document.fullscreenElement ? document.fullscreenElement.id : null,
        size: document.getElementById('sk-player').getAttribute('data-subtitle-size'),
        cue: document.getElementById('sk-cue').textContent,
        appeal: !document.getElementById('sk-appeal').hidden,
    };
}"""


@dataclass
class OpenPage:
    page: Any
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def state(self) -> dict[str, Any]:
        result: dict[str, Any] = self.page.evaluate(STATE)
        return result

    def seek(self, t: float) -> float:
        return float(self.page.evaluate(SEEK, t))

    def active(self, index: int) -> list[str]:
        return list(self.page.evaluate(ACTIVE, index))


def open_page(browser: Any, page_path: Path, width: int = 1280, height: int = 720) -> OpenPage:
    """The page loaded from disk with its film's metadata read; non-file requests are aborted."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    opened = OpenPage(page)

    def route(r: Any) -> None:
        url = r.request.url
        if url.startswith(("file:", "data:", "blob:")):
            r.continue_()
        else:
            opened.blocked.append(url)
            r.abort()

    page.route("**/*", route)
    page.on("request", lambda req: opened.requests.append(req.url))
    page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: opened.errors.append(f"page error: {exc}"))
    page.on("dialog", lambda d: (opened.errors.append(f"dialog: {d.message}"), d.dismiss()))
    page.goto(page_path.as_uri())
    page.wait_for_function(
        "() => document.getElementById('sk-video').readyState >= 1", timeout=10000
    )
    return opened
