"""The fixed names of a bundle's files, beside the video (whose name the bundle's plan makes).

The kinds write them, the sheet lists them, verify and the organiser's app look for them.
"""

from __future__ import annotations

SHEET_HTML = "SCREENING.html"
SHEET_TEXT = "SCREENING.txt"
POSTER = "poster.pdf"
PAGE = "index.html"
"""Where a browser plays the film (bundles whose video a browser plays)."""
CARD_IMAGE = "images/card.png"
FRAME_IMAGE = "images/subtitled-frame.png"
