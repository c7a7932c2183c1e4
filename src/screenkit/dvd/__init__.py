"""DVD-Video for the DVD player under the TV: subpictures, authoring, the disc image, read-back.

The film and the card are encoded as DVD MPEG-PS by `screenkit.encode` (presets dvd-pal,
dvd-ntsc); this package adds one subpicture stream per kit language drawn by libass like
burn-in (`subpictures`), authors one title with the card as its own cell (`author`), writes
``<Title>.iso`` (`iso`) and reads the result back for verify (`readback`). The external
tools (dvdauthor, spumux, xorriso, lsdvd) are found on PATH (`tools`).
"""

from screenkit.dvd.build import DvdBuild, author_disc, make_dvd, subtitled_film, write_disc_image
from screenkit.dvd.errors import INSTALL_LINE, DiscTooLarge, DvdToolFailed, DvdToolsMissing
from screenkit.dvd.readback import DvdReport, read_dvd
from screenkit.dvd.tools import DvdTools, missing_tools, require_dvd_tools

__all__ = [
    "INSTALL_LINE",
    "DiscTooLarge",
    "DvdBuild",
    "DvdReport",
    "DvdToolFailed",
    "DvdTools",
    "DvdToolsMissing",
    "author_disc",
    "make_dvd",
    "missing_tools",
    "read_dvd",
    "require_dvd_tools",
    "subtitled_film",
    "write_disc_image",
]
