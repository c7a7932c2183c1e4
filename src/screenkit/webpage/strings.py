"""The page's fixed words in the screening language, from the sheet's gettext catalogues."""

from __future__ import annotations

from screenkit.i18n import Translator
from screenkit.webpage.model import PageStrings


def page_strings(tr: Translator) -> PageStrings:
    """Every button label and notice of the page, translated (English where the catalogue
    has none; a kit's own ``locale/<lang>.po`` may correct them, as for the sheet)."""
    _ = tr.gettext
    return PageStrings(
        subtitles=_("Subtitles"),
        off=_("Off"),
        play=_("Play"),
        pause=_("Pause"),
        mute=_("Sound off"),
        unmute=_("Sound on"),
        fullscreen=_("Full screen"),
        bigger=_("Larger subtitles"),
        smaller=_("Smaller subtitles"),
        position=_("Position"),
        watch_again=_("Watch again"),
        cannot_play=_(
            "The film cannot be played here. Keep this page in the same folder as the film "
            "file, or open the film with VLC."
        ),
        keys=_(
            "Keys: space play/pause · F full screen · ← → 5 seconds · S next subtitle "
            "language · C subtitles on/off · M sound · + − subtitle size"
        ),
    )
