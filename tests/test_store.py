"""The SQLite store: schema and migrations, compressed versions, changes with their outbox rows."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from watcher.diff import diff_texts
from watcher.errors import StoreError
from watcher.store import MIGRATIONS, Store, Version


def version(text: str, raw: bytes | None = None) -> Version:
    return Version(text, raw if raw is not None else f"<p>{text}</p>".encode(), 200, "http://x/", "1", "rules")


def test_a_new_store_is_migrated_and_in_wal_mode(tmp_path: Path) -> None:
    store = Store(tmp_path / "new" / "watcher.db")

    assert store.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert {"watches", "snapshots", "changes", "outbox", "failures"} <= set(store.db.table_names())
    store.close()
    Store(tmp_path / "new" / "watcher.db").close()  # reopening migrates nothing twice


def test_a_database_from_a_newer_watcher_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "watcher.db"
    with sqlite3.connect(path) as connection:
        connection.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")

    with pytest.raises(StoreError, match="newer watcher"):
        Store(path)


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "watcher.db"
    path.write_bytes(b"this is not sqlite" * 100)

    with pytest.raises(StoreError, match="cannot use"):
        Store(path)


def test_every_version_in_a_long_compressed_chain_reads_back(store: Store) -> None:
    texts = [f"Paragraph one.\nThe fund is £{n} million.\nParagraph three." for n in range(40)]
    ids = [store.save_baseline("w", "http://x/", version(text), f"hash{n}").id for n, text in enumerate(texts)]

    assert [store.snapshot(snapshot_id).text for snapshot_id in ids] == texts
    assert store.raw_html(ids[-1]) == f"<p>{texts[-1]}</p>".encode()
    chain = store.db.execute("SELECT count(*) FROM snapshots WHERE base_id IS NULL").fetchone()[0]
    assert chain == 3  # a keyframe every 16 versions bounds the work to read one


def test_a_version_stored_against_the_previous_one_is_small(store: Store) -> None:
    page = "".join(f"<p>Paragraph {n} of a long government page about funding.</p>" for n in range(2000)).encode()
    store.save_baseline("w", "http://x/", version("v1 " * 3000, page), "h1")
    store.save_baseline("w", "http://x/", version("v1 " * 3000 + "v2", page.replace(b"Paragraph 7 ", b"Para 7 ")), "h2")

    sizes = store.db.execute("SELECT length(raw) FROM snapshots ORDER BY id").fetchall()
    assert sizes[1][0] < 200 < sizes[0][0]


def test_save_change_writes_version_change_and_outbox_rows_together(store: Store) -> None:
    store.save_baseline("w", "http://x/", version("£500 million"), "h1")
    change = diff_texts("£500 million", "£650 million")

    stored = store.save_change("w", "http://x/", version("£650 million"), change, ["a", "b"], "h2")

    assert store.change(stored.id).change == change
    assert [(row["change_id"], row["channel"]) for row in store.pending_alerts()] == [(stored.id, "a"), (stored.id, "b")]
    assert store.watch_state("w").last_outcome == "changed"


def test_save_change_stores_nothing_when_another_version_came_first(store: Store) -> None:
    first = store.save_baseline("w", "http://x/", version("one"), "h1")
    store.save_baseline("w", "http://x/", version("two"), "h2")

    with pytest.raises(StoreError, match="another check"):
        store.save_change("w", "http://x/", version("three"), diff_texts("one", "three"), ["a"], "h3",
                          expected_previous=first.id)

    assert store.changes() == [] and store.pending_alerts() == []
    assert store.latest_snapshot("w").text == "two"


def test_a_failed_transaction_leaves_nothing_half_written(store: Store) -> None:
    store.save_baseline("w", "http://x/", version("one"), "h1")
    store.db.execute("CREATE TRIGGER no_outbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'disk full'); END")

    with pytest.raises(sqlite3.DatabaseError):
        store.save_change("w", "http://x/", version("two"), diff_texts("one", "two"), ["a"], "h2")

    assert store.changes() == []
    assert len(store.snapshots("w")) == 1


def test_failures_count_up_and_reset_on_success(store: Store) -> None:
    counts = [store.record_failure("w", "http://x/", "timeout", "slow") for _ in range(3)]
    store.record_unchanged("w", "http://x/", "unchanged")

    assert counts == [1, 2, 3]
    assert store.watch_state("w").consecutive_failures == 0


def test_old_failures_are_pruned(tmp_path: Path) -> None:
    now = [datetime(2026, 1, 1, tzinfo=UTC)]
    store = Store(tmp_path / "watcher.db", clock=lambda: now[0])
    store.record_failure("w", "http://x/", "timeout", "old")
    now[0] += timedelta(days=365)
    store.record_failure("w", "http://x/", "timeout", "new")

    assert [f["message"] for f in store.failures("w")] == ["new"]
    store.close()
