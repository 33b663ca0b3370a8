"""Containers scored by the paragraphs they hold (Readability's idea), sidebars, navigation and reference
lists aside, with how much running text each ancestor holds.

Pure: no I/O, no clock. A change here alters extracted text: bump EXTRACTOR_VERSION in extract.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from selectolax.lexbor import LexborNode

from watcher.hints import (
    BLOCK_INSIDE,
    BLOCK_INSIDE_TAGS,
    MIN_PARAGRAPH,
    class_weight,
    holds_blocks,
    link_density,
    names,
    names_only_furniture,
)

_REFERENCES = re.compile(r"(^|[-_ ])(references|bibliography|reflist|citations)($|[-_ ])")
_TAG_WEIGHT = {"div": 5, "article": 10, "main": 10, "section": 3, "pre": 3, "td": 3, "blockquote": 3,
               "form": -3, "ol": -3, "ul": -3, "li": -3, "nav": -10, "aside": -10, "footer": -10}
_UNLIKELY_SHARE = 0.7  # sidebars are ignored unless they hold more of the page's text than this
_MIN_STORY = 1000  # ... and the rest holds less than this: then the "sidebar" is the page, misnamed
_MIN_ABSTRACT = 200  # reference lists do not score when the page has this much other paragraph text
_UNLIKELY, _REFERENCE = 1, 2  # what a paragraph is inside of
_LEAF_DIVS = f"div:not(:has({BLOCK_INSIDE})), section:not(:has({BLOCK_INSIDE}))"
# Blocks whose text counts as theirs: a <font> inside one is part of it, not a paragraph of its own.
_TEXT_BLOCKS = frozenset({"p", "pre", "td", "th", "blockquote", "li", "dd", "font",
                          "h1", "h2", "h3", "h4", "h5", "h6"})
_FEW_PARAGRAPHS = 300  # characters of paragraph text: less, on a page showing several times as much,
_HIDDEN_TEXT = 3  # ... means its text is in inline elements that no paragraph rule reads
_TOP_CANDIDATES = 8  # link density, a walk of the subtree, is weighed only for the best few
_SIDE_WIDTH, _SIDE_SHARE = 250, 25  # pixels, percent: a layout column no wider is a side column
_LAYOUT_CELL = 200  # characters: a table cell holding this much is a column of the page's layout, not a datum
_MAX_LAYOUT_CELLS = 64  # layout columns on a page: a layout has a handful, and each is a pass over the text


@dataclass
class Candidate:
    """A container of paragraphs and its score, which the choice of the content widens and compares."""

    node: LexborNode
    score: float


class Scores(NamedTuple):
    """The best candidates by node id; how much paragraph text each ancestor holds, and the page's total;
    the blocks that hold paragraphs of prose, in the page's order; and whether the page's class names
    mislead: nearly all its prose sits in blocks named like sidebars (chip.de's "TestReport__Section--Ads",
    a section with room for ads), so a block of prose must not be condemned by its BEM modifiers."""

    candidates: dict[int, Candidate]
    held: dict[int, int]
    total: int
    containers: list[LexborNode]
    misnamed: bool


def score_candidates(body: LexborNode, visible: int = 0) -> Scores:
    """Readability's idea: each paragraph scores its parent fully and its grandparent by half.

    Paragraphs in sidebars, navigation and footers do not count, unless they are nearly all the page has;
    a reference list does not score, but its text is the content's as much as the abstract's. On a page
    whose paragraphs hold next to nothing of the visible characters, the text is elsewhere: in <span>s
    or <b>s in a block beside its heading, which are then read as that block's own text.
    """
    paragraphs, own = _page_paragraphs(body, visible)
    unlikely, references, misnamed = _unscored(paragraphs)
    candidates: dict[int, Candidate] = {}
    prose: list[tuple[LexborNode, int]] = []
    for node, text in paragraphs:
        if node.mem_id in unlikely:
            continue
        length = len(text)
        points = 1 + text.count(",") + min(length // 100, 3)
        container = _container(node, length, own)
        if link_density(node, text) < 0.3 and container is not None:
            prose.append((container, length))
        if node.mem_id in references:
            continue
        ancestor = container
        for share in (1.0, 0.5, 1 / 3):
            if ancestor is None:
                break
            key = ancestor.mem_id
            if key not in candidates:
                tag = ancestor.tag
                if tag in ("html", "[document]"):
                    break
                candidates[key] = Candidate(ancestor, class_weight(ancestor) + _TAG_WEIGHT.get(tag or "", 0))
            candidates[key].score += points * share
            ancestor = ancestor.parent
    best = sorted(candidates.values(), key=lambda candidate: candidate.score, reverse=True)[:_TOP_CANDIDATES]
    for candidate in best:
        candidate.score *= 1 - link_density(candidate.node)
    held = _held_text(prose)
    containers = list({container.mem_id: container for container, _ in prose}.values())
    return Scores({candidate.node.mem_id: candidate for candidate in best}, held, sum(length for _, length in prose),
                  containers, misnamed)


def _page_paragraphs(body: LexborNode, visible: int) -> tuple[list[tuple[LexborNode, str]], set[int]]:
    """The page's paragraphs, with its layout cells taken apart; and the blocks among blocks that hold
    text of their own, set in spans, which are its containers, as cells are. Those are read only where
    the paragraphs found hold next to nothing of the visible characters."""
    paragraphs = list(_paragraphs(body))
    found = sum(len(text) for _, text in paragraphs)
    own: set[int] = set()
    if found < _FEW_PARAGRAPHS and visible > _HIDDEN_TEXT * found:
        paragraphs = list(_paragraphs(body, inline=True))
        own = {node.mem_id for node, _ in paragraphs if node.tag in ("div", "section") and holds_blocks(node)}
    return _cells_apart(paragraphs), own


def _is_column(paragraph: LexborNode, length: int) -> bool:
    """Whether a paragraph is a layout column: a table cell holding more text than a datum."""
    return paragraph.tag == "td" and length >= _LAYOUT_CELL


def _container(paragraph: LexborNode, length: int, own: set[int]) -> LexborNode | None:
    """The block a paragraph's text is scored to and held by: its parent, but a layout column's cell
    itself (an old site's page is a table; its row holds the navigation column beside the text), and a
    block among blocks whose own text is set in spans."""
    if paragraph.mem_id in own or _is_column(paragraph, length):
        return paragraph
    return paragraph.parent


def _cells_apart(paragraphs: list[tuple[LexborNode, str]]) -> list[tuple[LexborNode, str]]:
    """A cell's text without the layout columns nested in it, which are paragraphs of their own: a page
    centred in a one-cell table would otherwise count its text twice, and the wrapping cell, holding
    the navigation column too, would win. A cell left with too little text of its own is no paragraph."""
    inner = [(node, text) for node, text in paragraphs if _is_column(node, len(text))]
    if not 2 <= len(inner) <= _MAX_LAYOUT_CELLS:  # nesting takes two; thousands are a hostile page's
        return paragraphs
    cells = {node.mem_id: text for node, text in paragraphs if node.tag == "td"}
    for node, text in inner:
        ancestor = node.parent
        while ancestor is not None and ancestor.mem_id not in cells:
            ancestor = ancestor.parent
        if ancestor is not None:
            cells[ancestor.mem_id] = cells[ancestor.mem_id].replace(text, "", 1)
    return [(node, cells[node.mem_id].strip() if node.tag == "td" else text) for node, text in paragraphs
            if node.tag != "td" or len(cells[node.mem_id].strip()) >= MIN_PARAGRAPH]


def _unscored(paragraphs: list[tuple[LexborNode, str]]) -> tuple[set[int], set[int], bool]:
    """The paragraphs in sidebars and the like (unless they are nearly all the page has), and those in
    reference lists, which outweigh a paper's abstract (unless the page has little else); and whether
    the sidebar names were set aside as misnaming the page."""
    flags = _flags_inside(paragraphs)
    unlikely = {key for key, flag in flags.items() if flag & _UNLIKELY}
    references = {key for key, flag in flags.items() if flag & _REFERENCE}
    page_text = sum(len(text) for _, text in paragraphs)
    sidebar_text = sum(len(text) for node, text in paragraphs if node.mem_id in unlikely)
    misnamed = sidebar_text > _UNLIKELY_SHARE * page_text and page_text - sidebar_text < _MIN_STORY
    if misnamed:
        unlikely = set()
    if page_text - sum(len(text) for node, text in paragraphs if node.mem_id in references) < _MIN_ABSTRACT:
        references = set()
    return unlikely, references, misnamed


def _flags_inside(paragraphs: list[tuple[LexborNode, str]]) -> dict[int, int]:
    """Each paragraph's flags: inside a sidebar-like block, inside a reference list. One walk up from
    each paragraph to the first ancestor already judged; each ancestor is judged once."""
    known: dict[int, int] = {}
    flags = {}
    # Only a layout column is judged by its width: data cells are set narrow too, and their figures count.
    columns = {node.mem_id for node, text in paragraphs if _is_column(node, len(text))}
    for node, _ in paragraphs:
        path = []
        ancestor = node if node.tag == "td" else node.parent  # a cell is a column of its own
        flag = 0
        while ancestor is not None:
            cached = known.get(ancestor.mem_id)  # before the tag: most ancestors are judged already
            if cached is not None:
                flag = cached
                break
            if ancestor.tag in ("body", "html"):
                break
            path.append(ancestor)
            ancestor = ancestor.parent
        for block in reversed(path):  # top down: a block is inside whatever its parent is inside
            flag |= _flags_of(block.tag or "", names(block), block.mem_id in columns and _narrow(block))
            known[block.mem_id] = flag
        flags[node.mem_id] = flag
    return flags


def _narrow(cell: LexborNode) -> bool:
    """Whether a table cell is set narrow: an old layout's side column (<td width="160">)."""
    width = (cell.attributes.get("width") or "").strip().lower().removesuffix("px")
    if width.endswith("%"):
        return width[:-1].isdigit() and int(width[:-1]) <= _SIDE_SHARE
    return width.isdigit() and int(width) <= _SIDE_WIDTH


@lru_cache(maxsize=4096)
def _flags_of(tag: str, id_and_classes: str, narrow: bool = False) -> int:
    """An aside, nav or footer, a narrow side column, or a class saying sidebar, menu, related…; a class
    saying references."""
    flag = 0
    if tag in ("aside", "nav", "footer") or narrow or names_only_furniture(id_and_classes):
        flag |= _UNLIKELY
    if _REFERENCES.search(id_and_classes):
        flag |= _REFERENCE
    return flag


def _held_text(prose: list[tuple[LexborNode, int]]) -> dict[int, int]:
    """How much paragraph text each of these containers of paragraphs, and each ancestor, holds.

    Summed bottom-up over the ancestors, each visited once: walking every paragraph up to the root
    would be quadratic on a page nested thousands deep (20,000 levels took 110 s)."""
    parents: dict[int, LexborNode | None] = {}
    held: dict[int, int] = {}
    for container, length in prose:
        ancestor: LexborNode | None = container
        if ancestor is None or ancestor.tag == "html":
            continue
        held[ancestor.mem_id] = held.get(ancestor.mem_id, 0) + length
        while ancestor is not None and ancestor.mem_id not in parents and ancestor.tag != "html":
            parent = ancestor.parent
            parents[ancestor.mem_id] = parent
            ancestor = parent
    for key in sorted(parents, key=_depths(parents).__getitem__, reverse=True):
        parent = parents[key]
        if parent is not None and parent.mem_id in parents:
            held[parent.mem_id] = held.get(parent.mem_id, 0) + held.get(key, 0)
    return held


def _depths(parents: dict[int, LexborNode | None]) -> dict[int, int]:
    """Each node's depth among these, from their parent links, each computed once."""
    depths: dict[int, int] = {}
    for start in parents:
        chain = []
        key = start
        while key in parents and key not in depths:
            chain.append(key)
            parent = parents[key]
            key = parent.mem_id if parent is not None else -1
        depth = depths.get(key, 0)
        for link in reversed(chain):
            depth += 1
            depths[link] = depth
    return depths


def _paragraphs(body: LexborNode, inline: bool = False) -> Iterator[tuple[LexborNode, str]]:
    """The blocks that hold running text, with their text: long enough to be more than a label. With
    inline, a block's own text includes its inline elements' (not its links')."""
    for node in _paragraph_nodes(body, inline):
        text = node.text_lexbor().strip()
        if len(text) >= MIN_PARAGRAPH:
            yield node, text


def _paragraph_nodes(body: LexborNode, inline: bool) -> Iterator[LexborNode]:
    # Old sites and blogs put text straight into divs or sections, between <br>s or in spans, or set it
    # in <font>s of their own.
    leaves = {leaf.mem_id for leaf in body.css(_LEAF_DIVS)}
    for node in body.css("p, pre, td, blockquote, div, section, font"):  # one walk of the tree, not two
        tag = node.tag
        if tag not in ("div", "section", "font"):
            yield node
        elif node.mem_id in leaves or (tag == "font" and _font_paragraph(node)):
            if len(node.text_lexbor().strip()) >= 3 * MIN_PARAGRAPH and link_density(node) < 0.2:
                yield node
        elif tag != "font" and (len(node.text(deep=False).strip()) >= MIN_PARAGRAPH
                                     or (inline and _holds_inline_text(node))):
            yield node


def _font_paragraph(font: LexborNode) -> bool:
    """Whether a <font> sets text of its own: not inside a block whose text counts already, and holding
    no blocks (an unclosed <font> wraps the rest of the page, blocks and all)."""
    parent = font.parent
    return parent is not None and parent.tag not in _TEXT_BLOCKS and font.css_first(BLOCK_INSIDE) is None


def _holds_inline_text(block: LexborNode) -> bool:
    """Whether a block holds a paragraph's worth of text outside its child blocks and links, set in spans
    and the like. Read until it does: a child's text is all the text below it."""
    length = 0
    for child in block.iter(include_text=True):
        if child.tag not in BLOCK_INSIDE_TAGS and child.tag != "a":
            length += len(child.text_lexbor().strip())
            if length >= MIN_PARAGRAPH:
                return True
    return False
