"""Old text + new text → Change: ops that rebuild both texts, whole-word ops, figures, summary."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from watcher.diff import DELETE, EQUAL, INSERT, Change, diff_texts
from watcher.render import render_terminal, render_unified


def rebuilt(change: Change) -> tuple[str, str]:
    old = "".join(text for op, text in change.ops if op != INSERT)
    new = "".join(text for op, text in change.ops if op != DELETE)
    return old, new


def test_diff_texts_names_the_changed_figure_in_the_summary() -> None:
    change = diff_texts("Intro\nWe will invest £500 million in AI.\nEnd", "Intro\nWe will invest £650 million in AI.\nEnd")

    assert change.summary == "1 figure changed: £500 million → £650 million (+30%)"
    assert (DELETE, "£500") in change.ops and (INSERT, "£650") in change.ops
    assert (change.added_words, change.removed_words) == (1, 1)


def test_diff_texts_never_splits_inside_a_figure() -> None:
    change = diff_texts("a fund of £2.5bn today", "a fund of £25bn today")

    assert [(op, text) for op, text in change.ops if op != EQUAL] == [(DELETE, "£2.5bn"), (INSERT, "£25bn")]


def test_diff_texts_without_figures_summarises_words_and_an_excerpt() -> None:
    change = diff_texts("First.\nLast.", "First.\nA new sentence appears.\nLast.")

    assert change.summary == "4 words added: “A new sentence appears.”"


def test_identical_texts_are_no_change() -> None:
    change = diff_texts("same\ntext", "same\ntext")

    assert not change.changed and change.summary == "no change"


def test_change_round_trips_through_its_json_form() -> None:
    change = diff_texts("£2 billion for 200 bids", "£3 billion for 200 bids and more")

    assert Change.from_dict(change.to_dict()) == change


def test_render_terminal_replaces_control_characters() -> None:
    change = diff_texts("safe", "safe \x1b[31mred\x1b[0m \x07")

    assert "\x1b" not in render_terminal(change.ops).plain
    assert "\x07" not in render_terminal(change.ops).plain


lines = st.lists(st.text(alphabet=st.sampled_from(list("ab £5.2m,\n")), max_size=12), max_size=8)


@given(st.text(), st.text())
def test_ops_rebuild_both_texts(old: str, new: str) -> None:
    assert rebuilt(diff_texts(old, new)) == (old, new)


@given(lines, lines)
def test_ops_rebuild_both_texts_made_of_lines_and_figures(old: list[str], new: list[str]) -> None:
    old_text, new_text = "\n".join(old), "\n".join(new)

    assert rebuilt(diff_texts(old_text, new_text)) == (old_text, new_text)


def test_render_unified_prints_old_and_new_lines_with_context() -> None:
    change = diff_texts("Intro\nWe invest £2bn.\nMiddle\nFar\nAway\nEnd", "Intro\nWe invest £3bn.\nMiddle\nFar\nAway\nEnd")

    assert render_unified(change.ops) == " Intro\n-We invest £2bn.\n+We invest £3bn.\n Middle"
