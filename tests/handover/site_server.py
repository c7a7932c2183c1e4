"""A small web server for the fetch tests: serves a folder on 127.0.0.1 with HTTP range
requests (as nginx or an object store does; ``python -m http.server`` ignores ranges), and
misbehaves on demand. Run as a process of its own:

    python site_server.py ROOT --port-file F --log F [--drop-after N] [--extra N]
                          [--missing SUFFIX] [--redirect PATH=LOCATION] [--rate BYTES_PER_S]

--drop-after N     the first GET of each file larger than N bytes closes the connection after
                   N bytes of the body (a Content-Length announced the whole file)
--extra N          the files (not catalogue.json) are sent with N more bytes than they have,
                   without Content-Length
--missing SUFFIX   paths ending in SUFFIX answer 404
--redirect P=L     the path P answers 302 to L
--rate B           send at most B bytes a second (so a test can kill a download halfway)

Every request is logged as one JSON line: method, path, Range header, status.
"""

from __future__ import annotations

import argparse
import json
import re
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

CHUNK = 64 * 1024


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    options: argparse.Namespace
    dropped: set[str]
    lock = threading.Lock()

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _log(self, status: int) -> None:
        record = {
            "method": self.command,
            "path": unquote(urlsplit(self.path).path),
            "range": self.headers.get("Range"),
            "status": status,
        }
        with self.lock, Path(self.options.log).open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(record) + "\n")

    def _plain(self, status: int, text: str, headers: dict[str, str] | None = None) -> None:
        body = text.encode()
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self._log(status)

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        path = unquote(urlsplit(self.path).path)
        for rule in self.options.redirect:
            source, location = rule.split("=", 1)
            if path == source:
                self._plain(302, "moved", {"Location": location})
                return
        if any(path.endswith(s) for s in self.options.missing):
            self._plain(404, "not found")
            return
        root = Path(self.options.root).resolve()
        file = (root / path.lstrip("/")).resolve()
        if file.is_dir():
            file = file / "index.html"
        if not file.is_relative_to(root) or not file.is_file():
            self._plain(404, "not found")
            return
        size = file.stat().st_size
        start, end, status = 0, size - 1, 200
        wanted = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range", "") or "")
        if wanted:
            start = int(wanted[1])
            end = min(int(wanted[2]), size - 1) if wanted[2] else size - 1
            if start >= size:
                self._plain(416, "range not satisfiable", {"Content-Range": f"bytes */{size}"})
                return
            status = 206
        self.send_response(status)
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Type", "application/octet-stream")
        extra = 0 if path.endswith("catalogue.json") else self.options.extra
        if extra:
            self.send_header("Connection", "close")
            self.close_connection = True
        else:
            self.send_header("Content-Length", str(end - start + 1))
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.end_headers()
        self._log(status)
        if self.command == "HEAD":
            return
        drop = None
        with self.lock:
            if (
                self.options.drop_after
                and size > self.options.drop_after
                and path not in self.dropped
            ):
                self.dropped.add(path)
                drop = self.options.drop_after
        self._send(file, start, end - start + 1, drop)
        if extra:
            self.wfile.write(b"\0" * extra)

    def _send(self, file: Path, start: int, length: int, drop: int | None) -> None:
        sent = 0
        with file.open("rb") as fh:
            fh.seek(start)
            while sent < length:
                chunk = fh.read(min(CHUNK, length - sent))
                if not chunk:
                    break
                if drop is not None and sent + len(chunk) > drop:
                    self.wfile.write(chunk[: drop - sent])
                    self.wfile.flush()
                    self.connection.shutdown(socket.SHUT_RDWR)
                    self.close_connection = True
                    return
                self.wfile.write(chunk)
                sent += len(chunk)
                if self.options.rate:
                    time.sleep(len(chunk) / self.options.rate)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("root")
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--drop-after", type=int, default=0)
    parser.add_argument("--extra", type=int, default=0)
    parser.add_argument("--missing", action="append", default=[])
    parser.add_argument("--redirect", action="append", default=[])
    parser.add_argument("--rate", type=float, default=0.0)
    options = parser.parse_args()
    Handler.options = options
    Handler.dropped = set()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    tmp = Path(f"{options.port_file}.tmp")
    tmp.write_text(str(server.server_address[1]))
    tmp.replace(options.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
