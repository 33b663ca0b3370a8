"""Fixtures: a real local page site, a real SQLite file, real worker processes."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from servers import PageSite, SlackReceiver

from watcher.check import Checker, CheckResult
from watcher.daemon import fetch_limits
from watcher.fetch import Fetcher
from watcher.store import Store
from watcher.watchlist import Watchlist, parse_watchlist
from watcher.workers import Workers

PAGES = Path(__file__).parent / "pages"


def press_release(amount: str = "£500 million", extra: str = "", updated: str = "1 July 2025") -> str:
    """A small GOV.UK-style press release (written for these tests) with page furniture around it."""
    return (PAGES / "press-release.html").read_text().format(amount=amount, extra=extra, updated=updated)


@pytest.fixture
def site() -> Iterator[PageSite]:
    server = PageSite()
    yield server
    server.close()


@pytest.fixture
def slack() -> Iterator[SlackReceiver]:
    receiver = SlackReceiver()
    yield receiver
    receiver.close()


@pytest.fixture(scope="session")
def workers() -> Iterator[Workers]:
    pool = Workers(size=2, time_limit=10)
    yield pool
    pool.close()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(tmp_path / "state" / "watcher.db")
    yield opened
    opened.close()


def watchlist_for(watches: dict[str, dict[str, object]], **settings: object) -> Watchlist:
    """A validated watchlist of the given watch tables, with short timeouts for tests."""
    defaults: dict[str, object] = {"timeout": "2s", "connect_timeout": "1s"}
    document = {"settings": {**defaults, **settings}, "channels": {"newsroom": {}}, "watch": watches}
    return parse_watchlist(document)


def run_round(watchlist: Watchlist, store: Store, workers: Workers) -> list[CheckResult]:
    """Check every watch once with a fresh real HTTP client, as `watcher check` does."""
    async def round_() -> list[CheckResult]:
        fetcher = Fetcher(fetch_limits(watchlist.settings))
        try:
            return await Checker(fetcher, store, workers, watchlist).check_all(watchlist.watches)
        finally:
            await fetcher.aclose()
    return asyncio.run(round_())
