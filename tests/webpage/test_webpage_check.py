"""`check_page`: what ``verify`` learns about a bundle's index.html."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from webpage_helpers import POSTER_NAME, TAGS, VIDEO_NAME, inputs, lines, webvtt

from screenkit.subtitles.webvtt import read_cues
from screenkit.webpage import PageTrack, check_page, write_index_html


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    (tmp_path / VIDEO_NAME).write_bytes(b"\0" * 16)
    (tmp_path / POSTER_NAME).write_bytes(b"\0" * 16)
    write_index_html(tmp_path / "index.html", inputs())
    return tmp_path


def _sidecar_counts() -> dict[str, int]:
    """What verify compares with: the cue count of each sidecar, read independently."""
    return {tag: len(read_cues(webvtt(tag))[0]) for tag in TAGS}


def _kinds(problems: list[object]) -> list[tuple[str, str | None]]:
    return [(p.kind, p.lang) for p in problems]  # type: ignore[attr-defined]


def test_a_good_page_has_no_problem(bundle: Path) -> None:
    assert _sidecar_counts() == {tag: len(lines(tag)) for tag in TAGS}
    assert check_page(bundle / "index.html", _sidecar_counts()) == []


def test_a_missing_page(tmp_path: Path) -> None:
    problems = check_page(tmp_path / "index.html", {"en": 3})
    assert _kinds(problems) == [("missing", None)]
    assert "index.html is missing" in problems[0].message


def test_missing_extra_and_short_tracks(bundle: Path) -> None:
    expected = {**_sidecar_counts(), "fi": 4, "pl": 7}
    del expected["de"]
    problems = check_page(bundle / "index.html", expected)
    assert sorted(_kinds(problems)) == [
        ("cue-count", "pl"),
        ("extra-track", "de"),
        ("missing-track", "fi"),
    ]
    assert "the page's pl track has 3 cues, its sidecar 7" in [p.message for p in problems]


def test_a_page_whose_film_or_card_is_not_beside_it(bundle: Path) -> None:
    (bundle / VIDEO_NAME).unlink()
    (bundle / POSTER_NAME).unlink()
    problems = check_page(bundle / "index.html", _sidecar_counts())
    assert _kinds(problems) == [("video", None), ("poster", None)]
    assert VIDEO_NAME in problems[0].message


def test_a_page_that_is_not_the_screening_page(bundle: Path) -> None:
    (bundle / "index.html").write_text("<!doctype html><p>hello</p>")
    assert _kinds(check_page(bundle / "index.html", {"en": 3})) == [("no-tracks", None)]
    (bundle / "index.html").write_bytes(b"\xff\xfe\x00bad")
    assert _kinds(check_page(bundle / "index.html", {"en": 3})) == [("unreadable", None)]


def test_a_page_with_damaged_data_or_without_its_policy(bundle: Path, tmp_path: Path) -> None:
    page = bundle / "index.html"
    text = page.read_text()
    page.write_text(text.replace('{"version"', '{"versio', 1))
    assert _kinds(check_page(page, {"en": 3})) == [("no-tracks", None)]
    page.write_text(text.replace("default-src &#x27;none&#x27;; ", ""))
    assert _kinds(check_page(page, _sidecar_counts())) == [("csp", None)]


def test_an_empty_track_counts_zero(tmp_path: Path) -> None:
    shutil.copyfile(__file__, tmp_path / VIDEO_NAME)
    write_index_html(
        tmp_path / "index.html", inputs(tracks=(PageTrack("en", "WEBVTT\n"),), poster=None)
    )
    assert check_page(tmp_path / "index.html", {"en": 0}) == []
    assert _kinds(check_page(tmp_path / "index.html", {"en": 2})) == [("cue-count", "en")]
