"""The Subtitles page's tools for translators (issue 23, point 5), in-process: a catalogue
started from the original and merged when started again, a filled-in catalogue brought back
into a track timed like the original (the old one kept as .bak, the untranslated cues
listed in words), the comparison with the film's frames and its full report, and every
kind of upload the app refuses without writing anything."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pysubs2
import pytest
from babel.messages.pofile import read_po, write_po
from starlette.testclient import TestClient

pytestmark = pytest.mark.slow
UK = {"Accept-Language": "uk"}
PAGE = {**UK, "Accept": "text/html"}
FINNISH = {
    "Welcome. Tonight we show a film together.":
        "Tervetuloa. Tänään katsomme elokuvan yhdessä.",
    "Count the chairs. Open a window.\nMake tea.":
        "Laskekaa tuolit. Avatkaa ikkuna.\nKeittäkää teetä.",
}  # fmt: skip


def filled(po: bytes, translations: dict[str, str], *, lang: str | None = None) -> bytes:
    """The catalogue with ``translations`` (msgid → msgstr) filled in, as a PO editor would."""
    catalog = read_po(io.BytesIO(po))
    for message in catalog:
        if message.id in translations:
            message.string = translations[str(message.id)]
    if lang is not None:
        catalog.locale = lang
    out = io.BytesIO()
    write_po(out, catalog, width=0)
    return out.getvalue()


def _visible(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


@pytest.fixture(scope="module")
def finnish(session_client: TestClient, app_kit: Path) -> bytes:
    """``subtitles/fi.po`` started from the page: the catalogue as the page offers it."""
    answer = session_client.post(
        "/subtitles/translations", data={"lang": "fi"}, headers=PAGE, follow_redirects=False
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/subtitles/translations/fi"
    got = session_client.get("/subtitles/translations/fi/catalogue.po")
    assert got.status_code == 200
    assert got.headers["content-type"] == "text/x-gettext-translation; charset=utf-8"
    assert got.headers["content-disposition"] == 'attachment; filename="fi.po"'
    assert got.content == (app_kit / "subtitles" / "fi.po").read_bytes()
    return got.content


def test_a_new_language_starts_as_a_catalogue_beside_the_track(
    client: TestClient, finnish: bytes, app_kit: Path
) -> None:
    assert b'"Language: fi\\n"' in finnish and b'msgid "Welcome. Tonight' in finnish
    # the notes for the translator in the page's language (screenkit speaks no Finnish)
    assert "# Перекладіть кожен msgstr" in finnish.decode()
    if shutil.which("msgfmt"):
        checked = subprocess.run(
            ["msgfmt", "--check", "-o", "/dev/null", str(app_kit / "subtitles" / "fi.po")],
            capture_output=True, text=True,
        )  # fmt: skip
        assert checked.returncode == 0, checked.stderr
    listing = client.get("/subtitles", headers=UK).text
    assert 'href="/subtitles/translations/fi"' in listing and "fi.po" in listing
    assert '<option value="fi" lang="fi">Suomi</option>' in listing
    page = _visible(client.get("/subtitles/translations/fi", headers=UK).text)
    assert "Suomi" in page and "Завантажити fi.po" in page


def test_starting_again_merges_and_keeps_the_translations(
    client: TestClient, finnish: bytes, app_kit: Path
) -> None:
    po = app_kit / "subtitles" / "fi.po"
    before = po.read_bytes()
    try:
        po.write_bytes(filled(before, {"Make tea.": "x"} | FINNISH))
        again = client.post("/subtitles/translations", data={"lang": "fi"}, headers=PAGE)
        assert again.status_code == 200
        kept = {m.id: m.string for m in read_po(io.BytesIO(po.read_bytes())) if m.id}
        assert (
            kept["Welcome. Tonight we show a film together."]
            == FINNISH["Welcome. Tonight we show a film together."]
        )
        assert "Перекладено: 2 з 15" in _visible(again.text)
    finally:
        po.write_bytes(before)


def test_a_filled_catalogue_becomes_a_track_timed_like_the_original(
    client: TestClient, finnish: bytes, app_kit: Path
) -> None:
    folder = app_kit / "subtitles"
    sent = filled(finnish, FINNISH)
    answer = client.post(
        "/subtitles/translations/upload",
        files={"po": ("fi (1).po", sent, "text/x-gettext-translation")},
        headers=PAGE,
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == "/subtitles/translations/fi#import"
    assert (folder / "fi.po").read_bytes() == sent
    assert (folder / "fi.po.bak").read_bytes() == finnish  # the catalogue it replaced
    track = pysubs2.load(str(folder / "fi.srt"))
    original = pysubs2.load(str(folder / "en.srt"))
    # the first is broken in two: Finnish lines hold 42 characters, it has 46
    assert [e.plaintext.replace("\n", " ") for e in track] == [
        t.replace("\n", " ") for t in FINNISH.values()
    ]
    timed = {e.plaintext: (e.start, e.end) for e in original}
    assert [(e.start, e.end) for e in track] == [timed[k] for k in FINNISH]
    page = _visible(client.get("/subtitles/translations/fi", headers=UK).text)
    assert "Доріжка fi.srt містить 2 з 15 субтитрів." in page
    assert "1 рядок, довший за ліміт (42 зн.), розбито на два." in page
    assert "13 субтитрів ще не перекладено: їх немає в доріжці." in page
    assert "субтитр 2 · 00:00:06,400 Before the doors open, / we test everything once." in page

    again = client.post(
        "/subtitles/translations/upload", files={"po": ("fi.po", sent)}, headers={**UK}
    )
    assert again.status_code == 201 and again.json()["backup"] == str(folder / "fi.srt.bak")
    assert (folder / "fi.srt.bak").read_bytes() == (folder / "fi.srt").read_bytes()
    (folder / "fi.srt.bak").unlink()


def test_the_comparison_shows_the_flagged_cues_on_the_films_frames(
    client: TestClient, finnish: bytes, app_kit: Path
) -> None:
    client.post("/subtitles/translations/upload", files={"po": ("fi.po", filled(finnish, FINNISH))})
    answer = client.post("/subtitles/translations/fi/compare", headers=PAGE, follow_redirects=False)
    assert answer.status_code == 303
    page = client.get("/subtitles/translations/fi", headers=UK).text
    text = _visible(page)
    assert "13 помилок" in text and "Бракує субтитру" in text  # compare's words, in uk
    assert "Час зсунуто" not in text  # each translated cue beside its own original
    frames = re.findall(r'src="(/subtitles/translations/fi/frames/(\d+)\.jpg)"', page)
    assert len(frames) == 13  # one for each missing cue
    picture = client.get(frames[0][0])
    assert picture.headers["content-type"] == "image/jpeg" and picture.content[:2] == b"\xff\xd8"
    assert client.get("/subtitles/translations/fi/frames/9999.jpg").status_code == 404
    report = client.get("/subtitles/translations/fi/report", headers=UK)
    policy = report.headers["content-security-policy"]
    assert policy.startswith("default-src 'none'; style-src 'sha256-")
    assert "img-src data:;" in policy and "'self'" not in policy and "script" not in policy
    assert '<html lang="uk">' in report.text and "data:image/jpeg;base64," in report.text
    assert client.get("/subtitles/translations/de/report").status_code == 404


def _po_with(finnish: bytes, header: str) -> bytes:
    """The catalogue filled in, its ``Language`` header line replaced by ``header``."""
    text = filled(finnish, FINNISH).decode()
    assert '"Language: fi\\n"\n' in text
    return text.replace('"Language: fi\\n"\n', header).encode()


@pytest.mark.parametrize(
    ("name", "key", "shown"),
    [
        ("garbage", "po", "Цей файл не підходить як перекладений каталог."),
        ("too large", "po", "Цей файл не підходить як перекладений каталог."),
        ("no file", "po", "Цей файл не підходить як перекладений каталог."),
        ("not a form", "po", "Цей файл не підходить як перекладений каталог."),
        ("unknown language", "lang", "«xx» — не код мови, який знає застосунок."),
        ("a name the kit refuses", "name", "«con» не можна використати як назву."),
        ("the original's language", "lang", "English — мова оригіналу: перекладати нема чого."),
        ("no language", "lang", "Каталог не каже, якою він мовою."),
        ("another language", "lang", "Цей каталог іншою мовою: Suomi."),
        ("nothing translated", "po", "У цьому каталозі ще не перекладено жодного субтитру."),
    ],
)
def test_an_upload_the_app_cannot_take_is_refused_and_writes_nothing(
    client: TestClient, finnish: bytes, app_kit: Path, name: str, key: str, shown: str
) -> None:
    bodies = {
        "garbage": {"files": {"po": ("fi.po", b"\x00\x01 not a catalogue at all")}},
        "too large": {"files": {"po": ("fi.po", b"#" * (5 * 1024 * 1024 + 1))}},
        "no file": {"data": {"lang": "fi"}, "files": {"other": ("x.txt", b"x")}},
        "not a form": {"json": {"po": finnish.decode()}},
        "unknown language": {"files": {"po": ("x.po", _po_with(finnish, '"Language: xx\\n"\n'))}},
        "a name the kit refuses": {
            "files": {"po": ("x.po", _po_with(finnish, '"Language: con\\n"\n'))}
        },
        "the original's language": {
            "files": {"po": ("x.po", _po_with(finnish, '"Language: en\\n"\n'))}
        },
        "no language": {"files": {"po": ("x.po", _po_with(finnish, ""))}},
        "another language": {
            "data": {"lang": "sv"},
            "files": {"po": ("fi.po", filled(finnish, FINNISH))},
        },
        "nothing translated": {"files": {"po": ("fi.po", finnish)}},
    }
    folder = app_kit / "subtitles"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    answer = client.post("/subtitles/translations/upload", headers=UK, **bodies[name])  # type: ignore[arg-type]
    assert answer.status_code == 400, answer.text
    body = answer.json()
    assert body["key"] == key and body["error"]  # the CLI's words
    assert body["shown"]["error"] == shown
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_a_refused_upload_from_the_page_is_a_page_in_words(
    client: TestClient, finnish: bytes
) -> None:
    answer = client.post(
        "/subtitles/translations/upload",
        data={"lang": "fi"},
        files={"po": ("fi.po", b"garbage")},
        headers=PAGE,
    )
    assert answer.status_code == 400 and '<html lang="uk">' in answer.text
    text = _visible(answer.text)
    assert "Цей файл не підходить як перекладений каталог." in text
    assert "is not a gettext catalogue" in text  # the CLI's words, in the details


@pytest.mark.parametrize("lang", ["xx", "en", "con", "../fi", "FI", ""])
def test_a_language_the_kit_cannot_hold_is_not_started(
    client: TestClient, app_kit: Path, lang: str
) -> None:
    before = sorted(p.name for p in (app_kit / "subtitles").iterdir())
    answer = client.post("/subtitles/translations", data={"lang": lang}, headers=UK)
    if lang == "FI":  # another spelling of Finnish: the catalogue is fi.po, as above
        assert answer.status_code == 201
        return
    assert answer.status_code == 400 and answer.json()["key"] in ("lang", "name")
    assert sorted(p.name for p in (app_kit / "subtitles").iterdir()) == before


def test_a_catalogue_linking_out_of_the_kit_is_not_served(
    client: TestClient, app_kit: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.po"
    secret.write_text('msgid ""\nmsgstr ""\n', encoding="utf-8")
    link = app_kit / "subtitles" / "sv.po"
    link.symlink_to(secret)
    try:
        assert client.get("/subtitles/translations/sv/catalogue.po").status_code == 404
    finally:
        link.unlink()


@pytest.mark.parametrize("path", ["xx", "con", "en", "FI", "sv", "uk/..", "fi%2F.."])
def test_only_the_kits_translations_have_a_page_and_files(client: TestClient, path: str) -> None:
    assert client.get(f"/subtitles/translations/{path}").status_code in (400, 404)
    assert client.get(f"/subtitles/translations/{path}/catalogue.po").status_code in (400, 404)
    assert client.get(f"/subtitles/translations/{path}/frames/0.jpg").status_code in (400, 404)


@pytest.mark.parametrize("lang", ["it", "uk", "pl", "de"])
def test_the_translators_pages_show_none_of_the_apps_english(
    client: TestClient, finnish: bytes, lang: str
) -> None:
    from test_app_words import _english_left

    client.post("/subtitles/translations/upload", files={"po": ("fi.po", filled(finnish, FINNISH))})
    client.post("/subtitles/translations/fi/compare")
    for path in ("/subtitles", "/subtitles/translations/fi"):
        page = client.get(path, headers={"Accept-Language": lang}).text
        assert f'<html lang="{lang}">' in page
        # the original's subtitles are English: marked so, and not the app's words
        page = re.sub(r'<(span|p)\b[^>]*\blang="en"[^>]*>.*?</\1>', " ", page, flags=re.S)
        assert _english_left(lang, page) == [], (lang, path)
