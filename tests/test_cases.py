"""The labelled corpus in tests/pages/cases: each before/after pair gives its expected verdict and figure pairs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from watcher.classify import is_minor
from watcher.diff import diff_texts
from watcher.extract import extract_text
from watcher.watchlist import parse_watchlist

CASES = sorted((Path(__file__).parent / "pages" / "cases").iterdir())


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_labelled_case(case: Path) -> None:
    expected = json.loads((case / "expected.json").read_text())
    watch = parse_watchlist({"watch": {"case": {"url": "https://x.test/", **expected["watch"]}}}).watches[0]
    old, new = (extract_text((case / name).read_text(), watch.select, watch.remove, watch.ignore)
                for name in ("before.html", "after.html"))

    change = diff_texts(old, new)
    verdict = "none" if not change.changed else "minor" if is_minor(change, watch) else "change"

    assert verdict == expected["verdict"], change.summary
    assert [[figure.old, figure.new] for figure in change.figures] == expected["figures"]
