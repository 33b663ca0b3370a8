"""`watcher run` as a real subprocess, with a watchlist pointing at local servers."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from watcher.store import Store

WATCHER = Path(sys.executable).parent / "watcher"  # the console script installed beside this Python


def wait_for(condition: Callable[[], object], timeout: float = 20.0, what: str = "condition",
             describe: Callable[[], str] | None = None) -> None:
    """Wait until condition() holds; past the timeout, fail with what was awaited and, given describe, its
    account of where things stood (a process's log)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}" + (f"; it stood at:\n{describe()}" if describe else ""))


class DaemonProcess:
    """Writes a watchlist, starts `watcher run` on it, and reads its store and log."""

    def __init__(self, directory: Path, watches: dict[str, str], slack_url: str | None = None,
                 extra_env: dict[str, str] | None = None) -> None:
        self.directory = directory
        self.public = "http://watcher.test:8421"  # base_url: what feeds and alerts link to
        self.watchlist = directory / "watchlist.toml"
        self.write_watchlist(watches)
        self.env = {**os.environ, **(extra_env or {})}
        self.env.pop("WATCHER_SLACK_WEBHOOK", None)
        if slack_url:
            self.env["WATCHER_SLACK_WEBHOOK"] = slack_url
        self.log = directory / "daemon.log"
        self.process: subprocess.Popen[bytes] | None = None

    def write_watchlist(self, watches: dict[str, str], body: str = "") -> None:
        tables = "".join(f'[watch.{watch_id}]\nurl = "{url}"\nname = "Watch {watch_id}"\ntags = ["gov"]\n{body}\n'
                         for watch_id, url in watches.items())
        self.watchlist.write_text(
            f'[settings]\ninterval = "1s"\ntimeout = "2s"\nlisten = "127.0.0.1:0"\n'
            f'base_url = "{self.public}"\n\n[channels.newsroom]\n\n{tables}')

    def start(self) -> DaemonProcess:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [str(WATCHER), "--watchlist", str(self.watchlist), "--state", str(self.directory / "state"), "run"],
                stdout=log, stderr=log, env=self.env)
        return self

    @property
    def base(self) -> str:
        """Where this daemon's HTTP server listens (it binds port 0 and logs the port it got)."""
        wait_for(lambda: self._served_urls(), what=f"the daemon to listen; log:\n{self.log_text()}")
        return self._served_urls()[-1]

    def _served_urls(self) -> list[str]:
        return re.findall(r"running watches=\d+ url=(\S+)", self.log_text())

    def store(self) -> Store:
        return Store(self.directory / "state" / "watcher.db")

    def read(self, query: Callable[[Store], object]) -> object:
        store = self.store()
        try:
            return query(store)
        finally:
            store.close()

    def wait_for_outcome(self, watch_id: str, outcomes: set[str], timeout: float = 20.0) -> None:
        wait_for(lambda: self.read(lambda s: s.watch_state(watch_id).last_outcome in outcomes), timeout,
                 f"{watch_id} to reach {outcomes}; log:\n{self.log_text()}")

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def send(self, number: int) -> None:
        assert self.process is not None
        self.process.send_signal(number)

    def stop(self, number: int = signal.SIGTERM, timeout: float = 20.0) -> int:
        assert self.process is not None
        self.process.send_signal(number)
        return self.process.wait(timeout)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
