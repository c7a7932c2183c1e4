"""The fixed names of a bundle's files, beside the video (whose name the bundle's plan makes).

The kinds write them, the sheet lists them, verify and the organiser's app look for them.
"""

from __future__ import annotations

from typing import Literal

SHEET_HTML = "SCREENING.html"
SHEET_TEXT = "SCREENING.txt"
POSTER = "poster.pdf"
PAGE = "index.html"
"""Where a browser plays the film (bundles whose video a browser plays)."""
CARD_IMAGE = "images/card.png"
FRAME_IMAGE = "images/subtitled-frame.png"

Device = Literal["usb", "laptop", "browser", "archive", "dvd", "divx"]
"""Which playing guide the sheet gives (see `sheet_words.device_kind`)."""
FileKind = Literal[
    "film",
    "clip",
    "clip-subtitles",
    "sidecar",
    "card-image",
    "frame-image",
    "sheet-html",
    "sheet-text",
    "manifest",
    "poster",
    "page",
    "disc-image",
    "dvd-folder",
]
"""What each file of the bundle is, as the sheet lists it."""
