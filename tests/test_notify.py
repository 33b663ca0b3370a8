"""Slack messages and outbox delivery, against a real local webhook receiver."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from servers import SlackReceiver
from slack_sdk.models.blocks import Block

from watcher.diff import diff_texts
from watcher.notify import Outbox, change_message, webhook_for
from watcher.store import Store, StoredChange, Version
from watcher.watchlist import Channel, Watchlist, parse_watchlist

BASE = "http://watcher.example:8421"


def stored(old: str, new: str, change_id: int = 1) -> StoredChange:
    return StoredChange(change_id, "gov", 1, 2, "2026-11-25T08:00:00Z", False, diff_texts(old, new))


def assert_valid_block_kit(message: dict[str, object]) -> None:
    blocks = message["blocks"]
    assert isinstance(blocks, list) and len(blocks) <= 50
    for block in blocks:
        Block.parse(block).validate_json()  # raises on any Slack limit or shape broken


def all_text(message: dict[str, object]) -> str:
    return json.dumps(message, ensure_ascii=False)


def test_change_message_names_the_watch_figures_and_links() -> None:
    message = change_message("GOV.UK press release", stored("We invest £2 billion.", "We invest £2.5 billion."),
                             "https://www.gov.uk/x", BASE)

    assert_valid_block_kit(message)
    text = all_text(message)
    assert "GOV.UK press release" in text
    assert "£2 billion → £2.5 billion (+25%)" in text
    assert f"<{BASE}/changes/1|View the diff>" in text and "<https://www.gov.uk/x|Open the page>" in text


def test_page_text_cannot_mention_anyone_or_inject_links() -> None:
    hostile = "Fine.\n<!channel> <!here> <@U123> <https://evil.test|click> & done"
    message = change_message("Watch <!channel>", stored("Fine.", hostile), "https://x.test/", BASE)

    assert_valid_block_kit(message)
    assert message["blocks"][0]["text"]["type"] == "plain_text"  # Slack parses no mentions in plain text
    text = all_text({"text": message["text"], "blocks": message["blocks"][1:]})
    for raw in ("<!channel>", "<!here>", "<@U123>", "<https://evil.test"):
        assert raw not in text
    assert "&lt;!channel&gt;" in text and "&amp; done" in text


def test_a_huge_change_is_truncated_within_slack_limits() -> None:
    old = "\n".join(f"Line {n} costs £{n} million." for n in range(500))
    new = "\n".join(f"Line {n} costs £{n + 1} million." for n in range(500))

    message = change_message("x" * 400, stored(old, new), "https://x.test/", BASE)

    assert_valid_block_kit(message)
    assert "… and 488 more" in all_text(message)


@given(st.text(), st.text())
def test_escaping_is_total_for_any_page_text(old: str, new: str) -> None:
    message = change_message("title", stored(old, new), "https://x.test/", BASE)

    for block in message["blocks"][1:-1]:
        text = block["text"]["text"]
        assert "<" not in text and ">" not in text.replace("&gt;", "").replace("\n> ", "\n").removeprefix("> ")


def test_webhook_comes_from_the_environment_or_the_credential(tmp_path: Path) -> None:
    channel = Channel("newsroom")
    (tmp_path / "slack-webhook").write_text("https://hooks.example/from-credential\n")

    assert webhook_for(channel, {"WATCHER_SLACK_WEBHOOK": "https://hooks.example/env"}) == "https://hooks.example/env"
    assert webhook_for(channel, {"CREDENTIALS_DIRECTORY": str(tmp_path)}) == "https://hooks.example/from-credential"
    assert webhook_for(channel, {}) is None
    (tmp_path / "slack-webhook").write_text("none")  # the unit's fallback when no credential file exists
    assert webhook_for(channel, {"CREDENTIALS_DIRECTORY": str(tmp_path)}) is None


def queue_changes(store: Store, count: int) -> list[int]:
    store.save_baseline("gov", "https://x.test/", Version("£0 million", b"<p>0</p>", 200, "", "1", "r"), "h0")
    ids = []
    for n in range(1, count + 1):
        change = diff_texts(f"£{n - 1} million", f"£{n} million")
        version = Version(f"£{n} million", f"<p>{n}</p>".encode(), 200, "", "1", "r")
        ids.append(store.save_change("gov", "https://x.test/", version, change, ["newsroom"], f"h{n}").id)
    return ids


def deliver(store: Store, watchlist: Watchlist, url: str, rounds: int) -> Outbox:
    async def go() -> Outbox:
        async with httpx.AsyncClient() as client:
            outbox = Outbox(store, client, watchlist, {"newsroom": url}, retry_base=0.05)
            for _ in range(rounds):
                wait = await outbox.deliver_due()
                if wait is None:
                    break
                await asyncio.sleep(wait)
            return outbox
    return asyncio.run(go())


WATCHLIST = parse_watchlist({"channels": {"newsroom": {}}, "watch": {"gov": {"url": "https://x.test/"}}})


def test_outbox_retries_500_and_honours_retry_after_delivering_once_in_order(
        store: Store, slack: SlackReceiver) -> None:
    ids = queue_changes(store, 2)
    slack.answers = [(500, {}, "oops"), (429, {"Retry-After": "1"}, "rate_limited")]

    outbox = deliver(store, WATCHLIST, slack.url, rounds=5)

    assert [post["text"] for post in slack.posts] == ["gov: 1 figure changed: £0 million → £1 million",
                                                      "gov: 1 figure changed: £1 million → £2 million (+100%)"]
    assert (outbox.sent, outbox.failed) == (2, 2)
    assert store.pending_alerts() == []
    first = store.db.execute("SELECT attempts FROM outbox WHERE change_id = ?", [ids[0]]).fetchone()[0]
    assert first == 3


def test_alerts_wait_while_the_channel_has_no_webhook(store: Store, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="watcher.notify")
    queue_changes(store, 1)

    async def go() -> None:
        async with httpx.AsyncClient() as client:
            await Outbox(store, client, WATCHLIST, {}).deliver_due()
    asyncio.run(go())

    assert len(store.pending_alerts()) == 1
    assert "no webhook URL" in caplog.text


def test_a_webhook_url_httpx_cannot_parse_is_a_failed_attempt_not_a_dead_outbox(store: Store) -> None:
    queue_changes(store, 1)

    outbox = deliver(store, WATCHLIST, "https://[::1", rounds=1)  # httpx.InvalidURL is no HTTPError

    assert (outbox.sent, outbox.failed) == (0, 1)
    assert len(store.pending_alerts()) == 1
    error = store.db.execute("SELECT last_error FROM outbox").fetchone()[0]
    assert "InvalidURL" in error and "::1" not in error  # the URL is a secret: never stored or logged


def test_the_outbox_loop_logs_an_unexpected_error_and_keeps_delivering(
        store: Store, slack: SlackReceiver, caplog: pytest.LogCaptureFixture) -> None:
    queue_changes(store, 1)

    async def go() -> Outbox:
        async with httpx.AsyncClient() as client:
            outbox = Outbox(store, client, WATCHLIST, {"newsroom": slack.url})
            real, calls = outbox.deliver_due, []

            async def first_round_breaks() -> float | None:  # a fault no real server produces: a bug
                calls.append(1)
                if len(calls) == 1:
                    raise RuntimeError("boom")
                return await real()
            outbox.deliver_due = first_round_breaks  # type: ignore[method-assign]
            task = asyncio.create_task(outbox.run(asyncio.Event(), idle=0.05, pause=0.05))
            for _ in range(100):
                await asyncio.sleep(0.02)
                if outbox.sent:
                    break
            task.cancel()
            return outbox
    outbox = asyncio.run(go())

    assert outbox.sent == 1 and len(slack.posts) == 1
    assert "outbox round failed" in caplog.text and "boom" in caplog.text
