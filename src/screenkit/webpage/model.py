"""What the screening page is made from: typed, frozen, validated before any HTML is written.

Everything here comes from the kit or the bundle (titles, appeal texts, subtitle tracks) and
is treated as untrusted: the renderer escapes it, and this module refuses what escaping
cannot make safe — an absolute or ``..`` file name (the page must only name files beside it),
a link that is not http(s) (``javascript:`` in the appeal would run on a click), a malformed
language tag, the same language twice.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import quote, urlsplit

from screenkit.webpage.errors import WebPageError

_BCP47 = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")


def check_tag(tag: str, key: str) -> str:
    if not _BCP47.match(tag):
        raise WebPageError(
            f"'{tag}' is not a BCP-47 language tag", key=key, value=tag, hint="use e.g. uk, pt-BR"
        )
    return tag


def relative_url(name: str, key: str) -> str:
    """A file beside the page as a URL-escaped relative reference (``a b.mp4`` → ``a%20b.mp4``).

    Every path segment is percent-encoded, so ``:``, ``#``, ``?`` or quotes in a title can
    neither turn the name into a scheme or a fragment nor break out of the attribute.
    """
    bad = not name or "\\" in name or "\x00" in name or name.startswith("/")
    parts = PurePosixPath(name).parts if not bad else ()
    if bad or any(p in ("..", ".") for p in parts) or not parts:
        raise WebPageError(
            f"'{name}' is not a file name beside the page",
            key=key,
            value=name,
            hint="give the name relative to the bundle folder, without '..'",
        )
    return "/".join(quote(p, safe="") for p in parts)


@dataclass(frozen=True)
class PageTrack:
    """One subtitle track: its BCP-47 tag and its WebVTT document as text."""

    tag: str
    webvtt: str


@dataclass(frozen=True)
class PageAppeal:
    """The collection moment shown when the film ends; the QR code encodes ``link``."""

    title: str
    text: str
    beneficiary: str
    link: str

    def __post_init__(self) -> None:
        parts = urlsplit(self.link.strip())
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            raise WebPageError(
                f"the appeal link '{self.link}' is not an http(s) address",
                key="appeal.link",
                value=self.link,
                hint="write the full address, e.g. https://example.org/donate",
            )


@dataclass(frozen=True)
class PageStrings:
    """The page's fixed words (English here; a bundle's page gets them translated:
    `screenkit.webpage.strings.page_strings`)."""

    subtitles: str = "Subtitles"
    off: str = "Off"
    play: str = "Play"
    pause: str = "Pause"
    mute: str = "Sound off"
    unmute: str = "Sound on"
    fullscreen: str = "Full screen"
    bigger: str = "Larger subtitles"
    smaller: str = "Smaller subtitles"
    position: str = "Position"
    watch_again: str = "Watch again"
    cannot_play: str = (
        "The film cannot be played here. Keep this page in the same folder as the film file, "
        "or open the film with VLC."
    )
    keys: str = (
        "Keys: space play/pause · F full screen · ← → 5 seconds · "
        "S next subtitle language · C subtitles on/off · M sound · + − subtitle size"
    )


@dataclass(frozen=True)
class PageInputs:
    """Everything `render_index_html` needs; file names are relative to the page's folder."""

    title: str
    video: str
    language: str
    tracks: tuple[PageTrack, ...]
    appeal: PageAppeal
    poster: str | None = None
    language_names: Mapping[str, str] = field(default_factory=dict)
    """Native names by tag; a tag not named here gets `screenkit.languages.native_name`."""
    strings: PageStrings = field(default_factory=PageStrings)
    subtitles_on: bool = True
    """Whether the screening language's track starts on; off where the film has the
    subtitles burned into the picture already (a second copy would cover the first)."""

    def __post_init__(self) -> None:
        relative_url(self.video, "video")
        if self.poster is not None:
            relative_url(self.poster, "poster")
        check_tag(self.language, "language")
        seen: set[str] = set()
        for track in self.tracks:
            check_tag(track.tag, "tracks")
            if track.tag.lower() in seen:
                raise WebPageError(
                    f"two subtitle tracks are tagged '{track.tag}'", key="tracks", value=track.tag
                )
            seen.add(track.tag.lower())
        object.__setattr__(self, "tracks", tuple(self.tracks))
        # a private plain copy: the caller's mapping may change, and the inputs must pickle
        object.__setattr__(self, "language_names", dict(self.language_names))
