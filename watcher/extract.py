"""HTML → main text, as one line per block (heading, paragraph, list item, table row).

Pure: no I/O, no clock. Works on selectolax's lexbor tree, never with regexes over HTML.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode, SelectolaxError

from watcher.errors import ExtractError

# Bump when a change here alters output: stored pages are then re-baselined silently.
EXTRACTOR_VERSION = "1"

# Never text a reader sees as the page's wording.
_JUNK_TAGS = ("script", "style", "noscript", "template", "svg", "math", "iframe", "object",
              "embed", "canvas", "select", "button", "input", "textarea", "head")
_HIDDEN = '[hidden], [aria-hidden="true"], [style*="display:none"], [style*="display: none"]'
# Page furniture around the content, removed when the watch gives no `select`.
_CHROME_TAGS = ("nav", "header", "footer", "aside", "form", "dialog")
_CHROME_WORDS = re.compile(
    r"(^|[-_ ])(cookie|consent|gdpr|banner|breadcrumbs?|share|sharing|social|related|"
    r"newsletter|subscribe|skip-?link|sidebar|menu|navbar|nav|footer|masthead|advert|ads|promo)"
    r"($|[-_ ])", re.IGNORECASE)
# Where CMSs put the main content, tried in order; the first that holds enough text wins.
_MAIN_CANDIDATES = ("main", '[role="main"]', "article", "#main-content", "#content", "#main",
                    ".main-content", ".content")
_MIN_MAIN_SHARE = 0.25
_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1",
    "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "legend", "li", "main", "nav", "ol",
    "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    "br", "option",
})
_CELL_TAGS = ("td", "th")
_LAYOUT_INSIDE_ROW = "table, p, div, ul, ol, h1, h2, h3, h4, h5, h6, blockquote"
_SAMPLE_CHARS = 3000


def selector_problem(css: str) -> str | None:
    """Given a CSS selector, return why it is unusable, or None if it is fine."""
    try:
        LexborHTMLParser("<p></p>").css(css)
    except SelectolaxError as error:
        return f"not a CSS selector selectolax understands: {error}"
    return None


def extract_main_text(html: str) -> str:
    """Given a page's HTML, return its main text as block lines. Raise ExtractError if there is none."""
    return extract_text(html)


@dataclass(frozen=True, slots=True)
class Extracted:
    """What a check needs from a page: its main text, or the problem that left it without one,
    and the title and opening visible text by which an error or challenge page is recognised."""

    text: str
    title: str = ""
    sample: str = ""
    problem: str | None = None


def extract_text(html: str, select: str | None = None, remove: tuple[str, ...] = (),
                 ignore: tuple[str, ...] = ()) -> str:
    """Given HTML, a watch's `select` and `remove` selectors and `ignore` regexes, return the main text.

    The text is one block per line; text matching an `ignore` pattern is taken out of each line.
    Raise ExtractError if `select` matches nothing or the page holds no text.
    """
    extracted = extract_page(html, select, remove, ignore)
    if extracted.problem:
        raise ExtractError(extracted.problem)
    return extracted.text


def extract_page(html: str, select: str | None = None, remove: tuple[str, ...] = (),
                 ignore: tuple[str, ...] = ()) -> Extracted:
    """Given HTML and a watch's rules, return its main text, title and a sample of its visible text.

    A page without main text is not an error here: `problem` says why, for the check to judge.
    """
    tree = LexborHTMLParser(html)
    title_node = tree.css_first("title")
    title = " ".join(title_node.text().split()) if title_node is not None else ""
    if tree.body is None:
        return Extracted("", title, "", "the page has no body")
    _drop(tree, ", ".join(_JUNK_TAGS))
    _drop(tree, _HIDDEN)
    sample = " ".join(tree.body.text(separator=" ").split())[:_SAMPLE_CHARS]
    for css in remove:
        _drop(tree, css)
    roots = tree.css(select) if select else [_main_root(tree.body)]
    if not roots:
        return Extracted("", title, sample, f"select {select!r} matched nothing on the page")
    lines = [line for root in _outermost(roots) for line in block_lines(root)]
    if ignore:
        lines = strip_ignored(lines, ignore)
    if not lines:
        return Extracted("", title, sample, "the page's main content holds no text")
    return Extracted("\n".join(lines), title, sample)


def strip_ignored(lines: list[str], patterns: tuple[str, ...]) -> list[str]:
    """Given block lines and regexes, return the lines with every match taken out (empty lines dropped)."""
    compiled = [re.compile(pattern) for pattern in patterns]
    kept = []
    for line in lines:
        for pattern in compiled:
            line = pattern.sub("", line)
        line = " ".join(line.split())
        if line:
            kept.append(line)
    return kept


def _drop(tree: LexborHTMLParser, css: str) -> None:
    for node in tree.css(css):
        node.decompose()


def _outermost(nodes: list[LexborNode]) -> list[LexborNode]:
    """The nodes not inside another of them: a node inside another match would be read twice."""
    return [node for node in nodes if not any(_contains(other, node) for other in nodes if other is not node)]


def _contains(outer: LexborNode, inner: LexborNode) -> bool:
    parent = inner.parent
    while parent is not None:
        if parent == outer:
            return True
        parent = parent.parent
    return False


def _main_root(body: LexborNode) -> LexborNode:
    for node in body.css(", ".join(_CHROME_TAGS)):
        node.decompose()
    for node in list(body.traverse()):
        if node.tag not in ("body", "html", "main", "article") and _looks_like_chrome(node):
            node.decompose()
    total = len(_visible_text(body))
    for css in _MAIN_CANDIDATES:
        candidate = body.css_first(css)
        if candidate is not None and len(_visible_text(candidate)) >= _MIN_MAIN_SHARE * total:
            return candidate
    return body


def _looks_like_chrome(node: LexborNode) -> bool:
    attributes = node.attributes
    names = f"{attributes.get('id') or ''} {attributes.get('class') or ''}"
    return bool(names.strip()) and _CHROME_WORDS.search(names) is not None


def _visible_text(node: LexborNode) -> str:
    return "".join(node.text(deep=True, separator=" ").split())


def block_lines(root: LexborNode) -> Iterator[str]:
    """Given an element, yield its text one block per line, whitespace normalised."""
    parts: list[str] = []
    end = object()
    stack: list[object] = [root]
    while stack:
        item = stack.pop()
        if item is end:
            yield from _flush(parts)
            continue
        assert isinstance(item, LexborNode)
        tag = item.tag or ""
        if tag == "-text":
            parts.append(item.text_content or "")
        elif tag == "tr" and item.css_first(_LAYOUT_INSIDE_ROW) is None:
            yield from _flush(parts)
            yield from _row(item)
        elif tag in _BLOCK_TAGS:
            yield from _flush(parts)
            stack.append(end)
            stack.extend(reversed(list(item.iter(include_text=True))))
        elif tag and not tag.startswith("-"):
            if tag in ("td", "th"):
                parts.append(" ")
            stack.extend(reversed(list(item.iter(include_text=True))))


def _flush(parts: list[str]) -> Iterator[str]:
    line = " ".join("".join(parts).split())
    parts.clear()
    if line:
        yield line


def _row(row: LexborNode) -> Iterator[str]:
    cells = [" ".join(cell.text(deep=True, separator=" ").split())
             for cell in row.iter() if cell.tag in _CELL_TAGS]
    if any(cells):
        yield " | ".join(cells)
