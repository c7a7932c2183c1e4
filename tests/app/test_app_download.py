"""Download the ready bundle from the app (issue 24, point 4), in-process against a catalogue
published from the session's own build and served on 127.0.0.1 by a range-capable server:
listed in words, cancelled with nothing that looks whole, resumed, verified, its page the
build's, copied to a stick; the kit's own catalogue; refused addresses and catalogues; only
the fetched bundle's own files served."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient
from test_app_security import raw_get

from handover.handover_helpers import Served, site_server, tree
from screenkit.handover import publish
from screenkit.kit import load_kit

pytestmark = pytest.mark.slow
UK = {"Accept-Language": "uk"}
NAME = "sample-uk-usb-player"


@pytest.fixture(scope="module")
def site(built: dict[str, Any], app_kit: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's uk/usb-player bundle published as a catalogue (no other bundle)."""
    folder = tmp_path_factory.mktemp("app-site") / "site"
    publish(load_kit(app_kit), folder, names=[NAME])  # out/ may hold others' builds too
    catalogue = json.loads((folder / "catalogue.json").read_text(encoding="utf-8"))
    assert [b["name"] for b in catalogue["bundles"]] == [NAME]
    return folder


@pytest.fixture(scope="module")
def served(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with site_server(site, tmp_path_factory.mktemp("srv")) as server:
        yield server


def _manager(client: TestClient) -> Any:
    return client.app.state.ctx.manager  # type: ignore[attr-defined]


def _visible_dirs(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) if (
        folder.exists()
    ) else []  # fmt: skip


def test_a_catalogue_lists_what_it_offers_in_the_pages_words(
    client: TestClient, served: Served
) -> None:
    answer = client.get("/api/catalogue", params={"catalogue": served.url}, headers=UK)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["location"] == served.url and body["kit"] == "sample"
    (offered,) = body["bundles"]
    assert (offered["name"], offered["lang"], offered["preset"]) == (NAME, "uk", "usb-player")
    assert offered["shown"]["device"] == "Телевізор або проєктор, що відтворює з USB-флешки"
    assert offered["shown"]["language"] == "Українська"
    page = client.get(
        "/download", params={"lang": "uk", "preset": "usb-player", "catalogue": served.url},
        headers=UK,
    ).text  # fmt: skip
    assert "Завантажити (" in page and 'action="/api/downloads"' in page
    other = client.get(
        "/download", params={"lang": "it", "preset": "usb-player", "catalogue": served.url},
        headers=UK,
    ).text  # fmt: skip
    assert "немає готового пакета" in other and "preset=usb-player" in other


def test_a_cancelled_download_leaves_nothing_that_looks_whole(
    client: TestClient, site: Path, app_kit: Path, tmp_path: Path
) -> None:
    downloads = app_kit / "downloads"
    with site_server(site, tmp_path / "slow", "--rate", "400000") as slow:
        answer = client.post(
            "/api/downloads", json={"lang": "uk", "preset": "usb-player", "catalogue": slow.url}
        )
        assert answer.status_code == 201, answer.text
        job = answer.json()["id"]
        deadline = time.monotonic() + 60
        while client.get(f"/api/builds/{job}").json()["progress"] < 0.05:
            assert time.monotonic() < deadline, "the download did not start"
            time.sleep(0.1)
        state = client.get(f"/api/builds/{job}", headers=UK).json()
        assert state["kind"] == "download" and state["source"] == slow.url
        assert state["shown"]["state"] == "Завантаження пакета"
        assert client.post(f"/api/builds/{job}/cancel").json()["cancelled"] is True
        done = _manager(client).wait(job)
    assert done.state == "cancelled"
    state = client.get(f"/api/builds/{job}", headers=UK).json()
    assert state["shown"]["error"] == "Завантаження зупинено. Нічого схожого на пакет не лишилося."
    assert _visible_dirs(downloads) == []  # the parts wait, hidden, for the next download
    assert list((downloads / f".{NAME}.part-fetch").rglob(".*.part"))
    page = client.get(f"/builds/{job}", headers=UK).text
    assert "Завантажити ще раз" in page


def test_a_download_resumes_is_verified_and_its_page_is_a_builds(
    client: TestClient, served: Served, app_kit: Path, built: dict[str, Any]
) -> None:
    answer = client.post(
        "/api/downloads", json={"lang": "uk", "preset": "usb-player", "catalogue": served.url}
    )
    assert answer.status_code == 201, answer.text
    job = answer.json()["id"]
    snap = _manager(client).wait(job)
    assert snap.state == "done" and snap.verified, snap.error
    folder = app_kit / "downloads" / NAME
    assert snap.bundle == folder and tree(folder) == tree(Path(built["bundle"]))
    assert _visible_dirs(app_kit / "downloads") == [NAME]
    assert not (app_kit / "downloads" / f".{NAME}.part-fetch").exists()
    assert any(r["range"] for r in served.requests())  # went on where the cancel stopped
    state = client.get(f"/api/builds/{job}", headers=UK).json()
    assert state["files_checked"] == built["files_checked"] and state["verified"] is True
    assert state["shown"]["steps"] == [
        {"name": "Завантаження пакета", "state": "готово"},
        {"name": "Перевірка кожного файлу пакета", "state": "готово"},
    ]
    page = client.get(f"/builds/{job}", headers=UK).text
    assert "усе таке, як було зібрано" in page and "Завантажено за" in page
    assert "з попереднього, зупиненого завантаження" in page
    assert client.get(f"/files/{job}/manifest.json").json()["bundle"]

    stick = app_kit.parent / "stick-download"
    stick.mkdir(exist_ok=True)
    copy = client.post("/api/copies", json={"build": job, "dest": str(stick)})
    assert copy.status_code == 201, copy.text
    copied = client.app.state.ctx.copies.wait(copy.json()["id"])  # type: ignore[attr-defined]
    assert copied.state == "done" and copied.report.verified
    assert tree(stick / NAME) == tree(folder)


def test_the_kits_own_catalogue_is_offered_and_a_bundle_there_is_only_checked(
    client: TestClient, served: Served, app_kit: Path
) -> None:
    manifest = app_kit / "screenkit.toml"
    before = manifest.read_text(encoding="utf-8")
    try:
        manifest.write_text(
            before.replace("[kit]\n", f'[kit]\ncatalogue = "{served.url}"\n', 1), encoding="utf-8"
        )
        page = client.get("/download?lang=uk&preset=usb-player", headers=UK).text
        assert served.url in page and "Завантажити (" in page
        answer = client.post("/api/downloads", json={"lang": "uk", "preset": "usb-player"})
        assert answer.status_code == 201, answer.text
        snap = _manager(client).wait(answer.json()["id"])
        assert snap.state == "done" and snap.verified and snap.source == served.url
        text = client.get(f"/builds/{snap.id}", headers=UK).text
        assert "Його вже було завантажено: його лише перевірено ще раз." in text
    finally:
        manifest.write_text(before, encoding="utf-8")


@pytest.fixture(scope="module")
def bad_site(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The catalogue with one file's path climbing out of its bundle (``..``)."""
    folder = tmp_path_factory.mktemp("bad-site")
    catalogue = json.loads((site / "catalogue.json").read_text(encoding="utf-8"))
    catalogue["bundles"][0]["files"][0]["path"] = f"{NAME}/../../../etc/passwd"
    (folder / "catalogue.json").write_text(json.dumps(catalogue), encoding="utf-8")
    with site_server(folder, tmp_path_factory.mktemp("bad-srv")) as server:
        yield server


@pytest.mark.parametrize(
    ("body", "key", "shown"),
    [
        (
            {"catalogue": "http://example.org/site/"},
            "catalogue",
            "Цю адресу не можна використати: пакети надходять з адреси https:// "
            "(або http:// на цьому комп'ютері).",
        ),
        ({"catalogue": "ftp://127.0.0.1/site/"}, "catalogue", None),
        ({"catalogue": "file:///etc/"}, "catalogue", None),
        ({"catalogue": "BAD"}, "bundles[0].files[0].path", "Цьому каталогу не можна довіряти"),
        ({"lang": "it"}, "preset", "У каталозі немає готового пакета для цієї мови й пристрою."),
        ({"lang": "fi"}, "--lang", None),
        ({"catalogue": None}, "catalogue", "Набір не називає каталогу."),
        ({"catalogue": 5}, "catalogue", None),
    ],
)
def test_a_download_the_app_will_not_make_is_refused_in_words(
    client: TestClient,
    served: Served,
    bad_site: Served,
    app_kit: Path,
    body: dict[str, Any],
    key: str,
    shown: str | None,
) -> None:
    sent = {"lang": "uk", "preset": "usb-player", "catalogue": served.url, **body}
    if sent["catalogue"] == "BAD":
        sent["catalogue"] = bad_site.url
    if sent["catalogue"] is None:
        del sent["catalogue"]
    before = sorted(p.name for p in (app_kit / "downloads").iterdir())
    jobs = len(_manager(client).all())
    answer = client.post("/api/downloads", json=sent, headers=UK)
    assert answer.status_code == 400, answer.text
    assert answer.json()["key"] == key and answer.json()["error"]
    if shown is not None:
        assert answer.json()["shown"]["error"].startswith(shown)
    assert sorted(p.name for p in (app_kit / "downloads").iterdir()) == before
    assert len(_manager(client).all()) == jobs


def test_a_bad_catalogue_on_the_page_is_said_in_words(client: TestClient, bad_site: Served) -> None:
    page = client.get(
        "/download", params={"lang": "uk", "preset": "usb-player", "catalogue": bad_site.url},
        headers=UK,
    )  # fmt: skip
    assert page.status_code == 200
    assert "Цьому каталогу не можна довіряти" in page.text and "../../../etc/passwd" in page.text
    assert 'action="/api/downloads"' not in page.text


@pytest.mark.parametrize(
    "tail",
    [b"../../screenkit.toml", b"..%2F..%2Fscreenkit.toml", b"../secret.txt", b".hidden",
     b"%2e%2e/secret.txt", b"/etc/passwd"],
)  # fmt: skip
def test_only_the_fetched_bundles_own_files_are_served(
    client: TestClient, served: Served, app_kit: Path, tail: bytes
) -> None:
    answer = client.post(
        "/api/downloads", json={"lang": "uk", "preset": "usb-player", "catalogue": served.url}
    )
    job = answer.json()["id"]
    assert _manager(client).wait(job).state == "done"
    (app_kit / "downloads" / "secret.txt").write_text("not the bundle's", encoding="utf-8")
    (app_kit / "downloads" / NAME / ".hidden").write_text("not listed", encoding="utf-8")
    try:
        assert raw_get(client, f"/files/{job}/manifest.json".encode()) == 200
        assert raw_get(client, f"/files/{job}/".encode() + tail) in (400, 404), tail
    finally:
        (app_kit / "downloads" / "secret.txt").unlink()
        (app_kit / "downloads" / NAME / ".hidden").unlink()


def test_the_screening_page_offers_the_download_beside_the_build(client: TestClient) -> None:
    page = client.get("/screening", headers=UK).text
    assert 'formaction="/download"' in page and "Або завантажити готовий" in page
    check = client.get("/check?lang=uk&preset=usb-player", headers=UK).text
    assert 'href="/download?lang=uk&amp;preset=usb-player' in check
