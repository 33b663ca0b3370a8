"""The `watcher` command against a real local site: check, list, history, diff, compare, extract, validate."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import press_release
from servers import PageSite, SlackReceiver

from watcher.cli import EXIT_CONFIG, main


def write_watchlist(path: Path, urls: dict[str, str]) -> Path:
    tables = "".join(f'[watch.{watch_id}]\nurl = "{url}"\nname = "Watch {watch_id}"\n\n'
                     for watch_id, url in urls.items())
    path.write_text(f'[settings]\ntimeout = "2s"\n\n[channels.newsroom]\n\n{tables}')
    return path


def watcher(tmp_path: Path, *args: str) -> Result:
    options = ["--watchlist", str(tmp_path / "watchlist.toml"), "--state", str(tmp_path / "state")]
    return CliRunner().invoke(main, [*options, *args], catch_exceptions=False)


def test_check_then_diff_shows_the_changed_figure(site: PageSite, tmp_path: Path) -> None:
    write_watchlist(tmp_path / "watchlist.toml", {"northfield": site.set("/n", press_release())})

    first = watcher(tmp_path, "check")
    site.set("/n", press_release(amount="£650 million"))
    second = watcher(tmp_path, "check")
    shown = watcher(tmp_path, "diff", "northfield")
    as_json = json.loads(watcher(tmp_path, "diff", "northfield", "--json").output)

    assert first.exit_code == second.exit_code == shown.exit_code == 0
    assert "baseline" in first.output and "1 checked, 0 changed, 0 failed" in first.output
    assert "1 checked, 1 changed, 0 failed" in second.output
    assert "£500 million → £650 million (+30%)" in shown.output
    assert as_json["figures"] == [{"kind": "money", "old": "£500 million", "new": "£650 million",
                                   "relative_change": 0.3}]


def test_verbose_logs_every_check_with_its_outcome(site: PageSite, tmp_path: Path) -> None:
    write_watchlist(tmp_path / "watchlist.toml", {"northfield": site.set("/n", press_release())})

    first = watcher(tmp_path, "-v", "check")
    second = watcher(tmp_path, "-v", "check")

    assert "checked watch=northfield outcome=baseline" in first.output
    assert "checked watch=northfield outcome=unchanged" in second.output


def test_list_and_history_show_what_happened(site: PageSite, tmp_path: Path) -> None:
    write_watchlist(tmp_path / "watchlist.toml", {"northfield": site.set("/n", press_release())})
    watcher(tmp_path, "check")
    site.set("/n", press_release(extra="<p>A new paragraph.</p>"))
    watcher(tmp_path, "check")
    site.set("/n", "", status=503)
    watcher(tmp_path, "check")

    listed = watcher(tmp_path, "list")
    history = watcher(tmp_path, "history", "northfield")

    assert "northfield" in listed.output and "http-error" in listed.output
    assert "2 versions" in history.output
    assert "3 words added" in history.output
    assert "HTTP 503" in history.output


def test_check_of_unreachable_pages_reports_each_failure_and_exits_normally(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    write_watchlist(tmp_path / "watchlist.toml", {f"page{n}": f"{closed}/{n}" for n in range(5)})

    result = watcher(tmp_path, "check")

    assert result.exit_code == 0
    assert result.stdout.count("network-error") == 5
    assert "5 checked, 0 changed, 5 failed" in result.output


def test_check_of_an_unknown_watch_fails(site: PageSite, tmp_path: Path) -> None:
    write_watchlist(tmp_path / "watchlist.toml", {"northfield": site.set("/n", press_release())})

    result = watcher(tmp_path, "check", "nope")

    assert result.exit_code == 1


def test_compare_json_prints_the_figures_that_changed(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(press_release())
    (tmp_path / "b.html").write_text(press_release(amount="£2.5 billion").replace("200 jobs", "250 jobs"))

    result = watcher(tmp_path, "compare", str(tmp_path / "a.html"), str(tmp_path / "b.html"), "--json")
    data = json.loads(result.output)

    assert set(data) == {"changed", "summary", "added_words", "removed_words", "figures", "ops", "moved"}
    assert data["changed"] is True
    assert [(f["old"], f["new"]) for f in data["figures"]] == [("£500 million", "£2.5 billion"),
                                                               ("200 jobs", "250 jobs")]
    assert all(op in (-1, 0, 1) and isinstance(text, str) for op, text in data["ops"])


def test_compare_of_pages_differing_only_in_furniture_is_no_change(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(press_release())
    (tmp_path / "b.html").write_text(press_release().replace("Other news", "Something else"))

    data = json.loads(watcher(tmp_path, "compare", str(tmp_path / "a.html"), str(tmp_path / "b.html"),
                              "--json").output)

    assert (data["changed"], data["figures"]) == (False, [])


def test_extract_prints_the_main_text_of_a_url(site: PageSite, tmp_path: Path) -> None:
    result = watcher(tmp_path, "extract", site.set("/n", press_release()), "--select", "h1")

    assert result.output == "Northfield to host new data campus\n"


def test_extract_with_a_selector_matching_nothing_fails_clearly(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(press_release())

    result = CliRunner().invoke(main, ["extract", str(tmp_path / "a.html"), "--select", "#gone"])

    assert result.exit_code == 1
    assert "matched nothing" in result.output


def test_extract_of_a_frameset_names_its_frames_by_their_full_urls(site: PageSite) -> None:
    url = site.set("/old/index.htm", '<html><frameset cols="160,*"><frame src="nav.htm">'
                                     '<frame src="/old/main.htm"></frameset></html>')

    result = CliRunner().invoke(main, ["extract", url])

    assert result.exit_code == 1
    folder = url.rsplit("/", 1)[0]
    assert f"({folder}/nav.htm, {folder}/main.htm)" in " ".join(result.output.split())


def test_validate_a_bad_watchlist_exits_78_listing_every_problem(tmp_path: Path) -> None:
    (tmp_path / "watchlist.toml").write_text('[watch.a]\nurl = "nope"\ninterval = "soon"\n')
    command = Path(sys.executable).parent / "watcher"  # the console script installed beside this Python

    result = subprocess.run([str(command), "--watchlist", str(tmp_path / "watchlist.toml"), "validate"],
                            capture_output=True, text=True, timeout=30)

    assert result.returncode == EXIT_CONFIG
    assert "watch.a.url:" in result.stderr and "watch.a.interval:" in result.stderr


def test_test_notify_reports_each_webhook_answer_honestly(slack: SlackReceiver, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    write_watchlist(tmp_path / "watchlist.toml", {"a": "https://x.test/"})
    monkeypatch.setenv("WATCHER_SLACK_WEBHOOK", slack.url)

    delivered = watcher(tmp_path, "test-notify")
    slack.answers = [(404, {}, "no_service")]
    refused = watcher(tmp_path, "test-notify")
    monkeypatch.delenv("WATCHER_SLACK_WEBHOOK")
    unset = watcher(tmp_path, "test-notify")

    assert (delivered.exit_code, refused.exit_code, unset.exit_code) == (0, 1, 1)
    assert "newsroom: HTTP 200 'ok'" in delivered.output and len(slack.posts) == 1
    assert "newsroom: HTTP 404 'no_service'" in refused.output
    assert "no webhook URL" in unset.output
    assert "secret" not in delivered.output + refused.output  # the webhook URL is never printed


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text()

    for command in main.commands:
        assert f"watcher {command}" in readme, command
