"""The Subtitles page: a track's check in words, its sync to the film in words, a synced
track saved beside the original, never over it."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from screenkit.app.subspages import _output_for

pytestmark = pytest.mark.slow
UK = {"Accept-Language": "uk"}


def test_the_tracks_and_their_check_in_the_pages_language(client: TestClient) -> None:
    listing = client.get("/subtitles", headers=UK).text
    assert "Українська" in listing and "uk.srt" in listing
    page = client.get("/subtitles/uk", headers=UK).text
    assert "Перевірка" in page
    assert "Синхронізувати з фільмом" in page
    assert client.get("/subtitles/fi", headers=UK).status_code == 404


def test_a_sync_says_what_it_found_and_never_writes_over_the_track(
    client: TestClient, app_kit: Path
) -> None:
    original = app_kit / "subtitles" / "en.srt"
    before = hashlib.sha256(original.read_bytes()).hexdigest()
    answer = client.post("/subtitles/en/sync", follow_redirects=False)
    assert answer.status_code == 303
    page = client.get("/subtitles/en", headers=UK).text
    assert "Субтитри пересунуто" in page or "вже були синхронні" in page
    assert "упевненість:" in page
    saved = sorted((app_kit / "subtitles").glob("en.synced*.srt"))
    if "результат не збережено" in page:  # below the confidence threshold: nothing written
        assert saved == []
    else:
        assert [p.name for p in saved] == ["en.synced.srt"] and "Збережено як" in page
        saved[0].unlink()
    assert hashlib.sha256(original.read_bytes()).hexdigest() == before
    assert client.get("/subtitles/en/plot.png").headers["content-type"] == "image/png"


def test_a_synced_track_takes_a_free_name_beside_the_original(tmp_path: Path) -> None:
    track = tmp_path / "uk.srt"
    track.write_text("1\n00:00:01,000 --> 00:00:02,000\nТак\n", encoding="utf-8")
    assert _output_for(track) == tmp_path / "uk.synced.srt"
    (tmp_path / "uk.synced.srt").write_text("", encoding="utf-8")
    assert _output_for(track) == tmp_path / "uk.synced-2.srt"
    (tmp_path / "uk.synced-2.srt").write_text("", encoding="utf-8")
    assert _output_for(track) == tmp_path / "uk.synced-3.srt"
