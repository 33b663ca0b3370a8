"""One check of one watch: the only place fetch, extract, diff and store meet, and the error policy.

Must not parse HTML, write SQL, or format Slack or Atom. One bad page never stops the others.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

from watcher.classify import is_minor, judge_page
from watcher.diff import diff_texts
from watcher.errors import StoreError, TaskError
from watcher.extract import EXTRACTOR_VERSION, Extracted, extract_page
from watcher.fetch import Fetched, Fetcher, FetchFailure, Validators
from watcher.store import Snapshot, Store, StoredChange, Version, text_hash
from watcher.watchlist import Watch, Watchlist
from watcher.workers import Workers

log = logging.getLogger(__name__)

# Outcomes of a check that saw the page; anything else names the failure kind.
SUCCESS_OUTCOMES = frozenset({"baseline", "rebaseline", "unchanged", "not-modified", "changed", "minor",
                              "reverted", "moved", "unconfirmed"})
SHRINK_ACCEPTED_AFTER = 3  # the same shrunken text this many checks running is the page's new text


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
class Page:
    """One fetched and extracted page, with the key under which its body was seen."""

    fetched: Fetched
    extracted: Extracted
    body_key: str


@dataclass(frozen=True, slots=True)
class Checker:
    """The stages a check uses, passed in so tests can give real local ones."""

    fetcher: Fetcher
    store: Store
    workers: Workers
    watchlist: Watchlist
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    async def check_watch(self, watch: Watch) -> CheckResult:
        """Given a watch, fetch, extract, compare and store it; return what happened. Never raises a WatcherError."""
        try:
            result = await self._check(watch)
        except TaskError as error:
            result = self.record_failure(watch, "task-error", str(error))
        except StoreError as error:
            log.warning("store refused watch=%s error=%s", watch.id, error)
            return CheckResult(watch.id, "store-error", str(error))
        except Exception as error:  # a bug: logged with its traceback and recorded, never fatal to the round
            log.exception("check crashed watch=%s", watch.id)
            result = self.record_failure(watch, "internal-error", f"{type(error).__name__}: {error}")
        if result.outcome == "changed":
            log.info("changed watch=%s summary=%s", watch.id, result.message)
        elif result.failed:
            log.warning("check failed watch=%s outcome=%s error=%s", watch.id, result.outcome, result.message)
        else:
            log.info("checked watch=%s outcome=%s", watch.id, result.outcome)
        return result

    def _channels(self, watch: Watch) -> list[str]:
        return [channel.name for channel in self.watchlist.channels_for(watch)]

    def record_failure(self, watch: Watch, kind: str, message: str, status: int | None = None,
                       text: str | None = None) -> CheckResult:
        """Record a failed check of a watch (a failure alert follows when enough come in a row)."""
        self.store.record_failure(watch.id, watch.url, kind, message, status, self._channels(watch),
                                  text_hash(text) if text is not None else None)
        return CheckResult(watch.id, kind, message)

    def _unchanged(self, watch: Watch, outcome: str, fetched: Fetched | None = None, key: str | None = None,
                   message: str = "") -> CheckResult:
        self.store.record_unchanged(watch.id, watch.url, outcome, fetched.etag if fetched else None,
                                    fetched.last_modified if fetched else None, key, self._channels(watch))
        return CheckResult(watch.id, outcome, message)

    async def _check(self, watch: Watch) -> CheckResult:
        state = self.store.watch_state(watch.id)
        fetched = await self.fetcher.fetch_page(watch.url, Validators(state.etag, state.last_modified))
        if isinstance(fetched, FetchFailure):
            return self.record_failure(watch, fetched.kind, fetched.message, fetched.status)
        if fetched.not_modified:
            return self._unchanged(watch, "not-modified")
        body_key = _body_key(fetched, watch)
        if body_key == state.body_hash:
            return self._unchanged(watch, "unchanged", fetched)
        page = Page(fetched, await self._extract(watch, fetched), body_key)
        return await self._judge(watch, page)

    async def _extract(self, watch: Watch, fetched: Fetched) -> Extracted:
        return await self.workers.run(extract_page, fetched.text, watch.select, watch.remove, watch.ignore,
                                      fetched.final_url)

    async def _judge(self, watch: Watch, page: Page) -> CheckResult:
        latest = self.store.latest_snapshot(watch.id)
        previous = latest.text if latest is not None and not _rules_differ(latest, watch) else None
        verdict = judge_page(page.extracted, page.fetched.final_url, watch, previous,
                             self.watchlist.settings.shrink_fraction)
        if verdict and not (verdict.kind == "suspicious-shrink" and self._shrink_repeats(watch, page)):
            return self.record_failure(watch, verdict.kind, verdict.message, page.fetched.status, page.extracted.text)
        if page.extracted.problem:
            return self.record_failure(watch, "extract-error", page.extracted.problem, page.fetched.status)
        return await self._compare(watch, page, latest)

    def _shrink_repeats(self, watch: Watch, page: Page) -> bool:
        """A shrunken text seen on the last checks too is the page's new text, not a glitch."""
        recent = self.store.recent_failures(watch.id, SHRINK_ACCEPTED_AFTER - 1)
        wanted = ("suspicious-shrink", text_hash(page.extracted.text))
        return len(recent) == SHRINK_ACCEPTED_AFTER - 1 and all(failure == wanted for failure in recent)

    def _save_silently(self, watch: Watch, page: Page, version: Version, outcome: str, message: str) -> CheckResult:
        self.store.save_baseline(watch.id, watch.url, version, page.body_key, page.fetched.etag,
                                 page.fetched.last_modified, outcome, self._channels(watch))
        return CheckResult(watch.id, outcome, message)

    async def _compare(self, watch: Watch, page: Page, latest: Snapshot | None) -> CheckResult:
        version = _version(page, watch)
        if latest is None:
            return self._save_silently(watch, page, version, "baseline", "first version stored")
        if _rules_differ(latest, watch):
            return self._save_silently(watch, page, version, "rebaseline",
                                       "extractor or rules changed: new version stored silently")
        new_hash = text_hash(version.text)
        if new_hash == latest.text_hash:
            return self._unchanged(watch, "unchanged", page.fetched, page.body_key)
        if new_hash in self.store.recent_text_hashes(watch.id, watch.compare_versions):
            return self._save_silently(watch, page, version, "reverted", "back to a recent version: not alerted")
        change = await self.workers.run(diff_texts, latest.text, version.text)
        if change.only_moved and watch.moved == "ignore":
            return self._save_silently(watch, page, version, "moved", change.summary)
        minor = is_minor(change, watch)
        if not minor and watch.confirm and not await self._confirmed(watch, version.text):
            return self._unchanged(watch, "unconfirmed", message="the change was gone when fetched again")
        stored = self.store.save_change(watch.id, watch.url, version, change, self._channels(watch), page.body_key,
                                        page.fetched.etag, page.fetched.last_modified, minor, latest.id)
        return CheckResult(watch.id, "minor" if minor else "changed", change.summary, stored)

    async def _confirmed(self, watch: Watch, text: str) -> bool:
        """Fetch the page again after the watch's delay: a change that persists is real."""
        await self.sleep(watch.confirm or 0)
        fetched = await self.fetcher.fetch_page(watch.url)
        if isinstance(fetched, FetchFailure) or fetched.not_modified:
            return False
        return (await self._extract(watch, fetched)).text == text

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


def _version(page: Page, watch: Watch) -> Version:
    fetched = page.fetched
    return Version(page.extracted.text, fetched.body, fetched.status, fetched.final_url, EXTRACTOR_VERSION,
                   rules_hash(watch))


def _rules_differ(latest: Snapshot, watch: Watch) -> bool:
    return (latest.extractor_version, latest.rules_hash) != (EXTRACTOR_VERSION, rules_hash(watch))


def _body_key(fetched: Fetched, watch: Watch) -> str:
    """A body seen before under the same extractor and rules gives the same text: no need to extract again."""
    digest = hashlib.sha256(fetched.body)
    digest.update(f"\0{EXTRACTOR_VERSION}\0{rules_hash(watch)}".encode())
    return digest.hexdigest()
