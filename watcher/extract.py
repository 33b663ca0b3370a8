"""HTML → main text, as one line per block (heading, paragraph, list item, table row).

Pure: no I/O, no clock. Works on selectolax's lexbor tree, never with regexes over HTML.
Every stage reads a block's text with text_lexbor(), lexbor's own textContent: the same string as
text(deep=True) (a test holds it to that), at two thirds of the cost.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser, LexborNode, SelectolaxError

from watcher.content import main_roots
from watcher.errors import ExtractError
from watcher.hints import contains

# Bump when a change here or in content, scoring, headline, furniture or hints alters output: stored pages
# are then re-baselined silently.
EXTRACTOR_VERSION = "74"

# Never text a reader sees as the page's wording. Ruby text (<rt>, <rp>) is a reading set above the
# words it annotates (furigana): read inline, it would double every annotated word. A browser shows
# <noframes> only without frame support, which none lacks, and parses it as raw text: tags and all.
_JUNK_TAGS = ("script", "style", "noscript", "noframes", "template", "svg", "math", "iframe", "object",
              "embed", "canvas", "select", "button", "input", "textarea", "rt", "rp")
_HIDDEN = '[hidden], [aria-hidden="true"], [style*="display:none"], [style*="display: none"]'
_JUNK = ", ".join((*_JUNK_TAGS, _HIDDEN))
_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1",
    "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "legend", "li", "main", "nav", "ol",
    "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    "br", "option",
})
_CELL_TAGS = ("td", "th")
_PAGE_TAGS = ("html", "body")  # never dropped: the page itself, whatever its attributes say
_MARKED_BLOCKS = _BLOCK_TAGS - {"td", "th", "tr", "br"}  # cells are marked by their row
_BOUNDARY = "\x1e"  # ASCII record separator: marks block boundaries in the text lexbor reads
_LAYOUT_INSIDE_ROW = frozenset({"table", "p", "div", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"})
_SAMPLE_CHARS = 3000
_FRAMES_NAMED, _FRAME_URL = 5, 200  # a frameset's frames named in its failure, and characters of each URL
_NOSCRIPT_POST = 3  # paragraphs of at least _NOSCRIPT_PARAGRAPH characters
_NOSCRIPT_PARAGRAPH = 40
# Invisible formatting: soft hyphens, zero-width spaces, word joiners, byte-order marks. A CMS that adds
# hyphenation hints changes no wording, and a reader searching the text never types them.
_INVISIBLE = ("\u00ad", "\u200b", "\u2060", "\ufeff")
# How long ago something happened, as news sites and blogs print it beside a story: on a live page it
# changes at every check ("3 hours ago", "vor 5 Stunden", "hace 3 horas", "il y a 2 heures", "2 ore fa",
# "heute, 12.09 Uhr"). Years are left out: "vor 50 Jahren" is history, not a stamp.
_RELATIVE_TIME = re.compile(
    r"\b(\d+|an?|one|a few)\s*(seconds?|secs?|minutes?|mins?|hours?|hrs?|[hms]|days?|weeks?|months?)\s+ago\b|"
    r"\bjust now\b|\b(today|yesterday),?\s+(at\s+)?\d{1,2}[:.]\d{2}(\s*[ap]\.?m\b\.?)?|"
    r"\bvor\s+(\d+|einer|einem|wenigen)\s+(sekunden?|sek\b\.?|minuten?|min\b\.?|stunden?|std\b\.?|tag(en)?|wochen?|"
    r"monat(en)?)\b|\b(heute|gestern),?\s+(um\s+)?\d{1,2}[:.]\d{2}(\s*uhr\b)?|"
    r"\bhace\s+(\d+|un|una|unos|unas)\s+(segundos?|minutos?|min|horas?|días?|semanas?|mes(es)?)\b|"
    r"\bil y a\s+(\d+|une?|quelques)\s+(secondes?|minutes?|min|heures?|h|jours?|semaines?|mois)\b|"
    r"\bhá\s+(\d+|um|uma)\s+(segundos?|minutos?|min|horas?|dias?|semanas?|meses|mês)\b|"
    r"\b(\d+|un|una)\s+(secondi|minuti|ore|ora|giorni|giorno|settimane|mesi|mese)\s+fa\b", re.IGNORECASE)
# The words those need: a line without any is not searched.
_RELATIVE_WORDS = ("ago", "just now", "today", "yesterday", "vor ", "heute", "gestern", "hace ", "il y a", "há ", " fa")
# A copyright notice opens with its mark or with "Copyright" and a year; "Copyright fees rose 5%" is news.
_RIGHTS_NOTICE = re.compile(r"(copyright\s*)?([©ⓒ]|\(c\)\s*(19|20)\d\d)|copyright\s+(19|20)\d\d", re.IGNORECASE)
# A credit at the end of a caption: the mark, then a name or agency, no sentence.
_CREDIT_AFTER = re.compile(r"\s*[|/–-]?\s*[©ⓒ]\s*[^©ⓒ.!?]{1,60}$")
_MAX_NOTICE = 200  # characters: a longer line opening with "Copyright" is a paragraph about it
_MAX_CAPTION = 300  # characters: a longer line ending in a credit is a paragraph that quotes one
# UTF-8 read as windows-1252: a lead byte's letter, then the characters its continuation bytes (0x80-0xBF)
# read as, the five bytes windows-1252 leaves undefined among them (as latin-1's C1 controls).
_CONTINUATION = "".join(sorted({bytes([byte]).decode("cp1252", errors="ignore") or chr(byte)
                                for byte in range(0x80, 0xC0)}))
_MOJIBAKE_RUN = re.compile(f"[\u00c2-\u00df][{re.escape(_CONTINUATION)}]|[\u00e0-\u00ef][{re.escape(_CONTINUATION)}]{{2}}|"
                           f"[\u00f0-\u00f4][{re.escape(_CONTINUATION)}]{{3}}|[\u00c2\u00c3] ")
_CONTINUATION_SET = frozenset(_CONTINUATION)
# The lead bytes of Latin letters, symbols and punctuation (C2-C5, E2), Greek (CE, CF) and Cyrillic (D0, D1)
# read as windows-1252. CJK's (E3-E9) read as common accented letters, which would send every page the long
# way: such pages are left as they are.
_MOJIBAKE_LEADS = ("Ã", "Â", "Ä", "Å", "â", "Î", "Ï", "Ð", "Ñ")
_MOJIBAKE_RUNS = 3  # sequences on a page before it is read again: one "Ü»" in a page is a quotation
_LATIN1_BYTES = "watcher-latin1-bytes"
_SERVER_DIAGNOSTIC = re.compile(r"(PHP )?(Warning|Notice|Deprecated|Strict Standards|(Catchable |Recoverable )?Fatal error|"
                                r"Parse error): .{1,1000} in \S+\.(php\d?|inc|phtml) on line \d+\.?")
_READING_TIME = re.compile(
    r"(\s*\b\d+\s*(min\.?|mins|minutes?|minuten|minutos?)\s*(read|to read|de lecture|de leitura|de lectura)|"
    r"\s*\b(reading time|lesezeit|lesedauer|tempo de leitura|tiempo de lectura|temps de lecture)\s*:?\s*(ca\.\s*)?"
    r"\d+\s*(min\.?|mins|minutes?|minuten|minutos?))(?=\s*($|[|·•,]))", re.IGNORECASE)  # a label, not a sentence
_READING_WORDS = ("min read", "min. read", "mins read", "minute read", "minutes read", "min to read", "minutes to read",
                  "reading time", "lesezeit", "lesedauer", "de leitura", "de lectura", "de lecture")  # lowercased
_MAX_SHARED_TITLE = 1000  # characters: no headline is longer, and each <h1> is looked for in it
_STAMP_REST = 40  # characters: a line holding more besides its stamp is a sentence, not a dateline
_STAMP_LINE = _STAMP_REST + 40  # no stamp is longer than 40 characters, so no longer line is one


def selector_problem(css: str) -> str | None:
    """Given a CSS selector, return why it is unusable, or None if it is fine."""
    try:
        LexborHTMLParser("<p></p>").css(css)
    except SelectolaxError as error:
        return f"not a CSS selector selectolax understands: {error}"
    return None


def extract_main_text(html: str) -> str:
    """Given a page's HTML, return its main text as block lines, without its headline. Raise ExtractError if
    the page has neither."""
    return extract_page_or_raise(html).body


@dataclass(frozen=True, slots=True)
class Extracted:
    """What a check needs from a page: its headline and main text, or the problem that left it without them,
    and the title and opening visible text by which an error or challenge page is recognised."""

    body: str
    title: str = ""
    sample: str = ""
    problem: str | None = None
    headline: str = ""

    @property
    def text(self) -> str:
        """What is stored and compared: the headline, then the body. A changed headline is news."""
        return f"{self.headline}\n{self.body}" if self.headline and self.body else self.headline or self.body


def extract_text(html: str, select: str | None = None, remove: tuple[str, ...] = (),
                 ignore: tuple[str, ...] = (), url: str = "") -> str:
    """Given HTML, a watch's `select` and `remove` selectors and `ignore` regexes, and the page's URL,
    return the text a check stores: the headline, then the main text.

    The text is one block per line; text matching an `ignore` pattern is taken out of each line.
    Raise ExtractError if `select` matches nothing or the page holds no text.
    """
    return extract_page_or_raise(html, select, remove, ignore, url).text


def extract_page_or_raise(html: str, select: str | None = None, remove: tuple[str, ...] = (),
                          ignore: tuple[str, ...] = (), url: str = "") -> Extracted:
    """extract_page, raising ExtractError where it names a problem."""
    extracted = extract_page(html, select, remove, ignore, url)
    if extracted.problem:
        raise ExtractError(extracted.problem)
    return extracted


def extract_page(html: str, select: str | None = None, remove: tuple[str, ...] = (),
                 ignore: tuple[str, ...] = (), url: str = "") -> Extracted:
    """Given HTML and a watch's rules, return its headline, main text, title and a sample of its visible text.

    A page without main text is not an error here: `problem` says why, for the check to judge, naming
    the frames that hold its text, if any, by their URLs resolved against url (where it was fetched from).
    """
    tree = LexborHTMLParser(html)
    title_node = tree.css_first("title")
    title = " ".join(title_node.text_lexbor().split()) if title_node is not None else ""
    shared_title = _shared_title(tree)  # read before the <head> goes with the junk
    if tree.body is None:
        return Extracted("", title, "", _bodiless(tree, url))
    _drop_junk(tree)
    visible = tree.body.text(separator=" ", skip_empty=True)
    sample = opening(visible, _SAMPLE_CHARS)
    for css in remove:
        _drop(tree, css)
    roots, headline = (_outermost(tree.css(select)), None) if select else \
        main_roots(tree.body, title, len(visible), shared_title)
    if not roots:
        return Extracted("", title, sample, f"select {select!r} matched nothing on the page")
    headline_lines, roots = _take_headline(headline, roots)
    lines = [line for root in roots for line in block_lines(root)]
    if not lines and not headline_lines and not select:  # the scoring found nothing readable: the page beats nothing
        lines = list(block_lines(tree.body))
    read = repair_mojibake([*headline_lines, *lines])  # judged on the page: a headline alone holds too little
    split = len(headline_lines)
    headline_lines, lines = _clean(read[:split], ignore), _clean(read[split:], ignore)
    if not lines and not headline_lines:
        problem = "the page's main content holds no text" if sample else _textless(html, url)
        return Extracted("", title, sample, problem)
    return Extracted("\n".join(lines), title, sample, headline="\n".join(headline_lines))


def _take_headline(headline: LexborNode | None, roots: list[LexborNode]) -> tuple[list[str], list[LexborNode]]:
    """The headline's lines, and the roots without it: read apart, wherever it stands, so that the main text
    is the body alone (as a reader of the story means it), and the headline leads what is stored."""
    if headline is None:
        return [], roots
    lines = block_lines(headline)
    kept = [root for root in roots if root.mem_id != headline.mem_id and not contains(headline, root)]
    headline.decompose()
    return lines, kept


def _clean(lines: list[str], ignore: tuple[str, ...]) -> list[str]:
    """Block lines without their noise, and without what the watch's ignore patterns match."""
    lines = drop_line_noise(lines)
    return strip_ignored(lines, ignore) if ignore else lines


def opening(text: str, size: int) -> str:
    """Given text, return its first size characters with whitespace normalised.

    Read in growing windows, not all at once: a long page is mostly read no further than twice the size,
    and one pretty-printed with deep indentation, whitespace for most of its text, as far as it takes.
    A fixed window would give such a page a short opening, and a short opening is how the check knows a
    short page (an error page) from a story that quotes "Access denied"."""
    window = 2 * size
    while True:
        found = " ".join(text[:window].split())
        if len(found) >= size or window >= len(text):
            return found[:size]
        window *= 4


def _shared_title(tree: LexborHTMLParser) -> str:
    """The title the page gives for sharing (og:title): where the <title> is the CMS's, it names the headline."""
    shared = tree.css_first("meta[property='og:title']")
    content = (shared.attributes.get("content") or "") if shared is not None else ""
    return " ".join(content.split()) if len(content) <= _MAX_SHARED_TITLE else ""


def repair_mojibake(lines: list[str]) -> list[str]:
    """Given block lines, return them with UTF-8 text that was read as windows-1252 read again as UTF-8
    ("FundacjÄ™" is "Fundację"): a server that names the wrong charset, or a CMS that encoded its text
    twice. Only sequences that are valid UTF-8 so misread are read again, and only on a page holding a few:
    a legitimate "Ã" or a true windows-1252 dash beside them stays as it is."""
    if not _looks_misread("\n".join(lines)):
        return lines
    return [_MOJIBAKE_RUN.sub(_reread, line) for line in lines]  # line for line: extract_page splits them after


def _looks_misread(text: str) -> bool:
    """Whether a few of the letters that open misread UTF-8 are followed by a continuation byte's character.
    Each letter is found at C speed; a regex over the whole text costs a tenth of an extraction."""
    found = 0
    for lead in _MOJIBAKE_LEADS:
        at = text.find(lead)
        while at != -1:
            if text[at + 1:at + 2] in _CONTINUATION_SET:
                found += 1
                if found >= _MOJIBAKE_RUNS:
                    return True
            at = text.find(lead, at + 1)
    return False


def _reread(match: re.Match[str]) -> str:
    return _read_as_utf8(match.group())


def _read_as_utf8(run: str) -> str:
    """A run of characters as the UTF-8 they were read from, or the run itself if it is not such text.

    The space after "Â" or "Ã" was a no-break space before whitespace was normalised: "Â " was a no-break
    space, and "Ã " the letter "à", which mostly ends a word ("à la", "città"), so a space follows it."""
    spaced = run[1:] == " "
    try:
        text = (run[0] + "\u00a0" if spaced else run).encode("cp1252", errors=_LATIN1_BYTES).decode("utf-8")
    except UnicodeError:
        return run
    return " " if text == "\u00a0" else text + " " if spaced else text


def _latin1_bytes(error: UnicodeError) -> tuple[bytes, int]:
    """The five bytes windows-1252 leaves undefined reach Python as the C1 controls of latin-1: give them back."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    part = error.object[error.start:error.end]
    if any(ord(character) > 0xFF for character in part):
        raise error
    return part.encode("latin-1"), error.end


codecs.register_error(_LATIN1_BYTES, _latin1_bytes)


def drop_relative_stamps(lines: list[str]) -> list[str]:
    """Given block lines, return them without the short ones that say how long ago the page was written
    or updated ("Updated 3 hours ago", "vor 5 Stunden in Aktuelles"): on a live page they change at every
    check. A line that holds a figure besides its stamp, or a sentence's worth of other words, stays."""
    return [line for line in lines if len(line) > _STAMP_LINE or not _is_relative_stamp(line)]


def _is_relative_stamp(line: str) -> bool:
    folded = line.lower()
    if not any(word in folded for word in _RELATIVE_WORDS):  # the regex costs ten times as much
        return False
    found = _RELATIVE_TIME.search(line)
    if found is None:
        return False
    rest = (line[:found.start()] + line[found.end():]).strip()
    return len(rest) <= _STAMP_REST and not any(character.isdigit() for character in rest)


def drop_line_noise(lines: list[str]) -> list[str]:
    """Given block lines, return them without what changes with no change of wording: stamps, reading
    times, copyright notices, server warnings. The text is looked at once, at C speed, for the words each
    needs; most pages need none, and walk no line."""
    text = "\n".join(lines)  # joined once for the looks at C speed below; a superset of the lines they keep
    # A stamp or a reading time is a short line or ends one: their words are looked for in the short lines,
    # lowercased once (lowercasing all the text would cost more than the stages).
    short = "\n".join(line for line in lines if len(line) <= _STAMP_LINE).lower()
    if any(word in short for word in _RELATIVE_WORDS):
        lines = drop_relative_stamps(lines)
    if any(word in short for word in _READING_WORDS):
        lines = drop_reading_times(lines)
    if "©" in text or "ⓒ" in text or "opyright" in text or "(c)" in short:
        lines = drop_rights_notices(lines)
    if " on line " in text:
        lines = drop_server_diagnostics(lines)
    return lines


def drop_reading_times(lines: list[str]) -> list[str]:
    """Given block lines, return them without the reading time a page prints beside its story ("5 min read",
    "Lesezeit: ca. 3 Minuten"), and without a line it leaves empty. It moves with the story's length: kept,
    an edit of any wording would show as a changed figure, and a watch that alerts on figures would alert."""
    kept = []
    for line in lines:
        if len(line) <= _STAMP_LINE and (cut := _READING_TIME.sub("", line)) != line:
            line = cut.strip(" |·•-–,")
        if line:
            kept.append(line)
    return kept


def drop_rights_notices(lines: list[str]) -> list[str]:
    """Given block lines, return them without copyright notices ("© 2025 Example Ltd. All rights reserved")
    and with the credit taken off the end of a caption ("The minister in Leeds. © AFP / Jane Doe"): a
    notice's year turns over every January, and kept it would alert on every page at once."""
    kept = []
    for line in lines:
        if len(line) <= _MAX_NOTICE and _RIGHTS_NOTICE.match(line):
            continue
        credit = _CREDIT_AFTER.search(line) if len(line) <= _MAX_CAPTION else None
        kept.append(line[:credit.start()] if credit is not None and credit.start() > 0 else line)
    return kept


def drop_server_diagnostics(lines: list[str]) -> list[str]:
    """Given block lines, return them without the warnings PHP prints into a page ("Warning: include(...):
    failed to open stream ... in /www/htdocs/page.php on line 36"): they come and go with the server's
    state, not the page's wording, and one naming "Access denied" would read as a blocked page."""
    return [line for line in lines if not _SERVER_DIAGNOSTIC.fullmatch(line)]


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


def _drop_junk(tree: LexborHTMLParser) -> None:
    """Scripts, styles, hidden blocks and the like go; a <noscript> holding a post is read.

    Blogger (Google's own blogs among them) ships a post twice: in a script template for its
    JavaScript, and in <noscript> for everyone else. A <noscript> holding paragraphs is that copy.
    The <head> goes whole (the title is read before), and the selectors walk the body alone: a page's
    head of scripts, styles and metadata is a sixth of the walk."""
    if tree.head is not None:
        tree.head.decompose()
    body = tree.body
    if body is None:
        return
    for node in body.css(_JUNK):
        if node.tag in _PAGE_TAGS:  # <body hidden> or style="display:none" until a script shows it: still the page
            continue
        if node.tag == "noscript" and sum(1 for paragraph in node.css("p")
                                          if len(paragraph.text_lexbor().strip()) >= _NOSCRIPT_PARAGRAPH) >= _NOSCRIPT_POST:
            node.unwrap()
        else:
            node.decompose()


def _bodiless(tree: LexborHTMLParser, url: str) -> str:
    """Why a page without a body has no text: an old site's frameset has its text in its frames, each a
    page of its own, and the one to watch is the one holding the text."""
    frames = _frame_sources(tree, "frame[src]", url)
    if not frames:
        return "the page has no body"
    return f"the page is a frameset: its text is in its frames, so watch the one holding it instead ({frames})"


def _textless(html: str, url: str) -> str:
    """Why a page shows no text at all, where its markup tells: the text is in other pages shown in its
    frames, or its scripts write it. Parsed afresh: the first tree has lost its frames and scripts."""
    problem = "the page shows no text"
    tree = LexborHTMLParser(html)
    for node in tree.css("noscript"):  # a tracker's fallback <iframe> is no frame of the page's
        node.decompose()
    frames = _frame_sources(tree, "frame[src], iframe[src]", url)
    if frames:
        return (f"{problem} of its own: it shows other pages in frames, so watch the one holding the text "
                f"instead ({frames})")
    scripts = len(tree.css("script"))
    if scripts:
        return (f"{problem}, only {scripts} script{'s' if scripts > 1 else ''}: its text is probably written by "
                "JavaScript, which watcher does not run, so watch a page or feed that holds the text itself")
    return problem


def _frame_sources(tree: LexborHTMLParser, css: str, url: str) -> str:
    """The first few URLs of a page's frames, resolved against the page's url if known, each cut short."""
    sources = [urljoin(url, source)[:_FRAME_URL] for frame in tree.css(css)
               if (source := " ".join((frame.attributes.get("src") or "").split()))]
    return ", ".join(sources[:_FRAMES_NAMED])


def _drop(tree: LexborHTMLParser, css: str) -> None:
    for node in tree.css(css):
        if node.tag not in _PAGE_TAGS:  # a `remove` matching the body would leave nothing to read
            node.decompose()


def _outermost(nodes: list[LexborNode]) -> list[LexborNode]:
    """The nodes not inside another of them: a node inside another match would be read twice."""
    return [node for node in nodes if not any(contains(other, node) for other in nodes if other is not node)]


def block_lines(root: LexborNode) -> list[str]:
    """Given an element, return its text one block per line, whitespace normalised.

    A separator is written into the tree at every block boundary (and " | " between the cells
    of a data row), then the text is read once, by lexbor: no walk of the tree in Python.
    """
    # One walk of every element, sorted by tag here: lexbor tries each selector of a list on every element,
    # and the forty block tags as one selector cost more than this whole walk.
    lines_read: set[int] = set()  # the <pre>s inside a <pre> already read
    for node in root.css("*"):
        tag = node.tag
        if tag == "tr":
            _mark_row(node)
        elif tag == "br":
            if node.parent is not None:  # a data row's line breaks are gone already: rows come first
                node.insert_after(_BOUNDARY)
        elif tag in _MARKED_BLOCKS:
            _mark_block(node)
            if tag == "pre" and node.mem_id not in lines_read:
                _mark_pre_lines(node, lines_read)
    lines = (" ".join(part.split()) for part in _visible(root.text_lexbor()).split(_BOUNDARY))
    return [line for line in lines if line.strip("| ")]


def _visible(text: str) -> str:
    for character in _INVISIBLE:  # str.replace scans at C speed; str.translate took a tenth of the time
        if character in text:
            text = text.replace(character, "")
    return text


def _mark_row(row: LexborNode) -> None:
    """A data row is one line, its cells joined by " | "; a row of layout cells holding blocks is not.
    Its elements are walked in Python: a statistics table has hundreds of rows of a few cells each, and a
    selector costs a fixed 2 µs to parse, more than the walk."""
    line_breaks = []
    for node in row.traverse():
        if node.tag in _LAYOUT_INSIDE_ROW:
            for cell in row.iter():
                if cell.tag in _CELL_TAGS:
                    _mark_block(cell)
            break
        if node.tag == "br":
            line_breaks.append(node)
    else:
        _mark_data_row(row, line_breaks)
    _mark_block(row)


def _mark_pre_lines(pre: LexborNode, lines_read: set[int]) -> None:
    """Preformatted text keeps its lines: a plain-text notice or a table of rates set out in spaces
    would otherwise be one line, and a change anywhere in it would be a change to all of it. The <pre>s
    inside are read with it, and noted, so that no text is walked twice (hostile pages nest thousands)."""
    for node in list(pre.traverse(include_text=True)):
        if node.tag == "pre":
            lines_read.add(node.mem_id)
            continue
        text = node.text_content if node.tag == "-text" else None
        if text and "\n" in text:
            node.replace_with(text.replace("\n", _BOUNDARY))


def _mark_block(node: LexborNode) -> None:
    node.insert_before(_BOUNDARY)
    node.insert_after(_BOUNDARY)


def _mark_data_row(row: LexborNode, line_breaks: list[LexborNode]) -> None:
    for line_break in line_breaks:  # a row stays one line
        line_break.insert_before(" ")
        line_break.decompose()
    cells = [cell for cell in row.iter() if cell.tag in _CELL_TAGS]
    for cell in cells[:-1]:
        cell.insert_after(" | ")
