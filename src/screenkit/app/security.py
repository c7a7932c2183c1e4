"""Who may ask the app for anything: the rules of a local server on a shared laptop.

Modelled on Jupyter's token, Host and XSRF checks. Every request passes `Guard` (an ASGI
middleware) before any route sees it:

- ``Host`` must be ``127.0.0.1``, ``localhost`` or ``[::1]`` with the served port, so a
  page on another site that rebinds its DNS name to 127.0.0.1 is refused (403);
- the token: the first URL carries it (``/?token=…``), which sets an HttpOnly,
  SameSite=Strict cookie and redirects to the same page without it; afterwards the cookie,
  or ``Authorization: Bearer TOKEN`` for scripts; anything else is 403. Compared in
  constant time (`hmac.compare_digest`);
- only GET/HEAD read and POST changes (405 for any other method); a POST authenticated by
  the cookie needs an ``Origin`` of this very server (another local site on another port
  would otherwise ride on the cookie: SameSite does not look at ports); a scripted POST
  with the Bearer token may leave ``Origin`` out, but a foreign one is refused;
- a path holding an encoded slash, backslash or NUL (``%2F``, ``%5C``, ``%00``) is refused
  before routing; files themselves go through `safe_file`;
- every response carries ``Content-Security-Policy: default-src 'self'`` (no inline script
  or style: the page's script and style are files), ``nosniff``, no referrer to other
  sites and no framing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

from screenkit.errors import ScreenkitError

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

LOOPBACK_HOSTS = ("127.0.0.1", "::1")
HOST_NAMES = ("127.0.0.1", "localhost", "[::1]")
READ_METHODS = frozenset({"GET", "HEAD"})
CHANGE_METHODS = frozenset({"POST"})
PAGE_CSP = "; ".join(
    [
        "default-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
    ]
)
_BAD_RAW = re.compile(rb"%(2f|5c|00)", re.IGNORECASE)
compare_digest = hmac.compare_digest
"""The token comparison (constant time); a module name so that a test can watch it."""


def new_token() -> str:
    """A fresh token: 32 random bytes, URL-safe."""
    return secrets.token_urlsafe(32)


def cookie_name(port: int) -> str:
    """Cookies ignore ports: two apps on one machine keep one cookie each."""
    return f"screenkit-token-{port}"


class HostRefused(ScreenkitError):
    """``--host`` names an address other than the loopback."""


def check_bind_host(host: str) -> str:
    """``host`` when it is the loopback (127.0.0.1 or ::1); the app serves nobody else."""
    if host in LOOPBACK_HOSTS:
        return host
    raise HostRefused(
        f"--host {host}: the app serves this computer only (127.0.0.1 or ::1)",
        key="host",
        value=host,
        hint="leave --host out: anyone who can reach another address could start builds "
        "and read files here",
    )


def allowed_hosts(port: int) -> frozenset[str]:
    """The ``Host`` header values that name this server."""
    hosts = {f"{name}:{port}" for name in HOST_NAMES}
    if port == 80:
        hosts.update(HOST_NAMES)
    return frozenset(hosts)


class FileRefused(ScreenkitError):
    """A requested file path that the app does not serve (the reason is the message)."""


def safe_file(root: Path, relative: str) -> Path:
    """The file ``relative`` names inside ``root``; `FileRefused` for anything else.

    Refused: an empty path, NUL, a backslash, an absolute path, ``.``/``..``/empty or hidden
    segments, and a path whose real place (symlinks followed) is outside ``root`` or is not
    a regular file.
    """
    if not relative or "\x00" in relative:
        raise FileRefused("the path is empty or holds a NUL byte", value=relative)
    if "\\" in relative or relative.startswith("/") or re.match(r"^[A-Za-z]:", relative):
        raise FileRefused("the path is absolute or holds a backslash", value=relative)
    parts = relative.split("/")
    if any(p in ("", ".", "..") or p.startswith(".") for p in parts):
        raise FileRefused("the path climbs, repeats a slash or names a hidden file", value=relative)
    base = root.resolve()
    try:
        target = base.joinpath(*parts).resolve(strict=True)
    except (OSError, RuntimeError) as exc:
        raise FileRefused("no such file", value=relative) from exc
    if not target.is_relative_to(base) or not target.is_file():
        raise FileRefused("the path leads outside the served folder", value=relative)
    return target


def html_csp(text: str) -> str:
    """A policy for a bundle's own HTML page: its inline blocks allowed by their hashes.

    The pages a bundle holds (``index.html``, ``SCREENING.html``) are made by screenkit to
    work from a stick, so they carry their script and style inline; served by the app they
    keep ``default-src 'self'`` and run only the exact blocks they hold.
    """

    def hashes(pattern: str) -> str:
        found = re.findall(pattern, text, flags=re.DOTALL | re.IGNORECASE)
        digests = {
            "'sha256-"
            + base64.b64encode(hashlib.sha256(block.encode("utf-8")).digest()).decode()
            + "'"
            for block in found
        }
        return " ".join(sorted(digests))

    scripts = hashes(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>")
    styles = hashes(r"<style[^>]*>(.*?)</style>")
    attributes = hashes(r"\sstyle=\"([^\"]*)\"")
    style_src = f"'self' {styles} {attributes}".strip()
    if attributes:
        style_src += " 'unsafe-hashes'"
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' {scripts}".strip(),
            f"style-src {style_src}",
            "img-src 'self' data: blob:",
            "media-src 'self' data: blob:",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
            "object-src 'none'",
        ]
    )


class Guard:
    """The ASGI middleware applying the module's rules to every HTTP request."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        token: str,
        port: int,
        refusal: Callable[[Scope, int, str], tuple[str, bytes]] | None = None,
    ) -> None:
        self.app = app
        self.token = token
        self.port = port
        self.hosts = allowed_hosts(port)
        self.cookie = cookie_name(port)
        self.refusal = refusal

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":
            return  # no websockets here
        reason = self._refused(scope)
        if reason is not None:
            status, why = reason
            await self._deny(scope, send, status, why)
            return
        query_token = _query_token(scope)
        if query_token is not None:
            await self._enter(scope, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                extra = [
                    (b"content-security-policy", PAGE_CSP.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    # not no-referrer: with it Chromium sends ``Origin: null`` on the
                    # page's own form posts; same-origin never tells another site anything
                    (b"referrer-policy", b"same-origin"),
                    (b"x-frame-options", b"DENY"),
                    (b"cross-origin-opener-policy", b"same-origin"),
                    (b"cross-origin-resource-policy", b"same-origin"),
                ]
                headers += [(k, v) for k, v in extra if k not in names]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)

    def _refused(self, scope: Scope) -> tuple[int, str] | None:
        headers = _headers(scope)
        if headers.get("host", "") not in self.hosts:
            return 403, "host"
        raw = scope.get("raw_path") or scope["path"].encode()
        if _BAD_RAW.search(raw) or "\x00" in scope["path"]:
            return 400, "path"
        method = scope["method"]
        if method not in READ_METHODS | CHANGE_METHODS:
            return 405, "method"
        by_bearer = self._bearer_ok(headers)
        query_token = _query_token(scope)
        if query_token is not None:
            if method not in READ_METHODS or not compare_digest(
                query_token.encode(), self.token.encode()
            ):
                return 403, "token"
            return None
        if not by_bearer and not self._cookie_ok(headers):
            return 403, "token"
        if method in CHANGE_METHODS:
            origin = headers.get("origin")
            same = origin is not None and origin == f"http://{headers['host']}"
            if origin is not None and not same:
                return 403, "origin"
            if origin is None and not by_bearer:
                return 403, "origin"
        return None

    def _bearer_ok(self, headers: dict[str, str]) -> bool:
        value = headers.get("authorization", "")
        scheme, _, candidate = value.partition(" ")
        if scheme.lower() != "bearer" or not candidate:
            return False
        return compare_digest(candidate.strip().encode(), self.token.encode())

    def _cookie_ok(self, headers: dict[str, str]) -> bool:
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(headers.get("cookie", ""))
        except Exception:  # a malformed Cookie header is no token  # noqa: BLE001
            return False
        morsel = jar.get(self.cookie)
        if morsel is None:
            return False
        return compare_digest(morsel.value.encode(), self.token.encode())

    async def _enter(self, scope: Scope, send: Send) -> None:
        """The first URL: the token becomes the cookie, the address loses it (history)."""
        rest = [
            (k, v) for k, v in parse_qsl(scope.get("query_string", b"").decode()) if k != "token"
        ]
        location = scope["path"] + (f"?{urlencode(rest)}" if rest else "")
        cookie = f"{self.cookie}={self.token}; HttpOnly; SameSite=Strict; Path=/"
        await send(
            {
                "type": "http.response.start",
                "status": 303,
                "headers": [
                    (b"location", location.encode()),
                    (b"set-cookie", cookie.encode()),
                    (b"cache-control", b"no-store"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"content-security-policy", PAGE_CSP.encode()),
                    (b"content-length", b"0"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": b""})

    async def _deny(self, scope: Scope, send: Send, status: int, why: str) -> None:
        if self.refusal is not None:
            media_type, body = self.refusal(scope, status, why)
        else:
            media_type, body = "application/json", json.dumps({"error": why}).encode()
        headers = [
            (b"content-type", media_type.encode()),
            (b"content-length", str(len(body)).encode()),
            (b"content-security-policy", PAGE_CSP.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"cache-control", b"no-store"),
        ]
        if status == 405:
            headers.append((b"allow", b"GET, HEAD, POST"))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send(
            {"type": "http.response.body", "body": body if scope["method"] != "HEAD" else b""}
        )


def _headers(scope: Scope) -> dict[str, str]:
    found: dict[str, str] = {}
    for key, value in scope.get("headers", []):
        name = key.decode("latin-1").lower()
        if name in found:  # a repeated Host or Origin is not one we trust
            found[name] = "\x00"
        else:
            found[name] = value.decode("latin-1")
    return found


def _query_token(scope: Scope) -> str | None:
    query: bytes = scope.get("query_string", b"")
    for key, value in parse_qsl(query.decode("latin-1")):
        if key == "token":
            return str(value)
    return None
