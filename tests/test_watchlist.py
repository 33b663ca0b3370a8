"""watchlist.toml → Watchlist: the bundled file, defaults, and every problem reported at once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from watcher.errors import WatchlistError
from watcher.watchlist import load_watchlist, parse_duration, parse_size, parse_watchlist

ROOT = Path(__file__).parent.parent


def test_the_bundled_watchlist_is_valid() -> None:
    watchlist = load_watchlist(ROOT / "watchlist.toml")

    assert len(watchlist.watches) >= 5
    assert all(watch.url.startswith("https://") for watch in watchlist.watches)
    assert any("openai-to-expand-uk-office" in watch.url for watch in watchlist.watches)


def test_the_readme_watchlist_example_is_valid(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text()
    [example] = re.findall(r"```toml\n(.*?)```", readme, re.DOTALL)
    (tmp_path / "watchlist.toml").write_text(example)

    watchlist = load_watchlist(tmp_path / "watchlist.toml")

    assert watchlist.watches


def test_a_watch_takes_defaults_from_settings() -> None:
    watchlist = parse_watchlist({"settings": {"interval": "15m"}, "watch": {"a": {"url": "https://x.test/"}}})

    [watch] = watchlist.watches
    assert (watch.id, watch.title, watch.interval, watch.cron, watch.alert_on) == ("a", "a", 900.0, None, "any")


def test_every_problem_is_reported_at_once_with_its_toml_path() -> None:
    document = {
        "settings": {"interval": "soon", "colour": "red"},
        "channels": {"team": {"watches": ["ghost"]}},
        "watch": {
            "a": {"url": "ftp://x.test/", "interval": "1h", "cron": "0 9 * * *"},
            "b": {"url": "https://x.test/", "select": "div >", "ignore": ["("], "alert_on": "sometimes"},
            "c": {"name": "no url"},
            "bad id": {"url": "https://x.test/"},
        },
    }
    with pytest.raises(WatchlistError) as raised:
        parse_watchlist(document)

    problems = "\n".join(raised.value.problems)
    for path in ("settings.interval:", "settings.colour: unknown key", "watch.a: give interval or cron",
                 "watch.a.url:", "watch.b.select:", "watch.b.ignore.0:", "watch.b.alert_on:", "watch.c.url: required",
                 "watch.bad id:", "channels.team.watches: no watch named 'ghost'"):
        assert path in problems


def test_keywords_rule_needs_keywords() -> None:
    with pytest.raises(WatchlistError, match="watch.a.keywords"):
        parse_watchlist({"watch": {"a": {"url": "https://x.test/", "alert_on": "keywords"}}})


def test_an_unreadable_or_invalid_toml_file_is_one_clear_problem(tmp_path: Path) -> None:
    path = tmp_path / "watchlist.toml"
    path.write_text("[watch.a\nurl=")

    with pytest.raises(WatchlistError, match="not valid TOML"):
        load_watchlist(path)
    with pytest.raises(WatchlistError, match="cannot read"):
        load_watchlist(tmp_path / "missing.toml")


@pytest.mark.parametrize(("text", "seconds"), [("90s", 90), ("15m", 900), ("1h", 3600), ("1d", 86400),
                                               ("1h30m", 5400), (45, 45)])
def test_parse_duration(text: str | int, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "soon", "5x", "0s", "1h 5", True])
def test_parse_duration_refuses_what_is_not_a_duration(text: object) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


def test_parse_size() -> None:
    assert [parse_size(v) for v in (100, "500KB", "5MB", "5 mb")] == [100, 500_000, 5_000_000, 5_000_000]


def test_channels_route_by_tag_and_watch() -> None:
    watchlist = parse_watchlist({
        "channels": {"all": {}, "gov": {"tags": ["gov"]}, "one": {"watches": ["b"]}},
        "watch": {"a": {"url": "https://x.test/", "tags": ["gov"]}, "b": {"url": "https://y.test/"}},
    })

    routes = {watch.id: [c.name for c in watchlist.channels_for(watch)] for watch in watchlist.watches}
    assert routes == {"a": ["all", "gov"], "b": ["all", "one"]}
