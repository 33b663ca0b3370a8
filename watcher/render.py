"""A Change's ops → what people read: terminal text, HTML and Slack mrkdwn.

Pure: page text is hostile, so every renderer escapes it for its medium and drops control characters.
"""

from __future__ import annotations

import html
import re

from rich.text import Text

from watcher.diff import DELETE, EQUAL, INSERT, Op
from watcher.figures import find_figures

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
_TERMINAL_STYLES = {DELETE: "bold red strike", INSERT: "bold green", EQUAL: ""}
_HTML_TAGS = {DELETE: "del", INSERT: "ins"}
_SLACK_MARKS = {DELETE: "~", INSERT: "*"}


def drop_controls(text: str) -> str:
    """Given page text, return it with control characters (which can drive terminals or break XML) replaced."""
    return _CONTROL.sub("\ufffd", text)


def changed_lines(ops: tuple[Op, ...] | list[Op], context: int = 1) -> list[list[Op] | None]:
    """Given ops, return the lines that hold a change with `context` lines around; None marks a gap."""
    lines = _op_lines(ops)
    marked = {index for index, line in enumerate(lines) if any(op != EQUAL for op, _ in line)}
    keep = {i for index in marked for i in range(index - context, index + context + 1) if 0 <= i < len(lines)}
    shown: list[list[Op] | None] = []
    for index in sorted(keep):
        if shown and index - 1 not in keep:
            shown.append(None)
        shown.append(lines[index])
    return shown


def _op_lines(ops: tuple[Op, ...] | list[Op]) -> list[list[Op]]:
    lines: list[list[Op]] = [[]]
    for op, text in ops:
        pieces = text.split("\n")
        for number, piece in enumerate(pieces):
            if number:
                lines.append([])
            if piece:
                lines[-1].append((op, piece))
    return [line for line in lines if line]


def render_terminal(ops: tuple[Op, ...] | list[Op], context: int = 1) -> Text:
    """Given ops, return a coloured word diff of the changed lines for a terminal.

    Control characters are replaced, so page text cannot drive the terminal.
    """
    rendered = Text()
    for line in changed_lines(ops, context):
        if line is None:
            rendered.append("  …\n", style="dim")
            continue
        for index, (op, text) in enumerate(line):
            if _replaces(line, index):
                rendered.append(" ")
            rendered.append(drop_controls(text), style=_TERMINAL_STYLES[op])
        rendered.append("\n")
    return rendered


def render_html(ops: tuple[Op, ...] | list[Op], context: int = 2) -> str:
    """Given ops, return the changed lines as escaped HTML: <del> and <ins> words, figures in <strong>."""
    rendered = []
    for line in changed_lines(ops, context):
        if line is None:
            rendered.append('<p class="gap">…</p>')
            continue
        segments = "".join(_html_segment(op, text) for op, text in line)
        rendered.append(f'<p class="line">{segments}</p>')
    return "\n".join(rendered)


def _html_segment(op: int, text: str) -> str:
    text = drop_controls(text)
    if op == EQUAL:
        return html.escape(text)
    return f"<{_HTML_TAGS[op]}>{emphasise_figures(text)}</{_HTML_TAGS[op]}>"


def emphasise_figures(text: str) -> str:
    """Given text, return it escaped as HTML with each figure in <strong class="figure">."""
    parts = []
    position = 0
    for figure in find_figures(text):  # in order, not overlapping, each where it stands
        parts.append(html.escape(text[position:figure.start]))
        parts.append(f'<strong class="figure">{html.escape(figure.text)}</strong>')
        position = figure.start + len(figure.text)
    parts.append(html.escape(text[position:]))
    return "".join(parts)


def escape_slack(text: str) -> str:
    """Given page text, return it safe inside Slack mrkdwn: &, < and > escaped, so no <!channel> or link."""
    return drop_controls(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_slack(ops: tuple[Op, ...] | list[Op]) -> list[str]:
    """Given ops, return the changed lines in Slack mrkdwn: ~removed~ and *added* words, escaped."""
    return ["".join((" " if _replaces(line, index) else "") + _slack_segment(op, text)
                    for index, (op, text) in enumerate(line))
            for line in changed_lines(ops, context=0) if line is not None]


def _replaces(line: list[Op], index: int) -> bool:
    """True for an insertion right after a removal: shown apart, so "£500" "£750" never read as "£500£750"."""
    return index > 0 and line[index][0] == INSERT and line[index - 1][0] == DELETE


def _slack_segment(op: int, text: str) -> str:
    if op == EQUAL:
        return escape_slack(text)
    core = text.strip()
    if not core:
        return escape_slack(text)
    # Slack formats only marks that touch the text, so spaces stay outside them.
    lead, trail = text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    mark = _SLACK_MARKS[op]
    return f"{escape_slack(lead)}{mark}{escape_slack(core)}{mark}{escape_slack(trail)}"


def render_unified(ops: tuple[Op, ...] | list[Op], context: int = 1) -> str:
    """Given ops, return the changed lines as plain unified text: "-old line", "+new line", " context"."""
    rendered = []
    for line in changed_lines(ops, context):
        if line is None:
            rendered.append("@@")
            continue
        old = drop_controls("".join(text for op, text in line if op != INSERT))
        new = drop_controls("".join(text for op, text in line if op != DELETE))
        if old == new:
            rendered.append(f" {old}")
            continue
        rendered.extend(prefix + text for prefix, text in (("-", old), ("+", new)) if text)
    return "\n".join(rendered)
