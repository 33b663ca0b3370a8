"""A page's main content on selectolax's lexbor tree: which container holds it (scored by its paragraphs,
widened to hold the article), with the standfirst before it and the siblings that continue it.

Pure: no I/O, no clock. A change here alters extracted text: bump EXTRACTOR_VERSION in extract.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from selectolax.lexbor import LexborNode

from watcher.furniture import drop_furniture
from watcher.hints import (
    MIN_LEDE,
    NEGATIVE,
    POSITIVE,
    class_weight,
    contains,
    link_density,
    named_furniture,
    names,
)

_LEDE = re.compile(r"(^|[-_ ])(lead|lede|intro|teaser|excerpt|standfirst|summary|chapo|subheadline|subtitle|deck|dek|"
                   r"einleitung|vorspann)($|[-_ ]|text)")
_LEDE_SELECTOR = ", ".join(["header", *(f"[class*={word}]" for word in (
    "lead", "lede", "intro", "teaser", "excerpt", "standfirst", "summary", "chapo", "subheadline", "einleitung"))])
_REFERENCES = re.compile(r"(^|[-_ ])(references|bibliography|reflist|citations)($|[-_ ])")
_TAG_WEIGHT = {"div": 5, "article": 10, "main": 10, "section": 3, "pre": 3, "td": 3, "blockquote": 3,
               "form": -3, "ol": -3, "ul": -3, "li": -3, "nav": -10, "aside": -10, "footer": -10}
_MIN_PARAGRAPH = 25
_HOLD_SHARE = 0.6  # the main content holds at least this share of the page's paragraph text
_UNLIKELY_SHARE = 0.7  # sidebars are ignored unless they hold more of the page's text than this
_MIN_ABSTRACT = 200  # reference lists do not score when the page has this much other paragraph text
_UNLIKELY, _REFERENCE = 1, 2  # what a paragraph is inside of
# Reader comments by the names blogs and CMSs give them, in the languages of the pages watched.
_COMMENT_NAMES = frozenset({
    "comments", "comment-list", "commentlist", "comments-area", "comments-section", "comment-section",
    "comment-respond", "respond", "disqus_thread", "comments-list", "comment-thread", "commentsblock",
    "article-comments", "post-comments", "user-comments", "comment-form", "comments-wrapper",
    "kommentare", "kommentar", "commentaires", "comentarios", "comentarios-lista", "comentários", "komentarze"})
_COMMENT_SELECTOR = ("[id*=omment], [class*=omment], [id*=omentar], [class*=omentar], [id*=disqus], "
                     "[class*=disqus], [id=respond]")
_BLOCK_INSIDE = "p, div, table, ul, ol, section, article, h1, h2, h3, h4, h5, h6, pre, blockquote, form"
_BLOCK_CHILDREN = frozenset(tag.strip() for tag in _BLOCK_INSIDE.split(","))
_LEAF_DIVS = f"div:not(:has({_BLOCK_INSIDE})), section:not(:has({_BLOCK_INSIDE}))"
_ARTICLE_LEVELS = 3
_RIVAL_SHARE = 0.5
_LISTING_POSTS = 3
_LEDE_LEVELS = 4
_LEDE_SIBLINGS = 3
_LEDE_AFTER_LEVELS = 2
_MIN_CHUNK = 200  # characters of prose: a teaser card's line is less
_MAX_CHUNKS = 20  # blocks of one class: an article is cut into a few, not dozens
_LINKED_HEADING = "h1 a, h2 a, h3 a, h4 a, a h1, a h2, a h3, a h4"
_MAX_LEDE = 1000  # a header holding more is the site's (menus, country lists), not the article's
_OTHER_STORY = 3  # paragraphs beside a header that make it another story's
_RIVAL_LEVELS = 3
_MIN_HEADLINE = 15  # a shorter <h1> (a section name, a logo) names no story
_MIN_TITLED_SHARE = 0.5  # the page's headline is at least this share of its title; the site's name less
_TOP_CANDIDATES = 8  # link density, a walk of the subtree, is weighed only for the best few


def _drop_comments(body: LexborNode) -> list[LexborNode]:
    """Reader comments are never the page's wording, and change all the time: drop them before scoring.
    Return the page's <h1>s outside them, found in the same walk (a walk of the page costs 3% of an extraction)."""
    headlines = []
    for node in body.css(f"h1, {_COMMENT_SELECTOR}"):
        if node.tag == "h1":
            headlines.append(node)
        labels = {(node.attributes.get("id") or "").lower(), *(node.attributes.get("class") or "").lower().split()}
        if labels & _COMMENT_NAMES and node.parent is not None and node.tag not in ("body", "main"):
            node.decompose()  # css() matches the body itself, and some themes class it by its comments
    # decompose() detaches every node of the subtree, so a headline inside a dropped block has no parent.
    return [headline for headline in headlines if headline.parent is not None]


def main_roots(body: LexborNode, title: str = "") -> list[LexborNode]:
    """The main content, cleaned of furniture: the best-scoring container (not a list of other posts,
    nor another story than the one the page's title names), widened until it holds most of the page's
    paragraph text or a near rival (articles split by ads or figures), with the standfirst before it
    and siblings that read as its continuation."""
    headlines = _drop_comments(body)
    scores, held, total, containers = _score_candidates(body)
    if not scores:
        return [body]
    best, scores, total = _the_post(scores, held, total)
    story = _story_in_title(scores, title)
    if story is not None and not contains(story, best.node) and story.mem_id != best.node.mem_id:
        best, scores, total = _the_titled_story(story, best, scores, held)
    spine = _spine(best.node)
    best = _enclosing_article(_with_rivals(_widened(best, scores, held, total), scores))
    roots = _with_chunks(_with_lede(_with_siblings(best, scores)), best.node, containers, held)
    for root in roots:
        drop_furniture(root, held, total, spine)
    return _with_headline(headlines, roots, title)


def _with_chunks(roots: list[LexborNode], best: LexborNode, containers: list[LexborNode],
                 held: dict[int, int]) -> list[LexborNode]:
    """An article cut by ads and widgets into blocks of one class (politico's div.story-text, one per
    stretch of text between ads) may have its blocks in different parts of the layout: each other block
    of that tag and class holding prose joins the content, in the page's order. Not <article>s, nor a
    block with a linked heading, nor dozens of blocks: those are a list of other stories, whose teasers
    rotate."""
    classes = best.attributes.get("class")
    if best.tag not in ("div", "section") or not classes:
        return roots
    alike = [container for container in containers if container.tag == best.tag
             and held.get(container.mem_id, 0) >= _MIN_CHUNK and container.attributes.get("class") == classes]
    if len(alike) > _MAX_CHUNKS:  # and the containment tests below would be quadratic on a page nested deep
        return roots
    return roots + [chunk for chunk in alike if not _within(roots, chunk) and not any(contains(chunk, root) for root in roots)
                    and chunk.css_first(_LINKED_HEADING) is None]


def _with_headline(headlines: list[LexborNode], roots: list[LexborNode], title: str) -> list[LexborNode]:
    """The page's headline, the <h1> its <title> holds, leads the text even where it stands apart from the
    body (a page header above the columns): a headline changed is news, and often carries the figure."""
    headline = _titled_headline(headlines, title)
    if headline is None or _within(roots, headline):
        return roots
    lede = _lede_after(headline)
    return [headline, *roots] if lede is None or _within(roots, lede) else [headline, lede, *roots]


def _within(roots: list[LexborNode], node: LexborNode) -> bool:
    return any(root.mem_id == node.mem_id or contains(root, node) for root in roots)


def _lede_after(headline: LexborNode) -> LexborNode | None:
    """The standfirst under a headline that stands apart: the first paragraph, subheadline or lede-classed
    block of a paragraph's size among the few elements after it, or after its wrapper (past a byline or
    a picture, which are neither)."""
    node: LexborNode | None = headline
    for _ in range(_LEDE_AFTER_LEVELS):
        if node is None or node.tag in ("body", "html"):
            return None
        following = node.next
        looked = 0
        while following is not None and looked < _LEDE_SIBLINGS:
            if following.tag != "-text":
                looked += 1
                if (following.tag in ("p", "h2") or _LEDE.search(names(following))) \
                        and _standfirst_sized(following) and not named_furniture(following):
                    return following
            following = following.next
        node = node.parent
    return None


def _titled_headline(headlines: list[LexborNode], title: str) -> LexborNode | None:
    """The first <h1> whose text the title holds and is most of: a shorter one is the site's name, and so is
    one that is a link (home, from the site's header)."""
    folded = title.casefold()
    for headline in headlines:
        raw = headline.text()
        if len(raw) > _MAX_LEDE:  # no headline is that long, and splitting the text of each of thousands costs
            continue
        text = " ".join(raw.split()).casefold()
        if len(text) >= _MIN_TITLED_SHARE * len(folded) and text in folded and link_density(headline) <= 0.5:
            return headline
    return None


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


def _the_titled_story(story: LexborNode, best: _Candidate, scores: dict[int, _Candidate],
                      held: dict[int, int]) -> tuple[_Candidate, dict[int, _Candidate], int]:
    """Pages that scroll on to the next stories carry them preloaded, each an <article> with its own <h1>,
    and a longer one outscores the page's own. The story the page's <title> names is the page's: its best
    candidate wins, and the other stories count neither as text it must hold nor as rivals."""
    inside = {key: candidate for key, candidate in scores.items()
              if key == story.mem_id or contains(story, candidate.node)}
    chosen = max(inside.values(), key=lambda candidate: candidate.score, default=_Candidate(story, best.score))
    return chosen, inside, held.get(story.mem_id, 0)


def _story_in_title(scores: dict[int, _Candidate], title: str) -> LexborNode | None:
    """Of the <article>s the best candidates sit in, each led by an <h1> of its own, the one whose headline
    the title holds; None unless there are several and exactly one is named. Only the candidates' articles
    are looked in: a walk of the whole page for its headlines costs 3% of an extraction."""
    stories = {}
    for candidate in scores.values():
        story = candidate.node if candidate.node.tag == "article" else _nearest_article(candidate.node)
        if story is not None:
            stories[story.mem_id] = story
    if len(stories) < 2 or not title:
        return None
    headlines = {}
    for key, story in stories.items():
        headline = story.css_first("h1")
        owner = _nearest_article(headline) if headline is not None else None
        if headline is not None and owner is not None and owner.mem_id == key:
            headlines[key] = " ".join(headline.text().split()).casefold()
    folded = title.casefold()
    titled = [key for key, headline in headlines.items() if len(headline) >= _MIN_HEADLINE and headline in folded]
    return stories[titled[0]] if len(headlines) >= 2 and len(titled) == 1 else None


def _nearest_article(node: LexborNode) -> LexborNode | None:
    ancestor = node.parent
    while ancestor is not None and ancestor.tag != "article":
        ancestor = ancestor.parent
    return ancestor


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
               and len(text := paragraph.text(deep=True).strip()) >= _MIN_PARAGRAPH
               and link_density(paragraph, text) < 0.3)


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


def _score_candidates(body: LexborNode) -> tuple[dict[int, _Candidate], dict[int, int], int, list[LexborNode]]:
    """Readability's idea: each paragraph scores its parent fully and its grandparent by half.

    Paragraphs in sidebars, navigation and footers do not count, unless they are nearly all the page has;
    a reference list does not score, but its text is the content's as much as the abstract's.
    Also return how much paragraph text each ancestor holds, the page's total, and the blocks that hold
    paragraphs of prose, in the page's order.
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
        if link_density(node, text) < 0.3:
            prose.append((node, length))
        if node.mem_id in references:
            continue
        ancestor = node.parent
        for share in (1.0, 0.5, 1 / 3):
            if ancestor is None or ancestor.tag in ("html", "[document]"):
                break
            key = ancestor.mem_id
            if key not in candidates:
                candidates[key] = _Candidate(ancestor, class_weight(ancestor) + _TAG_WEIGHT.get(ancestor.tag or "", 0))
            candidates[key].score += points * share
            ancestor = ancestor.parent
    best = sorted(candidates.values(), key=lambda candidate: candidate.score, reverse=True)[:_TOP_CANDIDATES]
    for candidate in best:
        candidate.score *= 1 - link_density(candidate.node)
    held = _held_text(prose)
    containers = list({parent.mem_id: parent for node, _ in prose if (parent := node.parent) is not None}.values())
    return {candidate.node.mem_id: candidate for candidate in best}, held, sum(length for _, length in prose), containers


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
            flag |= _flags_of(block.tag or "", names(block))
            known[block.mem_id] = flag
        flags[node.mem_id] = flag
    return flags


@lru_cache(maxsize=4096)
def _flags_of(tag: str, id_and_classes: str) -> int:
    """An aside, nav or footer, or a class saying sidebar, menu, related…; a class saying references."""
    flag = 0
    if tag in ("aside", "nav", "footer") or (id_and_classes.strip() and NEGATIVE.search(id_and_classes)
                                             and not POSITIVE.search(id_and_classes)):
        flag |= _UNLIKELY
    if _REFERENCES.search(id_and_classes):
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
            if len(node.text().strip()) >= 3 * _MIN_PARAGRAPH and link_density(node) < 0.2:
                yield node
        elif len(node.text(deep=False).strip()) >= _MIN_PARAGRAPH:
            yield node


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
        if scored is not None and scored.score >= threshold or ((_is_paragraph_like(sibling) and _reads_as_content(sibling)) or _is_standfirst(sibling)) \
                and not named_furniture(sibling):
            roots.append(sibling)
    return roots


def _is_paragraph_like(node: LexborNode) -> bool:
    """A paragraph or top heading, or a div set out as one (CNN's body is divs of text)."""
    return node.tag in ("p", "h1", "h2") or (node.tag == "div" and not any(
        child.tag in _BLOCK_CHILDREN for child in node.iter()))  # css() would match the div itself


def _is_standfirst(node: LexborNode) -> bool:
    """A block whose class says lede, intro, summary…, holding a paragraph's worth of plain text."""
    return bool(_LEDE.search(names(node))) and _standfirst_sized(node)


def _standfirst_sized(node: LexborNode) -> bool:
    """A paragraph's worth of text, hardly any of it links: more is the site's header, not a lede."""
    text = node.text(deep=True).strip()
    return MIN_LEDE <= len(text) <= _MAX_LEDE and link_density(node, text) < 0.3


def _reads_as_content(node: LexborNode) -> bool:
    """Words, not a bare address or token; a short one only if it is a sentence without links."""
    text = node.text(deep=True).strip()
    if node.tag in ("h1", "h2"):
        return bool(text)
    if " " not in text:
        return False
    density = link_density(node)
    return (len(text) > 80 and density < 0.25) or (len(text) <= 80 and density == 0 and ". " in text + " ")
