"""Wiring for `watcher run`: one event loop with the schedule, the HTTP server, the outbox and signals.

Holds no stage logic. Speaks sd_notify (READY, WATCHDOG, RELOADING, STOPPING) when systemd asks.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
import time
from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path

import httpx
import uvicorn

from watcher.check import Checker
from watcher.errors import StoreError, WatchlistError
from watcher.fetch import Fetcher, FetchLimits
from watcher.metrics import Metrics
from watcher.notify import Outbox, webhook_for
from watcher.schedule import Schedule
from watcher.store import Store
from watcher.watchlist import Settings, Watch, Watchlist, load_watchlist
from watcher.web import Site, create_app
from watcher.workers import Workers

log = logging.getLogger(__name__)

EXIT_CONFIG = 78
STOP_GRACE = 10.0  # seconds in-flight checks get to finish on SIGTERM before they are abandoned


def notify_systemd(message: str, environ: Mapping[str, str] = os.environ) -> bool:
    """Send an sd_notify message ("READY=1", ...) if systemd gave a socket; return whether it was sent."""
    address = environ.get("NOTIFY_SOCKET")
    if not address:
        return False
    if address.startswith("@"):
        address = "\0" + address[1:]  # an abstract socket
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as notify_socket:
        notify_socket.connect(address)
        notify_socket.sendall(message.encode())
    return True


def split_listen(listen: str) -> tuple[str, int]:
    """Given "host:port" (or "[v6]:port"), return (host, port)."""
    host, _, port = listen.rpartition(":")
    return host.strip("[]") or "127.0.0.1", int(port)


def fetch_limits(settings: Settings) -> FetchLimits:
    """Given the watchlist's settings, return the fetcher's limits."""
    return FetchLimits(settings.user_agent, settings.timeout, settings.connect_timeout, settings.max_body,
                       settings.concurrency, settings.per_host)


def webhooks(watchlist: Watchlist, environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """Given a watchlist, return the webhook URL of each channel that has one."""
    return {channel.name: url for channel in watchlist.channels if (url := webhook_for(channel, environ))}


class _Server(uvicorn.Server):
    """uvicorn without its own signal handling: the daemon owns SIGTERM, SIGINT and SIGHUP."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class Daemon:
    """`watcher run`: checks every watch on its schedule, serves feeds and pages, sends alerts."""

    def __init__(self, watchlist_path: Path, database: Path) -> None:
        self.watchlist_path = watchlist_path
        self.database = database
        self.metrics = Metrics()
        self._stop = asyncio.Event()
        self._wake_outbox = asyncio.Event()
        self._in_flight: set[asyncio.Task[None]] = set()
        self.url = ""  # where the HTTP server listens, once it does

    def stop(self) -> None:
        """Stop as SIGTERM does: finish or abandon in-flight checks, then return from run()."""
        self._stop.set()

    async def run(self) -> int:
        """Run until SIGTERM or SIGINT (or stop()); return the exit code (78 for a bad watchlist)."""
        try:
            self.watchlist = load_watchlist(self.watchlist_path)
            self.store = Store(self.database, failure_alert_after=self.watchlist.settings.failure_alert_after)
        except WatchlistError as error:
            log.error("watchlist invalid path=%s problems=%s", error.path, "; ".join(error.problems))
            return EXIT_CONFIG
        except StoreError as error:
            log.error("cannot open the store error=%s", error)
            return 1
        try:
            return await self._serve()
        finally:
            self.store.close()

    async def _serve(self) -> int:
        settings = self.watchlist.settings
        self.fetcher = Fetcher(fetch_limits(settings))
        self.workers = Workers(settings.workers, settings.task_timeout)
        self.checker = Checker(self.fetcher, self.store, self.workers, self.watchlist)
        async with httpx.AsyncClient(timeout=15.0) as slack_client:
            self.outbox = Outbox(self.store, slack_client, self.watchlist, webhooks(self.watchlist))
            try:
                return await self._main_loop(settings)
            finally:
                await self.fetcher.aclose()
                self.workers.close()

    async def _main_loop(self, settings: Settings) -> int:
        server = self._http_server(settings)
        server_task = asyncio.create_task(server.serve())
        if not await self._started(server, server_task):
            log.error("cannot listen address=%s", settings.listen)
            return 1
        self.schedule = Schedule(self._run_check, settings.jitter)
        self.schedule.start(self.watchlist.watches, self._last_checks())
        outbox_task = asyncio.create_task(self.outbox.run(self._wake_outbox))
        self._install_signals()
        watchdog = asyncio.create_task(self._watchdog())
        self.url = self._bound_url(server)
        log.info("running watches=%d url=%s", len(self.watchlist.watches), self.url)
        notify_systemd(f"READY=1\nSTATUS=checking {len(self.watchlist.watches)} watches")
        await self._stop.wait()
        notify_systemd("STOPPING=1")
        log.info("stopping in_flight=%d", len(self._in_flight))
        await self._finish_checks()
        for task in (outbox_task, watchdog):
            task.cancel()
        server.should_exit = True
        await asyncio.gather(server_task, outbox_task, watchdog, return_exceptions=True)
        return 0

    def _http_server(self, settings: Settings) -> _Server:
        site = Site(self.store, lambda: self.watchlist, self.metrics, lambda: (self.outbox.sent, self.outbox.failed))
        host, port = split_listen(settings.listen)
        config = uvicorn.Config(create_app(site), host=host, port=port, log_config=None, access_log=False,
                                lifespan="off", server_header=False)
        return _Server(config)

    @staticmethod
    def _bound_url(server: _Server) -> str:
        """The address actually bound (listen may give port 0)."""
        host, port = server.servers[0].sockets[0].getsockname()[:2]
        return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"

    @staticmethod
    async def _started(server: _Server, task: asyncio.Task[None]) -> bool:
        while not server.started:
            if task.done():  # uvicorn gives up (SystemExit) when it cannot bind
                with contextlib.suppress(BaseException):
                    task.result()
                return False
            await asyncio.sleep(0.02)
        return True

    def _install_signals(self) -> None:
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, self._stop.set)
        loop.add_signal_handler(signal.SIGINT, self._stop.set)
        loop.add_signal_handler(signal.SIGHUP, lambda: asyncio.ensure_future(self.reload()))

    def _last_checks(self) -> dict[str, datetime | None]:
        return {state.id: datetime.fromisoformat(state.last_checked_at.replace("Z", "+00:00"))
                for state in self.store.watch_states() if state.last_checked_at}

    async def _run_check(self, watch_id: str) -> None:
        try:
            watch = self.watchlist.watch(watch_id)
        except KeyError:
            return  # removed by a reload while this run was queued
        task = asyncio.current_task()
        assert task is not None
        self._in_flight.add(task)
        started = time.monotonic()
        try:
            result = await asyncio.wait_for(self.checker.check_watch(watch), timeout=self._check_limit(watch))
            outcome = result.outcome
        except TimeoutError:  # a backstop: fetch and workers have their own limits
            outcome = "hung"
            self.checker.record_failure(watch, outcome, f"check ran over {self._check_limit(watch):g}s")
        finally:
            self._in_flight.discard(task)
        self.metrics.record_check(outcome, time.monotonic() - started)
        if outcome == "changed":
            self._wake_outbox.set()

    def _check_limit(self, watch: Watch) -> float:
        """Longer than any check can take on its own: two fetches and two extractions when confirming, a diff."""
        settings = self.watchlist.settings
        return 2 * settings.timeout + 3 * settings.task_timeout + (watch.confirm or 0) + 30

    async def _finish_checks(self) -> None:
        self.schedule.scheduler.pause()
        if self._in_flight:
            await asyncio.wait(set(self._in_flight), timeout=STOP_GRACE)
        for task in self._in_flight:
            task.cancel()
        self.schedule.shutdown()

    async def reload(self) -> None:
        """Reload watchlist.toml (SIGHUP): start added watches, stop removed ones, reschedule changed ones.

        A bad file is logged and the running watchlist kept.
        """
        notify_systemd(f"RELOADING=1\nMONOTONIC_USEC={time.clock_gettime_ns(time.CLOCK_MONOTONIC) // 1000}")
        try:
            watchlist = load_watchlist(self.watchlist_path)
        except WatchlistError as error:
            log.error("reload refused, keeping the running watchlist problems=%s", "; ".join(error.problems))
        else:
            if watchlist.settings != self.watchlist.settings:
                log.warning("reload: [settings] changes take effect at the next restart")
            self.watchlist = watchlist
            self.checker = Checker(self.fetcher, self.store, self.workers, watchlist)
            self.outbox.watchlist, self.outbox.webhooks = watchlist, webhooks(watchlist)
            report = self.schedule.apply(watchlist.watches, self._last_checks())
            log.info("reloaded added=%s removed=%s rescheduled=%s", *(",".join(v) or "-" for v in report.values()))
        finally:
            notify_systemd("READY=1")

    async def _watchdog(self) -> None:
        microseconds = os.environ.get("WATCHDOG_USEC")
        if not microseconds or not microseconds.isdigit():
            return
        interval = int(microseconds) / 2_000_000  # ping twice per period, from the loop itself
        while True:
            notify_systemd("WATCHDOG=1")
            await asyncio.sleep(interval)
