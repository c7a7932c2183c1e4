"""Wording for the build's time estimate, ready for the plan's estimate (issue 10, item 5).

Data only for now: the estimate itself is made elsewhere. `estimate_line` renders one in a
`Translator`'s language, with Babel's plural rules for hours and minutes.
"""

from __future__ import annotations

from screenkit.i18n import Translator


def duration_words(seconds: float, tr: Translator) -> str:
    """``3 h 40 min``; under an hour ``55 min``; under a minute ``under a minute``."""
    minutes = round(seconds / 60)
    if minutes < 1:
        return tr.gettext("under a minute")
    hours, rest = divmod(minutes, 60)
    if hours == 0:
        return tr.gettext("{minutes} min").format(minutes=rest)
    if rest == 0:
        return tr.gettext("{hours} h").format(hours=hours)
    return tr.gettext("{hours} h {minutes} min").format(hours=hours, minutes=rest)


def estimate_line(seconds: float, speed: str, tr: Translator) -> str:
    """The estimate: ``encoding the film: about 3 h 40 min at --speed medium``."""
    if round(seconds / 60) < 1:
        return tr.gettext("encoding the film: under a minute at --speed {speed}").format(
            speed=speed
        )
    return tr.gettext("encoding the film: about {time} at --speed {speed}").format(
        time=duration_words(seconds, tr), speed=speed
    )


def alternative_line(seconds: float, speed: str, tr: Translator) -> str:
    """The other speed's figure, ``about 55 min at --speed veryfast``, for brackets."""
    if round(seconds / 60) < 1:
        return tr.gettext("under a minute at --speed {speed}").format(speed=speed)
    return tr.gettext("about {time} at --speed {speed}").format(
        time=duration_words(seconds, tr), speed=speed
    )
