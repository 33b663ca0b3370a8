#!/usr/bin/env python3
"""Change-detection benchmark: false alerts, missed changes and figure pairs on a noisy local site.

Serves a gov.uk-style site of N pages on 127.0.0.1. Every request carries noise (a footer
timestamp, an "Updated N minutes ago" line under the headline, a CSRF token, a tracking id in a
script, a cookie banner that varies, related links in a new order). Later rounds script real edits (a figure edited, a sentence added, a paragraph
removed, "up to" dropped) and faults served instead of the page (a maintenance page and a bot
challenge with 200, an HTTP 503), then restore the faulted pages. watcher's real pipeline
(fetch, worker processes, extraction, diff, SQLite store) checks every page each round.

    .venv/bin/python benchmarks/detection.py [--pages 200] [--rounds 6]

Exit 1 if any alert is false, any scripted change is missed, or any figure pair is wrong.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from watcher.check import Checker, CheckResult
from watcher.daemon import fetch_limits
from watcher.fetch import Fetcher
from watcher.store import Store
from watcher.watchlist import Watchlist, parse_watchlist
from watcher.workers import Workers

FAULTS = {"maintenance": "soft-error", "challenge": "blocked", "503": "http-error"}
EDITS = ("figure", "sentence", "paragraph", "maintenance", "challenge", "503", "bids", "up-to")


@dataclass
class PageState:
    """One page's current content: the figures and paragraphs that edits change."""

    amount: str
    bids: str
    qualifier: str = "up to "
    extra: str = ""
    with_paragraph: bool = True
    fault: str | None = None


@dataclass
class Expectation:
    """What a round should report for one page: a change with these figure pairs, a failure kind, or nothing."""

    change: bool = False
    figures: list[tuple[str, str]] = field(default_factory=list)
    failure: str | None = None


def page_html(page_id: int, state: PageState, rng: random.Random) -> tuple[int, str]:
    if state.fault == "503":
        return 503, "<h1>Service unavailable</h1>"
    if state.fault == "maintenance":
        return 200, ("<html><head><title>GOV.UK</title></head><body><main><h1>Sorry, we're down for maintenance"
                     "</h1><p>We'll be back soon.</p></main></body></html>")
    if state.fault == "challenge":
        return 200, "<html><head><title>Just a moment...</title></head><body>Checking your browser</body></html>"
    related = [f'<li><a href="/news/{n}">Related story {n}</a></li>' for n in rng.sample(range(1000), 5)]
    paragraph = "<p>The scheme also funds apprenticeships for data centre technicians.</p>"
    return 200, f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Programme {page_id} - GOV.UK</title><script>var trackingId = "{rng.getrandbits(64):x}";</script></head><body>
<div class="govuk-cookie-banner"><p>{rng.choice(["We use cookies.", "Cookies on GOV.UK", "Accept cookies?"])}</p></div>
<header class="govuk-header"><a href="/">GOV.UK</a></header>
<main id="main-content"><h1>Programme {page_id}: regional AI compute</h1>
<p class="gem-c-metadata">Updated {rng.randint(1, 59)} minutes ago</p>
<p>The government will invest {state.qualifier}{state.amount} in programme {page_id}.</p>
<p>The competition received {state.bids} from across the country by 3 October 2025.</p>
{paragraph if state.with_paragraph else ""}{state.extra}
<p>Applications for the second round open in 2026-27.</p></main>
<aside class="gem-c-related-navigation"><h2>Related content</h2><ul>{"".join(related)}</ul></aside>
<footer class="govuk-footer"><p>Page generated {time.strftime("%H:%M:%S")}.{rng.getrandbits(20)}</p>
<form><input type="hidden" name="csrf" value="{rng.getrandbits(128):x}"></form></footer></body></html>"""


class Site:
    """The pages, served on 127.0.0.1 by a threaded server."""

    def __init__(self, pages: int) -> None:
        self.states = {n: PageState(f"£{100 + n} million", f"{200 + n} bids") for n in range(pages)}
        self.rng = random.Random(7)
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                page_id = int(self.path.rsplit("/", 1)[-1])
                with site.lock:
                    status, body = page_html(page_id, site.states[page_id], site.rng)
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, page_id: int) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/programmes/{page_id}"


def script_round(site: Site, round_number: int) -> dict[int, Expectation]:
    """Apply this round's edits and faults; return what each touched page should report."""
    expected: dict[int, Expectation] = {}
    for page_id, state in site.states.items():
        kind = EDITS[page_id % 10] if page_id % 10 < len(EDITS) else None
        if round_number == 3 and kind == "figure":
            new = f"£{100 + page_id + 25} million"
            expected[page_id] = Expectation(True, [(f"up to £{100 + page_id} million", f"up to {new}")])
            state.amount = new
        elif round_number == 3 and kind == "sentence":
            state.extra = "<p>The minister will visit the first site next month.</p>"
            expected[page_id] = Expectation(True)
        elif round_number == 3 and kind == "paragraph":
            state.with_paragraph = False
            expected[page_id] = Expectation(True)
        elif round_number == 3 and kind in FAULTS:
            state.fault = kind
            expected[page_id] = Expectation(failure=FAULTS[kind])
        elif round_number == 4 and kind in FAULTS:
            state.fault = None  # back to the page as it was: no change
        elif round_number == 5 and kind == "bids":
            new = f"{230 + page_id} bids"
            expected[page_id] = Expectation(True, [(state.bids, new)])
            state.bids = new
        elif round_number == 5 and kind == "up-to":
            expected[page_id] = Expectation(True, [(f"up to {state.amount}", state.amount)])
            state.qualifier = ""
    return expected


@dataclass
class Score:
    """One round's tally."""

    false_alerts: int = 0
    missed: int = 0
    figures_wrong: int = 0
    failures_expected: int = 0
    failures_wrong: int = 0
    seconds: float = 0.0


def score(results: list[CheckResult], expected: dict[int, Expectation], round_number: int) -> Score:
    tally = Score()
    for result in results:
        page_id = int(result.watch_id.removeprefix("p"))
        want = expected.get(page_id, Expectation())
        alerted = result.outcome == "changed"
        if want.failure:
            tally.failures_expected += 1
            tally.failures_wrong += result.outcome != want.failure
        if alerted and not want.change:
            tally.false_alerts += 1
            print(f"  round {round_number}: false alert on {result.watch_id}: {result.message}", file=sys.stderr)
        elif want.change and not alerted:
            tally.missed += 1
            print(f"  round {round_number}: missed change on {result.watch_id}: {result.outcome}", file=sys.stderr)
        elif alerted and want.figures and result.change is not None:
            got = [(f.old, f.new) for f in result.change.change.figures]
            if got != want.figures:
                tally.figures_wrong += 1
                print(f"  round {round_number}: figures on {result.watch_id}: {got} != {want.figures}", file=sys.stderr)
    return tally


async def run(pages: int, rounds: int) -> int:
    site = Site(pages)
    watchlist: Watchlist = parse_watchlist({"settings": {"timeout": "10s", "concurrency": 16, "per_host": 16},
                                            "watch": {f"p{n}": {"url": site.url(n)} for n in range(pages)}})
    workers = Workers(size=2, time_limit=20)
    with tempfile.TemporaryDirectory() as directory:
        store = Store(Path(directory) / "watcher.db")
        fetcher = Fetcher(fetch_limits(watchlist.settings))
        checker = Checker(fetcher, store, workers, watchlist)
        totals = Score()
        print(f"{'round':>5} {'what':<34} {'checked':>7} {'alerts':>6} {'false':>5} {'missed':>6} "
              f"{'fig wrong':>9} {'failures ok':>11} {'pages/s':>7}")
        for round_number in range(1, rounds + 1):
            expected = script_round(site, round_number)
            started = time.perf_counter()
            results = await checker.check_all(watchlist.watches)
            tally = score(results, expected, round_number)
            tally.seconds = time.perf_counter() - started
            report_round(round_number, results, tally)
            for name in ("false_alerts", "missed", "figures_wrong", "failures_expected", "failures_wrong"):
                setattr(totals, name, getattr(totals, name) + getattr(tally, name))
        await fetcher.aclose()
        store.close()
    workers.close()
    site.server.shutdown()
    print(f"\ntotal: {totals.false_alerts} false alerts, {totals.missed} missed changes, "
          f"{totals.figures_wrong} figure pairs wrong, {totals.failures_expected - totals.failures_wrong}/"
          f"{totals.failures_expected} faults recorded as the right failure")
    return int(bool(totals.false_alerts or totals.missed or totals.figures_wrong or totals.failures_wrong))


ROUND_NAMES = {1: "baseline", 2: "noise only", 3: "edits + maintenance/challenge/503",
               4: "faulted pages restored", 5: "bids edited, 'up to' dropped", 6: "noise only"}


def report_round(round_number: int, results: list[CheckResult], tally: Score) -> None:
    alerts = sum(result.outcome == "changed" for result in results)
    print(f"{round_number:>5} {ROUND_NAMES.get(round_number, 'noise only'):<34} {len(results):>7} {alerts:>6} "
          f"{tally.false_alerts:>5} {tally.missed:>6} {tally.figures_wrong:>9} "
          f"{tally.failures_expected - tally.failures_wrong:>5}/{tally.failures_expected:<5} "
          f"{len(results) / tally.seconds:>7.0f}")


def main() -> int:
    logging.basicConfig(level=logging.ERROR)  # each scripted fault would log a warning
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=6)
    arguments = parser.parse_args()
    return asyncio.run(run(arguments.pages, arguments.rounds))


if __name__ == "__main__":
    sys.exit(main())
