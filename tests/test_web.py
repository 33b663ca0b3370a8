"""The read-only web app on a real uvicorn server: diff pages, feeds, errors, and a real browser."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import feedparser
import httpx
import pytest
import uvicorn
from daemon_process import wait_for

from watcher.diff import diff_texts
from watcher.feeds import write_feeds
from watcher.metrics import Metrics
from watcher.store import Store, Version
from watcher.watchlist import Watchlist, parse_watchlist
from watcher.web import Site, create_app

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def watchlist(base: str) -> Watchlist:
    return parse_watchlist({"settings": {"base_url": base}, "watch": {
        "gov": {"url": "https://www.gov.uk/x", "name": "GOV.UK press release", "tags": ["gov-uk"]},
        "other": {"url": "https://other.test/", "tags": ["company"]}}})


def record_changes(store: Store, amounts: list[str]) -> None:
    text = f"Intro.\nThe government will invest {amounts[0]} in AI.\nEnd."
    store.save_baseline("gov", "https://www.gov.uk/x", Version(text, b"<p>", 200, "", "1", "r"), "h0")
    for number, amount in enumerate(amounts[1:], start=1):
        new = f"Intro.\nThe government will invest {amount} in AI.\nEnd."
        store.save_change("gov", "https://www.gov.uk/x", Version(new, b"<p>", 200, "", "1", "r"),
                          diff_texts(text, new), [], f"h{number}")
        text = new


@pytest.fixture
def served(store: Store) -> Iterator[str]:
    site = Site(store, lambda: watchlist("http://watcher.test"), Metrics())
    config = uvicorn.Config(create_app(site), host="127.0.0.1", port=0, log_config=None, lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=lambda: asyncio.run(server.serve()), daemon=True)
    thread.start()
    wait_for(lambda: server.started, what="uvicorn")
    yield f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"
    server.should_exit = True
    thread.join(10)


def test_diff_page_links_the_page_and_the_neighbouring_changes(store: Store, served: str) -> None:
    record_changes(store, ["£2 billion", "£2.5 billion", "£3 billion"])

    first, second = httpx.get(f"{served}/changes/1").text, httpx.get(f"{served}/changes/2").text

    assert "GOV.UK press release" in first and "£2 billion → £2.5 billion (+25%)" in first
    assert 'href="https://www.gov.uk/x"' in first
    assert 'rel="next" href="/changes/2"' in first and 'rel="prev"' not in first
    assert 'rel="prev" href="/changes/1"' in second and 'rel="next"' not in second


@pytest.mark.parametrize("path", ["/changes/99", "/feeds/watches/nope.atom", "/feeds/tags/nope.atom",
                                  "/feeds/all.json", "/nothing"])
def test_unknown_things_are_404(store: Store, served: str, path: str) -> None:
    assert httpx.get(served + path).status_code == 404


def test_feeds_per_watch_and_per_tag_hold_only_their_changes(store: Store, served: str) -> None:
    record_changes(store, ["£2 billion", "£2.5 billion"])

    by_tag = feedparser.parse(httpx.get(f"{served}/feeds/tags/gov-uk.atom").content)
    other = feedparser.parse(httpx.get(f"{served}/feeds/watches/other.rss").content)

    assert by_tag.bozo == 0 and len(by_tag.entries) == 1
    assert by_tag.entries[0].title == "GOV.UK press release: £2 billion → £2.5 billion"
    assert other.bozo == 0 and other.entries == []


def test_write_feeds_writes_the_served_feeds_as_files(store: Store, tmp_path: Path) -> None:
    record_changes(store, ["£2 billion", "£2.5 billion"])

    count = write_feeds(store, watchlist("https://feeds.example.org/watcher"), tmp_path / "out")

    assert count == 2 * (1 + 2 + 2)  # atom and rss: all, two watches, two tags
    parsed = feedparser.parse((tmp_path / "out" / "feeds" / "all.atom").read_bytes())
    assert parsed.entries[0].link == "https://feeds.example.org/watcher/changes/1"


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium is not installed")
def test_the_diff_page_in_a_real_browser_highlights_the_changed_figure(
        store: Store, served: str, tmp_path: Path) -> None:
    record_changes(store, ["£2 billion", "£2.5 billion"])

    dom = subprocess.run(["chromium", *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
                          "--dump-dom", f"{served}/changes/1"], capture_output=True, text=True, timeout=60).stdout

    assert '<del><strong class="figure">£2</strong></del>' in dom
    assert '<ins><strong class="figure">£2.5</strong></ins>' in dom
