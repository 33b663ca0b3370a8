"""What a block's markup says about it: its id and class names, their weight, its link density, and
whether one node holds another. Shared by scoring, the choice of the main content, its headline and its
cleaning.

Pure: no I/O, no clock. A change here alters extracted text: bump EXTRACTOR_VERSION in extract.py.
"""

from __future__ import annotations

import re
from functools import lru_cache

from selectolax.lexbor import LexborNode

# A notification banner is not: GOV.UK's says a scheme has closed or a page was withdrawn, the news a
# reader watches for. Consent tools join "cookie" and "consent" to other words (BorlabsCookie). View,
# share and access counters change on every visit: kept, they would alert on every check.
NEGATIVE = re.compile(
    r"(^|[-_ ])([a-z]*cookie[a-z]*|[a-z]*consent[a-z]*|gdpr|(?<!notification-)banner|breadcrumbs?|crumbs?|"
    r"share|sharing|social|related\w*|newsletter\w*|subscribe|widget-?area|"
    r"skip-?link|sidebar|menu|navbar|nav|footer|masthead|advert|ads?|promo|comments?|popup|modal|"
    r"tags|author-bio|author-box|author-card|author-info|about-author|entry-author|cta|affiliate|"
    r"postmetadata|entry-utility|recommended|more-stories|outbrain|taboola|copyright|"
    r"altmetric|metrics-bar|(view|share|like|read|visit|access|download)s?-?counts?|hit-?counter|page-?views?|post-?views|"
    r"sharedaddy|jp-relatedposts|shariff|addtoany|gallery|slideshow|carousel|rail|"
    r"byline|dateline|datestamp|timestamp|publish-date|posted-on|post-date|entry-date|"
    r"(next|prev|previous|older|newer)-?(post|article|story|entry)s?|next-?prev|prev-?next|post-navigation|pagination|pager)"
    r"($|[-_ ])")
# A class naming a part of the article by its last word ("article-byline", "post__share") is that part.
_NEGATIVE_PART = re.compile(NEGATIVE.pattern.replace("($|[-_ ])", "($| )"))
# And one led by a word naming furniture ("related-stories", "share-article") is that furniture.
_NEGATIVE_LEAD = re.compile(NEGATIVE.pattern.replace("(^|[-_ ])", "(^| )").replace("($|[-_ ])", "[-_]"))
# Ambiguous: site builders wrap body text in "widget" blocks too, so these only weigh a little.
_WEAK_NEGATIVE = re.compile(r"(^|[-_ ])(widget|meta|extra)($|[-_ ])")
POSITIVE = re.compile(r"(^|[-_ ])(article|body|content|entry|hentry|main|page|post|text|blog|story|govspeak)"
                       r"($|[-_ ]|s)")
# A BEM modifier ("TestReport__Section--Ads", a section of the report with room for ads) says how a block
# looks; mostly that is what it is too ("meta--byline"), but not on a page whose names mislead.
_MODIFIER = re.compile(r"(?<=\w)--[\w-]*")
MIN_LEDE = 40  # characters: less is a label or a dateline, not a standfirst
MIN_PARAGRAPH = 25  # characters: a shorter block is a label, not running text
_SMALL_BLOCK = 1000  # characters: a block of this much text has few enough elements to walk in Python
# The tags of blocks that hold running text or other blocks.
BLOCK_INSIDE = "p, div, table, ul, ol, section, article, h1, h2, h3, h4, h5, h6, pre, blockquote, form"
BLOCK_INSIDE_TAGS = frozenset(tag.strip() for tag in BLOCK_INSIDE.split(","))


def contains(outer: LexborNode, inner: LexborNode) -> bool:
    """Whether inner is a descendant of outer."""
    key = outer.mem_id  # a node's == compares HTML, not identity
    parent = inner.parent
    while parent is not None:
        if parent.mem_id == key:
            return True
        parent = parent.parent
    return False


def within(roots: list[LexborNode], node: LexborNode) -> bool:
    """Whether node is one of roots or inside one."""
    return any(root.mem_id == node.mem_id or contains(root, node) for root in roots)


def holds_blocks(node: LexborNode) -> bool:
    """Whether any of a node's children is a block of text or of other blocks (css() would match the node
    itself)."""
    return any(child.tag in BLOCK_INSIDE_TAGS for child in node.iter())


def names(node: LexborNode) -> str:
    """A node's id and classes, lowercased: the class patterns are case-sensitive, which is 3x faster."""
    attributes = node.attributes
    return f"{attributes.get('id') or ''} {attributes.get('class') or ''}".lower()


def class_weight(node: LexborNode, modifiers: bool = True) -> float:
    """What a node's id and classes say of it: -25 for furniture, +25 for content, both or neither;
    without modifiers, what they say with their BEM modifiers left out."""
    id_and_classes = names(node)
    return _weight_of_names(id_and_classes if modifiers else _without_modifiers(id_and_classes))


def names_only_furniture(id_and_classes: str) -> bool:
    """Whether lowercased names say furniture and nothing says content: weighed once with class_weight's cache."""
    return _weight_of_names(id_and_classes) == -25


@lru_cache(maxsize=4096)
def _weight_of_names(id_and_classes: str) -> float:
    """Pages repeat their class names on every list item and card: each is weighed once."""
    if not id_and_classes.strip():
        return 0.0
    weight = 0.0
    if NEGATIVE.search(id_and_classes):
        weight -= 25
    elif _WEAK_NEGATIVE.search(id_and_classes):
        weight -= 5
    if POSITIVE.search(id_and_classes):
        weight += 25
    return weight


def link_density(node: LexborNode, text: str | None = None) -> float:
    """The share of a node's text that is link text (1.0 for a node without text)."""
    text = node.text_lexbor() if text is None else text
    if not text or text.isspace():  # without a copy of the text: a block's may be the whole page's
        return 1.0
    # A selector costs a fixed 2 µs to parse, more than walking a paragraph's few elements in Python.
    links = node.css("a") if len(text) > _SMALL_BLOCK else [child for child in node.traverse() if child.tag == "a"]
    return min(1.0, sum(len(link.text_lexbor()) for link in links) / len(text)) if links else 0.0


def named_furniture(node: LexborNode) -> bool:
    """Whether the node's id or classes name furniture, or a furniture part of an article."""
    return class_weight(node) <= -25 or names_a_part(node)


def names_a_part(node: LexborNode, modifiers: bool = True) -> bool:
    """Whether a class is led or ended by a word naming furniture ("article-byline", "share-article")."""
    classes = (node.attributes.get("class") or "").lower()
    return _classes_name_a_part(classes if modifiers else _without_modifiers(classes))


@lru_cache(maxsize=4096)
def _classes_name_a_part(classes: str) -> bool:
    return bool(_NEGATIVE_PART.search(classes) or _NEGATIVE_LEAD.search(classes))


def _without_modifiers(id_and_classes: str) -> str:
    return _MODIFIER.sub("", id_and_classes) if "--" in id_and_classes else id_and_classes
