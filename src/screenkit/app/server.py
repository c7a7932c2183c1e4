"""Serving the app: the socket on the loopback, the one line on stdout, a clean stop.

`serve` binds 127.0.0.1 (or ::1) itself — a random free port unless one is given — so the
line ``screenkit app: http://127.0.0.1:PORT/?token=TOKEN`` is printed (and flushed) only
once the port is really held, before uvicorn serves. Ctrl-C or SIGTERM: the running build
is told to stop at once (the engine removes what it had half made), the pages' event
streams end, uvicorn stops, and the build thread is waited for. A request that fails in a
way nobody foresaw is answered 500 and logged as one line: never a traceback.
"""

from __future__ import annotations

import errno
import socket
import sys
import threading
import webbrowser
from pathlib import Path
from types import FrameType
from typing import Any

from screenkit.app import require_web_stack
from screenkit.app.security import Message, Receive, Scope, Send, check_bind_host
from screenkit.errors import Interrupted, ScreenkitError

GRACE = 5
"""Seconds uvicorn waits for open requests at a stop (the event streams end at once)."""


class CalmErrors:
    """The outermost layer: an unexpected exception becomes a 500 and one line on stderr."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as exc:  # the page gets a 500, the terminal one line  # noqa: BLE001
            sys.stderr.write(f"screenkit app: a request failed: {exc!r}\n")
            sys.stderr.flush()
            if scope["type"] != "http" or started:
                return
            body = b'{"error": "the app failed on this request", "hint": null}'
            await send(
                {
                    "type": "http.response.start",
                    "status": 500,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", str(len(body)).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on the loopback ``host``; `ScreenkitError` when the port is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ScreenkitError(
                f"port {port} is in use on {host}",
                key="port",
                value=port,
                hint="leave --port out to take a free one",
            ) from exc
        raise ScreenkitError(f"cannot listen on {host}:{port}: {exc.strerror}", value=port) from exc
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def serve(
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    kit_dir: Path | None = None,
    speed: str | None = None,
    jobs: int = 2,
    open_browser: bool = True,
    state_dir: Path | None = None,
) -> None:
    """Run the app until Ctrl-C / SIGTERM (see the module text)."""
    require_web_stack()
    import uvicorn

    from screenkit.app.context import AppConfig
    from screenkit.app.security import new_token
    from screenkit.app.web import create_app

    host = check_bind_host(host)
    sock = bind(host, port)
    port = sock.getsockname()[1]
    token = new_token()
    config = AppConfig(port=port, token=token, kit_dir=kit_dir, speed=speed, jobs=jobs)
    if state_dir is not None:
        config.state_dir = state_dir
    app = create_app(config)
    ctx = app.state.ctx
    shown = "127.0.0.1" if host == "127.0.0.1" else "[::1]"
    url = f"http://{shown}:{port}/?token={token}"

    class Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            ctx.closing.set()  # the event streams end, so uvicorn need not wait for them
            ctx.manager.stop_all()  # the running build stops now
            ctx.copies.stop_all()
            super().handle_exit(sig, frame)

    server = Server(
        uvicorn.Config(
            CalmErrors(app),
            log_level="warning",
            access_log=False,
            timeout_graceful_shutdown=GRACE,
            lifespan="on",
        )
    )
    sys.stdout.write(f"screenkit app: {url}\n")
    sys.stdout.flush()
    if open_browser:
        threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
    try:
        server.run(sockets=[sock])
    except (KeyboardInterrupt, Interrupted):
        pass  # uvicorn raises the signal again once it has stopped: that is the way out
    finally:
        ctx.closing.set()
        ctx.manager.close()
        ctx.copies.close()
        sock.close()
    sys.stderr.write("screenkit app: stopped\n")
    sys.stderr.flush()
