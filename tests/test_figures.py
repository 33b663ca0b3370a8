"""Figures: found as written, paired by kind, with their relative change."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from watcher.figures import compare_figures, find_figures, format_relative, summarise_figures


@pytest.mark.parametrize(("text", "kind", "figure"), [
    ("invest £2 billion in", "money", "£2 billion"),
    ("a £2bn fund", "money", "£2bn"),
    ("raised $1.2m today", "money", "$1.2m"),
    ("€350 million for", "money", "€350 million"),
    ("up to £500 million", "money", "up to £500 million"),
    ("GBP 40 million", "money", "GBP 40 million"),
    ("rose 4% in", "percent", "4%"),
    ("rose 4 per cent in", "percent", "4 per cent"),
    ("200 bids were", "count", "200 bids"),
    ("14,000 federal staff", "count", "14,000 federal staff"),
    ("on 3 October 2017", "date", "3 October 2017"),
    ("on October 3, 2017", "date", "October 3, 2017"),
    ("on 2017-10-03", "date", "2017-10-03"),
    ("in 2025-26", "financial-year", "2025-26"),
    ("by 2030.", "year", "2030"),
    ("fell by -3.5 to", "number", "-3.5"),
], ids=lambda value: str(value))
def test_find_figures_keeps_each_figure_as_written(text: str, kind: str, figure: str) -> None:
    [found] = find_figures(text)

    assert (found.kind, found.text) == (kind, figure)


@pytest.mark.parametrize(("old", "new", "summary"), [
    ("£2 billion", "£2.5 billion", "1 figure changed: £2 billion → £2.5 billion (+25%)"),
    ("£2.5bn", "£25bn", "1 figure changed: £2.5bn → £25bn (+900%)"),
    ("200 bids", "250 bids", "1 figure changed: 200 bids → 250 bids (+25%)"),
    ("up to £500 million", "£500 million", "1 figure changed: up to £500 million → £500 million (+0%)"),
    ("by 3 October 2017", "by 4 October 2017", "1 figure changed: 3 October 2017 → 4 October 2017"),
    ("£1m and 2%", "£1m", "1 figure changed: removed 2%"),
    ("£2 billion", "$2 billion", "1 figure changed: £2 billion → $2 billion"),
], ids=["scale-word", "decimal-mark", "count", "qualifier", "date", "removed", "currency"])
def test_compare_figures_pairs_old_and_new(old: str, new: str, summary: str) -> None:
    assert summarise_figures(compare_figures(old, new)) == summary


def test_compare_figures_pairs_counts_only_with_the_same_noun() -> None:
    changes = compare_figures("200 bids and 30 staff", "200 bids and 45 sites")

    assert [(c.old, c.new) for c in changes] == [("30 staff", None), (None, "45 sites")]


def test_format_relative_uses_a_true_minus_sign() -> None:
    assert [format_relative(x) for x in (0.25, -0.125, 0.0)] == ["+25%", "−12.5%", "+0%"]


figure_texts = st.sampled_from(["£2 billion", "£2.5bn", "4%", "200 bids", "3 October 2017", "2025-26", "17",
                                "$1.2m", "8 per cent", "2030", "14,000 staff"])


@given(st.lists(figure_texts, max_size=6), st.lists(figure_texts, max_size=6))
def test_figure_pairing_never_pairs_different_kinds(old: list[str], new: list[str]) -> None:
    old_kinds = {f.text: f.kind for f in find_figures(" and ".join(old))}
    new_kinds = {f.text: f.kind for f in find_figures(" and ".join(new))}
    for change in compare_figures(" and ".join(old), " and ".join(new)):
        if change.old is not None and change.new is not None:
            assert old_kinds[change.old] == new_kinds[change.new] == change.kind
