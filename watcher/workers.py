"""A small pool of worker processes with a hard time limit per task.

A task that runs over is killed with its process, which is replaced; must not know what a task means.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import multiprocessing
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import pebble

from watcher.errors import TaskError

P = ParamSpec("P")
R = TypeVar("R")


class Workers:
    """Runs CPU-bound functions in worker processes, each call under `time_limit` seconds.

    pebble's ProcessPool kills and replaces only the worker whose task ran over, which the
    standard ProcessPoolExecutor cannot do: a stuck parse would otherwise hold a worker forever.
    """

    def __init__(self, size: int = 2, time_limit: float = 20.0) -> None:
        self.time_limit = time_limit
        # forkserver: the daemon has threads (the event loop's executor), which fork does not copy safely.
        # Preloading the stages there means a new or replaced worker starts with them already imported.
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["watcher.extract", "watcher.diff"])
        self._pool = pebble.ProcessPool(max_workers=size, context=context)

    async def run(self, function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        """Given a module-level function and its arguments, return its result from a worker.

        Raise TaskError if it runs over the time limit or its process dies; its own
        exceptions are raised as they are.
        """
        future = self._pool.schedule(function, args=args, kwargs=kwargs, timeout=self.time_limit)
        try:
            return await asyncio.wrap_future(future)
        except concurrent.futures.TimeoutError:
            raise TaskError(f"{function.__name__} ran over its {self.time_limit:g}s limit and was stopped") from None
        except pebble.ProcessExpired as error:
            raise TaskError(f"{function.__name__} worker died (exit code {error.exitcode})") from None
        except asyncio.CancelledError:
            future.cancel()
            raise

    def close(self) -> None:
        """Stop the workers, letting a running task finish within its time limit."""
        self._pool.close()
        self._pool.join(timeout=self.time_limit + 1)
        self._pool.stop()
        self._pool.join()
