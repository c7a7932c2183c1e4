"""Copy to a USB stick from the app: a folder standing in for the stick, the refusals, the
page; the copy itself is `screenkit.stick` (tested there), read back before "ready"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

pytestmark = pytest.mark.slow


def test_a_copy_to_a_folder_is_read_back_before_it_is_ready(
    client: TestClient, built: dict[str, Any], app_kit: Path
) -> None:
    stick = app_kit.parent / "stick-copy"
    stick.mkdir(exist_ok=True)
    answer = client.post("/api/copies", json={"build": built["id"], "dest": str(stick)})
    assert answer.status_code == 201, answer.text
    job = answer.json()["id"]
    client.app.state.ctx.copies.wait(job)  # type: ignore[attr-defined]
    state = client.get(f"/api/copies/{job}", headers={"Accept-Language": "uk"}).json()
    assert state["state"] == "done" and state["verified"] is True, state
    assert state["files"] == built["files_checked"]
    copied = stick / Path(built["bundle"]).name
    assert state["folder"] == str(copied) and (copied / "manifest.json").is_file()
    assert state["shown"]["state"] == "Флешка готова"
    page = client.get(f"/copies/{job}", headers={"Accept-Language": "uk"}).text
    assert "перечитано з флешки" in page


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ({"build": "nope", "dest": "/tmp"}, "build"),
        ({"build": None, "dest": "/tmp"}, "body"),
        ({"dest": "/tmp"}, "body"),
    ],
)
def test_a_copy_needs_a_finished_build(client: TestClient, body: dict[str, Any], key: str) -> None:
    answer = client.post("/api/copies", json=body)
    assert answer.status_code == 400 and answer.json()["key"] == key


@pytest.mark.parametrize("dest", ["/etc", "/", "relative/folder", "/proc/self"])
def test_a_copy_goes_only_to_a_drive_or_a_folder_of_the_chooser(
    client: TestClient, built: dict[str, Any], dest: str
) -> None:
    answer = client.post("/api/copies", json={"build": built["id"], "dest": dest})
    assert answer.status_code == 400
    assert answer.json()["key"] == "dest"


def test_the_copy_page_lists_drives_and_browses_folders(
    client: TestClient, built: dict[str, Any], app_kit: Path
) -> None:
    assert "drives" in client.get(f"/api/drives?build={built['id']}").json()
    page = client.get(
        f"/builds/{built['id']}/copy", params={"dir": str(app_kit.parent)},
        headers={"Accept-Language": "uk"},
    )  # fmt: skip
    assert page.status_code == 200
    assert "Скопіювати в цю теку" in page.text
    refused = client.get(f"/builds/{built['id']}/copy", params={"dir": "/etc"}).text
    assert 'name="dest" value="/etc"' not in refused
    assert client.get("/builds/nope/copy").status_code == 404
