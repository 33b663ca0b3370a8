"""The SQLite schema, its migrations and every query; the only module that imports sqlite-utils.

Must not fetch, diff or render. Text and raw HTML are zstd-compressed against the previous version.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlite_utils

from watcher.diff import Change
from watcher.errors import StoreError

if sys.version_info >= (3, 14):
    from compression import zstd
else:
    from backports import zstd

Clock = Callable[[], datetime]
_KEYFRAME_EVERY = 16  # a version is compressed against the one before, up to this many in a chain
_ZSTD_LEVEL = 9
_MIN_DICTIONARY = 8  # zstd refuses a shorter dictionary; such a version is compressed on its own
FAILURE_RETENTION = timedelta(days=90)


def utc_now() -> datetime:
    """Return the current time in UTC: the default clock."""
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """Given an aware datetime, return it as ISO 8601 UTC with a Z, to the second."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def text_hash(text: str) -> str:
    """Return the hash by which versions of a text are compared."""
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Version:
    """A newly extracted version of a page, ready to store."""

    text: str
    raw: bytes
    status: int
    final_url: str
    extractor_version: str
    rules_hash: str


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A stored version of a page's extracted text."""

    id: int
    watch_id: str
    text: str
    text_hash: str
    fetched_at: str
    status: int
    final_url: str
    extractor_version: str
    rules_hash: str


@dataclass(frozen=True, slots=True)
class StoredChange:
    """A change as stored: the rendered outputs all come from this row."""

    id: int
    watch_id: str
    from_snapshot: int
    to_snapshot: int
    detected_at: str
    minor: bool
    change: Change


@dataclass(frozen=True, slots=True)
class Alert:
    """An outbox row: one alert about one change (or failure) for one channel."""

    id: int
    watch_id: str
    change_id: int | None
    channel: str
    kind: str  # change, failure, recovery
    attempts: int
    next_attempt_at: str | None
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class WatchState:
    """What the store knows about a watch's last checks."""

    id: str
    url: str = ""
    last_checked_at: str | None = None
    last_outcome: str | None = None
    last_error: str | None = None
    consecutive_failures: int = 0
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    last_change_at: str | None = None


def _migrate_1(db: sqlite_utils.Database) -> None:
    db.table("watches").create({"id": str, "url": str, "last_checked_at": str, "last_outcome": str,
                          "last_error": str, "consecutive_failures": int, "etag": str,
                          "last_modified": str, "body_hash": str, "last_change_at": str},
                         pk="id", not_null={"url", "consecutive_failures"}, defaults={"consecutive_failures": 0})
    db.table("snapshots").create({"id": int, "watch_id": str, "text_hash": str, "text": bytes, "raw": bytes,
                            "base_id": int, "status": int, "final_url": str, "fetched_at": str,
                            "extractor_version": str, "rules_hash": str},
                           pk="id", not_null={"watch_id", "text_hash", "text", "raw", "fetched_at"},
                           foreign_keys=[("watch_id", "watches", "id"), ("base_id", "snapshots", "id")])
    db.table("changes").create({"id": int, "watch_id": str, "from_snapshot": int, "to_snapshot": int,
                          "detected_at": str, "summary": str, "added_words": int, "removed_words": int,
                          "figures": str, "ops": bytes, "minor": int},
                         pk="id", not_null={"watch_id", "from_snapshot", "to_snapshot", "detected_at", "ops"},
                         defaults={"minor": 0},
                         foreign_keys=[("watch_id", "watches", "id"), ("from_snapshot", "snapshots", "id"),
                                       ("to_snapshot", "snapshots", "id")])
    db.table("outbox").create({"id": int, "watch_id": str, "change_id": int, "channel": str, "kind": str,
                         "created_at": str, "attempts": int, "next_attempt_at": str, "sent_at": str,
                         "last_error": str},
                        pk="id", not_null={"watch_id", "channel", "kind", "created_at", "attempts"},
                        defaults={"attempts": 0}, foreign_keys=[("change_id", "changes", "id")])
    db.table("failures").create({"id": int, "watch_id": str, "at": str, "kind": str, "message": str, "status": int},
                          pk="id", not_null={"watch_id", "at", "kind", "message"})
    db.table("snapshots").create_index(["watch_id", "id"])
    db.table("changes").create_index(["watch_id", "id"])
    db.table("outbox").create_index(["sent_at", "channel", "id"])
    db.table("failures").create_index(["watch_id", "at"])


def _migrate_2(db: sqlite_utils.Database) -> None:
    """Failure and recovery alerts carry their text; shrunken versions are recognised when they repeat."""
    db.table("outbox").add_column("detail", str)
    db.table("failures").add_column("text_hash", str)
    db.table("changes").add_column("moved", int, not_null_default=0)


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_migrate_1, _migrate_2]


class Store:
    """The state database: one connection, WAL mode, every query watcher makes."""

    def __init__(self, path: str | Path, clock: Clock = utc_now, failure_alert_after: int = 3) -> None:
        self.path = Path(path)
        self.clock = clock
        self.failure_alert_after = failure_alert_after
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            connection = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            self.db = sqlite_utils.Database(connection)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{self.path}: cannot use the state database: {error}") from None

    def close(self) -> None:
        """Close the connection."""
        self.db.conn.close()

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise StoreError(f"{self.path} was written by a newer watcher (schema {version}); upgrade watcher")
        for number, migration in enumerate(MIGRATIONS[version:], start=version + 1):
            with self._transaction():
                migration(self.db)
                self.db.execute(f"PRAGMA user_version = {number}")

    @contextmanager
    def _transaction(self, durable: bool = False) -> Iterator[None]:
        """One write transaction, taken at once (IMMEDIATE) so a concurrent writer waits, not fails."""
        if durable:
            self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")
        finally:
            if durable:
                self.db.execute("PRAGMA synchronous=NORMAL")

    def _insert(self, table: str, row: dict[str, Any]) -> int:
        row_id = self.db.table(table).insert(row).last_pk
        if row_id is None:
            raise StoreError(f"{self.path}: insert into {table} gave no row id")
        return int(row_id)

    # --- watches -------------------------------------------------------------------------

    def watch_state(self, watch_id: str) -> WatchState:
        """Given a watch id, return what the store knows of it (a blank state if never checked)."""
        rows = list(self.db.query("SELECT * FROM watches WHERE id = ?", [watch_id]))
        return WatchState(**rows[0]) if rows else WatchState(watch_id)

    def watch_states(self) -> list[WatchState]:
        """Return the state of every watch ever checked, by id."""
        return [WatchState(**row) for row in self.db.query("SELECT * FROM watches ORDER BY id")]

    def _touch_watch(self, watch_id: str, url: str, channels: Sequence[str] = (), **values: Any) -> None:
        """Update a watch's row; a success after a failure alert also queues one recovery alert."""
        if values.get("consecutive_failures") == 0 and channels:
            failed = self.watch_state(watch_id).consecutive_failures
            if failed >= self.failure_alert_after:
                self._enqueue(watch_id, None, channels, "recovery", f"readable again after {failed} failed checks")
        values = {"url": url, "last_checked_at": iso(self.clock()), **values}
        columns = ", ".join(values)
        updates = ", ".join(f"{column} = excluded.{column}" for column in values)
        self.db.execute(
            f"INSERT INTO watches (id, {columns}) VALUES (?, {', '.join('?' * len(values))}) "
            f"ON CONFLICT (id) DO UPDATE SET {updates}", [watch_id, *values.values()])

    def record_unchanged(self, watch_id: str, url: str, outcome: str, etag: str | None = None,
                         last_modified: str | None = None, body_hash: str | None = None,
                         channels: Sequence[str] = ()) -> None:
        """Record a successful check that stored nothing new ("unchanged", "not-modified", ...)."""
        validators = {"etag": etag, "last_modified": last_modified} if outcome != "not-modified" else {}
        if body_hash:
            validators["body_hash"] = body_hash
        with self._transaction():
            self._touch_watch(watch_id, url, channels, last_outcome=outcome, last_error=None,
                              consecutive_failures=0, **validators)

    def record_failure(self, watch_id: str, url: str, kind: str, message: str, status: int | None = None,
                       channels: Sequence[str] = (), text_hash: str | None = None) -> int:
        """Record a failed check; return how many checks in a row have now failed.

        The failure that reaches `failure_alert_after` in a row queues one failure alert per channel.
        """
        now = self.clock()
        with self._transaction():
            failures = self.watch_state(watch_id).consecutive_failures + 1
            self._touch_watch(watch_id, url, last_outcome=kind, last_error=message, consecutive_failures=failures)
            self.db.table("failures").insert({"watch_id": watch_id, "at": iso(now), "kind": kind,
                                              "message": message, "status": status, "text_hash": text_hash})
            self.db.execute("DELETE FROM failures WHERE at < ?", [iso(now - FAILURE_RETENTION)])
            if failures == self.failure_alert_after:
                self._enqueue(watch_id, None, channels, "failure", f"{failures} checks in a row failed: {message}")
        return failures

    def recent_failures(self, watch_id: str, count: int) -> list[tuple[str, str | None]]:
        """Given a watch id, return its last `count` failures as (kind, text hash), newest first."""
        rows = self.db.execute("SELECT kind, text_hash FROM failures WHERE watch_id = ? ORDER BY id DESC LIMIT ?",
                               [watch_id, count]).fetchall()
        return [(row[0], row[1]) for row in rows]

    def _enqueue(self, watch_id: str, change_id: int | None, channels: Sequence[str], kind: str,
                 detail: str | None = None) -> None:
        self.db.table("outbox").insert_all({"watch_id": watch_id, "change_id": change_id, "channel": channel,
                                            "kind": kind, "created_at": iso(self.clock()), "detail": detail}
                                           for channel in channels)

    def failures(self, watch_id: str, limit: int = 20) -> list[dict[str, Any]]:
        """Given a watch id, return its most recent failures, newest first."""
        return list(self.db.query("SELECT at, kind, message, status FROM failures WHERE watch_id = ? "
                                  "ORDER BY id DESC LIMIT ?", [watch_id, limit]))

    # --- snapshots -----------------------------------------------------------------------

    def save_baseline(self, watch_id: str, url: str, version: Version, body_hash: str,
                      etag: str | None = None, last_modified: str | None = None, outcome: str = "baseline",
                      channels: Sequence[str] = ()) -> Snapshot:
        """Store a version silently (first check, new extractor or rules, a flip back, a reordering)."""
        with self._transaction():
            self._touch_watch(watch_id, url, channels, last_outcome=outcome, last_error=None,
                              consecutive_failures=0, etag=etag, last_modified=last_modified, body_hash=body_hash)
            return self._insert_snapshot(watch_id, version)

    def recent_text_hashes(self, watch_id: str, count: int) -> list[str]:
        """Given a watch id, return the text hashes of the `count` versions before the newest."""
        rows = self.db.execute("SELECT text_hash FROM snapshots WHERE watch_id = ? ORDER BY id DESC LIMIT ? OFFSET 1",
                               [watch_id, count]).fetchall()
        return [row[0] for row in rows]

    def _insert_snapshot(self, watch_id: str, version: Version) -> Snapshot:
        base = self._compression_base(watch_id)
        base_text, base_raw = (self._texts(base) if base is not None else (b"", b""))
        row = {"watch_id": watch_id, "text_hash": text_hash(version.text),
               "text": _compress(version.text.encode(), base_text), "raw": _compress(version.raw, base_raw),
               "base_id": base, "status": version.status, "final_url": version.final_url,
               "fetched_at": iso(self.clock()), "extractor_version": version.extractor_version,
               "rules_hash": version.rules_hash}
        snapshot_id = self._insert("snapshots", row)
        return Snapshot(snapshot_id, watch_id, version.text, text_hash(version.text), iso(self.clock()),
                        version.status, version.final_url, version.extractor_version, version.rules_hash)

    def _compression_base(self, watch_id: str) -> int | None:
        rows = list(self.db.query("SELECT id, base_id FROM snapshots WHERE watch_id = ? ORDER BY id DESC LIMIT ?",
                                  [watch_id, _KEYFRAME_EVERY - 1]))
        if not rows or len(rows) == _KEYFRAME_EVERY - 1 and all(row["base_id"] is not None for row in rows):
            return None
        return int(rows[0]["id"])

    def _texts(self, snapshot_id: int) -> tuple[bytes, bytes]:
        """Return a snapshot's (text, raw) as bytes, decompressing the chain it was stored against."""
        chain = []
        next_id: int | None = snapshot_id
        while next_id is not None:
            row = self.db.execute("SELECT text, raw, base_id FROM snapshots WHERE id = ?", [next_id]).fetchone()
            chain.append(row)
            next_id = row[2]
        text, raw = b"", b""
        for stored_text, stored_raw, _ in reversed(chain):
            text, raw = _decompress(stored_text, text), _decompress(stored_raw, raw)
        return text, raw

    def snapshot(self, snapshot_id: int) -> Snapshot:
        """Given a snapshot id, return the Snapshot. Raise KeyError if there is none."""
        rows = list(self.db.query("SELECT id, watch_id, text_hash, fetched_at, status, final_url, "
                                  "extractor_version, rules_hash FROM snapshots WHERE id = ?", [snapshot_id]))
        if not rows:
            raise KeyError(snapshot_id)
        return Snapshot(text=self._texts(snapshot_id)[0].decode(), **rows[0])

    def raw_html(self, snapshot_id: int) -> bytes:
        """Given a snapshot id, return the raw body the text was extracted from."""
        return self._texts(snapshot_id)[1]

    def latest_snapshot(self, watch_id: str) -> Snapshot | None:
        """Given a watch id, return its newest Snapshot, or None before its first successful check."""
        row = self.db.execute("SELECT max(id) FROM snapshots WHERE watch_id = ?", [watch_id]).fetchone()
        return self.snapshot(row[0]) if row[0] is not None else None

    # --- changes and the outbox ----------------------------------------------------------

    def save_change(self, watch_id: str, url: str, version: Version, change: Change, channels: list[str],
                    body_hash: str, etag: str | None = None, last_modified: str | None = None,
                    minor: bool = False, expected_previous: int | None = None) -> StoredChange:
        """Store a new version, its change and one outbox row per channel, in one durable transaction.

        Raise StoreError if the newest stored version is not `expected_previous` (another
        process stored a version since the change was computed).
        """
        with self._transaction(durable=True):
            previous = self.latest_snapshot(watch_id)
            if previous is None:
                raise StoreError(f"{watch_id}: a change needs a previous version")
            if expected_previous is not None and previous.id != expected_previous:
                raise StoreError(f"{watch_id}: another check stored a version meanwhile; this one is dropped")
            snapshot = self._insert_snapshot(watch_id, version)
            self._touch_watch(watch_id, url, channels, last_outcome="minor" if minor else "changed",
                              last_error=None, consecutive_failures=0, etag=etag, last_modified=last_modified,
                              body_hash=body_hash, last_change_at=snapshot.fetched_at)
            change_id = self._insert("changes", {
                "watch_id": watch_id, "from_snapshot": previous.id, "to_snapshot": snapshot.id,
                "detected_at": snapshot.fetched_at, "summary": change.summary, "added_words": change.added_words,
                "removed_words": change.removed_words, "figures": json.dumps(change.to_dict()["figures"]),
                "ops": _compress(json.dumps(change.to_dict()["ops"]).encode(), b""), "minor": int(minor),
                "moved": change.moved,
            })
            if not minor:
                self._enqueue(watch_id, change_id, channels, "change")
        return StoredChange(change_id, watch_id, previous.id, snapshot.id, snapshot.fetched_at, minor, change)

    def change(self, change_id: int) -> StoredChange:
        """Given a change id, return the StoredChange. Raise KeyError if there is none."""
        rows = self._change_rows("WHERE id = ?", [change_id])
        if not rows:
            raise KeyError(change_id)
        return rows[0]

    def changes(self, watch_id: str | None = None, limit: int = 50) -> list[StoredChange]:
        """Return the newest changes, of one watch or of all, newest first."""
        return self.changes_of(None if watch_id is None else [watch_id], limit)

    def changes_of(self, watch_ids: list[str] | None, limit: int = 50) -> list[StoredChange]:
        """Return the newest changes of the given watches (None: of all), newest first."""
        if watch_ids is None:
            return self._change_rows("ORDER BY id DESC LIMIT ?", [limit])
        marks = ", ".join("?" * len(watch_ids))
        return self._change_rows(f"WHERE watch_id IN ({marks}) ORDER BY id DESC LIMIT ?", [*watch_ids, limit])

    def neighbours(self, stored: StoredChange) -> tuple[int | None, int | None]:
        """Given a change, return the ids of its watch's previous and next changes (None at either end)."""
        previous = self.db.execute("SELECT max(id) FROM changes WHERE watch_id = ? AND id < ?",
                                   [stored.watch_id, stored.id]).fetchone()[0]
        following = self.db.execute("SELECT min(id) FROM changes WHERE watch_id = ? AND id > ?",
                                    [stored.watch_id, stored.id]).fetchone()[0]
        return previous, following

    def _change_rows(self, where: str, params: list[Any]) -> list[StoredChange]:
        return [_stored_change(row) for row in self.db.query(f"SELECT * FROM changes {where}", params)]

    def snapshots(self, watch_id: str) -> list[dict[str, Any]]:
        """Given a watch id, return its versions (without text), oldest first."""
        return list(self.db.query("SELECT id, text_hash, fetched_at, status, final_url, extractor_version "
                                  "FROM snapshots WHERE watch_id = ? ORDER BY id", [watch_id]))

    def pending_alerts(self) -> list[dict[str, Any]]:
        """Return the outbox rows not yet delivered, oldest first."""
        return list(self.db.query("SELECT * FROM outbox WHERE sent_at IS NULL ORDER BY id"))

    def next_alert(self, channel: str) -> Alert | None:
        """Given a channel, return its oldest undelivered alert (alerts go out in order), or None."""
        rows = list(self.db.query("SELECT id, watch_id, change_id, channel, kind, attempts, next_attempt_at, "
                                  "detail FROM outbox WHERE channel = ? AND sent_at IS NULL ORDER BY id LIMIT 1", [channel]))
        return Alert(**rows[0]) if rows else None

    def mark_sent(self, alert_id: int) -> None:
        """Record that an alert was delivered."""
        with self._transaction(durable=True):
            self.db.execute("UPDATE outbox SET sent_at = ?, attempts = attempts + 1, last_error = NULL "
                            "WHERE id = ?", [iso(self.clock()), alert_id])

    def mark_attempt_failed(self, alert_id: int, error: str, retry_at: datetime) -> None:
        """Record a failed delivery and when to try again."""
        with self._transaction():
            self.db.execute("UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? "
                            "WHERE id = ?", [error, iso(retry_at), alert_id])

    def pending_count(self) -> int:
        """Return how many alerts wait to be delivered."""
        return int(self.db.execute("SELECT count(*) FROM outbox WHERE sent_at IS NULL").fetchone()[0])


def _stored_change(row: dict[str, Any]) -> StoredChange:
    data = {"ops": json.loads(_decompress(row["ops"], b"")), "figures": json.loads(row["figures"]),
            "summary": row["summary"], "added_words": row["added_words"], "removed_words": row["removed_words"],
            "moved": row["moved"]}
    return StoredChange(row["id"], row["watch_id"], row["from_snapshot"], row["to_snapshot"], row["detected_at"],
                        bool(row["minor"]), Change.from_dict(data))


def _compress(data: bytes, base: bytes) -> bytes:
    if len(base) < _MIN_DICTIONARY:
        return zstd.compress(data, _ZSTD_LEVEL)
    return zstd.compress(data, _ZSTD_LEVEL, zstd_dict=zstd.ZstdDict(base, is_raw=True).as_prefix)


def _decompress(data: bytes, base: bytes) -> bytes:
    if len(base) < _MIN_DICTIONARY:
        return zstd.decompress(data)
    return zstd.decompress(data, zstd_dict=zstd.ZstdDict(base, is_raw=True).as_prefix)
