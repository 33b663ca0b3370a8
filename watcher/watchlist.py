"""watchlist.toml → validated `Watchlist` (settings, channels, watches).

Every problem is reported at once with its TOML path; must not touch the network or the store.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from apscheduler.triggers.cron import CronTrigger
from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, TypeAdapter, ValidationError

from watcher.errors import WatchlistError
from watcher.extract import selector_problem

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(s|m|h|d)")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_SIZE = re.compile(r"(\d+)\s*(B|KB|MB|GB)?", re.IGNORECASE)
_SIZE_UNITS = {"b": 1, "kb": 1000, "mb": 1000**2, "gb": 1000**3}
_WATCH_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


def parse_duration(value: object) -> float:
    """Given "90s", "15m", "1h", "1d" or "1h30m" (or a number of seconds), return seconds."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = float(value)
    elif isinstance(value, str):
        compact = value.replace(" ", "")
        parts = _DURATION_PART.findall(compact)
        if not compact or "".join(number + unit for number, unit in parts) != compact:
            raise ValueError(f'{value!r} is not a duration such as "90s", "15m", "1h" or "1d"')
        seconds = sum(float(number) * _UNIT_SECONDS[unit] for number, unit in parts)
    else:
        raise ValueError(f"{value!r} is not a duration")
    if seconds <= 0:
        raise ValueError("a duration must be more than zero")
    return seconds


def parse_size(value: object) -> int:
    """Given a byte count or "500KB", "5MB", return bytes."""
    if isinstance(value, int) and not isinstance(value, bool):
        size = value
    elif isinstance(value, str) and (match := _SIZE.fullmatch(value.strip())):
        size = int(match.group(1)) * _SIZE_UNITS[(match.group(2) or "b").lower()]
    else:
        raise ValueError(f'{value!r} is not a size such as 5000000 or "5MB"')
    if size <= 0:
        raise ValueError("a size must be more than zero")
    return size


def _check_regex(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as error:
        raise ValueError(f"not a valid regular expression: {error}") from None
    return pattern


def _check_selector(css: str) -> str:
    problem = selector_problem(css)
    if problem:
        raise ValueError(problem)
    return css


def _check_cron(expression: str) -> str:
    try:
        CronTrigger.from_crontab(expression, timezone="UTC")
    except ValueError as error:
        raise ValueError(f"not a cron expression (minute hour day month weekday): {error}") from None
    return expression


def _check_url(url: str) -> str:
    if not re.match(r"https?://[^/\s]+", url):
        raise ValueError("must be an http:// or https:// URL")
    return url


Duration = Annotated[float, BeforeValidator(parse_duration)]
Size = Annotated[int, BeforeValidator(parse_size)]
Regex = Annotated[str, AfterValidator(_check_regex)]
Selector = Annotated[str, AfterValidator(_check_selector)]
Cron = Annotated[str, AfterValidator(_check_cron)]
Url = Annotated[str, AfterValidator(_check_url)]
AlertOn = Literal["any", "figures", "keywords"]


@dataclass(frozen=True, slots=True)
class Settings:
    """Defaults for every watch and the daemon's own settings ([settings])."""

    __pydantic_config__ = ConfigDict(extra="forbid")
    interval: Duration = 6 * 3600.0
    jitter: Duration | None = 300.0
    user_agent: str = "watcher/0.1 (+https://github.com/watcher-monitor/watcher; page change monitor)"
    timeout: Duration = 30.0
    connect_timeout: Duration = 10.0
    max_body: Size = 10_000_000
    concurrency: int = 8
    per_host: int = 2
    workers: int = 2
    task_timeout: Duration = 20.0
    listen: str = "127.0.0.1:8421"
    base_url: Url = "http://127.0.0.1:8421"
    failure_alert_after: Annotated[int, Field(ge=1)] = 3
    shrink_fraction: Annotated[float, Field(gt=0, lt=1)] = 0.3
    confirm: Duration | None = None
    compare_versions: Annotated[int, Field(ge=0, le=50)] = 0
    min_words: Annotated[int, Field(ge=1)] = 1


@dataclass(frozen=True, slots=True)
class Channel:
    """A named place alerts go ([channels.<name>]); the webhook URL itself is a secret."""

    __pydantic_config__ = ConfigDict(extra="forbid")
    name: str
    type: Literal["slack"] = "slack"
    tags: tuple[str, ...] = ()
    watches: tuple[str, ...] = ()
    webhook_env: str = "WATCHER_SLACK_WEBHOOK"
    credential: str = "slack-webhook"


@dataclass(frozen=True, slots=True)
class Watch:
    """One watched page ([watch.<id>]); `id` is the table name and never changes."""

    __pydantic_config__ = ConfigDict(extra="forbid")
    id: str
    url: Url
    name: str = ""
    tags: tuple[str, ...] = ()
    interval: Duration | None = None
    cron: Cron | None = None
    select: Selector | None = None
    remove: tuple[Selector, ...] = ()
    ignore: tuple[Regex, ...] = ()
    alert_on: AlertOn = "any"
    keywords: tuple[str, ...] = ()
    min_change_pct: Annotated[float, Field(ge=0)] = 0.0
    moved: Literal["report", "ignore"] = "report"
    confirm: Duration | None = None
    compare_versions: Annotated[int, Field(ge=0, le=50)] = 0
    min_words: Annotated[int, Field(ge=1)] = 1

    @property
    def title(self) -> str:
        """The name people see: `name`, or the id when no name is given."""
        return self.name or self.id


@dataclass(frozen=True, slots=True)
class Watchlist:
    """A whole validated watchlist.toml."""

    settings: Settings = field(default_factory=Settings)
    channels: tuple[Channel, ...] = ()
    watches: tuple[Watch, ...] = ()

    def watch(self, watch_id: str) -> Watch:
        """Given a watch id, return its Watch. Raise KeyError if there is none."""
        return self.by_id()[watch_id]

    def by_id(self) -> dict[str, Watch]:
        """Return the watches by id."""
        return {watch.id: watch for watch in self.watches}

    def channels_for(self, watch: Watch) -> tuple[Channel, ...]:
        """Given a watch, return the channels its alerts go to (a channel with no filter takes all)."""
        return tuple(channel for channel in self.channels if _routes(channel, watch))


def _routes(channel: Channel, watch: Watch) -> bool:
    if not channel.tags and not channel.watches:
        return True
    return watch.id in channel.watches or bool(set(channel.tags) & set(watch.tags))


T = TypeVar("T")
_TOP_LEVEL = {"settings", "channels", "watch"}


def load_watchlist(path: str | Path) -> Watchlist:
    """Given the path of a watchlist.toml, return the Watchlist. Raise WatchlistError listing every problem."""
    try:
        document = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise WatchlistError(str(path), [f"cannot read: {error}"]) from None
    except tomllib.TOMLDecodeError as error:
        raise WatchlistError(str(path), [f"not valid TOML: {error}"]) from None
    return parse_watchlist(document, str(path))


def parse_watchlist(document: dict[str, Any], path: str = "watchlist.toml") -> Watchlist:
    """Given a parsed TOML document, return the Watchlist. Raise WatchlistError listing every problem."""
    problems = [f"{key}: unknown top-level key (expected settings, channels, watch)"
                for key in document if key not in _TOP_LEVEL]
    settings = _validate(Settings, _table(document, "settings", problems), "settings", problems)
    settings = settings or Settings()
    channels = [_validate(Channel, {**table, "name": name}, f"channels.{name}", problems)
                for name, table in _tables(document, "channels", problems).items()]
    watches = [_validate_watch(watch_id, table, settings, problems)
               for watch_id, table in _tables(document, "watch", problems).items()]
    if not watches and not problems:
        problems.append("watch: no watches ([watch.<id>] tables) are defined")
    problems.extend(_routing_problems(channels, watches))
    if problems:
        raise WatchlistError(path, problems)
    return Watchlist(settings, tuple(c for c in channels if c), tuple(w for w in watches if w))


def _validate_watch(watch_id: str, table: object, settings: Settings, problems: list[str]) -> Watch | None:
    where = f"watch.{watch_id}"
    if not _WATCH_ID.fullmatch(watch_id):
        problems.append(f"{where}: a watch id is 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit")
        return None
    if not isinstance(table, dict):
        problems.append(f"{where}: must be a table")
        return None
    values = {"id": watch_id, "confirm": settings.confirm, "compare_versions": settings.compare_versions,
              "min_words": settings.min_words, **table}
    if "interval" in table and "cron" in table:
        problems.append(f"{where}: give interval or cron, not both")
        del values["cron"]
    if "cron" not in table:
        values.setdefault("interval", settings.interval)
    watch = _validate(Watch, values, where, problems)
    if watch and watch.alert_on == "keywords" and not watch.keywords:
        problems.append(f'{where}.keywords: alert_on = "keywords" needs at least one keyword')
    return watch


def _routing_problems(channels: list[Channel | None], watches: list[Watch | None]) -> list[str]:
    known = {watch.id for watch in watches if watch}
    return [f"channels.{channel.name}.watches: no watch named {name!r}"
            for channel in channels if channel for name in channel.watches if name not in known]


def _table(document: dict[str, Any], key: str, problems: list[str]) -> dict[str, Any]:
    value = document.get(key, {})
    if not isinstance(value, dict):
        problems.append(f"{key}: must be a table")
        return {}
    return value


def _tables(document: dict[str, Any], key: str, problems: list[str]) -> dict[str, Any]:
    tables = _table(document, key, problems)
    for name, value in tables.items():
        if not isinstance(value, dict):
            problems.append(f"{key}.{name}: must be a table ([{key}.{name}])")
    return {name: value for name, value in tables.items() if isinstance(value, dict)}


def _validate(record: type[T], values: dict[str, Any], where: str, problems: list[str]) -> T | None:
    try:
        return TypeAdapter(record).validate_python(values)
    except ValidationError as error:
        problems.extend(_describe(where, detail) for detail in error.errors())
        return None


def _describe(where: str, detail: Any) -> str:
    location = ".".join(str(part) for part in (where, *detail["loc"]))
    message = str(detail["msg"]).removeprefix("Value error, ")
    if detail["type"] == "unexpected_keyword_argument":
        message = "unknown key"
    elif detail["type"] in ("missing", "missing_argument"):
        message = "required"
    return f"{location}: {message}"
