"""The time estimate's wording (ready for the plan's estimate), in every sample language."""

from __future__ import annotations

import pytest

from screenkit.i18n import translator
from screenkit.i18n.estimate import alternative_line, duration_words, estimate_line


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (20, "under a minute"),
        (55 * 60, "55 min"),
        (3600, "1 h"),
        (3 * 3600 + 40 * 60, "3 h 40 min"),
    ],
)
def test_durations_in_words(seconds: float, words: str) -> None:
    assert duration_words(seconds, translator("en")) == words


def test_the_estimate_line_in_each_language() -> None:
    seconds = 3 * 3600 + 40 * 60
    assert estimate_line(seconds, "medium", translator("en")) == (
        "encoding the film: about 3 h 40 min at --speed medium"
    )
    assert estimate_line(seconds, "medium", translator("uk")) == (
        "кодування фільму: близько 3 год 40 хв з --speed medium"
    )
    assert estimate_line(seconds, "medium", translator("de")) == (
        "Kodieren des Films: etwa 3 Std. 40 min mit --speed medium"
    )
    assert alternative_line(55 * 60, "veryfast", translator("it")) == (
        "circa 55 min con --speed veryfast"
    )
    assert alternative_line(10, "veryfast", translator("pl")) == (
        "mniej niż minutę przy --speed veryfast"
    )
    assert estimate_line(30, "veryfast", translator("en")) == (
        "encoding the film: under a minute at --speed veryfast"
    )
