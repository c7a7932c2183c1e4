"""Escaping, measuring and wrapping the card's texts (no ffmpeg)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from screenkit.fonts import shipped_font
from screenkit.slides.text import WORD_JOINER, Measure, escape_ass, is_rtl, wrap


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("{\\b1}bold", "\\{\\" + WORD_JOINER + "b1\\}bold"),
        ("a\\Nb \\h c \\n", f"a\\{WORD_JOINER}Nb \\{WORD_JOINER}h c \\{WORD_JOINER}n"),
        ("100% 'single' \"double\": colon", "100% 'single' \"double\": colon"),
        ("}{", "\\}\\{"),
        ("\\{", f"\\{WORD_JOINER}\\{{"),
    ],
)
def test_escape_ass_makes_markup_literal(text: str, escaped: str) -> None:
    assert escape_ass(text) == escaped


def test_escape_ass_refuses_newlines() -> None:
    with pytest.raises(ValueError, match="one line"):
        escape_ass("two\nlines")


@given(st.text(alphabet=st.characters(blacklist_characters="\n\r"), max_size=60))
def test_escaped_text_holds_no_markup(text: str) -> None:
    escaped = escape_ass(text)
    # every brace is libass's literal \{ or \}; every other backslash is defused
    assert not re.search(r"(?<!\\)[{}]", escaped.replace("\\" + WORD_JOINER, ""))
    assert not re.search(r"\\[Nnh]", escaped)
    assert escaped.replace("\\" + WORD_JOINER, "\\").replace("\\{", "{").replace("\\}", "}") == text


def test_is_rtl_follows_the_first_strong_character() -> None:
    assert is_rtl("«هذا» film")
    assert is_rtl("123 שלום")
    assert not is_rtl("Film هذا")
    assert not is_rtl("123 ...")


def test_wrap_keeps_lines_within_width_and_paragraphs() -> None:
    measure = Measure(font=shipped_font(), fallbacks=(shipped_font(),), size=40)
    text = "One two three four five six seven eight nine ten.\n\nSecond paragraph here."
    lines = wrap(text, measure, 300)
    assert all(measure.width(line) <= 300 for line in lines)
    assert "" in lines
    assert " ".join(x for x in lines if x).replace("  ", " ") == text.replace("\n\n", " ")


def test_wrap_breaks_a_long_link_after_slashes() -> None:
    measure = Measure(font=shipped_font(), fallbacks=(shipped_font(),), size=40)
    link = "https://example.org/a-very-long/donation/path/for/the/collective"
    lines = wrap(link, measure, 400)
    assert len(lines) > 1
    assert "".join(lines) == link
    assert all(line.endswith(("/", "-", ".")) for line in lines[:-1])
    assert all(measure.width(line) <= 400 for line in lines)


def test_measure_tracks_what_libass_draws_bold_wider() -> None:
    regular = Measure(font=shipped_font(), fallbacks=(), size=50)
    bold = Measure(font=shipped_font(), fallbacks=(), size=50, bold=True)
    assert bold.width("Solidarity") > regular.width("Solidarity") > 0
    assert regular.width("ab") == pytest.approx(regular.width("a") + regular.width("b"))
    assert regular.width("a" + WORD_JOINER) == pytest.approx(regular.width("a"))
