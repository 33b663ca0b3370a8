"""What counts as a change: error pages, shrinkage, flip-backs, moves, alert rules, confirmation, failure alerts."""

from __future__ import annotations

import asyncio

import pytest
from conftest import press_release, run_round, watchlist_for
from servers import PageSite

from watcher.check import Checker, CheckResult
from watcher.daemon import fetch_limits
from watcher.fetch import Fetcher
from watcher.store import Store
from watcher.watchlist import Watchlist
from watcher.workers import Workers

PATH = "/news/northfield"


def one_watch(site: PageSite, **table: object) -> Watchlist:
    return watchlist_for({"n": {"url": site.set(PATH, press_release()), **table}})


def check(watchlist: Watchlist, store: Store, workers: Workers) -> CheckResult:
    return run_round(watchlist, store, workers)[0]


def outbox_kinds(store: Store) -> list[str]:
    return [row["kind"] for row in store.pending_alerts()]


CHALLENGE = "<html><head><title>Just a moment...</title></head><body><p>Checking your browser.</p></body></html>"
MAINTENANCE = ("<html><head><title>GOV.UK</title></head><body><main><h1>Sorry, the service is unavailable</h1>"
               "<p>We're down for maintenance. We'll be back soon.</p></main></body></html>")
NOT_FOUND = "<html><head><title>Page not found - GOV.UK</title></head><body><main><h1>Page not found</h1></main></body></html>"


@pytest.mark.parametrize(("body", "kind"), [(CHALLENGE, "blocked"), (MAINTENANCE, "soft-error"),
                                            (NOT_FOUND, "soft-error"), ("<main><p>Short.</p></main>", "suspicious-shrink")],
                         ids=["bot-challenge", "maintenance", "not-found", "shrunk"])
def test_pages_that_are_not_the_page_are_failures_not_changes(
        site: PageSite, store: Store, workers: Workers, body: str, kind: str) -> None:
    watchlist = one_watch(site)
    check(watchlist, store, workers)
    site.set(PATH, body)

    result = check(watchlist, store, workers)

    assert (result.outcome, result.failed) == (kind, True)
    assert store.changes() == [] and len(store.snapshots("n")) == 1
    site.set(PATH, press_release())
    assert check(watchlist, store, workers).outcome == "unchanged"


def test_a_challenge_page_on_the_first_check_is_not_stored_as_the_baseline(
        site: PageSite, store: Store, workers: Workers) -> None:
    site.set(PATH, CHALLENGE)
    result = check(watchlist_for({"n": {"url": site.url(PATH)}}), store, workers)

    assert result.outcome == "blocked" and store.latest_snapshot("n") is None


def indented_article(opening: str) -> str:
    """A long story, pretty-printed the way many CMSs serve it: every element on its own line, deeply
    indented, so that whitespace is most of the markup's text."""
    pad = "\n" + " " * 120
    paragraphs = "".join(f"{pad}<div>{pad}<p>Paragraph {number} of the council's report on the new data "
                         f"campus, with its costs and its timetable, runs on.</p>{pad}</div>" for number in range(40))
    return (f"<html><head><title>Reporters barred from council meeting</title></head><body>{pad}<main>{pad}"
            f"<h1>Reporters barred from council meeting</h1>{pad}<p>{opening}</p>{paragraphs}{pad}</main></body></html>")


def test_a_long_story_quoting_an_error_phrase_is_a_version_not_an_error_page(
        site: PageSite, store: Store, workers: Workers) -> None:
    # Only a short page is searched for error phrases in its text: a long one that quotes them is news.
    site.set(PATH, indented_article("Access denied: the council shut the press out of Tuesday's meeting."))
    watchlist = watchlist_for({"n": {"url": site.url(PATH)}})

    assert check(watchlist, store, workers).outcome == "baseline"
    site.set(PATH, indented_article("Access denied: the council shut the press out of Wednesday's meeting."))
    assert check(watchlist, store, workers).outcome == "changed"


def test_a_redirect_to_the_home_page_is_a_soft_error(site: PageSite, store: Store, workers: Workers) -> None:
    watchlist = one_watch(site)
    check(watchlist, store, workers)
    site.set("/", press_release(amount="£1"))
    site.set(PATH, "", status=302, headers={"Location": "/"})

    assert check(watchlist, store, workers).outcome == "soft-error"


def test_a_shrunken_text_that_stays_becomes_the_new_version(site: PageSite, store: Store, workers: Workers) -> None:
    watchlist = one_watch(site)
    check(watchlist, store, workers)
    site.set(PATH, "<main><h1>Northfield to host new data campus</h1><p>This release was withdrawn.</p></main>")

    outcomes = [check(watchlist, store, workers).outcome for _ in range(3)]

    assert outcomes == ["suspicious-shrink", "suspicious-shrink", "changed"]
    assert "withdrawn" in store.changes()[0].change.summary


def test_a_page_flipping_back_to_a_recent_version_is_not_alerted(
        site: PageSite, store: Store, workers: Workers) -> None:
    watchlist = one_watch(site, compare_versions=3)
    check(watchlist, store, workers)
    site.set(PATH, press_release(amount="£650 million"))
    first = check(watchlist, store, workers)
    site.set(PATH, press_release())
    back = check(watchlist, store, workers)
    site.set(PATH, press_release(amount="£650 million"))
    again = check(watchlist, store, workers)

    assert (first.outcome, back.outcome, again.outcome) == ("changed", "reverted", "reverted")
    assert len(store.changes()) == 1 and outbox_kinds(store) == ["change"]


def test_without_compare_versions_a_figure_changed_back_is_news(
        site: PageSite, store: Store, workers: Workers) -> None:
    watchlist = one_watch(site)
    check(watchlist, store, workers)
    site.set(PATH, press_release(amount="£650 million"))
    check(watchlist, store, workers)
    site.set(PATH, press_release())

    result = check(watchlist, store, workers)

    assert result.outcome == "changed" and "£650 million → £500 million" in result.message


REORDERED = press_release().replace(
    "<li>The campus is on a former power station site.</li><li>Energy will be 100% renewable.</li>",
    "<li>Energy will be 100% renewable.</li><li>The campus is on a former power station site.</li>")


@pytest.mark.parametrize(("moved", "outcome", "changes"), [("report", "minor", 1), ("ignore", "moved", 0)])
def test_reordered_blocks_never_alert(site: PageSite, store: Store, workers: Workers, moved: str, outcome: str,
                                      changes: int) -> None:
    watchlist = one_watch(site, moved=moved)
    check(watchlist, store, workers)
    site.set(PATH, REORDERED)

    result = check(watchlist, store, workers)

    assert result.outcome == outcome
    assert len(store.changes()) == changes and store.pending_alerts() == []
    if changes:
        [stored] = store.changes()
        assert stored.minor and stored.change.only_moved and stored.change.summary.endswith("moved")


@pytest.mark.parametrize(("rule", "edit", "outcome"), [
    ({"alert_on": "figures"}, {"extra": "<p>A new sentence without numbers.</p>"}, "minor"),
    ({"alert_on": "figures"}, {"amount": "£650 million"}, "changed"),
    ({"alert_on": "figures", "min_change_pct": 50}, {"amount": "£650 million"}, "minor"),
    ({"alert_on": "figures", "min_change_pct": 50}, {"amount": "up to £500 million"}, "changed"),
    ({"alert_on": "keywords", "keywords": ["OpenAI"]}, {"extra": "<p>Talks with OpenAI continue.</p>"}, "changed"),
    ({"alert_on": "keywords", "keywords": ["OpenAI"]}, {"extra": "<p>Talks with others continue.</p>"}, "minor"),
    ({"min_words": 3}, {"extra": "<p>Updated.</p>"}, "minor"),
], ids=["figures-none", "figures-changed", "below-pct", "qualifier-dropped", "keyword", "no-keyword", "min-words"])
def test_alert_rules_decide_between_an_alert_and_a_minor_change(
        site: PageSite, store: Store, workers: Workers, rule: dict[str, object], edit: dict[str, str],
        outcome: str) -> None:
    watchlist = one_watch(site, **rule)
    check(watchlist, store, workers)
    site.set(PATH, press_release(**edit))

    result = check(watchlist, store, workers)

    assert result.outcome == outcome
    [stored] = store.changes()
    assert stored.minor == (outcome == "minor")
    assert outbox_kinds(store) == ([] if outcome == "minor" else ["change"])


def confirm_round(watchlist: Watchlist, store: Store, workers: Workers, during_wait: object) -> CheckResult:
    """One check whose confirmation delay runs `during_wait` (a page edit) instead of sleeping."""
    async def go() -> CheckResult:
        async def wait(seconds: float) -> None:
            during_wait()  # type: ignore[operator]
        fetcher = Fetcher(fetch_limits(watchlist.settings))
        try:
            return await Checker(fetcher, store, workers, watchlist, sleep=wait).check_watch(watchlist.watches[0])
        finally:
            await fetcher.aclose()
    return asyncio.run(go())


def test_confirm_drops_a_change_gone_when_fetched_again(site: PageSite, store: Store, workers: Workers) -> None:
    watchlist = one_watch(site, confirm="30s")
    check(watchlist, store, workers)
    site.set(PATH, press_release(amount="£650 million"))

    glitch = confirm_round(watchlist, store, workers, lambda: site.set(PATH, press_release()))
    site.set(PATH, press_release(amount="£650 million"))
    real = confirm_round(watchlist, store, workers, lambda: None)

    assert (glitch.outcome, real.outcome) == ("unconfirmed", "changed")
    assert len(store.changes()) == 1


def test_one_failure_alert_after_three_in_a_row_then_one_recovery_note(
        site: PageSite, store: Store, workers: Workers) -> None:
    watchlist = one_watch(site)
    check(watchlist, store, workers)
    site.set(PATH, "down", status=503)
    for _ in range(5):
        check(watchlist, store, workers)
    assert outbox_kinds(store) == ["failure"]
    assert "3 checks in a row failed: HTTP 503" in store.pending_alerts()[0]["detail"]

    site.set(PATH, press_release())
    check(watchlist, store, workers)
    check(watchlist, store, workers)

    assert outbox_kinds(store) == ["failure", "recovery"]
