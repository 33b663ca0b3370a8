"""One check of one watch: the only place fetch, extract, diff and store meet, and the error policy.

Must not parse HTML, write SQL, or format Slack or Atom. One bad page never stops the others.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from watcher.diff import diff_texts
from watcher.errors import ExtractError, StoreError, TaskError
from watcher.extract import EXTRACTOR_VERSION, extract_text
from watcher.fetch import Fetched, Fetcher, FetchFailure, Validators
from watcher.store import Snapshot, Store, StoredChange, Version, text_hash
from watcher.watchlist import Watch, Watchlist
from watcher.workers import Workers

log = logging.getLogger(__name__)

# Outcomes that are not failures; anything else names the failure kind.
SUCCESS_OUTCOMES = frozenset({"baseline", "rebaseline", "unchanged", "not-modified", "changed"})


@dataclass(frozen=True, slots=True)
class CheckResult:
    """What one check found: its outcome, a message for people, and the change if there was one."""

    watch_id: str
    outcome: str
    message: str = ""
    change: StoredChange | None = None

    @property
    def failed(self) -> bool:
        """True when the check could not see the page's current text."""
        return self.outcome not in SUCCESS_OUTCOMES


@dataclass(frozen=True, slots=True)
class Checker:
    """The stages a check uses, passed in so tests can give real local ones."""

    fetcher: Fetcher
    store: Store
    workers: Workers
    watchlist: Watchlist

    async def check_watch(self, watch: Watch) -> CheckResult:
        """Given a watch, fetch, extract, compare and store it; return what happened. Never raises a WatcherError."""
        try:
            result = await self._check(watch)
        except ExtractError as error:
            result = self._failed(watch, "extract-error", str(error))
        except TaskError as error:
            result = self._failed(watch, "task-error", str(error))
        except StoreError as error:
            log.warning("store refused watch=%s error=%s", watch.id, error)
            return CheckResult(watch.id, "store-error", str(error))
        except Exception as error:  # a bug: logged with its traceback and recorded, never fatal to the round
            log.exception("check crashed watch=%s", watch.id)
            result = self._failed(watch, "internal-error", f"{type(error).__name__}: {error}")
        if result.outcome == "changed":
            log.info("changed watch=%s summary=%s", watch.id, result.message)
        elif result.failed:
            log.warning("check failed watch=%s outcome=%s error=%s", watch.id, result.outcome, result.message)
        return result

    def _failed(self, watch: Watch, kind: str, message: str, status: int | None = None) -> CheckResult:
        self.store.record_failure(watch.id, watch.url, kind, message, status)
        return CheckResult(watch.id, kind, message)

    async def _check(self, watch: Watch) -> CheckResult:
        state = self.store.watch_state(watch.id)
        fetched = await self.fetcher.fetch_page(watch.url, Validators(state.etag, state.last_modified))
        if isinstance(fetched, FetchFailure):
            return self._failed(watch, fetched.kind, fetched.message, fetched.status)
        if fetched.not_modified:
            self.store.record_unchanged(watch.id, watch.url, "not-modified")
            return CheckResult(watch.id, "not-modified")
        body_key = _body_key(fetched, watch)
        if body_key == state.body_hash:
            self.store.record_unchanged(watch.id, watch.url, "unchanged", fetched.etag, fetched.last_modified)
            return CheckResult(watch.id, "unchanged")
        text = await self.workers.run(extract_text, fetched.text, watch.select, watch.remove, watch.ignore)
        version = Version(text, fetched.body, fetched.status, fetched.final_url, EXTRACTOR_VERSION, rules_hash(watch))
        return await self._compare(watch, fetched, version, body_key)

    async def _compare(self, watch: Watch, fetched: Fetched, version: Version, body_key: str) -> CheckResult:
        store = self.store
        latest = store.latest_snapshot(watch.id)
        if latest is None or _rules_differ(latest, version):
            store.save_baseline(watch.id, watch.url, version, body_key, fetched.etag, fetched.last_modified)
            outcome = "baseline" if latest is None else "rebaseline"
            return CheckResult(watch.id, outcome, "first version stored" if latest is None
                               else "extractor or rules changed: new version stored silently")
        if text_hash(version.text) == latest.text_hash:
            store.record_unchanged(watch.id, watch.url, "unchanged", fetched.etag, fetched.last_modified, body_key)
            return CheckResult(watch.id, "unchanged")
        change = await self.workers.run(diff_texts, latest.text, version.text)
        channels = [channel.name for channel in self.watchlist.channels_for(watch)]
        stored = store.save_change(watch.id, watch.url, version, change, channels, body_key, fetched.etag,
                                   fetched.last_modified, expected_previous=latest.id)
        return CheckResult(watch.id, "changed", change.summary, stored)

    async def check_all(self, watches: Iterable[Watch],
                        on_result: Callable[[CheckResult], None] = lambda result: None) -> list[CheckResult]:
        """Given watches, check them all concurrently (the fetcher bounds requests in flight)."""
        async def one(watch: Watch) -> CheckResult:
            result = await self.check_watch(watch)
            on_result(result)
            return result
        return list(await asyncio.gather(*(one(watch) for watch in watches)))


def rules_hash(watch: Watch) -> str:
    """Given a watch, return a hash of the rules that shape its text (select, remove, ignore)."""
    rules = json.dumps([watch.select, watch.remove, watch.ignore])
    return hashlib.sha256(rules.encode()).hexdigest()[:16]


def _rules_differ(latest: Snapshot, version: Version) -> bool:
    return (latest.extractor_version, latest.rules_hash) != (version.extractor_version, version.rules_hash)


def _body_key(fetched: Fetched, watch: Watch) -> str:
    """A body seen before under the same extractor and rules gives the same text: no need to extract again."""
    digest = hashlib.sha256(fetched.body)
    digest.update(f"\0{EXTRACTOR_VERSION}\0{rules_hash(watch)}".encode())
    return digest.hexdigest()
