"""The one exception tree watcher raises on purpose; anything else is a bug.

WatcherError
├── WatchlistError   watchlist.toml is unreadable or invalid (every problem listed)
├── ExtractError     no main text could be extracted from a page
├── TaskError        a worker task ran over its time limit or its process died
└── StoreError       the database is unusable (newer schema, corrupt file)

Fetch failures are values (`watcher.fetch.FetchFailure`), not exceptions.
"""


class WatcherError(Exception):
    """Base for errors watcher raises on purpose; anything else is a bug."""


class WatchlistError(WatcherError):
    """watchlist.toml could not be read or is invalid; `problems` lists every one."""

    def __init__(self, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        listing = "\n".join(f"  {problem}" for problem in problems)
        super().__init__(f"{path}: {len(problems)} problem(s)\n{listing}")


class ExtractError(WatcherError):
    """No main text could be extracted: nothing matched, the page is empty, or not HTML."""


class TaskError(WatcherError):
    """A worker task ran over its time limit or its worker process died."""


class StoreError(WatcherError):
    """The state database cannot be used as it is."""
