"""Furniture inside a page's main content, and its removal: link lists and their labels, share, related
and newsletter blocks, bylines, short captions and photo credits, timestamps beside the text.

Pure: no I/O, no clock. A change here alters extracted text: bump EXTRACTOR_VERSION in extract.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from selectolax.lexbor import LexborNode

from watcher.hints import MIN_LEDE, class_weight, link_density, names_a_part

# Furniture inside the main content, dropped when short or made of links.
_CHROME_TAGS = ("nav", "aside", "footer", "form", "dialog", "header")
_CLEANABLE = "nav, aside, footer, form, dialog, header, div, section, ul, ol, table, td[class], td[id]"
_LEDE_BLOCKS = "p, h2, [class*=lead], [class*=intro], [class*=excerpt], [class*=teaser], [class*=summary]"
# The pass reads at most this many times the content's text, plus a floor: dev pages read at most 8 times
# theirs (450,000 characters), a page of 20,000 nested blocks would read 40,000 times its text.
_READ_FACTOR, _READ_FLOOR = 50, 1_000_000
_KEEP_SHARE = 0.3  # a block holding this share of the page's paragraph text is content, whatever its class says
_BULK_SHARE = 0.5  # a link-dense block holding this share of the root's text is the content (a linkroll)
_CAPTIONS = "figcaption, [class*=caption], [class*=credit], [class*=copyright], figure cite"
_SHORT_CAPTION = 150
_CREDIT_BLOCKS = "p, span, em, small"
_PHOTO_CREDIT = re.compile(r"\(?(fotos?|photos?|bild|titelbild|beitragsbild|bildquelle|credits?|image|photograph|"
                           r"crédit|créditos?)(\s*:|\s+by\s)", re.IGNORECASE)
_LABELLED_BLOCK = 600  # paragraph text under a "Read more" box that is not the box's own
_LABELS = "h2, h3, h4, h5, h6, p, strong"
_LABEL_TAGS = frozenset({"h2", "h3", "h4", "h5", "h6", "p", "strong", "b", "span", "div"})
_SHORT_LABEL = 40
_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
# The markup the networks' embed codes give a post before their script turns it into a frame.
_EMBEDDED_POSTS = frozenset({"twitter-tweet", "instagram-media", "tiktok-embed", "reddit-embed-bq"})  # blockquote classes
_EMBED_SLACK = 80  # characters a wrapper may hold besides its post: a caption such as "Embedded post"
_HOVER_CARD_LINKS = 3  # links in one span inside a paragraph: fewer is a sentence linking its names
_FURNITURE_HEADING = re.compile(
    r"(related( (articles|posts|stories|content|links))?\b|read more|see also|more from|more stories|recommended|"
    r"top (stories|videos?|news)|most popular|don'?t miss|more news|partner news|editor'?s picks|back to |"
    r"zurück (zur|zum)|kommentar schreiben|kommentieren sie|keine kommentare|"
    r"you (may|might) also like|you (may|might) also be interested|similar (articles|posts|stories|recipes|dishes)|"
    r"popular|most read|trending|newsletter|sign up|subscribe|share (this|on)|"
    r"follow us|comments?\b|leave a (reply|comment)|tags:|pingback|"
    r"(verwandte|ähnliche|weitere|empfohlene|neueste) (beiträge|artikel)|weitere themen|mehr themen|"
    r"(das|dieses)( thema)? könnte (sie|dich) auch interessieren|auch lesen|zum weiterlesen|(die )?meistgelesenen?|"
    r"auch interessant|mehr zum thema|mehr aus |lesen sie auch|kommentare|teilen|"
    r"você (pode|também pode) gostar|veja também|leia também|not[ií]cias relacionadas|artículos relacionados|"
    r"(te|le) puede interesar|lea (también|más)|lee (también|más)|(lea|mire|vea):|más noticias|lo último|"
    r"à lire aussi|lire aussi|sur le même sujet|"
    r"dans la même rubrique|articles similaires|leggi anche|potrebbe interessarti|articoli correlati|"
    r"zobacz (też|także)|czytaj (też|także)|powiązane|lees ook|gerelateerde artikelen)", re.IGNORECASE)
# The same, read on a block's raw text: any run of whitespace where the heading has a space. A label is
# then recognised before its text is normalised, which would cost as much for every paragraph of the page.
_FURNITURE_HEADING_RAW = re.compile(_FURNITURE_HEADING.pattern.replace(" ", r"\s+"), re.IGNORECASE)
_SENTENCE_TAGS = frozenset({"p", "li", "td", "th", "dd", "blockquote", "span", "strong", "em", "b", "i"})


def drop_furniture(root: LexborNode, held: dict[int, int], total: int, spine: set[int],
                   trust_modifiers: bool = True) -> None:
    """Inside the main content, drop furniture: link lists, share and related blocks, forms; then short
    captions; then photo credits, timestamps beside the text, and labels of link lists with their lists.
    Without trust_modifiers (a page whose class names mislead), a block holding prose is judged by its
    names without their BEM modifiers."""
    _drop_blocks(root, held, total, spine, trust_modifiers)
    for node in _below(root, _CAPTIONS):
        if len(node.text_lexbor().strip()) < _SHORT_CAPTION:
            node.decompose()
    _drop_inline_furniture(root)


def _below(root: LexborNode, css: str) -> Iterator[LexborNode]:
    """The elements inside root that match css and are still in the tree. css() matches the root itself
    too, and a root is content, chosen as such; decompose() detaches every node of a subtree, so one
    inside a block already dropped has no parent."""
    key = root.mem_id
    for node in root.css(css):
        if node.parent is not None and node.mem_id != key:
            yield node


def _embedded_posts(root: LexborNode) -> set[int]:
    """A post quoted from a social network (a politician's tweet in a story) and the wrappers that hold just
    it: the wrappers are named for the network ("social-embed"), but what the post says is the story's."""
    wrappers: set[int] = set()
    lengths: dict[int, int] = {}  # each wrapper's text read once: a page may hold thousands of posts in one block
    for post in _below(root, "blockquote"):  # one tag, then its classes: four class selectors cost four walks
        if not _EMBEDDED_POSTS.intersection((post.attributes.get("class") or "").split()):
            continue
        most = len(post.text_lexbor()) + _EMBED_SLACK
        node = post.parent
        while node is not None and node.mem_id != root.mem_id:
            if node.mem_id not in lengths:
                lengths[node.mem_id] = len(node.text_lexbor())
            if lengths[node.mem_id] > most:
                break
            wrappers.add(node.mem_id)
            node = node.parent
    return wrappers


def _drop_blocks(root: LexborNode, held: dict[int, int], total: int, spine: set[int], trust_modifiers: bool) -> None:
    """Bottom-up, so a block is judged after its own furniture is gone; a block that holds much
    of the page's paragraph text is never dropped, because a paragraph dropped is a change missed."""
    kept = spine | {root.mem_id} | _embedded_posts(root)  # css() matches the root too; a root emptied is a page lost
    text = root.text_lexbor().strip()
    bulk = _BULK_SHARE * len(text)
    reading = _Reading(_READ_FACTOR * len(text) + _READ_FLOOR)
    for node in reversed(root.css(_CLEANABLE)):
        if reading.left <= 0:  # what is left unjudged stays: kept furniture costs less than a lost paragraph
            break
        holds = held.get(node.mem_id, 0)
        if node.parent is None or holds > _KEEP_SHARE * total or node.mem_id in kept:
            continue
        # Only a block holding prose is spared its modifiers: an empty share bar is furniture whatever the page.
        if _is_furniture(node, holds, bulk, reading, trust_modifiers or not holds):
            _drop_label_of(node, kept)
            if node.tag == "header" and node.css_first("h1") is not None:
                _strip_to_headline(node)
            else:
                node.decompose()


def _drop_inline_furniture(root: LexborNode) -> None:
    """Photo credits, timestamps beside the text (not a date in a sentence), and short labels such as
    "Related articles" with the link list after them."""
    for node in _below(root, _CREDIT_BLOCKS):  # the block's own text first: a full text for every one costs
        if _PHOTO_CREDIT.match(node.text(deep=False).lstrip()) and _is_photo_credit(node.text_lexbor().strip()):
            node.decompose()
    for node in _below(root, "time"):
        parent = node.parent
        if parent is not None and parent.tag not in _SENTENCE_TAGS:
            node.decompose()
    for node in _below(root, _LABELS):
        if _is_furniture_label(node):
            _drop_list_after(node)
            node.decompose()
    _drop_hover_cards(root)


def _drop_hover_cards(root: LexborNode) -> None:
    """A span of links set inside a sentence, shown on hover beside a name: a person's latest stories. It
    changes with every story published, so kept it would alert on an unchanged page."""
    counts: dict[int, int] = {}
    spans: dict[int, LexborNode] = {}
    for link in _below(root, "p span > a"):
        if (span := link.parent) is not None:
            counts[span.mem_id] = counts.get(span.mem_id, 0) + 1
            spans[span.mem_id] = span
    for key, count in counts.items():
        span = spans[key]
        if count >= _HOVER_CARD_LINKS and span.parent is not None and link_density(span) > 0.95:
            span.decompose()


def _drop_list_after(label: LexborNode) -> None:
    """The link list after a label: one list or block of links, or a run of paragraphs that are each a
    link (a CMS's "You may also like..." set as paragraphs). The first paragraph that is not ends it."""
    following = _element_beside(label)
    if following is not None and following.tag in ("ul", "ol", "div", "section") and link_density(following) > 0.3:
        following.decompose()
        return
    while following is not None and following.tag == "p" and link_density(following) > 0.9:
        after = _element_beside(following)
        following.decompose()
        following = after


def _element_beside(node: LexborNode, forward: bool = True) -> LexborNode | None:
    """The element after a node (or before it), past the text between them."""
    beside = node.next if forward else node.prev
    while beside is not None and beside.tag == "-text":
        beside = beside.next if forward else beside.prev
    return beside


def _strip_to_headline(header: LexborNode) -> None:
    """An article header judged furniture (a byline, a date, share links) still holds the headline:
    everything in it goes but the first <h1>. No recursion: hostile pages nest thousands deep."""
    headline = header.css_first("h1")
    if headline is None:
        return
    path = []
    node: LexborNode | None = headline
    while node is not None and node.mem_id != header.mem_id:
        path.append(node)
        node = node.parent
    keep = {step.mem_id for step in path}
    for parent in (header, *reversed(path[1:])):  # down the path from the header to the headline's parent
        for child in list(parent.iter(include_text=True)):
            if child.mem_id not in keep:
                child.decompose()


def _is_photo_credit(text: str) -> bool:
    """A line such as "Foto: Jane Doe/AFP" or "(Credit: …)": short, and with no digit in it, so that a
    caption carrying a figure is never taken for one."""
    return len(text) < _SHORT_CAPTION and bool(_PHOTO_CREDIT.match(text)) \
        and not any(character.isdigit() for character in text)


def _drop_label_of(block: LexborNode, kept: set[int]) -> None:
    """A short heading just before a block of furniture ("Tags", "Schlagworte", "Más noticias") labels it:
    it goes with it. A sentence, or a label holding a digit, stays: figures are never dropped on a guess."""
    label = _element_beside(block, forward=False)
    if label is None or label.tag not in _LABEL_TAGS or label.mem_id in kept:
        return
    text = label.text_lexbor().strip()
    if len(text) <= _SHORT_LABEL and not text.endswith((".", "。", "!", "?")) \
            and not any(character.isdigit() for character in text):
        label.decompose()


def _is_furniture_label(node: LexborNode) -> bool:
    """A short heading or paragraph such as "Related articles" or "Read more: …" (a link)."""
    raw = node.text_lexbor()
    if not _FURNITURE_HEADING_RAW.match(raw.lstrip()):
        return False
    text = " ".join(raw.split())
    if len(text) > 120:
        return False
    if len(text) <= _SHORT_LABEL or link_density(node) > 0.5:
        return True
    # A longer one is a label when it is the phrase alone ("Das Thema könnte dich auch interessieren:"), or
    # a heading that nothing follows, its list gone as furniture ("Die meistgelesenen Artikel bei SWR.de/Sport")
    # and no figure in it: a section's heading may stand alone in a wrapper.
    phrase = _FURNITURE_HEADING.match(text)
    alone = phrase is not None and len(text) - phrase.end() <= 1
    left_behind = node.tag in _HEADINGS and _element_beside(node) is None
    return alone or (left_behind and not any(character.isdigit() for character in text))


def _holds_lede(header: LexborNode) -> bool:
    for block in header.css(_LEDE_BLOCKS):
        text = block.text_lexbor().strip()
        if len(text) >= MIN_LEDE and link_density(block, text) < 0.3:
            return True
    return False


@dataclass
class _Reading:
    """How many characters of block text the bottom-up pass may still read. Each block reads all the text
    below it, so on a page nested thousands deep the reading grows with the square of the depth."""

    left: int


def _only_a_heading(header: LexborNode, length: int) -> bool:
    """Whether a header holds one subheading and nothing else: no byline, date or share links. (Blocks are
    judged bottom-up, so the section after it is still there only if it was not furniture.)"""
    headings = header.css("h2, h3, h4, h5, h6")
    return len(headings) == 1 and len(headings[0].text_lexbor().strip()) == length and link_density(headings[0]) < 0.5


def _is_furniture(node: LexborNode, held: int, bulk: float, reading: _Reading, modifiers: bool) -> bool:
    weight = class_weight(node, modifiers)
    if weight <= -25 or (held < _LABELLED_BLOCK and names_a_part(node, modifiers)):
        return True
    tag = node.tag
    if tag == "td":  # a layout column is furniture by its class; a data cell is never judged by its links
        return False
    text = node.text_lexbor()
    reading.left -= len(text)
    length = len(text.strip())
    if not length:
        return False
    # Link density walks the block's links and reads each one's text: it is worked out only where it decides.
    if _FURNITURE_HEADING.match(text.lstrip()) and (held < _LABELLED_BLOCK or link_density(node, text) > 0.15):
        return True  # "Related articles" and its list; not the paragraphs after a "Read more" box
    if tag in _CHROME_TAGS:  # an article's own header stays when it holds a standfirst
        if tag == "header" and _only_a_heading(node, length) and _element_beside(node) is not None:
            return False  # a section's title over the section ("Advantages of a car loan:"), not a byline
        return tag != "header" or link_density(node, text) > 0.3 or (length < 400 and not _holds_lede(node))
    if text.count(",") >= 10:
        return False
    density = link_density(node, text)
    if density > (0.5 if weight > 0 else 0.35):
        return length < bulk  # a post that is a list of links (a linkroll, a list of documents) keeps it
    if tag in ("ul", "ol") or density <= 0.2:
        return False
    tags = [block.tag for block in node.css("p, li")]
    return tags.count("li") > tags.count("p") + 2
