"""One APScheduler job per watch: interval or cron, jitter, the first run following from the last check.

Knows nothing of pages or diffs: a job calls `run_check(watch_id)`. A narrow interface, so a move
to APScheduler 4 (one schedule across machines) stays small.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from watcher.store import Clock, utc_now
from watcher.watchlist import Watch

RunCheck = Callable[[str], Awaitable[None]]
PROMPT_SPREAD = 10.0  # seconds over which never-checked or overdue watches are spread


@dataclass(frozen=True, slots=True)
class Timing:
    """What decides when a watch runs; a watch whose timing is unchanged keeps its next run on reload."""

    interval: float | None
    cron: str | None

    @classmethod
    def of(cls, watch: Watch) -> Timing:
        return cls(watch.interval, watch.cron)


class Schedule:
    """The jobs of all watches on an AsyncIOScheduler in the running event loop."""

    def __init__(self, run_check: RunCheck, jitter: float | None = None, clock: Clock = utc_now,
                 rng: random.Random | None = None) -> None:
        self.run_check = run_check
        self.jitter = jitter
        self.clock = clock
        self.rng = rng or random.Random()
        self.scheduler = AsyncIOScheduler(timezone=UTC)
        self._timings: dict[str, Timing] = {}

    def start(self, watches: Iterable[Watch], last_checks: Mapping[str, datetime | None]) -> None:
        """Given the watches and when each was last checked, schedule them all and start."""
        self.apply(watches, last_checks)
        self.scheduler.start()

    def apply(self, watches: Iterable[Watch], last_checks: Mapping[str, datetime | None]) -> dict[str, list[str]]:
        """Given a (reloaded) watchlist, add new jobs, drop removed ones, reschedule changed timings.

        Return the watch ids by what happened to them: added, removed, rescheduled.
        """
        wanted = {watch.id: watch for watch in watches}
        report: dict[str, list[str]] = {"added": [], "removed": [], "rescheduled": []}
        for watch_id in [watch_id for watch_id in self._timings if watch_id not in wanted]:
            self.scheduler.remove_job(watch_id)
            del self._timings[watch_id]
            report["removed"].append(watch_id)
        for watch in wanted.values():
            previous = self._timings.get(watch.id)
            if previous == Timing.of(watch):
                continue
            self._add(watch, last_checks.get(watch.id))
            report["added" if previous is None else "rescheduled"].append(watch.id)
        return report

    def _add(self, watch: Watch, last_check: datetime | None) -> None:
        trigger = self._trigger(watch)
        # misfire_grace_time=None with coalesce: a late run (a suspended machine, a busy loop)
        # is taken once, never dropped and never repeated for each missed time.
        self.scheduler.add_job(self.run_check, trigger=trigger, args=[watch.id], id=watch.id, name=watch.id,
                               next_run_time=self.first_run(watch, trigger, last_check), misfire_grace_time=None,
                               coalesce=True, max_instances=1, replace_existing=True)
        self._timings[watch.id] = Timing.of(watch)

    def _trigger(self, watch: Watch) -> BaseTrigger:
        if watch.cron:
            return CronTrigger.from_crontab(watch.cron, timezone=UTC)
        interval = watch.interval or 0
        # Jitter spreads checks that would fire together, but never more than a tenth of the interval.
        jitter = min(self.jitter, interval / 10) if self.jitter else None
        return IntervalTrigger(seconds=interval, jitter=jitter, timezone=UTC)

    def first_run(self, watch: Watch, trigger: BaseTrigger, last_check: datetime | None) -> datetime:
        """Given a watch and its last check, return its first run: soon if never checked or overdue,
        else when it would have run had the daemon not restarted."""
        now = self.clock()
        spread = min(PROMPT_SPREAD, watch.interval or PROMPT_SPREAD)
        prompt = now + timedelta(seconds=self.rng.uniform(0, spread))
        if last_check is None:
            return prompt
        if watch.cron:
            due = trigger.get_next_fire_time(None, last_check)
        else:
            due = last_check + timedelta(seconds=watch.interval or 0)
        return prompt if due is None or due <= now else due

    def next_runs(self) -> dict[str, datetime]:
        """Return each watch's next run time."""
        return {job.id: job.next_run_time for job in self.scheduler.get_jobs() if job.next_run_time}

    def shutdown(self) -> None:
        """Stop scheduling new runs; runs in progress are the caller's to finish or abandon."""
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
