"""The `watcher` command: its subcommands, options and exit codes.

Holds no pipeline logic: each command wires the stages and prints what they return.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import click
import httpx
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table

from watcher.check import Checker, CheckResult
from watcher.daemon import EXIT_CONFIG, Daemon, fetch_limits, webhooks
from watcher.demo import Demo
from watcher.diff import Change, diff_texts
from watcher.errors import ExtractError, StoreError, WatchlistError
from watcher.extract import extract_text
from watcher.feeds import write_feeds
from watcher.fetch import Fetcher, FetchFailure, decode_body
from watcher.notify import Delivery, post_slack, test_message
from watcher.render import drop_controls, render_terminal, render_unified
from watcher.store import Store, StoredChange
from watcher.watchlist import Settings, Watch, Watchlist, load_watchlist
from watcher.workers import Workers

EXIT_FAILURE = 1
_PROGRESS_FROM = 4  # a progress bar for rounds of this many pages or more

console = Console(highlight=False)
errors = Console(stderr=True, highlight=False, soft_wrap=True)


@dataclass(frozen=True, slots=True)
class Paths:
    """Where the watchlist and the state database are."""

    watchlist: Path
    state: Path

    @property
    def database(self) -> Path:
        """The SQLite file inside the state directory."""
        return self.state / "watcher.db"


def default_watchlist() -> str:
    """$CONFIGURATION_DIRECTORY/watchlist.toml under systemd, else ./watchlist.toml."""
    config_dir = os.environ.get("CONFIGURATION_DIRECTORY")
    return str(Path(config_dir.split(":")[0]) / "watchlist.toml") if config_dir else "watchlist.toml"


def default_state() -> str:
    """$STATE_DIRECTORY under systemd, else ./state."""
    state_dir = os.environ.get("STATE_DIRECTORY")
    return state_dir.split(":")[0] if state_dir else "state"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--watchlist", envvar="WATCHER_WATCHLIST", default=default_watchlist, show_default="watchlist.toml",
              type=click.Path(dir_okay=False, path_type=Path), help="The watchlist to use [env: WATCHER_WATCHLIST].")
@click.option("--state", envvar="WATCHER_STATE", default=default_state, show_default="state",
              type=click.Path(file_okay=False, path_type=Path),
              help="Directory of the state database [env: WATCHER_STATE, or $STATE_DIRECTORY].")
@click.option("-v", "--verbose", is_flag=True, help="Log every check, not only errors.")
@click.pass_context
def main(context: click.Context, watchlist: Path, state: Path, verbose: bool) -> None:
    """Watch web pages and tell people when their wording changes."""
    # Interactive commands print their own results; the daemon logs at INFO whatever this says.
    setup_logging(logging.INFO if verbose else logging.ERROR)
    context.obj = Paths(watchlist, state)


def setup_logging(level: int) -> None:
    """Log to stderr; without timestamps under journald, which adds its own."""
    fmt = "%(levelname)s %(name)s: %(message)s"
    if not os.environ.get("JOURNAL_STREAM"):
        fmt = "%(asctime)s " + fmt
    logging.basicConfig(level=level, format=fmt, force=True)
    # httpx logs every request URL at INFO: a webhook URL is a secret.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


def load_or_exit(paths: Paths) -> Watchlist:
    """Load the watchlist, or print every problem and exit 78."""
    try:
        return load_watchlist(paths.watchlist)
    except WatchlistError as error:
        errors.print(f"[red]{escape(error.path)}[/]: {len(error.problems)} problem(s)")
        for problem in error.problems:
            errors.print(f"  {escape(problem)}")
        sys.exit(EXIT_CONFIG)


@contextmanager
def open_store(paths: Paths, watchlist: Watchlist | None = None) -> Iterator[Store]:
    """Open the state database, or print why not and exit 1."""
    alert_after = watchlist.settings.failure_alert_after if watchlist else Settings().failure_alert_after
    try:
        store = Store(paths.database, failure_alert_after=alert_after)
    except StoreError as error:
        errors.print(f"[red]error:[/] {escape(str(error))}")
        sys.exit(EXIT_FAILURE)
    try:
        yield store
    finally:
        store.close()


@main.command()
@click.pass_obj
def run(paths: Paths) -> None:
    """Run the daemon: check every watch on its schedule, serve feeds and diff pages, send alerts."""
    setup_logging(logging.INFO)
    sys.exit(asyncio.run(Daemon(paths.watchlist, paths.database).run()))


@main.command()
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Directory to write the feeds into.")
@click.pass_obj
def feed(paths: Paths, out_dir: Path) -> None:
    """Write the Atom and RSS feeds as static files (all, per watch, per tag), as `watcher run` serves them."""
    watchlist = load_or_exit(paths)
    with open_store(paths) as store:
        written = write_feeds(store, watchlist, out_dir)
    console.print(f"wrote {written} feeds to {escape(str(out_dir))}")


@main.command(name="test-notify")
@click.pass_obj
def test_notify(paths: Paths) -> None:
    """Send a test message to every channel and report each webhook's answer (exit 1 if any failed)."""
    watchlist = load_or_exit(paths)
    urls = webhooks(watchlist)
    results = asyncio.run(_post_tests(urls))
    failed = 0
    for channel in watchlist.channels:
        if channel.name not in urls:
            failed += 1
            console.print(f"{escape(channel.name)}: [red]no webhook URL[/] (set ${escape(channel.webhook_env)} "
                          f"or the credential {escape(channel.credential)})")
            continue
        delivery = results[channel.name]
        failed += not delivery.ok
        colour = "green" if delivery.ok else "red"
        console.print(f"{escape(channel.name)}: [{colour}]{escape(delivery.detail)}[/]")
    if failed or not watchlist.channels:
        sys.exit(EXIT_FAILURE)


async def _post_tests(urls: dict[str, str]) -> dict[str, Delivery]:
    async with httpx.AsyncClient(timeout=15.0) as client:
        return {name: await post_slack(client, url, test_message()) for name, url in urls.items()}


@main.command()
@click.option("--port", default=8421, show_default=True, help="Port for the demo's feeds and diff pages.")
@click.pass_context
def demo(context: click.Context, port: int) -> None:
    """Watch a bundled press release change, offline: the daemon, a diff, feeds and a Slack message."""
    # Quiet but for warnings, so the story reads; with -v, the daemon's log of each check as well.
    setup_logging(logging.INFO if context.find_root().params.get("verbose") else logging.WARNING)
    sys.exit(asyncio.run(Demo(console, port).run()))


@main.command()
@click.pass_obj
def validate(paths: Paths) -> None:
    """Check watchlist.toml and report every problem (exit 78 if there are any)."""
    watchlist = load_or_exit(paths)
    console.print(f"{escape(str(paths.watchlist))}: ok, {len(watchlist.watches)} watch(es), "
                  f"{len(watchlist.channels)} channel(s)")


@main.command()
@click.argument("watch_ids", nargs=-1)
@click.pass_obj
def check(paths: Paths, watch_ids: tuple[str, ...]) -> None:
    """Check every watch (or the WATCH_IDS given) once, now."""
    watchlist = load_or_exit(paths)
    watches = [watch for watch in watchlist.watches if not watch_ids or watch.id in watch_ids]
    unknown = set(watch_ids) - {watch.id for watch in watchlist.watches}
    if unknown:
        errors.print(f"[red]error:[/] no watch named {escape(', '.join(sorted(unknown)))}")
        sys.exit(EXIT_FAILURE)
    with open_store(paths, watchlist) as store:
        results = asyncio.run(_check_round(watchlist, store, watches))
    _print_results(results)


async def _check_round(watchlist: Watchlist, store: Store, watches: list[Watch]) -> list[CheckResult]:
    settings = watchlist.settings
    fetcher = Fetcher(fetch_limits(settings))
    workers = Workers(settings.workers, settings.task_timeout)
    checker = Checker(fetcher, store, workers, watchlist)
    try:
        if len(watches) < _PROGRESS_FROM:
            return await checker.check_all(watches)
        with Progress(console=errors, transient=True) as progress:
            task = progress.add_task("checking", total=len(watches))
            return await checker.check_all(watches, lambda result: progress.advance(task))
    finally:
        await fetcher.aclose()
        workers.close()


def _print_results(results: list[CheckResult]) -> None:
    table = Table("watch", "outcome", "detail")
    for result in results:
        colour = "red" if result.failed else "green" if result.outcome == "changed" else ""
        outcome = f"[{colour}]{result.outcome}[/]" if colour else result.outcome
        table.add_row(escape(result.watch_id), outcome, escape(drop_controls(result.message)))
    console.print(table)
    failed = sum(result.failed for result in results)
    changed = sum(result.outcome == "changed" for result in results)
    console.print(f"{len(results)} checked, {changed} changed, {failed} failed")


@main.command(name="list")
@click.pass_obj
def list_watches(paths: Paths) -> None:
    """List the watches with their last check, outcome and last change."""
    watchlist = load_or_exit(paths)
    with open_store(paths) as store:
        states = {state.id: state for state in store.watch_states()}
    table = Table("watch", "name", "last check", "outcome", "last change")
    for watch in watchlist.watches:
        state = states.get(watch.id)
        outcome = state.last_outcome if state else None
        table.add_row(escape(watch.id), escape(watch.title), (state.last_checked_at if state else None) or "never",
                      escape(outcome or "-"), (state.last_change_at if state else None) or "-")
    console.print(table)


@main.command()
@click.argument("watch_id")
@click.pass_obj
def history(paths: Paths, watch_id: str) -> None:
    """Show a watch's changes and recent failures."""
    with open_store(paths) as store:
        changes = store.changes(watch_id, limit=1000)
        versions = store.snapshots(watch_id)
        failures = store.failures(watch_id, limit=5)
    if not versions and not failures:
        errors.print(f"[red]error:[/] nothing stored for watch {escape(watch_id)}")
        sys.exit(EXIT_FAILURE)
    console.print(f"{escape(watch_id)}: {len(versions)} versions since {versions[0]['fetched_at'] if versions else '-'}")
    table = Table("change", "detected", "summary")
    for stored in changes:
        table.add_row(str(stored.id), stored.detected_at, escape(drop_controls(stored.change.summary)))
    console.print(table)
    for failure in failures:
        console.print(f"[red]failed[/] {failure['at']} {escape(failure['kind'])}: {escape(failure['message'])}")


@main.command()
@click.argument("watch_id")
@click.argument("change_id", type=int, required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the change as JSON.")
@click.option("--unified", is_flag=True, help="Print changed lines as plain -/+ text.")
@click.pass_obj
def diff(paths: Paths, watch_id: str, change_id: int | None, as_json: bool, unified: bool) -> None:
    """Show a watch's latest change (or CHANGE_ID) as a coloured word diff."""
    with open_store(paths) as store:
        found = store.changes(watch_id, limit=1) if change_id is None else _change_of(store, watch_id, change_id)
    if not found:
        errors.print(f"[red]error:[/] no such change for watch {escape(watch_id)}")
        sys.exit(EXIT_FAILURE)
    stored = found[0]
    if as_json:
        click.echo(json.dumps({"id": stored.id, "watch": stored.watch_id, "detected_at": stored.detected_at,
                               **stored.change.to_dict()}, ensure_ascii=False))
        return
    if unified:
        click.echo(render_unified(stored.change.ops))
        return
    console.print(f"[bold]{escape(watch_id)}[/] change {stored.id} at {stored.detected_at}")
    _print_change(stored.change)


def _change_of(store: Store, watch_id: str, change_id: int) -> list[StoredChange]:
    try:
        stored = store.change(change_id)
    except KeyError:
        return []
    return [stored] if stored.watch_id == watch_id else []


def _print_change(change: Change) -> None:
    console.print(escape(drop_controls(change.summary)))
    console.print(render_terminal(change.ops), end="")


@main.command()
@click.argument("source")
@click.option("--select", help="CSS selector for the main content.")
@click.option("--remove", multiple=True, help="CSS selector to remove (repeatable).")
@click.pass_obj
def extract(paths: Paths, source: str, select: str | None, remove: tuple[str, ...]) -> None:
    """Print the text watcher watches in an HTML FILE or URL (its headline, then its main text), to try selectors."""
    settings = _settings_if_any(paths)
    html, url = asyncio.run(_read_source(source, settings))
    try:
        click.echo(extract_text(html, select, remove, url=url))
    except ExtractError as error:
        errors.print(f"[red]error:[/] {escape(str(error))}")
        sys.exit(EXIT_FAILURE)


@main.command()
@click.argument("old")
@click.argument("new")
@click.option("--select", help="CSS selector for the main content.")
@click.option("--remove", multiple=True, help="CSS selector to remove (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (see the README).")
@click.option("--unified", is_flag=True, help="Print changed lines as plain -/+ text.")
@click.pass_obj
def compare(paths: Paths, old: str, new: str, select: str | None, remove: tuple[str, ...], as_json: bool,
            unified: bool) -> None:
    """Compare two HTML FILES or URLs as watcher would; nothing is stored."""
    settings = _settings_if_any(paths)
    try:
        old_text = extract_text(asyncio.run(_read_source(old, settings))[0], select, remove)
        new_text = extract_text(asyncio.run(_read_source(new, settings))[0], select, remove)
    except ExtractError as error:
        errors.print(f"[red]error:[/] {escape(str(error))}")
        sys.exit(EXIT_FAILURE)
    change = diff_texts(old_text, new_text)
    if as_json:
        click.echo(json.dumps(change.to_dict(), ensure_ascii=False))
    elif unified:
        click.echo(render_unified(change.ops))
    else:
        _print_change(change)


def _settings_if_any(paths: Paths) -> Settings:
    """The watchlist's settings when there is a valid watchlist, else the defaults."""
    try:
        return load_watchlist(paths.watchlist).settings
    except WatchlistError:
        return Settings()


async def _read_source(source: str, settings: Settings) -> tuple[str, str]:
    """Given a file's path or a URL, return its HTML and the URL it came from ("" for a file)."""
    if not source.startswith(("http://", "https://")):
        try:
            body = Path(source).read_bytes()
        except OSError as error:
            errors.print(f"[red]error:[/] cannot read {escape(source)}: {escape(error.strerror or str(error))}")
            sys.exit(EXIT_FAILURE)
        return decode_body(body)[0], ""
    fetcher = Fetcher(fetch_limits(settings))
    try:
        fetched = await fetcher.fetch_page(source)
    finally:
        await fetcher.aclose()
    if isinstance(fetched, FetchFailure):
        errors.print(f"[red]error:[/] {escape(fetched.message)}")
        sys.exit(EXIT_FAILURE)
    return fetched.text, fetched.final_url
