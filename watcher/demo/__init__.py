"""`watcher demo`: the whole product in a minute, offline.

Serves two versions of a bundled GOV.UK-style press release (fictional, written for this project)
on 127.0.0.1, runs the real daemon against it in a temporary state directory, and shows the change.
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape

from watcher.daemon import Daemon
from watcher.feeds import change_url
from watcher.render import render_terminal

FIRST = {"amount": "£500 million", "jobs": "2,000 jobs", "opening": "3 October 2027", "added": "", "second_year": "£80 million",
         "related": "compute-strategy", "tracking": "a1b2c3", "generated": "09:00:01"}
SECOND = {"amount": "£750 million", "jobs": "2,500 jobs", "opening": "3 October 2027",
          "added": "<p>The campus will also host a public research cloud for universities.</p>",
          "second_year": "£330 million", "related": "growth-zones-update", "tracking": "z9y8x7",
          "generated": "09:05:42"}
WAIT_LIMIT = 60.0


def release(version: int) -> bytes:
    """Given 1 or 2, return that version of the press release; its noise differs too (tracking id, footer)."""
    template = files("watcher.demo").joinpath("release.html").read_text(encoding="utf-8")
    return template.format(**(FIRST if version == 1 else SECOND)).encode()


class _LocalServer:
    """A threaded HTTP server on 127.0.0.1 whose handler is given as a function of the request."""

    def __init__(self, answer: Callable[[BaseHTTPRequestHandler], tuple[int, str, bytes]]) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                self._reply(*answer(self))

            def do_POST(self) -> None:  # noqa: N802
                self._reply(*answer(self))

            def _reply(self, status: int, content_type: str, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, args=(0.1,), daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Demo:
    """The page site, a webhook receiver, and the daemon, in one temporary directory."""

    def __init__(self, console: Console, port: int) -> None:
        self.console = console
        self.port = port
        self.version = 1
        self.posts: list[dict[str, Any]] = []
        self.posted = threading.Event()
        self.site = _LocalServer(lambda request: (200, "text/html; charset=utf-8", release(self.version)))
        self.slack = _LocalServer(self._receive)

    def _receive(self, request: BaseHTTPRequestHandler) -> tuple[int, str, bytes]:
        length = int(request.headers.get("Content-Length", 0))
        self.posts.append(json.loads(request.rfile.read(length)))
        self.posted.set()
        return 200, "text/plain", b"ok"

    def write_watchlist(self, directory: Path) -> Path:
        path = directory / "watchlist.toml"
        path.write_text(f'[settings]\ninterval = "2s"\nlisten = "127.0.0.1:{self.port}"\n'
                        f'base_url = "http://127.0.0.1:{self.port or 8421}"\n\n[channels.demo]\n\n'
                        f'[watch.northfield]\nname = "GOV.UK press release (demo)"\n'
                        f'url = "{self.site.url}/government/news/northfield-ai-campus"\ntags = ["gov-uk"]\n')
        return path

    async def run(self) -> int:
        with tempfile.TemporaryDirectory(prefix="watcher-demo-") as directory:
            os.environ["WATCHER_SLACK_WEBHOOK"] = f"{self.slack.url}/services/demo"
            daemon = Daemon(self.write_watchlist(Path(directory)), Path(directory) / "watcher.db")
            running = asyncio.create_task(daemon.run())
            try:
                if await self._show_change(daemon, running):
                    self.console.print("\nThe daemon keeps running: open the URLs above. [bold]Ctrl-C[/] stops it.")
                else:
                    daemon.stop()
                return await running
            finally:
                self.site.close()
                self.slack.close()


    async def _show_change(self, daemon: Daemon, running: asyncio.Task[int]) -> bool:
        self.console.print(f"Serving the first version at {self.site.url}; the daemon stores it as a baseline…")
        if not await self._until(lambda: self._outcome(daemon) == "baseline", running):
            return False
        self.version = 2
        self.console.print("Baseline stored. Publishing the second version…")
        if not await self._until(self.posted.is_set, running):
            return False
        stored = daemon.store.changes("northfield", limit=1)[0]
        base = daemon.url
        self.console.print(f"\n[bold]Change detected:[/] {escape(stored.change.summary)}\n")
        self.console.print(render_terminal(stored.change.ops), end="")
        self.console.print(f"\nDiff page: {change_url(base, stored.id)}\nAtom feed: {base}/feeds/all.atom\n"
                           f"RSS feed:  {base}/feeds/all.rss\nWatches:   {base}/")
        self.console.print("\n[bold]The Slack message it sent[/] (to a local receiver):")
        self.console.print_json(json.dumps(self.posts[0], ensure_ascii=False))
        return True

    @staticmethod
    def _outcome(daemon: Daemon) -> str | None:
        store = getattr(daemon, "store", None)
        return store.watch_state("northfield").last_outcome if store else None

    async def _until(self, condition: Callable[[], bool], running: asyncio.Task[int]) -> bool:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + WAIT_LIMIT
        while not condition():
            if running.done() or loop.time() > deadline:
                self.console.print("[red]The demo did not see the change in time; the daemon's log says why.[/]")
                return False
            await asyncio.sleep(0.1)
        return True
