"""Real local servers for the tests: a page site whose pages and faults a test scripts."""

from __future__ import annotations

import json
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Page:
    """What the site answers for one path. `fault` is None, "reset", "hang" or "endless"."""

    body: bytes | str = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html; charset=utf-8"})
    fault: str | None = None


class PageSite:
    """A threaded HTTP server on 127.0.0.1 (port 0) serving scripted pages and faults."""

    def __init__(self) -> None:
        self.pages: dict[str, Page] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.stop_hanging = threading.Event()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                site.requests.append((self.path, dict(self.headers)))
                site.answer(self, site.pages.get(self.path, Page("not found", 404)))

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def set(self, path: str, body: bytes | str = b"", **options: object) -> str:
        """Serve `body` at `path` (with Page options); return the page's URL."""
        self.pages[path] = Page(body, **options)  # type: ignore[arg-type]
        return self.url(path)

    def answer(self, handler: BaseHTTPRequestHandler, page: Page) -> None:
        if page.fault == "reset":
            # SO_LINGER 0: close() sends RST, a real connection reset.
            handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            handler.connection.close()
            handler.close_connection = True
            return
        if page.fault == "hang":
            self.stop_hanging.wait(10)
            return
        body = page.body.encode() if isinstance(page.body, str) else page.body
        etag = page.headers.get("ETag")
        if etag and handler.headers.get("If-None-Match") == etag:
            page = Page(status=304, headers={"ETag": etag})
        handler.send_response(page.status)
        for name, value in page.headers.items():
            handler.send_header(name, value)
        if page.fault == "endless":
            handler.end_headers()
            self._send_endless(handler)
            return
        if page.status != 304:
            handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        if page.status != 304:
            handler.wfile.write(body)

    def _send_endless(self, handler: BaseHTTPRequestHandler) -> None:
        chunk = b"<p>" + b"more " * 2000 + b"</p>"
        deadline = time.monotonic() + 10
        try:
            while time.monotonic() < deadline and not self.stop_hanging.is_set():
                handler.wfile.write(chunk)
        except OSError:
            pass  # the client hung up, as it should
        handler.close_connection = True

    def close(self) -> None:
        self.stop_hanging.set()
        self.server.shutdown()
        self.server.server_close()


class SlackReceiver:
    """A local stand-in for a Slack incoming webhook: records each POST and answers as scripted."""

    def __init__(self) -> None:
        self.posts: list[dict[str, object]] = []
        self.answers: list[tuple[int, dict[str, str], str]] = []  # popped per request; then 200 "ok"
        self.received = threading.Event()
        self.holding = threading.Event()  # an answer of status 0 holds the request unanswered...
        self.release = threading.Event()  # ...until this is set, then drops the connection
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status, headers, text = receiver.answers.pop(0) if receiver.answers else (200, {}, "ok")
                if status == 0:
                    receiver.holding.set()
                    receiver.release.wait(20)
                    self.close_connection = True
                    return
                if status == 200:
                    receiver.posts.append(json.loads(body))
                    receiver.received.set()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(text)))
                self.end_headers()
                self.wfile.write(text.encode())

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/services/T000/B000/secret"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
