"""`watcher run` end to end: a real subprocess against a local page site and a local Slack receiver."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import feedparser
import httpx
import pytest
from conftest import press_release
from daemon_process import DaemonProcess, wait_for
from servers import PageSite, SlackReceiver
from slack_sdk.models.blocks import Block

from watcher.daemon import EXIT_CONFIG

HOSTILE = "<p>Notice: &lt;script&gt;alert(1)&lt;/script&gt; ]]&gt; \x01\x0b &lt;!channel&gt; &amp; more</p>"


@pytest.fixture
def daemons() -> Iterator[list[DaemonProcess]]:
    started: list[DaemonProcess] = []
    yield started
    for daemon in started:
        daemon.kill()


def start(daemons: list[DaemonProcess], daemon: DaemonProcess) -> DaemonProcess:
    daemons.append(daemon)
    return daemon.start()


def assert_valid_xml(xml: bytes, tmp_path: Path) -> None:
    if shutil.which("xmllint"):
        (tmp_path / "feed.xml").write_bytes(xml)
        subprocess.run(["xmllint", "--noout", str(tmp_path / "feed.xml")], check=True, capture_output=True)


def test_a_page_edit_gives_one_feed_entry_and_one_slack_post(
        site: PageSite, slack: SlackReceiver, tmp_path: Path, daemons: list[DaemonProcess]) -> None:
    url = site.set("/n", press_release())
    daemon = start(daemons, DaemonProcess(tmp_path, {"northfield": url}, slack.url))
    daemon.wait_for_outcome("northfield", {"baseline", "unchanged"})
    site.set("/n", press_release(amount="£650 million"))
    wait_for(slack.received.is_set, what="a Slack post")

    atom = httpx.get(f"{daemon.base}/feeds/all.atom")
    rss = httpx.get(f"{daemon.base}/feeds/tags/gov.rss")
    page = httpx.get(f"{daemon.base}/changes/1")
    assert daemon.stop() == 0

    [post] = slack.posts
    for block in post["blocks"]:
        Block.parse(block).validate_json()
    assert "£500 million → £650 million (+30%)" in str(post)
    feed = feedparser.parse(atom.content)
    assert feed.bozo == 0 and feedparser.parse(rss.content).bozo == 0
    [entry] = feed.entries
    assert entry.title == "Watch northfield: £500 million → £650 million"
    assert entry.link == f"{daemon.public}/changes/1"
    assert entry.id.startswith("tag:watcher.test,")
    assert_valid_xml(atom.content, tmp_path)
    assert '<ins><strong class="figure">£650</strong></ins>' in page.text
    assert "script-src" not in page.headers["content-security-policy"]


def test_hostile_page_text_comes_out_escaped_everywhere(
        site: PageSite, slack: SlackReceiver, tmp_path: Path, daemons: list[DaemonProcess]) -> None:
    url = site.set("/n", press_release())
    daemon = start(daemons, DaemonProcess(tmp_path, {"northfield": url}, slack.url))
    daemon.wait_for_outcome("northfield", {"baseline", "unchanged"})
    site.set("/n", press_release(extra=HOSTILE))
    wait_for(slack.received.is_set, what="a Slack post")

    atom = httpx.get(f"{daemon.base}/feeds/all.atom").content
    rss = httpx.get(f"{daemon.base}/feeds/all.rss").content
    page = httpx.get(f"{daemon.base}/changes/1").text

    assert "<script>alert" not in page and "&lt;script&gt;alert(" in page
    assert "\x01" not in page
    for xml in (atom, rss):
        parsed = feedparser.parse(xml)
        assert parsed.bozo == 0
        assert_valid_xml(xml, tmp_path)
        assert b"<script>" not in xml and b"\x01" not in xml
    assert "<!channel>" not in str(slack.posts[0]) and "&lt;!channel&gt;" in str(slack.posts[0])


def test_an_alert_being_sent_when_the_daemon_is_killed_is_delivered_after_restart(
        site: PageSite, slack: SlackReceiver, tmp_path: Path, daemons: list[DaemonProcess]) -> None:
    url = site.set("/n", press_release())
    slack.answers = [(0, {}, "")]  # Slack holds the first post unanswered
    daemon = start(daemons, DaemonProcess(tmp_path, {"northfield": url}, slack.url))
    daemon.wait_for_outcome("northfield", {"baseline", "unchanged"})
    site.set("/n", press_release(amount="£650 million"))
    wait_for(slack.holding.is_set, what="a delivery in flight")
    daemon.kill()  # SIGKILL mid-delivery: no chance to clean up
    slack.release.set()
    assert slack.posts == []

    start(daemons, DaemonProcess(tmp_path, {"northfield": url}, slack.url))
    wait_for(slack.received.is_set, what="the pending alert")

    assert len(slack.posts) == 1
    assert "£650 million" in str(slack.posts[0])


def test_sighup_with_an_added_watch_starts_checking_it(
        site: PageSite, tmp_path: Path, daemons: list[DaemonProcess]) -> None:
    first, second = site.set("/a", press_release()), site.set("/b", press_release(amount="£1 billion"))
    daemon = start(daemons, DaemonProcess(tmp_path, {"a": first}))
    daemon.wait_for_outcome("a", {"baseline", "unchanged"})

    daemon.write_watchlist({"a": first, "b": second})
    daemon.send(signal.SIGHUP)
    daemon.wait_for_outcome("b", {"baseline", "unchanged"})

    assert "reloaded added=b" in daemon.log_text()
    assert daemon.stop() == 0


def test_sighup_with_a_bad_watchlist_keeps_the_running_one(
        site: PageSite, tmp_path: Path, daemons: list[DaemonProcess]) -> None:
    daemon = start(daemons, DaemonProcess(tmp_path, {"a": site.set("/a", press_release())}))
    daemon.wait_for_outcome("a", {"baseline", "unchanged"})

    daemon.watchlist.write_text("[watch.a]\nurl = 42\n")
    daemon.send(signal.SIGHUP)
    wait_for(lambda: "reload refused" in daemon.log_text(), what="the refusal")
    daemon.wait_for_outcome("a", {"unchanged"})

    assert daemon.stop() == 0


def test_systemd_hears_ready_watchdog_reloading_and_stopping(
        site: PageSite, tmp_path: Path, daemons: list[DaemonProcess]) -> None:
    path = tmp_path / "notify.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as listener:
        listener.bind(str(path))
        listener.settimeout(20)
        daemon = start(daemons, DaemonProcess(tmp_path, {"a": site.set("/a", press_release())},
                                              extra_env={"NOTIFY_SOCKET": str(path), "WATCHDOG_USEC": "200000"}))
        heard = [listener.recv(4096).decode()]
        daemon.send(signal.SIGHUP)
        while not heard[-1].startswith("RELOADING=1"):
            heard.append(listener.recv(4096).decode())
        daemon.send(signal.SIGTERM)
        while heard[-1] != "STOPPING=1":
            heard.append(listener.recv(4096).decode())

    assert heard[0].startswith("READY=1")
    assert "WATCHDOG=1" in heard
    assert "MONOTONIC_USEC=" in heard[heard.index(next(m for m in heard if m.startswith("RELOADING=1")))]
    assert daemon.process is not None and daemon.process.wait(20) == 0


def test_a_bad_watchlist_exits_78(tmp_path: Path, daemons: list[DaemonProcess]) -> None:
    daemon = DaemonProcess(tmp_path, {})
    daemon.watchlist.write_text('[watch.a]\nurl = "not a url"\n')

    start(daemons, daemon)

    assert daemon.process is not None and daemon.process.wait(20) == EXIT_CONFIG
    assert "watch.a.url" in daemon.log_text()


def test_the_http_server_serves_get_only(site: PageSite, tmp_path: Path, daemons: list[DaemonProcess]) -> None:
    daemon = start(daemons, DaemonProcess(tmp_path, {"a": site.set("/a", press_release())}))
    daemon.wait_for_outcome("a", {"baseline", "unchanged"})

    assert httpx.get(f"{daemon.base}/healthz").json()["status"] == "ok"
    assert httpx.post(f"{daemon.base}/").status_code == 405
    assert httpx.delete(f"{daemon.base}/changes/1").status_code == 405
    # The store records a check a moment before the daemon counts it.
    wait_for(lambda: 'watcher_checks_total{outcome="baseline"} 1' in httpx.get(f"{daemon.base}/metrics").text,
             what="the baseline check in /metrics")
    metrics = httpx.get(f"{daemon.base}/metrics").text
    assert "watcher_check_duration_seconds_count" in metrics
    index = httpx.get(f"{daemon.base}/").text
    assert "Watch a" in index and ("baseline" in index or "unchanged" in index)
    assert daemon.stop() == 0


def test_the_demo_shows_the_change_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    from daemon_process import WATCHER
    log = tmp_path / "demo.log"
    with log.open("wb") as output:
        # -v: the daemon's log of each check goes to the log too, so a run that times out says where it stood.
        demo = subprocess.Popen([str(WATCHER), "-v", "demo", "--port", "0"], stdout=output, stderr=output, cwd=tmp_path)
        try:
            wait_for(lambda: "Ctrl-C" in log.read_text(), timeout=40, what="the demo's change",
                     describe=log.read_text)
            demo.send_signal(signal.SIGINT)
            assert demo.wait(20) == 0
        finally:
            demo.kill()

    shown = log.read_text()
    assert "£500 million → £750 million (+50%)" in shown
    assert "The Slack message it sent" in shown and '"type": "header"' in shown
    assert list(tmp_path.iterdir()) == [log]  # its state lived in a temporary directory, now gone
