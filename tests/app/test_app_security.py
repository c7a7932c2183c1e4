"""The app's rules on a shared laptop (issue 19, point 6): each rule has a test that fails
without it. In-process: the very ASGI app uvicorn serves, behind its guard."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import pytest
from app_helpers import ORIGIN, PORT, TOKEN, client_for
from starlette.testclient import TestClient

import screenkit.app.security as security
from screenkit.app.context import AppConfig
from screenkit.app.security import FileRefused, check_bind_host, safe_file
from support import run_cli

PAGES = ["/", "/screening", "/helper", "/kits", "/builds", "/check?lang=uk&preset=usb-player"]


# -- the token ------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/api/kit", "/static/app.js", "/kit/card/uk.png"])
def test_a_request_without_the_token_is_refused(app_config: AppConfig, path: str) -> None:
    with client_for(app_config, authed=False) as anonymous:
        answer = anonymous.get(path)
    assert answer.status_code == 403
    assert "screenkit" not in answer.headers.get("set-cookie", "")


def test_the_first_url_sets_an_httponly_strict_cookie_and_drops_the_token(
    app_config: AppConfig,
) -> None:
    with client_for(app_config, authed=False) as browser:
        first = browser.get(f"/?token={TOKEN}&card=it", follow_redirects=False)
        assert first.status_code == 303
        assert first.headers["location"] == "/?card=it"  # the token leaves the address bar
        cookie = first.headers["set-cookie"]
        assert cookie.startswith(f"screenkit-token-{PORT}={TOKEN};")
        assert "HttpOnly" in cookie
        assert "SameSite=Strict" in cookie
        assert "Path=/" in cookie
        assert browser.get("/api/kit").status_code == 200  # the cookie is enough now


def test_a_wrong_token_in_the_url_is_refused(app_config: AppConfig) -> None:
    with client_for(app_config, authed=False) as browser:
        answer = browser.get("/?token=not-the-token", follow_redirects=False)
    assert answer.status_code == 403
    assert "set-cookie" not in answer.headers


def test_scripts_use_a_bearer_token(app_config: AppConfig) -> None:
    with client_for(app_config, authed=False) as script:
        good = script.get("/api/kit", headers={"Authorization": f"Bearer {TOKEN}"})
        bad = script.get("/api/kit", headers={"Authorization": "Bearer nope"})
        cookie_name_only = script.get("/api/kit", headers={"Authorization": TOKEN})
    assert good.status_code == 200 and good.json()["name"] == "sample"
    assert bad.status_code == 403
    assert cookie_name_only.status_code == 403


def test_a_wrong_cookie_is_refused(app_config: AppConfig) -> None:
    with client_for(app_config, authed=False) as browser:
        browser.cookies.set(f"screenkit-token-{PORT}", TOKEN[:-1] + "X")
        assert browser.get("/api/kit").status_code == 403
        browser.cookies.set(f"screenkit-token-{PORT + 1}", TOKEN)  # another app's cookie
        assert browser.get("/api/kit").status_code == 403


def test_the_token_is_compared_in_constant_time(
    app_config: AppConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[bytes, bytes]] = []

    def watched(a: bytes, b: bytes) -> bool:
        seen.append((a, b))
        return False  # the comparison decides: refuse even the right token

    monkeypatch.setattr(security, "compare_digest", watched)
    with client_for(app_config, authed=False) as script:
        answer = script.get("/api/kit", headers={"Authorization": f"Bearer {TOKEN}"})
    assert answer.status_code == 403
    assert (TOKEN.encode(), TOKEN.encode()) in seen


# -- the Host header (DNS rebinding) ----------------------------------------------------


@pytest.mark.parametrize(
    ("host", "status"),
    [
        (f"127.0.0.1:{PORT}", 200),
        (f"localhost:{PORT}", 200),
        (f"[::1]:{PORT}", 200),
        (f"evil.example:{PORT}", 403),
        (f"127.0.0.1:{PORT + 1}", 403),
        ("127.0.0.1", 403),
        (f"localhost.evil.example:{PORT}", 403),
    ],
)
def test_the_host_must_be_the_loopback_with_the_port(
    client: TestClient, host: str, status: int
) -> None:
    assert client.get("/api/kit", headers={"Host": host}).status_code == status


# -- changes: POST only, from the app's own origin ---------------------------------------


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "OPTIONS"])
def test_only_get_head_and_post_are_served(client: TestClient, method: str) -> None:
    answer = client.request(method, "/api/builds")
    assert answer.status_code == 405


def test_a_change_by_get_is_not_made(client: TestClient, built: dict[str, Any]) -> None:
    job_id = built["id"]
    assert client.get(f"/api/builds/{job_id}/cancel").status_code == 405
    assert client.get("/settings/language?lang=de").status_code == 405
    assert client.get(f"/api/builds/{job_id}").json()["state"] == "done"


@pytest.mark.parametrize(
    "origin",
    [
        None,
        "http://evil.example",
        f"http://127.0.0.1:{PORT + 1}",
        "null",
        f"https://127.0.0.1:{PORT}",
    ],
)
def test_a_post_with_the_cookie_needs_the_apps_own_origin(
    client: TestClient, origin: str | None
) -> None:
    del client.headers["Origin"]
    headers = {"Origin": origin} if origin else {}
    answer = client.post("/api/builds", json={"lang": "xx", "preset": "web"}, headers=headers)
    assert answer.status_code == 403
    same = client.post(
        "/api/builds", json={"lang": "xx", "preset": "web"}, headers={"Origin": ORIGIN}
    )
    assert same.status_code == 400  # past the guard: refused for its content


def test_a_post_with_the_bearer_token_may_omit_the_origin_but_not_fake_one(
    app_config: AppConfig,
) -> None:
    with client_for(app_config, authed=False) as script:
        auth = {"Authorization": f"Bearer {TOKEN}"}
        bare = script.post("/api/builds", json={"lang": "xx", "preset": "web"}, headers=auth)
        foreign = script.post(
            "/api/builds",
            json={"lang": "xx", "preset": "web"},
            headers={**auth, "Origin": "http://evil.example"},
        )
    assert bare.status_code == 400
    assert foreign.status_code == 403


# -- the content security policy ---------------------------------------------------------


@pytest.mark.parametrize("path", [*PAGES, "/api/kit", "/static/app.css", "/nowhere"])
def test_every_response_carries_the_policy(client: TestClient, path: str) -> None:
    answer = client.get(path)
    policy = answer.headers["content-security-policy"]
    assert policy.split(";")[0] == "default-src 'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in policy


def test_a_refused_request_carries_the_policy_too(app_config: AppConfig) -> None:
    with client_for(app_config, authed=False) as anonymous:
        answer = anonymous.get("/")
    assert answer.headers["content-security-policy"].startswith("default-src 'self'")


@pytest.mark.parametrize("path", PAGES)
def test_the_pages_hold_no_inline_script_or_style(client: TestClient, path: str) -> None:
    page = client.get(path).text
    scripts = re.findall(r"<script\b([^>]*)>", page)
    assert scripts, path
    for attributes in scripts:
        assert "src=" in attributes or "application/json" in attributes, (path, attributes)
    assert "<style" not in page
    assert not re.search(r"\sstyle=", page)
    assert not re.search(r"\son[a-z]+=", page)  # no inline event handlers
    assert not re.search(r"https?://(?!127\.0\.0\.1)", page.replace("https://example.org", ""))


# -- files: only the kit's pictures and the bundles the app built -------------------------


def raw_get(client: TestClient, raw_path: bytes) -> int:
    """GET with the path sent as it is (httpx would remove ``..`` before sending)."""
    app = client.app
    sent: list[dict[str, Any]] = []
    path = raw_path.split(b"?")[0]
    from urllib.parse import unquote_to_bytes

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": unquote_to_bytes(path).decode("utf-8", "replace"),
        "raw_path": path,
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", f"127.0.0.1:{PORT}".encode()),
            (b"cookie", f"screenkit-token-{PORT}={TOKEN}".encode()),
        ],
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", PORT),
        "state": {},
    }

    asked: list[bool] = []

    async def receive() -> dict[str, Any]:
        if asked:  # the body was read: then the client goes away
            return {"type": "http.disconnect"}
        asked.append(True)
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))  # type: ignore[arg-type]
    return int(sent[0]["status"])


def test_a_bundle_file_is_served(client: TestClient, built: dict[str, Any]) -> None:
    answer = client.get(f"/files/{built['id']}/manifest.json")
    assert answer.status_code == 200 and answer.json()["bundle"]
    sheet = client.get(f"/files/{built['id']}/SCREENING.html")
    assert sheet.status_code == 200
    assert "'sha256-" in sheet.headers["content-security-policy"]  # its own inline style


@pytest.mark.parametrize(
    "tail",
    [
        b"../../screenkit.toml",
        b"%2e%2e/%2e%2e/screenkit.toml",
        b"..%2F..%2Fscreenkit.toml",
        b"..%5C..%5Cscreenkit.toml",
        b"%2Fetc%2Fpasswd",
        b"/etc/passwd",
        b"manifest.json%00.png",
        b".hidden",
        b"subtitles/../../../screenkit.toml",
    ],
)
def test_a_path_out_of_the_bundle_is_refused(
    client: TestClient, built: dict[str, Any], tail: bytes
) -> None:
    status = raw_get(client, f"/files/{built['id']}/".encode() + tail)
    assert status in (400, 404), tail
    assert raw_get(client, f"/files/{built['id']}/manifest.json".encode()) == 200


def test_a_symlink_pointing_out_of_the_bundle_is_refused(
    client: TestClient, built: dict[str, Any], app_kit: Path
) -> None:
    link = Path(built["bundle"]) / "escape.toml"
    link.symlink_to(app_kit / "screenkit.toml")
    try:
        assert client.get(f"/files/{built['id']}/escape.toml").status_code == 404
    finally:
        link.unlink()


def test_only_built_bundles_and_kit_languages_are_served(client: TestClient) -> None:
    assert client.get("/files/not-a-build/manifest.json").status_code == 404
    assert client.get("/kit/card/fi.png").status_code == 404
    assert client.get("/kit/card/..%2F..%2Fetc.png").status_code in (400, 404)


def test_safe_file_refuses_each_kind_of_escape(tmp_path: Path) -> None:
    root = tmp_path / "bundle"
    root.mkdir()
    (root / "a.txt").write_text("a", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("s", encoding="utf-8")
    (root / "out.txt").symlink_to(tmp_path / "secret.txt")
    (root / "in.txt").symlink_to(root / "a.txt")
    assert safe_file(root, "a.txt") == root / "a.txt"
    assert safe_file(root, "in.txt") == root / "a.txt"  # a link that stays inside
    for bad in ["", "../secret.txt", "/etc/passwd", "a\\b", "a.txt\x00", "./a.txt", "out.txt",
                "C:/x", ".a", "a//b", "missing.txt"]:  # fmt: skip
        with pytest.raises(FileRefused):
            safe_file(root, bad)


# -- the loopback only --------------------------------------------------------------------


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.5", "::", "localhost", "example.org"])
def test_a_host_other_than_the_loopback_is_refused(host: str) -> None:
    with pytest.raises(security.HostRefused):
        check_bind_host(host)
    code, out, err = run_cli("app", "--host", host, "--no-browser", "--port", "0")
    assert code == 1 and out == ""
    assert err.startswith(f"Error: --host {host}: the app serves this computer only")
    assert "Hint:" in err


def test_the_loopback_hosts_are_accepted() -> None:
    assert check_bind_host("127.0.0.1") == "127.0.0.1"
    assert check_bind_host("::1") == "::1"
