"""The page's headline and standfirst: the <h1> its title names, which may stand in a page header apart
from the body, and the standfirst before the body or under the headline, where a release puts its figure.

Pure: no I/O, no clock. A change here alters extracted text: bump EXTRACTOR_VERSION in extract.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from selectolax.lexbor import LexborNode

from watcher.hints import (
    MIN_LEDE,
    MIN_PARAGRAPH,
    contains,
    link_density,
    named_furniture,
    names,
    within,
)

_LEDE = re.compile(r"(^|[-_ ])(lead|lede|intro|teaser|excerpt|standfirst|summary|chapo|subheadline|subtitle|deck|dek|"
                   r"einleitung|vorspann)($|[-_ ]|text)")
_LEDE_SELECTOR = ", ".join(["header", *(f"[class*={word}]" for word in (
    "lead", "lede", "intro", "teaser", "excerpt", "standfirst", "summary", "chapo", "subheadline", "einleitung"))])
_LEDE_LEVELS = 4
_LEDE_SIBLINGS = 3
_LEDE_AFTER_LEVELS = 2
_LEDE_WRAPPERS = 8  # page builders wrap one block in rows, columns and wrappers this deep
_SENTENCE_HEADING = 100  # characters: a heading this long is a standfirst set large, not a title
_MAX_LEDE = 1000  # a header holding more is the site's (menus, country lists), not the article's
_OTHER_STORY = 3  # paragraphs beside a header that make it another story's
_MIN_TITLED_SHARE = 0.5  # the page's headline is at least this share of its title; the site's name less
_TITLE_SEPARATORS = frozenset("|-–—:·›»/")  # between a headline and the site's name in a title


def titled_headline(headlines: list[LexborNode], title: str, shared_title: str = "") -> LexborNode | None:
    """The page's headline: the <h1> its <title> holds, wherever it stands (a page header above the columns
    as often as the body). Where the <title> is the CMS's ("Foundation - detail"), the title given for
    sharing (og:title) names it."""
    return _titled_headline(headlines, title) or _titled_headline(headlines, shared_title)


def with_lede_after(headline: LexborNode, roots: list[LexborNode]) -> list[LexborNode]:
    """Where the headline stands apart from the body, the standfirst under it leads the body: it is where
    a release puts its main figure."""
    if within(roots, headline):
        return roots
    lede = _lede_after(headline)
    return roots if lede is None or within(roots, lede) else [lede, *roots]


def _titled_headline(headlines: list[LexborNode], title: str) -> LexborNode | None:
    """The first <h1> whose text the title holds and is most of, or opens before the site's name: a shorter
    one elsewhere in the title is the site's name, and so is one that links to the site's home page (a blog's
    title in its header). A headline linking to its own post, as older blog themes set it, is the post's."""
    folded = title.casefold()
    for headline in headlines:
        raw = headline.text_lexbor()
        if len(raw) > _MAX_LEDE:  # no headline is that long, and splitting the text of each of thousands costs
            continue
        text = " ".join(raw.split()).casefold()
        if text and text in folded and (len(text) >= _MIN_TITLED_SHARE * len(folded) or _leads(folded, text)) \
                and not _links_home(headline):
            return headline
    return None


def _leads(title: str, headline: str) -> bool:
    """Whether the title opens with the headline and then names the site ("Headline › Site Name")."""
    return title.startswith(headline) and title[len(headline):].lstrip()[:1] in _TITLE_SEPARATORS


def _links_home(headline: LexborNode) -> bool:
    return any(urlsplit(link.attributes.get("href") or "").path.strip("/") in ("", "index.html", "index.php")
               for link in headline.css("a"))


def _lede_after(headline: LexborNode) -> LexborNode | None:
    """The standfirst under a headline that stands apart: the first paragraph, subheadline or lede-classed
    block of a paragraph's size among the few elements after it, or after its wrapper (past a byline or
    a picture, which are neither)."""
    return next((following for following in _nearby(headline, _LEDE_AFTER_LEVELS, forward=True)
                 if (following.tag in ("p", "h2") or _LEDE.search(names(following)))
                 and _standfirst_sized(following) and not named_furniture(following)), None)


def with_lede(roots: list[LexborNode]) -> list[LexborNode]:
    """The standfirst often sits in a header just before the body, where the body's container misses it;
    it is where a press release puts its main figure. Look a few elements back, a few levels up."""
    before = list(_nearby(roots[0], _LEDE_LEVELS, forward=False))
    ledes = [lede for previous in before if (lede := _lede_in(previous)) is not None]
    if not ledes and before and (plain := _plain_lede(before[0])) is not None:
        ledes = [plain]
    return [*reversed(ledes), *roots]


def _plain_lede(before: LexborNode) -> LexborNode | None:
    """The block just before the body, through wrappers that hold only it, when it is a paragraph of a
    standfirst's size (or a heading holding a sentence, as page builders set a standfirst), mostly not
    links and not named furniture."""
    block: LexborNode | None = before
    for _ in range(_LEDE_WRAPPERS):
        if block is None or block.tag in ("p", "h2", "h3") or named_furniture(block):  # a cookie banner's
            break
        block = _only_child(block)
    if block is None or block.tag not in ("p", "h2", "h3") or named_furniture(block) or not _standfirst_sized(block):
        return None
    return block if block.tag == "p" or len(block.text_lexbor().strip()) >= _SENTENCE_HEADING else None


def _only_child(node: LexborNode) -> LexborNode | None:
    """A wrapper's one element, or None: a second ends the look. Comments do not count (WordPress marks each
    block with them); scripts and styles are gone before the content is looked for."""
    only = None
    for child in node.iter():
        if child.tag == "-comment":
            continue
        if only is not None:
            return None
        only = child
    return only


def _nearby(node: LexborNode, levels: int, forward: bool) -> Iterator[LexborNode]:
    """The few elements just after (or before) the node, then after its parent, and so on up, nearest
    first; not past the body."""
    level: LexborNode | None = node
    for _ in range(levels):
        if level is None or level.tag in ("body", "html"):
            return
        neighbour = level.next if forward else level.prev
        looked = 0
        while neighbour is not None and looked < _LEDE_SIBLINGS:
            if neighbour.tag != "-text":
                looked += 1
                yield neighbour
            neighbour = neighbour.next if forward else neighbour.prev
        level = level.parent


def _lede_in(node: LexborNode) -> LexborNode | None:
    """The element itself if it is an article header or standfirst, else the first such inside it,
    unless the element holds much more besides: then it is another story, header and all."""
    outer = node
    if node.tag != "header" and not _LEDE.search(names(node)):
        found = node.css_first(_LEDE_SELECTOR)
        if found is None or (found.tag != "header" and not _LEDE.search(names(found))):
            return None
        node = found
    if not _standfirst_sized(node):
        return None
    return node if outer is node or _paragraphs_besides(outer, node) < _OTHER_STORY else None


def _paragraphs_besides(outer: LexborNode, inner: LexborNode) -> int:
    """How many paragraphs of running text outer holds outside inner."""
    return sum(1 for paragraph in outer.css("p") if not contains(inner, paragraph)
               and len(text := paragraph.text_lexbor().strip()) >= MIN_PARAGRAPH
               and link_density(paragraph, text) < 0.3)


def is_standfirst(node: LexborNode) -> bool:
    """A block whose class says lede, intro, summary…, holding a paragraph's worth of plain text."""
    return bool(_LEDE.search(names(node))) and _standfirst_sized(node)


def _standfirst_sized(node: LexborNode) -> bool:
    """A paragraph's worth of text, hardly any of it links: more is the site's header, not a lede."""
    text = node.text_lexbor().strip()
    return MIN_LEDE <= len(text) <= _MAX_LEDE and link_density(node, text) < 0.3
