"""Worker processes: results come back, a task over its time limit is stopped, the pool recovers."""

from __future__ import annotations

import asyncio
import os

import pytest

from watcher.errors import ExtractError, TaskError
from watcher.extract import extract_text
from watcher.workers import Workers


def spin_forever() -> None:
    while True:
        pass


def die() -> None:
    os._exit(3)


def test_workers_stop_a_task_over_its_limit_and_keep_working() -> None:
    async def scenario() -> None:
        workers = Workers(size=1, time_limit=0.5)
        try:
            with pytest.raises(TaskError, match="ran over its 0.5s limit"):
                await workers.run(spin_forever)
            with pytest.raises(TaskError, match="worker died"):
                await workers.run(die)
            with pytest.raises(ExtractError):
                await workers.run(extract_text, "<p> </p>")
            assert await workers.run(extract_text, "<p>£2bn</p>") == "£2bn"
        finally:
            workers.close()
    asyncio.run(scenario())
