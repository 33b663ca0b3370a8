"""Slack messages (incoming webhooks) and their delivery from the outbox: in order, retried, never lost.

Must not read pages. Page text is escaped for mrkdwn; the webhook URL is a secret and is never logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import httpx

from watcher.feeds import change_url
from watcher.render import drop_controls, escape_slack, render_slack
from watcher.store import Alert, Clock, Store, StoredChange, utc_now
from watcher.watchlist import Channel, Watchlist

log = logging.getLogger(__name__)

HEADER_LIMIT = 150  # Slack: a header block's plain text
SECTION_LIMIT = 3000  # Slack: a section block's text
FIGURES_SHOWN = 12
EXCERPT_LINES = 6


def webhook_for(channel: Channel, environ: Mapping[str, str] = os.environ) -> str | None:
    """Given a channel, return its webhook URL from the environment or the systemd credential, or None.

    A value that is not an http(s) URL (the unit's placeholder credential "none") counts as none.
    """
    url = environ.get(channel.webhook_env, "").strip()
    credentials = environ.get("CREDENTIALS_DIRECTORY")
    if not url and credentials and (Path(credentials) / channel.credential).is_file():
        url = (Path(credentials) / channel.credential).read_text().strip()
    return url if url.startswith(("https://", "http://")) else None


def truncate(text: str, limit: int) -> str:
    """Given text and a limit in characters, return it cut to fit, ending in "…" when cut."""
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _listing(lines: list[str], shown: int, limit: int) -> str:
    """Lines joined, at most `shown` of them and `limit` characters, then "… and N more"."""
    kept = lines[:shown]
    while kept and len("\n".join(kept)) > limit - 40:
        kept.pop()
    rest = len(lines) - len(kept)
    return "\n".join(kept + ([f"… and {rest} more"] if rest else []))


def change_message(title: str, stored: StoredChange, page_url: str, base_url: str) -> dict[str, Any]:
    """Given a watch's name, a change, the page URL and the public base URL, return the Block Kit message."""
    change = stored.change
    diff_url = change_url(base_url, stored.id)
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": truncate(drop_controls(title), HEADER_LIMIT)}},
        _section(escape_slack(change.summary)),
    ]
    if change.figures:
        lines = [f"• {escape_slack(figure.describe())}" for figure in change.figures]
        blocks.append(_section("*Figures*\n" + _listing(lines, FIGURES_SHOWN, SECTION_LIMIT - 12)))
    excerpt = render_slack(change.ops)
    if excerpt:
        blocks.append(_section(_listing([f"> {line}" for line in excerpt], EXCERPT_LINES, SECTION_LIMIT)))
    links = f"<{_slack_url(diff_url)}|View the diff> · <{_slack_url(page_url)}|Open the page>"
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": links}]})
    fallback = truncate(drop_controls(f"{title}: {change.summary}"), SECTION_LIMIT)
    return {"text": escape_slack(fallback), "blocks": blocks}


def failure_message(title: str, detail: str, page_url: str) -> dict[str, Any]:
    """Given a watch's name, what failed and the page URL, return the one alert sent when checks keep failing."""
    text = (f"*Checks of this page keep failing*: {escape_slack(detail)}\n"
            "No change is reported while it fails; one message follows when it can be read again.")
    return _notice(f"Failing: {title}", text, page_url)


def recovery_message(title: str, detail: str, page_url: str) -> dict[str, Any]:
    """Given a watch's name, how it recovered and the page URL, return the note sent when it is readable again."""
    return _notice(f"Recovered: {title}", f"*The page can be read again*: {escape_slack(detail)}", page_url)


def _notice(header: str, text: str, page_url: str) -> dict[str, Any]:
    header = truncate(drop_controls(header), HEADER_LIMIT)
    return {"text": escape_slack(header), "blocks": [
        {"type": "header", "text": {"type": "plain_text", "text": header}}, _section(text),
        {"type": "context", "elements": [{"type": "mrkdwn", "text": f"<{_slack_url(page_url)}|Open the page>"}]}]}


def test_message() -> dict[str, Any]:
    """Return the message `watcher test-notify` sends."""
    return {"text": "watcher test message", "blocks": [_section("This is a test message from *watcher*. "
                                                                "Alerts about changed pages will look different.")]}


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": truncate(text, SECTION_LIMIT)}}


def _slack_url(url: str) -> str:
    # In <url|label>, these would end the link early.
    return url.replace("|", "%7C").replace(">", "%3E").replace("<", "%3C")


@dataclass(frozen=True, slots=True)
class Delivery:
    """How one POST to a webhook went."""

    ok: bool
    status: int | None
    detail: str
    retry_after: float | None = None


async def post_slack(client: httpx.AsyncClient, url: str, message: dict[str, Any]) -> Delivery:
    """Given a client, a webhook URL and a message, POST it; return how it went. Never raises for HTTP."""
    try:
        response = await client.post(url, json=message)
    except (httpx.HTTPError, httpx.InvalidURL) as error:  # InvalidURL ("https://[::1") is no HTTPError
        # The message of a connection error can hold the URL: name only the kind.
        return Delivery(False, None, f"{type(error).__name__} posting to the webhook")
    detail = f"HTTP {response.status_code} {response.text[:200]!r}"
    retry_after = _retry_after(response.headers.get("retry-after")) if response.status_code == 429 else None
    return Delivery(response.status_code == 200, response.status_code, detail, retry_after)


def _retry_after(value: str | None) -> float | None:
    """Retry-After is seconds or an HTTP date (RFC 9110 §10.2.3)."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value)
    try:
        return max(0.0, (parsedate_to_datetime(value) - utc_now()).total_seconds())
    except (TypeError, ValueError):
        return None


class Outbox:
    """Delivers the outbox: per channel, oldest first; a failed alert is retried before any later one."""

    def __init__(self, store: Store, client: httpx.AsyncClient, watchlist: Watchlist,
                 webhooks: Mapping[str, str], clock: Clock = utc_now, retry_base: float = 5.0,
                 retry_max: float = 3600.0) -> None:
        self.store = store
        self.client = client
        self.watchlist = watchlist
        self.webhooks = dict(webhooks)
        self.clock = clock
        self.retry_base = retry_base
        self.retry_max = retry_max
        self.sent = 0
        self.failed = 0
        self._warned: set[str] = set()

    async def deliver_due(self) -> float | None:
        """Send every alert that is due; return seconds until the next retry is due, or None."""
        waits = [wait for channel in self.watchlist.channels
                 if (wait := await self._deliver_channel(channel.name)) is not None]
        return min(waits, default=None)

    async def _deliver_channel(self, channel: str) -> float | None:
        url = self.webhooks.get(channel)
        if url is None:
            self._warn_unconfigured(channel)
            return None
        while (alert := self.store.next_alert(channel)) is not None:
            wait = self._seconds_until_due(alert)
            if wait > 0:
                return wait
            if not await self._send(alert, url):
                return self._seconds_until_due(self.store.next_alert(channel))
        return None

    def _seconds_until_due(self, alert: Alert | None) -> float:
        if alert is None or alert.next_attempt_at is None:
            return 0.0
        due = datetime.fromisoformat(alert.next_attempt_at.replace("Z", "+00:00"))
        return max(0.0, (due - self.clock()).total_seconds())

    async def _send(self, alert: Alert, url: str) -> bool:
        delivery = await post_slack(self.client, url, self._message(alert))
        if delivery.ok:
            self.store.mark_sent(alert.id)
            self.sent += 1
            log.info("alert sent watch=%s channel=%s change=%s", alert.watch_id, alert.channel, alert.change_id)
            return True
        delay = delivery.retry_after if delivery.retry_after is not None else min(
            self.retry_max, self.retry_base * 2 ** alert.attempts)
        self.store.mark_attempt_failed(alert.id, delivery.detail, self.clock() + timedelta(seconds=delay))
        self.failed += 1
        log.warning("alert failed watch=%s channel=%s attempt=%d error=%s retry_in=%.0fs", alert.watch_id,
                    alert.channel, alert.attempts + 1, delivery.detail, delay)
        return False

    def _message(self, alert: Alert) -> dict[str, Any]:
        try:
            watch = self.watchlist.watch(alert.watch_id)
            title, url = watch.title, watch.url
        except KeyError:  # the watch left the watchlist after the alert was queued: it still goes out
            title, url = alert.watch_id, self.store.watch_state(alert.watch_id).url
        if alert.kind == "failure":
            return failure_message(title, alert.detail or "", url)
        if alert.kind == "recovery":
            return recovery_message(title, alert.detail or "", url)
        if alert.change_id is None:
            raise ValueError(f"outbox row {alert.id} of kind {alert.kind} has no change")
        return change_message(title, self.store.change(alert.change_id), url, self.watchlist.settings.base_url)

    def _warn_unconfigured(self, channel: str) -> None:
        if channel not in self._warned and self.store.next_alert(channel) is not None:
            self._warned.add(channel)
            log.warning("alerts wait channel=%s reason=no webhook URL (set its webhook_env or credential)", channel)

    async def run(self, wake: asyncio.Event, idle: float = 60.0, pause: float = 30.0) -> None:
        """Deliver until cancelled: at once when woken, when a retry is due, and every `idle` seconds.

        A round that fails for an unexpected reason is logged with its traceback and tried again after
        `pause` seconds: a dead delivery task would leave every later alert unsent without a word.
        """
        while True:
            wake.clear()  # before delivering: a change stored meanwhile sets it again
            try:
                wait = await self.deliver_due()
            except Exception:
                log.exception("outbox round failed; alerts stay queued, retrying in %.0fs", pause)
                wait = pause
            with contextlib.suppress(TimeoutError):  # a retry came due, or the idle period passed
                await asyncio.wait_for(wake.wait(), timeout=min(wait, idle) if wait is not None else idle)
