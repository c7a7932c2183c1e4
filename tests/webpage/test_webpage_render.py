"""The page as text: escaping, the CSP, the embedded cues, what it refuses (no browser)."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import pytest
from webpage_helpers import EVIL, LINK, TAGS, inputs, lines, webvtt

from screenkit.errors import ScreenkitError
from screenkit.webpage import (
    PageAppeal,
    PageTrack,
    WebPageError,
    native_name,
    page_cues,
    render_index_html,
    safe_cue_text,
    write_index_html,
)
from screenkit.webpage.render import DATA_ID, script_json


def _blocks(page: str, tag: str) -> list[str]:
    return re.findall(rf"<{tag}[^>]*>(.*?)</{tag}>", page, re.DOTALL)


def _data(page: str) -> dict[str, object]:
    found = re.search(rf'<script type="application/json" id="{DATA_ID}">(.*?)</script>', page, re.S)
    assert found
    data: dict[str, object] = json.loads(found.group(1))
    return data


def test_nothing_in_the_kit_texts_can_end_a_block_or_open_a_tag() -> None:
    page = render_index_html(inputs())
    assert page.lower().count("<script") == 2 and page.lower().count("</script>") == 2
    assert page.count("<title>") == 1 and page.count("</title>") == 1
    assert "<title>Preparing a &quot;Screening&quot; &lt;/title&gt;&lt;script&gt;" in page
    raw = re.search(rf'id="{DATA_ID}">(.*?)</script>', page, re.S)
    assert raw and not set("<>&") & set(raw.group(1))
    assert "&lt;b&gt;the kitchen&lt;/b&gt; &amp; rent" in page  # appeal text is text


def test_script_json_escapes_what_html_and_old_engines_would_read() -> None:
    text = script_json(["</script><!--", "a\u2028b\u2029c", "x & y"])
    assert text == '["\\u003c/script\\u003e\\u003c!--","a\\u2028b\\u2029c","x \\u0026 y"]'
    assert json.loads(text) == ["</script><!--", "a\u2028b\u2029c", "x & y"]


def test_csp_forbids_the_network_and_allows_only_the_inline_code_by_hash() -> None:
    page = render_index_html(inputs())
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page)
    assert meta
    policy = meta.group(1).replace("&#x27;", "'")
    assert policy.startswith("default-src 'none'; ")
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "connect-src" not in policy and "font-src" not in policy  # both fall back to none
    for tag, directive in (("style", "style-src"), ("script", "script-src")):
        body = _blocks(page, tag)[-1]
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"{directive} 'sha256-{digest}'" in policy
    assert "style=" not in page  # an inline style attribute would be blocked


def test_no_address_outside_the_page_but_the_appeal_link() -> None:
    page = render_index_html(inputs())
    found = set(re.findall(r"(?:https?:)?//[^\s\"'<>)]+", page))
    assert found == {LINK.replace("&", "&amp;")}


def test_file_names_are_url_escaped_relative_references() -> None:
    page = render_index_html(inputs(video="Film: a #1?.mp4", poster="card 'x'.png"))
    assert 'src="Film%3A%20a%20%231%3F.mp4"' in page
    assert 'poster="card%20%27x%27.png"' in page


def test_cues_are_embedded_per_track_with_the_screening_language_first_choice() -> None:
    data = _data(render_index_html(inputs()))
    tracks = data["tracks"]
    assert isinstance(tracks, list)
    assert [t["tag"] for t in tracks] == list(TAGS)
    assert [t["name"] for t in tracks] == [native_name(t) for t in TAGS]
    assert data["default"] == TAGS.index("uk")
    en = tracks[0]["cues"]
    assert [c[:2] for c in en] == [[ln.start, ln.end] for ln in lines("en")]
    assert en[1][2] == "&lt;script&gt;alert(1)&lt;/script&gt; and &lt;/script&gt; stay text"
    assert en[0][2] == "Welcome to the <i>screening</i>."
    assert EVIL not in json.dumps(data)


def test_a_screening_language_without_a_track_starts_with_subtitles_off() -> None:
    page = render_index_html(inputs(language="fi"))
    assert _data(page)["default"] == -1
    assert '<option value="off" selected>' in page


def test_given_native_names_win_and_unknown_tags_show_as_tags() -> None:
    tracks = (PageTrack("uk", webvtt("uk")), PageTrack("xx-Test", webvtt("de")))
    page = render_index_html(inputs(tracks=tracks, language_names={"uk": "Українська"}))
    names = [t["name"] for t in _data(page)["tracks"]]  # type: ignore[attr-defined]
    assert names == ["Українська", "xx-Test"]
    assert native_name("pt-BR") == "português (Brasil)" and native_name("PT") == "português"


@pytest.mark.parametrize(
    ("markup", "safe"),
    [
        ("<i>a</i> <b>b</b> <u>c</u>", "<i>a</i> <b>b</b> <u>c</u>"),
        ("<c.yellow.big>x</c>", "<c.yellow.big>x</c>"),
        ("<v Bob Smith>hi</v>", "<v Bob Smith>hi</v>"),
        ("<v.loud Ann>hi", "<v.loud Ann>hi"),
        ("<lang en-GB>colour</lang>", "<lang en-GB>colour</lang>"),
        ("<ruby>漢<rt>kan</rt></ruby>", "<ruby>漢<rt>kan</rt></ruby>"),
        ("a <00:00:01.500>b <01:00:00:02.000>c", "a <00:00:01.500>b &lt;01:00:00:02.000&gt;c"),
        ("<script>x</script>", "&lt;script&gt;x&lt;/script&gt;"),
        ('<img src=x onerror="alert(1)">', '&lt;img src=x onerror="alert(1)"&gt;'),
        ("<i onclick=x>a</i>", "&lt;i onclick=x&gt;a</i>"),
        ("3 < 4 > 2 & so", "3 &lt; 4 &gt; 2 &amp; so"),
        ("&amp; &lt; &nbsp; &#233; &#xE9; &bogus", "&amp; &lt; &nbsp; &#233; &#xE9; &amp;bogus"),
    ],
)
def test_cue_markup_keeps_only_webvtt_tags(markup: str, safe: str) -> None:
    assert safe_cue_text(markup) == safe


@pytest.mark.parametrize(
    ("over", "key"),
    [
        ({"video": "/media/film.mp4"}, "video"),
        ({"video": "../film.mp4"}, "video"),
        ({"video": "a/../../film.mp4"}, "video"),
        ({"video": ""}, "video"),
        ({"poster": "C:\\card.png"}, "poster"),
        ({"language": "not a tag"}, "language"),
        ({"tracks": (PageTrack("en", webvtt("en")), PageTrack("EN", webvtt("en")))}, "tracks"),
        ({"tracks": (PageTrack("e n", webvtt("en")),)}, "tracks"),
    ],
)
def test_inputs_escaping_cannot_make_safe_are_refused(over: dict[str, object], key: str) -> None:
    with pytest.raises(WebPageError) as err:
        inputs(**over)
    assert err.value.key == key and isinstance(err.value, ScreenkitError)


@pytest.mark.parametrize("link", ["javascript:alert(1)", "data:text/html,x", "example.org/x", ""])
def test_an_appeal_link_must_be_http(link: str) -> None:
    with pytest.raises(WebPageError) as err:
        PageAppeal("t", "x", "b", link)
    assert err.value.key == "appeal.link" and err.value.value == link


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("1\n00:00:01,000 --> 00:00:02,000\nan SRT file\n", "not WebVTT"),
        ("WEBVTT\n\n00:00:01.000 --> 00:00:0x.000\nx\n", "timing line not understood"),
        ("WEBVTT\n\nlost\nno timing here\n", "without a timing line"),
        ("WEBVTT\n\n00:00:03.000 --> 00:00:02.000\nbackwards\n", "ends before it starts"),
        ("WEBVTT\n\n00:00:61.000 --> 00:01:02.000\nx\n", "not a valid time"),
    ],
)
def test_a_track_that_is_not_clean_webvtt_is_an_error(text: str, says: str) -> None:
    with pytest.raises(WebPageError, match=says) as err:
        page_cues("pl", text)
    assert err.value.key == "tracks.pl"
    with pytest.raises(WebPageError):
        render_index_html(inputs(tracks=(PageTrack("pl", text),)))


def test_webvtt_header_blocks_ids_and_bom_are_read_as_browsers_read_them() -> None:
    text = (
        "\ufeffWEBVTT - made by hand\n\nSTYLE\n::cue { color: red }\n\nNOTE a comment\n\n"
        "intro\n00:01.000 --> 00:02.500 align:start\nline one\nline two\n\n"
        "00:00:03.000 --> 00:00:04.000\nsecond\n"
    )
    cues = page_cues("en", text)
    assert [(c.start, c.end, c.text) for c in cues] == [
        (1.0, 2.5, "line one\nline two"),
        (3.0, 4.0, "second"),
    ]


def test_the_page_is_written_whole_or_not_at_all(tmp_path: Path) -> None:
    out = tmp_path / "bundle" / "index.html"
    assert write_index_html(out, inputs()) == out
    before = out.read_bytes()
    assert before.decode() == render_index_html(inputs())
    bad = (PageTrack("en", "not webvtt"),)
    with pytest.raises(WebPageError):
        write_index_html(out, inputs(tracks=bad))
    assert out.read_bytes() == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["index.html"]


@pytest.mark.parametrize(
    ("lang", "direction"),
    [("uk", "ltr"), ("ar", "rtl"), ("fa-IR", "rtl"), ("ku-Arab", "rtl"), ("az-Latn", "ltr")],
)
def test_the_page_runs_in_the_screening_language_direction(lang: str, direction: str) -> None:
    page = render_index_html(inputs(language=lang))
    assert f'<html lang="{lang}" dir="{direction}">' in page


def test_inputs_and_errors_pickle_for_a_step_run_elsewhere() -> None:
    import pickle

    names = {"uk": "Українська"}
    given = inputs(language_names=names)
    names["uk"] = "changed"
    again = pickle.loads(pickle.dumps(given))
    assert again == given and again.language_names == {"uk": "Українська"}
    assert render_index_html(again) == render_index_html(given)
    err = pickle.loads(pickle.dumps(WebPageError("bad", key="video", value="x")))
    assert isinstance(err, WebPageError) and str(err) == "bad"
