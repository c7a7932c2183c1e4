"""``index.html``: one self-contained file that plays the film with every subtitle track.

Opened by double-click from a USB stick, the page is a ``file://`` document, and Chromium
treats each file as its own origin: ``<track src="x.vtt">`` is refused. So the cues travel
inside the page, as JSON in a ``<script type="application/json">`` block, and the player
script turns them into tracks with ``addTextTrack`` + ``VTTCue``. Nothing is fetched at run
time (no CDN, no web font); a Content-Security-Policy forbids it outright, and allows the
page's own script and style only by their sha256, so a cue or title that slipped through
escaping still could not run.

The player is screenkit's own small script rather than a vendored one (Plyr and the like
are built for a web site: they fetch an icon sprite and a blank video from a CDN by default,
need a build step to vendor, and carry features a screening room does not use); ours is one
file, fits under the strict CSP without ``unsafe-inline``, and its behaviour is what the
browser tests check.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

import segno

from screenkit import __version__
from screenkit.media.atomic import write_text_atomic
from screenkit.webpage.cues import PageCue, page_cues
from screenkit.webpage.model import PageInputs, PageStrings, relative_url
from screenkit.webpage.names import native_names

DATA_ID = "screenkit-data"
"""The id of the JSON block; `check_page` finds the tracks by it."""
_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


@cache
def asset(name: str) -> str:
    text = (files("screenkit.webpage") / "assets" / name).read_text(encoding="utf-8")
    # the asset goes inline: its own end tag would end the element early
    assert "</script" not in text.lower() and "</style" not in text.lower(), name
    return text


def csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def script_json(value: object) -> str:
    """JSON that can sit inside ``<script>``: no ``<``, ``>``, ``&`` or line separators raw.

    ``</script>`` in a cue would otherwise end the block early and let the rest of the cue
    be parsed as HTML; U+2028/U+2029 are escaped for the older engines that choke on them.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in _JSON_ESCAPES.items():
        text = text.replace(raw, escaped)
    return text


def content_security_policy(style: str, script: str) -> str:
    """No network at all: media and pictures only from the page's folder, blob: or data:."""
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src {csp_hash(script)}",
            f"style-src {csp_hash(style)}",
            "img-src 'self' file: data: blob:",
            "media-src 'self' file: data: blob:",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


_RTL = frozenset({"ar", "dv", "fa", "he", "ps", "sd", "ug", "ur", "yi"})


def _direction(tag: str) -> str:
    """The page's writing direction: the appeal and controls of an Arabic screening run RTL."""
    parts = tag.split("-")
    if any(p.title() in ("Arab", "Hebr", "Thaa", "Syrc") for p in parts[1:]):
        return "rtl"
    if any(p.title() in ("Latn", "Cyrl") for p in parts[1:]):
        return "ltr"
    return "rtl" if parts[0].lower() in _RTL else "ltr"


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _qr_svg(link: str) -> str:
    return str(
        segno.make(link, error="m", micro=False, boost_error=False).svg_inline(
            border=4, dark="#000", light="#fff", omitsize=True
        )
    )


def paragraphs_html(text: str) -> str:
    """Plain text as escaped ``<p>`` blocks (blank lines part them, newlines are ``<br>``)."""
    blocks = [b.strip() for b in text.replace("\r\n", "\n").split("\n\n") if b.strip()]
    return "".join(
        "<p>" + "<br>".join(_e(line.strip()) for line in block.split("\n")) + "</p>"
        for block in blocks
    )


def _icon(name: str, path: str) -> str:
    return (
        f'<svg class="sk-i sk-i-{name}" viewBox="0 0 24 24" aria-hidden="true" '
        f'focusable="false"><path fill="currentColor" d="{path}"/></svg>'
    )


_ICONS = {
    "play": "M8 5v14l11-7z",
    "pause": "M6 5h4v14H6zm8 0h4v14h-4z",
    "sound": "M4 9v6h4l5 4V5L8 9zm12.5 3a4.5 4.5 0 0 0-2.5-4v8a4.5 4.5 0 0 0 2.5-4z",
    "muted": "M4 9v6h4l5 4V5L8 9zm11 .4L16.4 8l2.1 2.1L20.6 8 22 9.4l-2.1 2.1 2.1 2.1-1.4 1.4"
    "-2.1-2.1-2.1 2.1-1.4-1.4 2.1-2.1z",
    "full": "M4 4h6v2H6v4H4zm10 0h6v6h-2V6h-4zM4 14h2v4h4v2H4zm14 0h2v6h-6v-2h4z",
}


def _button(ident: str, label: str, body: str) -> str:
    return (
        f'<button id="{ident}" class="sk-btn" type="button" title="{_e(label)}" '
        f'aria-label="{_e(label)}">{body}</button>'
    )


@dataclass(frozen=True)
class _Track:
    tag: str
    name: str
    cues: tuple[PageCue, ...]


def _tracks(inputs: PageInputs) -> tuple[tuple[_Track, ...], int]:
    """The tracks as the page holds them, and the index on by default (-1: off)."""
    names = native_names([t.tag for t in inputs.tracks], inputs.language_names)
    tracks = tuple(_Track(t.tag, names[t.tag], page_cues(t.tag, t.webvtt)) for t in inputs.tracks)
    lowered = [t.tag.lower() for t in tracks]
    wanted = inputs.language.lower()
    on = inputs.subtitles_on and wanted in lowered
    return tracks, lowered.index(wanted) if on else -1


def _data(inputs: PageInputs, tracks: tuple[_Track, ...], default: int) -> dict[str, object]:
    """The JSON the player script reads; `check_page` reads ``tracks[].tag`` and ``.cues``."""
    s = inputs.strings
    return {
        "version": 1,
        "language": inputs.language,
        "default": default,
        "tracks": [
            {"tag": t.tag, "name": t.name, "cues": [[c.start, c.end, c.text] for c in t.cues]}
            for t in tracks
        ],
        "strings": {"play": s.play, "pause": s.pause, "mute": s.mute, "unmute": s.unmute},
    }


def _controls(inputs: PageInputs, tracks: tuple[_Track, ...], default: int) -> str:
    s: PageStrings = inputs.strings
    options = [f'<option value="off"{" selected" if default == -1 else ""}>{_e(s.off)}</option>']
    for i, track in enumerate(tracks):
        chosen = " selected" if i == default else ""
        options.append(
            f'<option value="{i}" lang="{_e(track.tag)}"{chosen}>{_e(track.name)}</option>'
        )
    return "".join(
        [
            '<div id="sk-controls" class="sk-controls">',
            _button(
                "sk-play", s.play, _icon("play", _ICONS["play"]) + _icon("pause", _ICONS["pause"])
            ),
            f'<input id="sk-seek" class="sk-seek" type="range" min="0" max="1000" step="1" '
            f'value="0" aria-label="{_e(s.position)}" title="{_e(s.position)}">',
            '<span id="sk-time" class="sk-time">0:00 / 0:00</span>',
            f'<label class="sk-lang"><span class="sk-lang-word">{_e(s.subtitles)}</span> '
            f'<select id="sk-lang">{"".join(options)}</select></label>',
            _button("sk-smaller", s.smaller, "A−"),
            _button("sk-bigger", s.bigger, "A+"),
            _button(
                "sk-mute", s.mute, _icon("sound", _ICONS["sound"]) + _icon("muted", _ICONS["muted"])
            ),
            _button("sk-fs", s.fullscreen, _icon("full", _ICONS["full"])),
            "</div>",
        ]
    )


def _appeal(inputs: PageInputs) -> str:
    a = inputs.appeal
    return "".join(
        [
            '<section id="sk-appeal" class="sk-appeal" hidden aria-labelledby="sk-appeal-title">',
            '<div class="sk-appeal-text">',
            f'<h2 id="sk-appeal-title">{_e(a.title)}</h2>',
            paragraphs_html(a.text),
            f'<p class="sk-beneficiary">{_e(a.beneficiary)}</p>',
            f'<p><a id="sk-link" class="sk-link" href="{_e(a.link.strip())}" rel="noreferrer">'
            f"{_e(a.link.strip())}</a></p>",
            f'<button id="sk-again" class="sk-again" type="button">{_e(inputs.strings.watch_again)}'
            "</button></div>",
            f'<div id="sk-qr" class="sk-qr" role="img" aria-label="QR: {_e(a.link.strip())}">',
            _qr_svg(a.link.strip()),
            "</div></section>",
        ]
    )


def render_index_html(inputs: PageInputs) -> str:
    """The whole page as text; raises `WebPageError` for a track or input it cannot use."""
    style, script = asset("player.css"), asset("player.js")
    tracks, default = _tracks(inputs)
    data = script_json(_data(inputs, tracks, default))
    poster = f' poster="{_e(relative_url(inputs.poster, "poster"))}"' if inputs.poster else ""
    video = _e(relative_url(inputs.video, "video"))
    return "\n".join(
        [
            "<!DOCTYPE html>",
            f'<html lang="{_e(inputs.language)}" dir="{_direction(inputs.language)}">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta http-equiv="Content-Security-Policy" '
            f'content="{_e(content_security_policy(style, script))}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            '<meta name="referrer" content="no-referrer">',
            f'<meta name="generator" content="screenkit {_e(__version__)}">',
            f"<title>{_e(inputs.title)}</title>",
            f"<style>{style}</style>",
            "</head>",
            "<body>",
            '<main class="sk-page">',
            f'<h1 class="sk-title">{_e(inputs.title)}</h1>',
            '<div id="sk-player" class="sk-player">',
            '<div id="sk-stage" class="sk-stage">',
            f'<video id="sk-video" class="sk-video" src="{video}"{poster} preload="metadata" '
            "playsinline controls></video>",
            '<div id="sk-cue" class="sk-cue" aria-live="polite"></div>',
            '<p id="sk-msg" class="sk-msg" role="alert" hidden>'
            f"{_e(inputs.strings.cannot_play)}</p>",
            f'<button id="sk-bigplay" class="sk-bigplay" type="button" '
            f'aria-label="{_e(inputs.strings.play)}">{_icon("play", _ICONS["play"])}</button>',
            "</div>",
            _controls(inputs, tracks, default),
            _appeal(inputs),
            "</div>",
            f'<p class="sk-keys">{_e(inputs.strings.keys)}</p>',
            "</main>",
            f'<script type="application/json" id="{DATA_ID}">{data}</script>',
            f"<script>{script}</script>",
            "</body>",
            "</html>",
            "",
        ]
    )


def write_index_html(path: Path | str, inputs: PageInputs) -> Path:
    """Render and publish ``path`` by atomic rename (readers never see half a page)."""
    return write_text_atomic(Path(path), render_index_html(inputs))
