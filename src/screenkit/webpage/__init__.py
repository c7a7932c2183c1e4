"""The offline screening page (``index.html``): the film with every subtitle track, from disk.

A library package with no knowledge of bundles: the bundle step gives it `PageInputs` and
writes the result with `write_index_html`; ``verify`` calls `check_page`.
"""

from __future__ import annotations

from screenkit.webpage.check import PageProblem, check_page
from screenkit.webpage.cues import PageCue, page_cues, safe_cue_text
from screenkit.webpage.errors import WebPageError
from screenkit.webpage.model import PageAppeal, PageInputs, PageStrings, PageTrack
from screenkit.webpage.names import native_name, native_names
from screenkit.webpage.render import render_index_html, write_index_html

__all__ = [
    "PageAppeal",
    "PageCue",
    "PageInputs",
    "PageProblem",
    "PageStrings",
    "PageTrack",
    "WebPageError",
    "check_page",
    "native_name",
    "native_names",
    "page_cues",
    "render_index_html",
    "safe_cue_text",
    "write_index_html",
]
