"""One check of one watch, end to end against a real local site and a real SQLite file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from conftest import press_release, run_round, watchlist_for
from servers import PageSite

from watcher.store import Store
from watcher.watchlist import Watchlist
from watcher.workers import Workers


def one_watch(site: PageSite, timeout: str = "2s", **table: object) -> Watchlist:
    url = site.set("/news/northfield", press_release())
    return watchlist_for({"northfield": {"url": url, "name": "Northfield press release", **table}}, timeout=timeout)


def test_first_check_stores_a_baseline_silently(site: PageSite, store: Store, workers: Workers) -> None:
    [result] = run_round(one_watch(site), store, workers)

    assert result.outcome == "baseline"
    assert store.latest_snapshot("northfield") is not None
    assert store.changes("northfield") == []
    assert store.pending_alerts() == []


def test_edited_figure_gives_exactly_one_change_naming_both_figures(
        site: PageSite, store: Store, workers: Workers) -> None:
    watchlist = one_watch(site)
    run_round(watchlist, store, workers)
    site.set("/news/northfield", press_release(amount="£650 million"))

    [result] = run_round(watchlist, store, workers)
    [again] = run_round(watchlist, store, workers)

    assert result.outcome == "changed"
    assert again.outcome == "unchanged"
    [stored] = store.changes("northfield")
    assert "£500 million → £650 million (+30%)" in stored.change.summary
    assert [(f.old, f.new) for f in stored.change.figures] == [("£500 million", "£650 million")]
    [alert] = store.pending_alerts()
    assert (alert["change_id"], alert["channel"], alert["kind"]) == (stored.id, "newsroom", "change")


def test_unchanged_page_gives_no_change(site: PageSite, store: Store, workers: Workers) -> None:
    watchlist = one_watch(site)
    outcomes = [run_round(watchlist, store, workers)[0].outcome for _ in range(3)]

    assert outcomes == ["baseline", "unchanged", "unchanged"]
    assert store.changes() == []
    assert len(store.snapshots("northfield")) == 1


def test_storage_grows_with_changes_not_checks(site: PageSite, store: Store, workers: Workers) -> None:
    watchlist = one_watch(site)
    for _ in range(5):
        run_round(watchlist, store, workers)
    site.set("/news/northfield", press_release(extra="<p>A new sentence.</p>"))
    for _ in range(5):
        run_round(watchlist, store, workers)

    assert len(store.snapshots("northfield")) == 2
    assert len(store.changes("northfield")) == 1


def test_noise_outside_the_main_content_gives_no_change(site: PageSite, store: Store, workers: Workers) -> None:
    watchlist = one_watch(site)
    run_round(watchlist, store, workers)
    noisy = press_release().replace("Other news", "Different related news").replace("app.js", "app.v2.js")
    site.set("/news/northfield", noisy)

    [result] = run_round(watchlist, store, workers)

    assert result.outcome == "unchanged"


def test_a_relative_time_stamp_that_moves_on_gives_no_change(site: PageSite, store: Store, workers: Workers) -> None:
    def stamped(minutes: int) -> str:
        return press_release().replace('<div class="govuk-govspeak">',
                                       f'<p>Updated {minutes} minutes ago</p><div class="govuk-govspeak">')
    watchlist = one_watch(site)
    site.set("/news/northfield", stamped(3))
    run_round(watchlist, store, workers)
    site.set("/news/northfield", stamped(47))

    [result] = run_round(watchlist, store, workers)

    assert result.outcome == "unchanged"
    assert store.changes() == []


def test_server_error_timeout_and_reset_are_failures_not_changes(
        site: PageSite, store: Store, workers: Workers) -> None:
    watchlist = one_watch(site, timeout="0.5s")
    run_round(watchlist, store, workers)
    faults = [{"status": 500}, {"fault": "hang"}, {"fault": "reset"}]
    outcomes = []
    for fault in faults:
        site.set("/news/northfield", "<p>Internal error</p>", **fault)
        outcomes.append(run_round(watchlist, store, workers)[0].outcome)

    assert outcomes == ["http-error", "timeout", "network-error"]
    assert store.changes() == []
    assert store.watch_state("northfield").consecutive_failures == 3
    assert [f["kind"] for f in store.failures("northfield")] == ["network-error", "timeout", "http-error"]
    site.set("/news/northfield", press_release())
    assert run_round(watchlist, store, workers)[0].outcome == "unchanged"
    assert store.watch_state("northfield").consecutive_failures == 0


def test_select_matching_nothing_is_a_recorded_failure(site: PageSite, store: Store, workers: Workers) -> None:
    [result] = run_round(one_watch(site, select="#no-such-thing"), store, workers)

    assert result.outcome == "extract-error"
    assert "matched nothing" in result.message
    assert store.latest_snapshot("northfield") is None


def test_a_frameset_is_a_recorded_failure_naming_the_frames_to_watch(
        site: PageSite, store: Store, workers: Workers) -> None:
    watchlist = one_watch(site)
    url = site.set("/news/northfield", '<html><head><title>Northfield</title></head><frameset cols="180,*">'
                                       '<frame src="menu.htm"><frame src="releases/0412.htm">'
                                       "<noframes><p>This site needs frames.</p></noframes></frameset></html>")

    [result] = run_round(watchlist, store, workers)

    assert result.outcome == "extract-error"
    folder = url.rsplit("/", 1)[0]  # the frames' URLs resolved against the page's, ready to watch
    assert "frameset" in result.message and f"({folder}/menu.htm, {folder}/releases/0412.htm)" in result.message
    assert store.latest_snapshot("northfield") is None


def test_changed_rules_rebaseline_silently(site: PageSite, store: Store, workers: Workers) -> None:
    run_round(one_watch(site), store, workers)

    [result] = run_round(one_watch(site, remove=["table"]), store, workers)

    assert result.outcome == "rebaseline"
    assert store.changes() == []


def test_versions_from_an_older_extractor_rebaseline_silently(
        site: PageSite, tmp_path: Path, store: Store, workers: Workers) -> None:
    watchlist = one_watch(site)
    run_round(watchlist, store, workers)
    with sqlite3.connect(tmp_path / "state" / "watcher.db") as older:  # as an earlier watcher release stored it
        older.execute("UPDATE snapshots SET extractor_version = '1'")
    site.set("/news/northfield", press_release().replace("Notes to editors", "Notes for editors"))

    [result] = run_round(watchlist, store, workers)
    [again] = run_round(watchlist, store, workers)

    assert (result.outcome, again.outcome) == ("rebaseline", "unchanged")
    assert store.changes() == [] and store.pending_alerts() == []
    assert len(store.snapshots("northfield")) == 2


def test_a_second_process_sees_the_same_history(site: PageSite, tmp_path: Path, workers: Workers) -> None:
    watchlist = one_watch(site)
    path = tmp_path / "watcher.db"
    first = Store(path)
    run_round(watchlist, first, workers)
    site.set("/news/northfield", press_release(amount="£650 million"))
    run_round(watchlist, first, workers)
    first.close()

    second = Store(path)
    [stored] = second.changes("northfield")
    assert "£650 million" in stored.change.summary
    assert second.latest_snapshot("northfield").text.count("£650 million") == 1
    assert run_round(watchlist, second, workers)[0].outcome == "unchanged"
    second.close()


def test_one_failing_page_does_not_stop_the_others(site: PageSite, store: Store, workers: Workers) -> None:
    good = site.set("/good", press_release())
    bad = site.set("/bad", "", fault="reset")
    watchlist = watchlist_for({"good": {"url": good}, "bad": {"url": bad}})

    results = {result.watch_id: result.outcome for result in run_round(watchlist, store, workers)}

    assert results == {"good": "baseline", "bad": "network-error"}
