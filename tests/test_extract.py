"""HTML → main text: blocks, boilerplate, selectors, ignore rules, and hostile input."""

from __future__ import annotations

import pytest
from conftest import press_release
from hypothesis import given, settings
from hypothesis import strategies as st

from watcher.errors import ExtractError
from watcher.extract import extract_text, selector_problem


def test_extract_text_gives_one_line_per_block_without_page_furniture() -> None:
    text = extract_text(press_release())

    lines = text.splitlines()
    assert lines[0] == "Northfield to host new data campus"
    assert "The government will invest £500 million in a data campus at Northfield." in lines
    assert "2025-26 | £120 million" in lines
    assert "The campus is on a former power station site." in lines
    for furniture in ("cookies", "GOV.UK", "Menu", "Related content", "Open Government Licence", "dataLayer"):
        assert furniture not in text


def test_extract_text_applies_select_and_remove() -> None:
    text = extract_text(press_release(), select=".govuk-govspeak", remove=("table",))

    assert text.startswith("The campus will create 200 jobs")
    assert "£120 million" not in text
    assert "Northfield to host" not in text


def test_extract_text_with_select_matching_nothing_raises() -> None:
    with pytest.raises(ExtractError, match="matched nothing"):
        extract_text(press_release(), select="#missing")


def test_extract_text_takes_ignored_patterns_out_of_lines() -> None:
    text = extract_text(press_release(), ignore=(r"Last updated \d+ \w+ \d{4}\.",))

    assert "Last updated" not in text
    assert "Published 1 July 2025." in text


@pytest.mark.parametrize("html", ["", "   ", "<html></html>", "<script>var x = 1;</script>", "<p>  </p>"],
                         ids=["empty", "blank", "no-body", "script-only", "whitespace"])
def test_extract_text_of_a_page_without_text_raises(html: str) -> None:
    with pytest.raises(ExtractError):
        extract_text(html)


def test_extract_text_survives_deep_nesting() -> None:
    html = "<div>" * 5_000 + "<p>deep £5</p>" + "</div>" * 5_000  # far past Python's recursion limit

    assert extract_text(html) == "deep £5"


def test_selector_problem_names_a_bad_selector() -> None:
    assert selector_problem("main > .content") is None
    assert "CSS selector" in (selector_problem("div >") or "")


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_extract_text_of_any_text_returns_text_or_raises_extract_error(html: str) -> None:
    try:
        assert isinstance(extract_text(html), str)
    except ExtractError:
        pass


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="<>&"), min_size=1))
def test_script_and_style_text_never_appears_in_the_output(secret: str) -> None:
    marker = f"SECRET{secret}SECRET"
    html = f"<main><p>Visible</p><script>{marker}</script><style>{marker}</style><noscript>{marker}</noscript></main>"

    assert "SECRET" not in extract_text(html)
