"""A page's main content on selectolax's lexbor tree: which container holds it, and what furniture
inside it goes (link lists, share, related and comment blocks, bylines, captions).

Pure: no I/O, no clock. A change here alters extracted text: bump EXTRACTOR_VERSION in extract.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from selectolax.lexbor import LexborNode

# Furniture inside the main content, dropped when short or made of links.
_CHROME_TAGS = ("nav", "aside", "footer", "form", "dialog", "header")
_CLEANABLE = "nav, aside, footer, form, dialog, header, div, section, ul, ol, table, td[class], td[id]"
# A notification banner is not: GOV.UK's says a scheme has closed or a page was withdrawn, the news a
# reader watches for. Consent tools join "cookie" and "consent" to other words (BorlabsCookie). View,
# share and access counters change on every visit: kept, they would alert on every check.
_NEGATIVE = re.compile(
    r"(^|[-_ ])([a-z]*cookie[a-z]*|[a-z]*consent[a-z]*|gdpr|(?<!notification-)banner|breadcrumbs?|crumbs?|"
    r"share|sharing|social|related|newsletter\w*|subscribe|"
    r"skip-?link|sidebar|menu|navbar|nav|footer|masthead|advert|ads?|promo|comments?|popup|modal|"
    r"tags|author-bio|author-box|author-card|author-info|about-author|entry-author|cta|affiliate|"
    r"postmetadata|entry-utility|recommended|more-stories|outbrain|taboola|copyright|"
    r"altmetric|metrics-bar|(view|share|like|read|visit|access|download)s?-?counts?|hit-?counter|page-?views?|"
    r"sharedaddy|jp-relatedposts|shariff|addtoany|gallery|slideshow|carousel|rail|"
    r"byline|dateline|datestamp|timestamp|publish-date|posted-on|post-date|entry-date|"
    r"next-?post|prev-?post|post-navigation|nextstory|pagination|pager)($|[-_ ])")
# A class naming a part of the article by its last word ("article-byline", "post__share") is that part.
_NEGATIVE_PART = re.compile(_NEGATIVE.pattern.replace("($|[-_ ])", "($| )"))
# And one led by a word naming furniture ("related-stories", "share-article") is that furniture.
_NEGATIVE_LEAD = re.compile(_NEGATIVE.pattern.replace("(^|[-_ ])", "(^| )").replace("($|[-_ ])", "[-_]"))
_LEDE = re.compile(r"(^|[-_ ])(lead|lede|intro|teaser|excerpt|standfirst|summary|chapo|subheadline|subtitle|deck|dek|"
                   r"einleitung|vorspann)($|[-_ ]|text)")
_LEDE_BLOCKS = "p, h2, [class*=lead], [class*=intro], [class*=excerpt], [class*=teaser], [class*=summary]"
_LEDE_SELECTOR = ", ".join(["header", *(f"[class*={word}]" for word in (
    "lead", "lede", "intro", "teaser", "excerpt", "standfirst", "summary", "chapo", "subheadline", "einleitung"))])
_REFERENCES = re.compile(r"(^|[-_ ])(references|bibliography|reflist|citations)($|[-_ ])")
# Ambiguous: site builders wrap body text in "widget" blocks too, so these only weigh a little.
_WEAK_NEGATIVE = re.compile(r"(^|[-_ ])(widget|meta|extra)($|[-_ ])")
_POSITIVE = re.compile(r"(^|[-_ ])(article|body|content|entry|hentry|main|page|post|text|blog|story|govspeak)"
                       r"($|[-_ ]|s)")
_TAG_WEIGHT = {"div": 5, "article": 10, "main": 10, "section": 3, "pre": 3, "td": 3, "blockquote": 3,
               "form": -3, "ol": -3, "ul": -3, "li": -3, "nav": -10, "aside": -10, "footer": -10}
_MIN_PARAGRAPH = 25
_HOLD_SHARE = 0.6  # the main content holds at least this share of the page's paragraph text
_KEEP_SHARE = 0.3  # a block holding this share of it is content, whatever its class says
_BULK_SHARE = 0.5  # a link-dense block holding this share of the root's text is the content (a linkroll)
_UNLIKELY_SHARE = 0.7  # sidebars are ignored unless they hold more of the page's text than this
_MIN_ABSTRACT = 200  # reference lists do not score when the page has this much other paragraph text
_UNLIKELY, _REFERENCE = 1, 2  # what a paragraph is inside of
_CAPTIONS = "figcaption, [class*=caption], [class*=credit], [class*=copyright], figure cite"
_SHORT_CAPTION = 150
_CREDIT_BLOCKS = "p, span, em, small"
_PHOTO_CREDIT = re.compile(r"\(?(fotos?|photos?|bild|titelbild|beitragsbild|bildquelle|credits?|image|photograph|"
                           r"crédit|créditos?)(\s*:|\s+by\s)", re.IGNORECASE)
_LABELLED_BLOCK = 600  # paragraph text under a "Read more" box that is not the box's own
_LABELS = "h2, h3, h4, h5, h6, p, strong"
_LABEL_TAGS = frozenset({"h2", "h3", "h4", "h5", "h6", "p", "strong", "b", "span", "div"})
_SHORT_LABEL = 40
_COMMENT_NAMES = frozenset({
    "comments", "comment-list", "commentlist", "comments-area", "comments-section", "comment-section",
    "comment-respond", "respond", "disqus_thread", "comments-list", "comment-thread", "commentsblock",
    "article-comments", "post-comments", "user-comments", "comment-form", "comments-wrapper"})
_FURNITURE_HEADING = re.compile(
    r"(related( (articles|posts|stories|content|links))?\b|read more|see also|more from|more stories|recommended|"
    r"top (stories|videos?|news)|most popular|don'?t miss|more news|partner news|editor'?s picks|back to |"
    r"zurück (zur|zum)|kommentar schreiben|kommentieren sie|keine kommentare|"
    r"you (may|might) also like|you (may|might) also be interested|similar (articles|posts|stories|recipes|dishes)|"
    r"popular|most read|trending|newsletter|sign up|subscribe|share (this|on)|"
    r"follow us|comments?\b|leave a (reply|comment)|tags:|pingback|"
    r"(verwandte|ähnliche|weitere|empfohlene|neueste) (beiträge|artikel)|weitere themen|mehr themen|"
    r"(das|dieses thema) könnte (sie|dich) auch interessieren|auch lesen|zum weiterlesen|(die )?meistgelesenen?|"
    r"auch interessant|mehr zum thema|mehr aus |lesen sie auch|kommentare|teilen|"
    r"você (pode|também pode) gostar|veja também|leia também|not[ií]cias relacionadas|artículos relacionados|"
    r"(te|le) puede interesar|lea (también|más)|lee (también|más)|(lea|mire|vea):|más noticias|lo último|"
    r"à lire aussi|lire aussi|sur le même sujet|"
    r"dans la même rubrique|articles similaires|leggi anche|potrebbe interessarti|articoli correlati|"
    r"zobacz (też|także)|czytaj (też|także)|lees ook|gerelateerde artikelen)", re.IGNORECASE)
_BLOCK_INSIDE = "p, div, table, ul, ol, section, article, h1, h2, h3, h4, h5, h6, pre, blockquote, form"
_BLOCK_CHILDREN = frozenset(tag.strip() for tag in _BLOCK_INSIDE.split(","))
_LEAF_DIVS = f"div:not(:has({_BLOCK_INSIDE})), section:not(:has({_BLOCK_INSIDE}))"
_ARTICLE_LEVELS = 3
_RIVAL_SHARE = 0.5
_LISTING_POSTS = 3
_LEDE_LEVELS = 4
_LEDE_SIBLINGS = 3
_MIN_LEDE = 40
_MAX_LEDE = 1000  # a header holding more is the site's (menus, country lists), not the article's
_OTHER_STORY = 3  # paragraphs beside a header that make it another story's
_RIVAL_LEVELS = 3
_SENTENCE_TAGS = frozenset({"p", "li", "td", "th", "dd", "blockquote", "span", "strong", "em", "b", "i"})
_TOP_CANDIDATES = 8  # link density, a walk of the subtree, is weighed only for the best few


def contains(outer: LexborNode, inner: LexborNode) -> bool:
    """Whether inner is a descendant of outer."""
    key = outer.mem_id  # a node's == compares HTML, not identity
    parent = inner.parent
    while parent is not None:
        if parent.mem_id == key:
            return True
        parent = parent.parent
    return False


def _drop_comments(body: LexborNode) -> None:
    """Reader comments are never the page's wording, and change all the time: drop them before scoring."""
    for node in body.css("[id*=omment], [class*=omment], [id*=disqus], [class*=disqus]"):
        names = {(node.attributes.get("id") or "").lower(), *(node.attributes.get("class") or "").lower().split()}
        if names & _COMMENT_NAMES and node.parent is not None:
            node.decompose()


def main_roots(body: LexborNode) -> list[LexborNode]:
    """The main content, cleaned of furniture: the best-scoring container (not a list of other posts),
    widened until it holds most of the page's paragraph text or a near rival (articles split by ads
    or figures), with the standfirst before it and siblings that read as its continuation."""
    _drop_comments(body)
    scores, held, total = _score_candidates(body)
    if not scores:
        return [body]
    best, scores, total = _the_post(scores, held, total)
    spine = _spine(best.node)
    best = _enclosing_article(_with_rivals(_widened(best, scores, held, total), scores))
    roots = _with_lede(_with_siblings(best, scores))
    for root in roots:
        _clean(root, held, total, spine)
    return roots


def _the_post(scores: dict[int, _Candidate], held: dict[int, int],
              total: int) -> tuple[_Candidate, dict[int, _Candidate], int]:
    """The best candidate, unless it is a list of other posts: then the post, and the list no longer
    counts, neither as text the content must hold nor as a rival."""
    best = max(scores.values(), key=lambda candidate: candidate.score)
    post = _unless_listing(best, scores)
    if post is best:
        return best, scores, total
    scores = {key: candidate for key, candidate in scores.items()
              if key != best.node.mem_id and not contains(best.node, candidate.node)}
    return post, scores, total - held.get(best.node.mem_id, 0)


def _widened(best: _Candidate, scores: dict[int, _Candidate], held: dict[int, int], total: int) -> _Candidate:
    """Up the tree until the container holds _HOLD_SHARE of the page's paragraph text."""
    while held.get(best.node.mem_id, 0) < _HOLD_SHARE * total and best.node.parent is not None \
            and best.node.parent.tag not in ("html", "body"):
        parent = best.node.parent
        best = scores.get(parent.mem_id) or _Candidate(parent, best.score)
    return best


def _with_lede(roots: list[LexborNode]) -> list[LexborNode]:
    """The standfirst often sits in a header just before the body, where the body's container misses it;
    it is where a press release puts its main figure. Look a few elements back, a few levels up."""
    ledes: list[LexborNode] = []
    node: LexborNode | None = roots[0]
    for _ in range(_LEDE_LEVELS):
        if node is None or node.tag in ("body", "html"):
            break
        previous = node.prev
        looked = 0
        while previous is not None and looked < _LEDE_SIBLINGS:
            if previous.tag != "-text":
                looked += 1
                lede = _lede_in(previous)
                if lede is not None:
                    ledes.insert(0, lede)
            previous = previous.prev
        node = node.parent
    return ledes + roots


def _lede_in(node: LexborNode) -> LexborNode | None:
    """The element itself if it is an article header or standfirst, else the first such inside it,
    unless the element holds much more besides: then it is another story, header and all."""
    outer = node
    if node.tag != "header" and not _LEDE.search(_names(node)):
        found = node.css_first(_LEDE_SELECTOR)
        if found is None or (found.tag != "header" and not _LEDE.search(_names(found))):
            return None
        node = found
    if not _standfirst_sized(node):
        return None
    return node if outer is node or _paragraphs_besides(outer, node) < _OTHER_STORY else None


def _paragraphs_besides(outer: LexborNode, inner: LexborNode) -> int:
    """How many paragraphs of running text outer holds outside inner."""
    return sum(1 for paragraph in outer.css("p") if not contains(inner, paragraph)
               and len(text := paragraph.text(deep=True).strip()) >= _MIN_PARAGRAPH
               and _link_density(paragraph, text) < 0.3)


def _spine(node: LexborNode) -> set[int]:
    """The node and its ancestors: whatever their class, the best container's own wrappers stay."""
    spine = set()
    ancestor: LexborNode | None = node
    while ancestor is not None:
        spine.add(ancestor.mem_id)
        ancestor = ancestor.parent
    return spine


def _unless_listing(best: _Candidate, scores: dict[int, _Candidate]) -> _Candidate:
    """A list of posts ("You may also like": several scored <article>s side by side) can outscore the
    post itself. When an <article> outside the list scores at least half as well and holds the page's
    <h1>, that is the content."""
    posts = [candidate for candidate in scores.values()
             if candidate.node.tag == "article" and candidate.node.parent is not None
             and contains(best.node, candidate.node)]
    if len({post.node.parent.mem_id for post in posts if post.node.parent is not None}) != 1 \
            or len(posts) < _LISTING_POSTS:
        return best
    outside = [candidate for candidate in scores.values() if candidate.node.tag == "article"
               and candidate.node.mem_id != best.node.mem_id
               and not contains(best.node, candidate.node) and not contains(candidate.node, best.node)]
    rival = max(outside, key=lambda candidate: candidate.score, default=None)
    if rival is None or rival.score < _RIVAL_SHARE * best.score:
        return best
    # Only the post the page is about: it carries the page's headline, and the list does not.
    # An index page's featured card has no <h1>, so a list of posts that is the content stays.
    return rival if rival.node.css_first("h1") is not None and best.node.css_first("h1") is None else best


def _with_rivals(best: _Candidate, scores: dict[int, _Candidate]) -> _Candidate:
    """A container scoring nearly as well, close by in the tree, is the same text in another chunk:
    widen to the nearest ancestor holding both."""
    for rival in scores.values():
        if rival.score < _RIVAL_SHARE * best.score or contains(best.node, rival.node) \
                or contains(rival.node, best.node) or rival.node.mem_id == best.node.mem_id:
            continue
        ancestor: LexborNode | None = best.node
        for _ in range(_RIVAL_LEVELS):
            ancestor = ancestor.parent if ancestor is not None else None
            if ancestor is None or ancestor.tag in ("body", "html"):
                break
            if contains(ancestor, rival.node):
                best = _Candidate(ancestor, best.score)
                break
    return best


def _enclosing_article(best: _Candidate) -> _Candidate:
    """An <article> just around the chosen container holds its headline and lede too."""
    ancestor: LexborNode | None = best.node
    for _ in range(_ARTICLE_LEVELS):
        ancestor = ancestor.parent if ancestor is not None else None
        if ancestor is None or ancestor.tag in ("body", "html"):
            break
        if ancestor.tag == "article":
            return _Candidate(ancestor, best.score)
    return best


@dataclass
class _Candidate:
    node: LexborNode
    score: float


def _score_candidates(body: LexborNode) -> tuple[dict[int, _Candidate], dict[int, int], int]:
    """Readability's idea: each paragraph scores its parent fully and its grandparent by half.

    Paragraphs in sidebars, navigation and footers do not count, unless they are nearly all the page has;
    a reference list does not score, but its text is the content's as much as the abstract's.
    Also return how much paragraph text each ancestor holds, and the page's total.
    """
    paragraphs = list(_paragraphs(body))
    unlikely, references = _unscored(paragraphs)
    candidates: dict[int, _Candidate] = {}
    prose: list[tuple[LexborNode, int]] = []
    for node, text in paragraphs:
        if node.mem_id in unlikely:
            continue
        length = len(text)
        points = 1 + text.count(",") + min(length // 100, 3)
        if _link_density(node, text) < 0.3:
            prose.append((node, length))
        if node.mem_id in references:
            continue
        ancestor = node.parent
        for share in (1.0, 0.5, 1 / 3):
            if ancestor is None or ancestor.tag in ("html", "[document]"):
                break
            key = ancestor.mem_id
            if key not in candidates:
                candidates[key] = _Candidate(ancestor, _class_weight(ancestor) + _TAG_WEIGHT.get(ancestor.tag or "", 0))
            candidates[key].score += points * share
            ancestor = ancestor.parent
    best = sorted(candidates.values(), key=lambda candidate: candidate.score, reverse=True)[:_TOP_CANDIDATES]
    for candidate in best:
        candidate.score *= 1 - _link_density(candidate.node)
    held = _held_text(prose)
    return {candidate.node.mem_id: candidate for candidate in best}, held, sum(length for _, length in prose)


def _unscored(paragraphs: list[tuple[LexborNode, str]]) -> tuple[set[int], set[int]]:
    """The paragraphs in sidebars and the like (unless they are nearly all the page has), and those in
    reference lists, which outweigh a paper's abstract (unless the page has little else)."""
    flags = _flags_inside(paragraphs)
    unlikely = {key for key, flag in flags.items() if flag & _UNLIKELY}
    references = {key for key, flag in flags.items() if flag & _REFERENCE}
    page_text = sum(len(text) for _, text in paragraphs)
    if sum(len(text) for node, text in paragraphs if node.mem_id in unlikely) > _UNLIKELY_SHARE * page_text:
        unlikely = set()
    if page_text - sum(len(text) for node, text in paragraphs if node.mem_id in references) < _MIN_ABSTRACT:
        references = set()
    return unlikely, references


def _flags_inside(paragraphs: list[tuple[LexborNode, str]]) -> dict[int, int]:
    """Each paragraph's flags: inside a sidebar-like block, inside a reference list. One walk up from
    each paragraph to the first ancestor already judged; each ancestor is judged once."""
    known: dict[int, int] = {}
    flags = {}
    for node, _ in paragraphs:
        path = []
        ancestor = node.parent
        flag = 0
        while ancestor is not None and ancestor.tag not in ("body", "html"):
            cached = known.get(ancestor.mem_id)
            if cached is not None:
                flag = cached
                break
            path.append(ancestor)
            ancestor = ancestor.parent
        for block in reversed(path):  # top down: a block is inside whatever its parent is inside
            flag |= _flags_of(block.tag or "", _names(block))
            known[block.mem_id] = flag
        flags[node.mem_id] = flag
    return flags


@lru_cache(maxsize=4096)
def _flags_of(tag: str, names: str) -> int:
    """An aside, nav or footer, or a class saying sidebar, menu, related…; a class saying references."""
    flag = 0
    if tag in ("aside", "nav", "footer") or (names.strip() and _NEGATIVE.search(names) and not _POSITIVE.search(names)):
        flag |= _UNLIKELY
    if _REFERENCES.search(names):
        flag |= _REFERENCE
    return flag


def _held_text(prose: list[tuple[LexborNode, int]]) -> dict[int, int]:
    """How much paragraph text each ancestor of these paragraphs holds.

    Summed bottom-up over the ancestors, each visited once: walking every paragraph up to the root
    would be quadratic on a page nested thousands deep (20,000 levels took 110 s)."""
    parents: dict[int, LexborNode | None] = {}
    held: dict[int, int] = {}
    for node, length in prose:
        ancestor = node.parent
        if ancestor is None or ancestor.tag == "html":
            continue
        held[ancestor.mem_id] = held.get(ancestor.mem_id, 0) + length
        while ancestor is not None and ancestor.tag != "html" and ancestor.mem_id not in parents:
            parents[ancestor.mem_id] = ancestor.parent
            ancestor = ancestor.parent
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


def _paragraphs(body: LexborNode) -> Iterator[tuple[LexborNode, str]]:
    """The blocks that hold running text, with their text: long enough to be more than a label."""
    for node in _paragraph_nodes(body):
        text = node.text(deep=True).strip()
        if len(text) >= _MIN_PARAGRAPH:
            yield node, text


def _paragraph_nodes(body: LexborNode) -> Iterator[LexborNode]:
    # Old sites and blogs put text straight into divs or sections, between <br>s or in spans.
    leaves = {div.mem_id for div in body.css(_LEAF_DIVS)}
    for node in body.css("p, pre, td, blockquote, div, section"):  # one walk of the tree, not two
        if node.tag not in ("div", "section"):
            yield node
        elif node.mem_id in leaves:
            if len(node.text().strip()) >= 3 * _MIN_PARAGRAPH and _link_density(node) < 0.2:
                yield node
        elif len(node.text(deep=False).strip()) >= _MIN_PARAGRAPH:
            yield node


def _class_weight(node: LexborNode) -> float:
    return _weight_of_names(_names(node))


def _names(node: LexborNode) -> str:
    """A node's id and classes, lowercased: the class patterns are case-sensitive, which is 3x faster."""
    attributes = node.attributes
    return f"{attributes.get('id') or ''} {attributes.get('class') or ''}".lower()


@lru_cache(maxsize=4096)
def _weight_of_names(names: str) -> float:
    """Pages repeat their class names on every list item and card: each is weighed once."""
    if not names.strip():
        return 0.0
    weight = 0.0
    if _NEGATIVE.search(names):
        weight -= 25
    elif _WEAK_NEGATIVE.search(names):
        weight -= 5
    if _POSITIVE.search(names):
        weight += 25
    return weight


def _link_density(node: LexborNode, text: str | None = None) -> float:
    """The share of a node's text that is link text (1.0 for a node without text)."""
    text = node.text(deep=True) if text is None else text
    if not text.strip():
        return 1.0
    links = node.css("a")
    return min(1.0, sum(len(link.text(deep=True)) for link in links) / len(text)) if links else 0.0


def _with_siblings(best: _Candidate, scores: dict[int, _Candidate]) -> list[LexborNode]:
    """The container with the siblings that continue it: scored blocks, paragraphs and standfirsts,
    never one whose class names furniture (a cookie banner reads like a sentence too)."""
    parent = best.node.parent
    if parent is None:
        return [best.node]
    threshold = max(10.0, best.score * 0.2)
    roots = []
    best_id = best.node.mem_id
    for sibling in parent.iter():
        if sibling.mem_id == best_id:
            roots.append(sibling)
            continue
        scored = scores.get(sibling.mem_id)
        if scored is not None and scored.score >= threshold:
            roots.append(sibling)
        elif ((_is_paragraph_like(sibling) and _reads_as_content(sibling)) or _is_standfirst(sibling)) \
                and not _named_furniture(sibling):
            roots.append(sibling)
    return roots


def _is_paragraph_like(node: LexborNode) -> bool:
    """A paragraph or top heading, or a div set out as one (CNN's body is divs of text)."""
    return node.tag in ("p", "h1", "h2") or (node.tag == "div" and not any(
        child.tag in _BLOCK_CHILDREN for child in node.iter()))  # css() would match the div itself


def _is_standfirst(node: LexborNode) -> bool:
    """A block whose class says lede, intro, summary…, holding a paragraph's worth of plain text."""
    return bool(_LEDE.search(_names(node))) and _standfirst_sized(node)


def _standfirst_sized(node: LexborNode) -> bool:
    """A paragraph's worth of text, hardly any of it links: more is the site's header, not a lede."""
    text = node.text(deep=True).strip()
    return _MIN_LEDE <= len(text) <= _MAX_LEDE and _link_density(node, text) < 0.3


def _reads_as_content(node: LexborNode) -> bool:
    """Words, not a bare address or token; a short one only if it is a sentence without links."""
    text = node.text(deep=True).strip()
    if node.tag in ("h1", "h2"):
        return bool(text)
    if " " not in text:
        return False
    density = _link_density(node)
    return (len(text) > 80 and density < 0.25) or (len(text) <= 80 and density == 0 and ". " in text + " ")


def _clean(root: LexborNode, held: dict[int, int], total: int, spine: set[int]) -> None:
    """Inside the main content, drop furniture: link lists, share and related blocks, forms.

    Bottom-up, so a block is judged after its own furniture is gone; a block that holds much
    of the page's paragraph text is never dropped, because a paragraph dropped is a change missed.
    """
    kept = spine | {root.mem_id}  # css() matches the root itself, and a root emptied is a page lost
    bulk = _BULK_SHARE * len(root.text(deep=True).strip())
    for node in reversed(root.css(_CLEANABLE)):
        holds = held.get(node.mem_id, 0)
        if node.parent is None or holds > _KEEP_SHARE * total or node.mem_id in kept:
            continue
        if _is_furniture(node, holds, bulk):
            _drop_label_of(node, kept)
            if node.tag == "header" and node.css_first("h1") is not None:
                _strip_to_headline(node)
            else:
                node.decompose()
    for node in root.css(_CAPTIONS):
        if len(node.text(deep=True).strip()) < _SHORT_CAPTION:
            node.decompose()
    for node in root.css(_CREDIT_BLOCKS):  # the block's own text first: a full text for every one costs
        if node.parent is not None and _PHOTO_CREDIT.match(node.text(deep=False).lstrip()) \
                and _is_photo_credit(node.text(deep=True).strip()):
            node.decompose()
    for node in root.css("time"):  # a timestamp beside the text, not a date in a sentence
        if node.parent is not None and node.parent.tag not in _SENTENCE_TAGS:
            node.decompose()
    for node in root.css(_LABELS):
        if node.parent is not None and _is_furniture_label(node):
            following = node.next
            while following is not None and following.tag == "-text":
                following = following.next
            if following is not None and following.tag in ("ul", "ol", "div", "section") \
                    and _link_density(following) > 0.3:
                following.decompose()
            node.decompose()


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
    label = block.prev
    while label is not None and label.tag == "-text":
        label = label.prev
    if label is None or label.tag not in _LABEL_TAGS or label.mem_id in kept:
        return
    text = label.text(deep=True).strip()
    if len(text) <= _SHORT_LABEL and not text.endswith((".", "。", "!", "?")) \
            and not any(character.isdigit() for character in text):
        label.decompose()


def _is_furniture_label(node: LexborNode) -> bool:
    """A short heading or paragraph such as "Related articles" or "Read more: …" (a link)."""
    text = " ".join(node.text(deep=True).split())
    if not text or len(text) > 120 or not _FURNITURE_HEADING.match(text):
        return False
    return len(text) <= 40 or _link_density(node) > 0.5


def _named_furniture(node: LexborNode) -> bool:
    return _class_weight(node) <= -25 or _names_a_part(node)


def _names_a_part(node: LexborNode) -> bool:
    return _classes_name_a_part((node.attributes.get("class") or "").lower())


@lru_cache(maxsize=4096)
def _classes_name_a_part(classes: str) -> bool:
    return bool(_NEGATIVE_PART.search(classes) or _NEGATIVE_LEAD.search(classes))


def _holds_lede(header: LexborNode) -> bool:
    for block in header.css(_LEDE_BLOCKS):
        text = block.text(deep=True).strip()
        if len(text) >= _MIN_LEDE and _link_density(block, text) < 0.3:
            return True
    return False


def _is_furniture(node: LexborNode, held: int, bulk: float) -> bool:
    weight = _class_weight(node)
    if weight <= -25 or (held < _LABELLED_BLOCK and _names_a_part(node)):
        return True
    if node.tag == "td":  # a layout column is furniture by its class; a data cell is never judged by its links
        return False
    text = node.text(deep=True)
    length = len(text.strip())
    if not length:
        return False
    density = _link_density(node, text)
    if _FURNITURE_HEADING.match(text.lstrip()) and (held < _LABELLED_BLOCK or density > 0.15):
        return True  # "Related articles" and its list; not the paragraphs after a "Read more" box
    if node.tag in _CHROME_TAGS:  # an article's own header stays when it holds a standfirst
        return node.tag != "header" or density > 0.3 or (length < 400 and not _holds_lede(node))
    if text.count(",") >= 10:
        return False
    if density > (0.5 if weight > 0 else 0.35):
        return length < bulk  # a post that is a list of links (a linkroll, a list of documents) keeps it
    if node.tag in ("ul", "ol") or density <= 0.2:
        return False
    tags = [block.tag for block in node.css("p, li")]
    return tags.count("li") > tags.count("p") + 2
