"""The schedule: first runs follow from the last check, reloads add, drop and reschedule jobs."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta

from watcher.schedule import PROMPT_SPREAD, Schedule
from watcher.watchlist import Watch, parse_watchlist

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def watch(watch_id: str = "w", **table: object) -> Watch:
    return parse_watchlist({"watch": {watch_id: {"url": "https://x.test/", **table}}}).watches[0]


def schedule() -> Schedule:
    async def run_check(watch_id: str) -> None:
        pass
    return Schedule(run_check, jitter=300, clock=lambda: NOW, rng=random.Random(1))


def first_run(target: Watch, last_check: datetime | None) -> datetime:
    plan = schedule()
    return plan.first_run(target, plan._trigger(target), last_check)


def test_a_never_checked_watch_runs_promptly() -> None:
    assert NOW <= first_run(watch(interval="1h"), None) <= NOW + timedelta(seconds=PROMPT_SPREAD)


def test_a_restart_keeps_the_schedule_from_the_last_check() -> None:
    assert first_run(watch(interval="1h"), NOW - timedelta(minutes=20)) == NOW + timedelta(minutes=40)


def test_overdue_watches_run_soon_but_spread_not_all_at_once() -> None:
    plan = schedule()
    overdue = watch(interval="1h")
    runs = {plan.first_run(overdue, plan._trigger(overdue), NOW - timedelta(days=2)) for _ in range(20)}

    assert all(NOW <= run <= NOW + timedelta(seconds=PROMPT_SPREAD) for run in runs)
    assert len(runs) > 1


def test_a_cron_watch_that_missed_its_time_while_down_runs_soon() -> None:
    missed = first_run(watch(cron="0 9 * * *"), NOW - timedelta(days=1))
    kept = first_run(watch(cron="0 9 * * *"), NOW - timedelta(hours=2))

    assert missed <= NOW + timedelta(seconds=PROMPT_SPREAD)
    assert kept == datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def test_jitter_is_at_most_a_tenth_of_the_interval() -> None:
    trigger = schedule()._trigger(watch(interval="60s"))

    assert trigger.jitter == 6


def test_reload_adds_removes_and_reschedules_only_what_changed() -> None:
    async def scenario() -> dict[str, list[str]]:
        plan = schedule()
        plan.start([watch("a", interval="1h"), watch("b", interval="1h"), watch("c", interval="1h")], {})
        runs = plan.next_runs()
        report = plan.apply([watch("a", interval="1h", select="main"), watch("b", interval="2h"),
                             watch("d", interval="1h")], {})
        assert plan.next_runs()["a"] == runs["a"]  # only the timing decides; other keys are read at run time
        assert set(plan.next_runs()) == {"a", "b", "d"}
        plan.shutdown()
        return report

    assert asyncio.run(scenario()) == {"added": ["d"], "removed": ["c"], "rescheduled": ["b"]}


def test_a_job_runs_its_check_on_the_event_loop() -> None:
    ran: list[str] = []

    async def scenario() -> None:
        done = asyncio.Event()

        async def run_check(watch_id: str) -> None:
            ran.append(watch_id)
            done.set()
        plan = Schedule(run_check, clock=lambda: datetime.now(UTC))
        plan.start([watch("a", interval="1s")], {})
        await asyncio.wait_for(done.wait(), timeout=5)
        plan.shutdown()

    asyncio.run(scenario())
    assert ran == ["a"]
