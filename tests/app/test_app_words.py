"""Every page in it, uk, pl and de: no message of the app left in English on any of them."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from starlette.testclient import TestClient

from screenkit.i18n import translator

pytestmark = pytest.mark.slow
LANGUAGES = ("it", "uk", "pl", "de")


def _english_left(lang: str, page: str) -> list[str]:
    """Msgids of the app's catalogue that show untranslated in ``page``'s text."""
    from babel.messages.pofile import read_po

    from screenkit.i18n import LOCALE_DIR

    with (LOCALE_DIR / "app" / f"{lang}.po").open("rb") as fh:
        catalogue = read_po(fh, locale=lang)
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    text = re.sub(r"\s+", " ", text)
    for kit_text in ("Preparing a Screening", "Solidarity Collective (stand-in)"):
        text = text.replace(kit_text, " ")  # the kit's own words may be English
    left = []
    for message in catalogue:
        ids = (message.id,) if isinstance(message.id, str) else message.id
        strings = (message.string,) if isinstance(message.string, str) else message.string
        for msgid in ids:
            if not msgid or "{" in msgid or len(msgid) < 6 or msgid in strings:
                continue
            if re.search(rf"(?<![A-Za-z]){re.escape(msgid)}(?![A-Za-z])", text):
                left.append(msgid)
    return left


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_page_shows_the_apps_english(
    client: TestClient, built: dict[str, Any], lang: str
) -> None:
    job = built["id"]
    pages = [
        "/", "/kits", "/screening", "/helper?how=usb&usb=new", "/builds", f"/builds/{job}",
        f"/builds/{job}/copy", "/subtitles", "/subtitles/uk",
        "/check?lang=uk&preset=usb-player&venue=x&day=2026-03-14&time=20:30&outro=1",
        "/check?lang=uk&preset=nope", "/nowhere", "/download?lang=uk&preset=usb-player",
        "/download?lang=uk&preset=web&catalogue=http://example.org/",
    ]  # fmt: skip
    assert translator(lang).translated
    for path in pages:
        page = client.get(path, headers={"Accept-Language": lang}).text
        assert f'<html lang="{lang}">' in page, path
        assert _english_left(lang, page) == [], (lang, path)
