"""The JSON API the page uses: the kit, the presets, builds (refused, queued, cancelled,
done, the same bundle as ``screenkit build``), the event stream, errors in words."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from screenkit.app.choice import BuildChoice
from screenkit.app.words import best_language, duration, explain, size
from screenkit.diskspace import NotEnoughSpace
from screenkit.i18n import translator
from support import run_cli

pytestmark = pytest.mark.slow


def test_the_kit(client: TestClient, app_kit: Path) -> None:
    kit = client.get("/api/kit").json()
    assert kit["name"] == "sample" and kit["root"] == str(app_kit)
    assert [lang["tag"] for lang in kit["languages"]] == ["en", "it", "uk", "pl", "de"]
    assert (
        kit["film"]["found"] and kit["film"]["width"] == 320 and kit["film"]["shape"] == "landscape"
    )
    assert kit["film"]["duration"] > 59
    assert kit["appeal"]["stand_in"] is True
    assert {"code": "placeholder", "params": {"n": 1}, "blocking": False} in kit["issues"]


def test_the_presets_in_the_pages_language(client: TestClient) -> None:
    found = client.get("/api/presets", headers={"Accept-Language": "uk"}).json()["presets"]
    by_name = {p["preset"]: p for p in found}
    assert by_name["usb-player"]["title"] == "Флешка в телевізорі чи проєкторі"
    assert by_name["usb-player"]["kind"] == "usb"
    assert by_name["dvd-pal"]["kind"] == "dvd" and by_name["divx"]["kind"] == "usb-dvd"
    fi = by_name["usb-player-fi"]  # the kit's own: its text, the standard one it extends
    assert fi["standard"] is False and fi["kind"] == "usb"
    assert fi["based_on"] == "Флешка в телевізорі чи проєкторі"
    assert found[0]["preset"] == "usb-player" and found[-1]["preset"] == "archive"


def _cli_error(app_kit: Path, *args: str) -> str:
    code, _, err = run_cli("build", "--kit", str(app_kit), "--dry-run", *args)
    assert code == 1, err
    return err.splitlines()[0].removeprefix("Error: ")


@pytest.mark.parametrize(
    ("body", "cli"),
    [
        ({"lang": "fi", "preset": "usb-player"}, ("--preset", "usb-player", "--lang", "fi")),
        ({"lang": "uk", "preset": "nope"}, ("--preset", "nope", "--lang", "uk")),
        ({"lang": "uk", "preset": "../x"}, ("--preset", "../x", "--lang", "uk")),
    ],
)
def test_a_refused_choice_is_a_400_in_the_clis_words(
    client: TestClient, app_kit: Path, body: dict[str, str], cli: tuple[str, ...]
) -> None:
    answer = client.post("/api/builds", json=body, headers={"Accept-Language": "uk"})
    assert answer.status_code == 400
    refused = answer.json()
    assert refused["error"] == _cli_error(app_kit, *cli)
    assert set(refused) >= {"error", "hint", "shown"}
    shown = refused["shown"]["error"]
    assert not any(word in shown for word in ("not", "the", "preset")), shown  # Ukrainian


@pytest.mark.parametrize(
    ("body", "key"),
    [
        (b"{not json", "body"),
        (b"[1, 2]", "body"),
        (b'{"lang": "uk"}', "preset"),
        (b'{"lang": 7, "preset": "web"}', "lang"),
        (b'{"lang": "uk", "preset": "web", "venue": "a\\nb"}', "venue"),
        (b'{"lang": "uk", "preset": "web", "outro": 9999}', "outro"),
        (b'{"lang": "uk", "preset": "web", "burn": "uk"}', "burn"),
    ],
)
def test_a_malformed_request_is_a_400_naming_the_field(
    client: TestClient, body: bytes, key: str
) -> None:
    answer = client.post("/api/builds", content=body, headers={"Content-Type": "application/json"})
    assert answer.status_code == 400
    assert answer.json()["key"] == key
    assert answer.json()["error"]


def test_a_finished_build(client: TestClient, built: dict[str, Any]) -> None:
    assert built["state"] == "done" and built["progress"] == 1.0
    assert built["verified"] is True and built["error"] is None
    assert built["files_checked"] >= 10 and built["problems"] == []
    bundle = Path(built["bundle"])
    assert (bundle / "manifest.json").is_file() and bundle.name == "sample-uk-usb-player"
    assert {s["kind"] for s in built["steps"]} >= {"film", "card", "clip", "sheet", "manifest"}
    assert all(s["state"] in ("done", "cached") for s in built["steps"])
    page = client.get(f"/builds/{built['id']}", headers={"Accept-Language": "uk"}).text
    files = built["files_checked"]
    assert f"Перевірено {files} файл" in page  # "13 files checked", in Ukrainian
    assert client.get(f"/files/{built['id']}/images/card.png").status_code == 200


def test_the_app_and_the_cli_make_the_same_bundle(
    client: TestClient, built: dict[str, Any], app_kit: Path
) -> None:
    code, out, err = run_cli(
        "build", "--kit", str(app_kit), "--preset", "usb-player", "--lang", "uk",
        "--speed", "ultrafast", "--dry-run", "--json",
    )  # fmt: skip
    assert code == 0, err
    plan = json.loads(out)
    assert [b["up_to_date"] for b in plan["bundles"]] == [True]
    assert plan["bundles"][0]["folder"] == built["bundle"]
    assert {s["state"] for s in plan["steps"]} <= {"cached", "always runs"}
    keys = {s["key"] for s in plan["steps"] if s["key"]}
    ctx = client.app.state.ctx  # type: ignore[attr-defined]
    view = ctx.view()
    again = ctx.manager.preview(view.kit, BuildChoice(lang="uk", preset="usb-player"))
    assert again.up_to_date and again.steps_total == 0
    manifest = json.loads((Path(built["bundle"]) / "manifest.json").read_text("utf-8"))
    recorded = json.dumps(manifest)
    film_keys = [k for k in keys if k in recorded]
    assert film_keys, "the manifest names the steps' cache keys the CLI plans"


def _events(client: TestClient, job_id: str, until: float) -> list[dict[str, Any]]:
    """The build's events until its progress passes ``until`` (or it ends)."""
    seen = []
    with client.stream("GET", f"/api/builds/{job_id}/events") as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        for line in stream.iter_lines():
            if line.startswith("data: "):
                state = json.loads(line[6:])
                seen.append(state)
                if state["progress"] >= until or state["state"] in ("done", "failed", "cancelled"):
                    break
    return seen


def test_builds_wait_their_turn_and_cancel_leaves_no_bundle(
    client: TestClient, app_kit: Path
) -> None:
    first = client.post("/api/builds", json={"lang": "pl", "preset": "web", "outro": True})
    second = client.post("/api/builds", json={"lang": "de", "preset": "web"})
    assert first.status_code == second.status_code == 201
    a, b = first.json()["id"], second.json()["id"]
    assert client.get(f"/api/builds/{b}").json()["state"] == "queued"
    assert client.post(f"/api/builds/{b}/cancel").json() == {"id": b, "cancelled": True}
    assert client.get(f"/api/builds/{b}").json()["state"] == "cancelled"

    moving = _events(client, a, until=0.15)
    progress = [e["progress"] for e in moving if e["state"] == "running"]
    assert progress and progress == sorted(progress) and progress[-1] >= 0.15
    assert moving[-1]["shown"]["steps"], "the steps are named in the page's language"
    assert client.post(f"/api/builds/{a}/cancel").json()["cancelled"] is True
    final = client.app.state.ctx.manager.wait(a)  # type: ignore[attr-defined]
    assert final.state == "cancelled"
    out = app_kit / "out"
    assert not (out / "sample-pl-web").exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".")], list(out.iterdir())
    state = client.get(f"/api/builds/{a}", headers={"Accept-Language": "it"}).json()
    assert state["error"] == "the build was cancelled"
    assert (
        state["shown"]["error"] == "La preparazione è stata annullata. Non è rimasto nulla a metà."
    )
    assert client.post(f"/api/builds/{a}/cancel").json()["cancelled"] is False

    again = client.post("/api/builds", json={"lang": "pl", "preset": "web", "outro": True})
    done = client.app.state.ctx.manager.wait(again.json()["id"])  # type: ignore[attr-defined]
    assert done.state == "done" and done.verified
    assert (out / "sample-pl-web" / "manifest.json").is_file()


def test_the_event_stream_of_a_finished_build_says_so_and_ends(
    client: TestClient, built: dict[str, Any]
) -> None:
    events = _events(client, built["id"], until=2.0)
    assert len(events) == 1 and events[0]["state"] == "done"


def test_unknown_builds_are_404(client: TestClient) -> None:
    assert client.get("/api/builds/nope").status_code == 404
    assert client.post("/api/builds/nope/cancel").status_code == 404
    assert client.get("/builds/nope").status_code == 404


def test_the_page_language_follows_the_browser_then_the_choice(client: TestClient) -> None:
    assert 'lang="it"' in client.get("/", headers={"Accept-Language": "it-IT,en;q=0.5"}).text
    chosen = client.post(
        "/settings/language", content=b"lang=pl&next=/screening",
        headers={"Content-Type": "application/x-www-form-urlencoded"}, follow_redirects=False,
    )  # fmt: skip
    assert chosen.status_code == 303 and chosen.headers["location"] == "/screening"
    assert "samesite=strict" in chosen.headers["set-cookie"].lower()
    assert 'lang="pl"' in client.get("/", headers={"Accept-Language": "it"}).text
    away = client.post(
        "/settings/language", content=b"lang=de&next=//evil.example/",
        headers={"Content-Type": "application/x-www-form-urlencoded"}, follow_redirects=False,
    )  # fmt: skip
    assert away.headers["location"] == "/"
    client.cookies.delete("screenkit-lang")
    client.app.state.ctx.settings.pop("language", None)  # type: ignore[attr-defined]


def test_words_in_the_pages_language() -> None:
    uk = translator("uk")
    assert best_language("de-CH, uk;q=0.9, en;q=0.8") == "de"
    assert best_language("fi, uk;q=0.5") == "uk" and best_language(None) == "en"
    assert duration(uk, 45) == "45 секунд"
    assert duration(uk, 12 * 60) == "12 хвилин"
    assert size(uk, 1_250_000_000) == "1,2 ГБ"
    error = NotEnoughSpace(
        "not enough space", path=Path("/media/x"), need_bytes=3_000_000_000, free_bytes=10**9,
        hint="free space",
    )  # fmt: skip
    words = explain(uk, error)
    assert words.message.startswith("Замало вільного місця") and "3 ГБ" in words.message
    assert words.original == "not enough space"  # the CLI's words stay for the details


def test_a_build_of_a_busy_app_is_not_lost_on_reload(client: TestClient) -> None:
    """The build page is rendered from the build's state: a reload shows the same."""
    job = client.post("/api/builds", json={"lang": "en", "preset": "web"}).json()["id"]
    time.sleep(0.5)
    page = client.get(f"/builds/{job}").text
    assert f'data-build="{job}"' in page and "sk-overall" in page
    client.post(f"/api/builds/{job}/cancel")
    client.app.state.ctx.manager.wait(job)  # type: ignore[attr-defined]


def test_open_the_folder_runs_the_file_manager_on_the_bundle_alone(
    client: TestClient, built: dict[str, Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import screenkit.app.api as api

    record = tmp_path / "opened.txt"
    script = tmp_path / "opener.sh"
    script.write_text(f'#!/bin/sh\nprintf "%s" "$1" > {record}\n', encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.setattr(api, "opener", lambda: [str(script)])
    answer = client.post(f"/api/builds/{built['id']}/open")
    assert answer.status_code == 200 and answer.json() == {"opened": built["bundle"]}
    deadline = time.monotonic() + 60  # the opener runs on its own: wait for what it wrote
    while time.monotonic() < deadline:
        if record.exists() and record.read_text(encoding="utf-8") == built["bundle"]:
            break
        time.sleep(0.1)  # the shell makes the file before it writes into it
    assert record.read_text(encoding="utf-8") == built["bundle"]
    monkeypatch.setattr(api, "opener", lambda: None)
    none = client.post(f"/api/builds/{built['id']}/open", headers={"Accept-Language": "uk"})
    assert none.status_code == 409 and built["bundle"] in none.json()["hint"]
    assert client.post("/api/builds/nope/open").status_code == 404


def test_the_folder_chooser_looks_only_under_home_and_drives(
    client: TestClient, app_kit: Path
) -> None:
    inside = client.get("/kits", params={"dir": str(app_kit.parent)}, headers=UK_LANG).text
    assert "набір: відкрити" in inside  # the kit folder is found and offered
    outside = client.get("/kits", params={"dir": "/etc"}, headers=UK_LANG).text
    assert "лише вашу домашню теку" in outside and "passwd" not in outside
    moved = client.post(
        "/kits/open", content=b"path=/etc",
        headers={"Content-Type": "application/x-www-form-urlencoded"}, follow_redirects=False,
    )  # fmt: skip
    assert moved.status_code == 303
    assert client.get("/api/kit").json()["root"] == str(app_kit)  # still the same kit


UK_LANG = {"Accept-Language": "uk"}
