"""One long line broken in two as the style guides ask: logical, balanced, no lone short word."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from screenkit.subtitles.linebreak import break_line


def test_a_line_that_fits_or_was_broken_by_the_translator_is_left_alone() -> None:
    assert break_line("Hyvää iltaa kaikille.", 42) == "Hyvää iltaa kaikille."
    mine = "Tämä rivi on translaattorin oma\nja se on pitkä mutta hänen valintansa tässä."
    assert break_line(mine, 42) == mine
    assert (
        break_line("Sanaonniinpitkäettäsitäeivoimitenkäänkatkaistamihinkään", 42).count("\n") == 0
    )


def test_the_break_goes_after_punctuation_when_it_is_near_the_middle() -> None:
    assert break_line("Thank you for organising this evening, and see you next time.", 42) == (
        "Thank you for organising this evening,\nand see you next time."
    )


def test_a_one_letter_word_never_ends_the_top_line() -> None:
    # Polish: "w" (in) and "i" (and) may not hang at the end of a line
    text = "Spotkaliśmy się w sali związku i rozmawialiśmy aż do rana."
    top, bottom = break_line(text, 42).split("\n")
    assert top.split()[-1] not in ("w", "i") and len(top) <= 42 and len(bottom) <= 42


def test_bottom_heavy_puts_the_shorter_line_on_top() -> None:
    text = "Tapasimme joka tiistai ammattiyhdistyksen salissa."
    top, bottom = break_line(text, 42, "bottom-heavy").split("\n")
    assert len(top) < len(bottom)


def test_tags_do_not_count_as_characters() -> None:
    text = "<i>Kolmesataa työläistä menetti työnsä yhdessä yössä.</i>"
    top, bottom = break_line(text, 42).split("\n")
    assert top.startswith("<i>") and bottom.endswith("</i>")


words = st.text(
    alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzäöåßąęłżśćńéèçñ,.!?"),
    min_size=1,
    max_size=12,
)


@given(st.lists(words, min_size=1, max_size=14), st.integers(min_value=20, max_value=60))
def test_breaking_keeps_every_word_and_fits_when_two_lines_can(
    parts: list[str], limit: int
) -> None:
    text = " ".join(parts)
    broken = break_line(text, limit)
    assert broken.replace("\n", " ") == text
    lines = broken.split("\n")
    assert len(lines) <= 2
    if len(text) <= limit:
        assert lines == [text]
    fitting = [
        k
        for k in range(1, len(parts))
        if len(" ".join(parts[:k])) <= limit and len(" ".join(parts[k:])) <= limit
    ]
    if len(lines) == 2 and fitting:
        assert all(len(line) <= limit for line in lines)
