"""A page's main content on selectolax's lexbor tree: the best-scoring container (not a list of other posts,
nor another story than the one the title names), widened to hold the article, with the blocks that continue
it and its standfirst, cleaned of furniture, and the page's headline.

Pure: no I/O, no clock. A change here alters extracted text: bump EXTRACTOR_VERSION in extract.py.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborNode

from watcher.furniture import drop_furniture
from watcher.headline import is_standfirst, titled_headline, with_lede, with_lede_after
from watcher.hints import contains, holds_blocks, link_density, named_furniture, within
from watcher.scoring import Candidate, score_candidates

_HOLD_SHARE = 0.6  # the main content holds at least this share of the page's paragraph text
# Reader comments by the names blogs and CMSs give them, in the languages of the pages watched.
_COMMENT_NAMES = frozenset({
    "comments", "comment-list", "commentlist", "comments-area", "comments-section", "comment-section",
    "comment-respond", "respond", "disqus_thread", "comments-list", "comment-thread", "commentsblock",
    "article-comments", "post-comments", "user-comments", "comment-form", "comments-wrapper",
    "kommentare", "kommentar", "commentaires", "comentarios", "comentarios-lista", "comentários", "komentarze"})
# A camelCase name's first word: "kommentarModul" is the comments, "commentsArea" too.
_CAMEL_HEAD = re.compile(r"[a-z]+(?=[A-Z])")
# Every name above holds one of these (Spanish and Polish "oment-ar", Portuguese "oment-ários"): the walk finds
# the candidates, and a name must then be one of those above.
_COMMENT_SELECTOR = ("[id*=omment], [class*=omment], [id*=oment], [class*=oment], [id*=disqus], "
                     "[class*=disqus], [id=respond]")
_ARTICLE_LEVELS = 3
_RIVAL_SHARE = 0.5
_LISTING_POSTS = 3
_MIN_CHUNK = 200  # characters of prose: a teaser card's line is less
_MAX_CHUNKS = 20  # blocks of one class: an article is cut into a few, not dozens
_LINKED_HEADING = "h1 a, h2 a, h3 a, h4 a, a h1, a h2, a h3, a h4"
_RIVAL_LEVELS = 3
_BULK_LEVELS = 32  # blocks down from the body that may each hold most of its text, wrapped one in another
_MIN_HEADLINE = 15  # a shorter <h1> (a section name, a logo) names no story


def _drop_comments(body: LexborNode) -> list[LexborNode]:
    """Reader comments are never the page's wording, and change all the time: drop them before scoring.
    Return the page's <h1>s outside them, found in the same walk (a walk of the page costs 3% of an extraction)."""
    headlines = []
    for node in body.css(f"h1, {_COMMENT_SELECTOR}"):
        if node.tag == "h1":
            headlines.append(node)
        attributes = node.attributes  # a dict built afresh at each read
        names = [attributes.get("id") or "", *(attributes.get("class") or "").split()]
        labels = {name.lower() for name in names} | {head.group().lower() for name in names
                                                     if (head := _CAMEL_HEAD.match(name)) is not None}
        if labels & _COMMENT_NAMES and node.parent is not None and node.tag not in ("body", "main"):
            node.decompose()  # css() matches the body itself, and some themes class it by its comments
    # decompose() detaches every node of the subtree, so a headline inside a dropped block has no parent.
    return [headline for headline in headlines if headline.parent is not None]


def main_roots(body: LexborNode, title: str = "", visible: int = 0,
               shared_title: str = "") -> tuple[list[LexborNode], LexborNode | None]:
    """The main content, cleaned of furniture: the best-scoring container (not a list of other posts,
    nor another story than the one the page's title names), widened until it holds most of the page's
    paragraph text or a near rival (articles split by ads or figures), with the standfirst before it
    and siblings that read as its continuation; and the page's headline, if its title names one, wherever it
    stands (the roots may hold it). visible: how many characters of text the page shows."""
    headlines = _drop_comments(body)
    scores, held, total, containers, misnamed = score_candidates(body, visible)
    if not scores:  # no running text (a FAQ of <dl>s, a list of documents): the page, cleaned of furniture
        drop_furniture(body, held, total, _bulk(body))
        return [body], None
    best, scores, total = _the_post(scores, held, total)
    story = _story_in_title(scores, title)
    if story is not None and not contains(story, best.node) and story.mem_id != best.node.mem_id:
        best, scores, total = _the_titled_story(story, best, scores, held)
    spine = _spine(best.node)
    best = _enclosing_article(_with_rivals(_widened(best, scores, held, total), scores))
    roots = _with_chunks(with_lede(_with_siblings(best, scores)), best.node, containers, held)
    for root in roots:
        drop_furniture(root, held, total, spine, trust_modifiers=not misnamed)
    headline = titled_headline(headlines, title, shared_title)
    return (roots, None) if headline is None else (with_lede_after(headline, roots), headline)


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
    return roots + [chunk for chunk in alike if not within(roots, chunk) and not any(contains(chunk, root) for root in roots)
                    and chunk.css_first(_LINKED_HEADING) is None]


def _the_post(scores: dict[int, Candidate], held: dict[int, int],
              total: int) -> tuple[Candidate, dict[int, Candidate], int]:
    """The best candidate, unless it is a list of other posts: then the post, and the list no longer
    counts, neither as text the content must hold nor as a rival."""
    best = max(scores.values(), key=lambda candidate: candidate.score)
    post = _unless_listing(best, scores)
    if post is best:
        return best, scores, total
    scores = {key: candidate for key, candidate in scores.items()
              if key != best.node.mem_id and not contains(best.node, candidate.node)}
    return post, scores, total - held.get(best.node.mem_id, 0)


def _the_titled_story(story: LexborNode, best: Candidate, scores: dict[int, Candidate],
                      held: dict[int, int]) -> tuple[Candidate, dict[int, Candidate], int]:
    """Pages that scroll on to the next stories carry them preloaded, each an <article> with its own <h1>,
    and a longer one outscores the page's own. The story the page's <title> names is the page's: its best
    candidate wins, and the other stories count neither as text it must hold nor as rivals."""
    inside = {key: candidate for key, candidate in scores.items()
              if key == story.mem_id or contains(story, candidate.node)}
    chosen = max(inside.values(), key=lambda candidate: candidate.score, default=Candidate(story, best.score))
    return chosen, inside, held.get(story.mem_id, 0)


def _story_in_title(scores: dict[int, Candidate], title: str) -> LexborNode | None:
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
            headlines[key] = " ".join(headline.text_lexbor().split()).casefold()
    folded = title.casefold()
    titled = [key for key, headline in headlines.items() if len(headline) >= _MIN_HEADLINE and headline in folded]
    return stories[titled[0]] if len(headlines) >= 2 and len(titled) == 1 else None


def _nearest_article(node: LexborNode) -> LexborNode | None:
    ancestor = node.parent
    while ancestor is not None and ancestor.tag != "article":
        ancestor = ancestor.parent
    return ancestor


def _widened(best: Candidate, scores: dict[int, Candidate], held: dict[int, int], total: int) -> Candidate:
    """Up the tree until the container holds _HOLD_SHARE of the page's paragraph text."""
    while held.get(best.node.mem_id, 0) < _HOLD_SHARE * total and best.node.parent is not None \
            and best.node.parent.tag not in ("html", "body"):
        parent = best.node.parent
        best = scores.get(parent.mem_id) or Candidate(parent, best.score)
    return best


def _spine(node: LexborNode) -> set[int]:
    """The node and its ancestors: whatever their class, the best container's own wrappers stay."""
    spine = set()
    ancestor: LexborNode | None = node
    while ancestor is not None:
        spine.add(ancestor.mem_id)
        ancestor = ancestor.parent
    return spine


def _bulk(body: LexborNode) -> set[int]:
    """The body and the blocks down from it that each hold most of its text (an ASP.NET page's one <form>
    around everything, a layout's wrapper): whatever their tag or class, they are the page. At most
    _BULK_LEVELS down, each level reading the text of the one above: hostile pages nest thousands deep."""
    kept = {body.mem_id}
    half = len(body.text_lexbor()) / 2
    node = body
    for _ in range(_BULK_LEVELS):
        most = next((child for child in node.iter() if len(child.text_lexbor()) > half), None)
        if most is None:
            break
        kept.add(most.mem_id)
        node = most
    return kept


def _unless_listing(best: Candidate, scores: dict[int, Candidate]) -> Candidate:
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


def _with_rivals(best: Candidate, scores: dict[int, Candidate]) -> Candidate:
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
                best = Candidate(ancestor, best.score)
                break
    return best


def _enclosing_article(best: Candidate) -> Candidate:
    """An <article> just around the chosen container holds its headline and lede too."""
    ancestor: LexborNode | None = best.node
    for _ in range(_ARTICLE_LEVELS):
        ancestor = ancestor.parent if ancestor is not None else None
        if ancestor is None or ancestor.tag in ("body", "html"):
            break
        if ancestor.tag == "article":
            return Candidate(ancestor, best.score)
    return best


def _with_siblings(best: Candidate, scores: dict[int, Candidate]) -> list[LexborNode]:
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
        elif ((_is_paragraph_like(sibling) and _reads_as_content(sibling)) or is_standfirst(sibling)) \
                and not named_furniture(sibling):
            roots.append(sibling)
    return roots


def _is_paragraph_like(node: LexborNode) -> bool:
    """A paragraph or top heading, or a div set out as one (CNN's body is divs of text)."""
    return node.tag in ("p", "h1", "h2") or (node.tag == "div" and not holds_blocks(node))


def _reads_as_content(node: LexborNode) -> bool:
    """Words, not a bare address or token; a short one only if it is a sentence without links."""
    text = node.text_lexbor().strip()
    if node.tag in ("h1", "h2"):
        return bool(text)
    if " " not in text:
        return False
    density = link_density(node)
    return (len(text) > 80 and density < 0.25) or (len(text) <= 80 and density == 0 and ". " in text + " ")
