"""Verdicts on what a check saw: a page that is not really the page (blocked, soft error, shrunk),
and whether a change meets its watch's alert rule.

Pure: no I/O. A verdict here is what keeps an error page from ever being reported as a change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from watcher.diff import Change
from watcher.extract import Extracted
from watcher.figures import FigureChange
from watcher.render import changed_lines
from watcher.watchlist import Watch

# Bot challenges and access walls served with 200 (Cloudflare, Akamai, Imperva, PerimeterX, ...).
_BLOCKED = re.compile(
    r"just a moment\.\.\.|enable javascript and cookies to continue|attention required!? \| cloudflare|"
    r"checking (if the site connection is secure|your browser)|access denied|you don'?t have permission to access|"
    r"captcha|are you a (robot|human)|verify (that )?you are (a )?human|request unsuccessful\. incapsula|"
    r"pardon our interruption|ddos protection by|please turn javascript on and reload", re.IGNORECASE)
# Error and maintenance pages served with 200.
_SOFT_ERROR = re.compile(
    r"page not found|\b404\b.{0,20}not found|not found.{0,20}\b404\b|(page|content) (could not|cannot|can'?t) be found|"
    r"we can(no|')?t find (the|that|this) page|page (you|you're|you are) looking for|no longer (exists|available)|"
    r"(down|closed) for (scheduled )?maintenance|under maintenance|scheduled maintenance|"
    r"we'?ll be back (soon|shortly)|service (is )?(temporarily )?unavailable|"
    r"temporarily unavailable|internal server error|an error (has )?occurred", re.IGNORECASE)
_SHORT_PAGE = 2000  # a page with more visible text than this is judged by its title alone
_MIN_SHRINK_BASE = 200  # a version shorter than this is too small to judge shrinkage against


@dataclass(frozen=True, slots=True)
class Verdict:
    """Why a fetched page is a failure, not a version of the page."""

    kind: str  # blocked, soft-error, suspicious-shrink
    message: str


def judge_page(extracted: Extracted, final_url: str, watch: Watch, previous: str | None,
               shrink_fraction: float) -> Verdict | None:
    """Given an extracted page, where it was fetched from, its watch and the previous version's text,
    return why it is not a real version of the page, or None if it is."""
    found = _matches(_BLOCKED, extracted)
    if found and not (previous and _BLOCKED.search(previous)):
        return Verdict("blocked", f"a bot challenge or access wall was served ({found!r})")
    found = _matches(_SOFT_ERROR, extracted)
    if found and not (previous and _SOFT_ERROR.search(previous)):
        return Verdict("soft-error", f"an error or maintenance page was served with 200 ({found!r})")
    if _redirected_home(watch.url, final_url):
        return Verdict("soft-error", f"redirected to the home page {final_url}")
    if previous and not extracted.problem and _shrunk(extracted.text, previous, shrink_fraction):
        return Verdict("suspicious-shrink", f"the text shrank from {len(previous)} to {len(extracted.text)} "
                                            f"characters (under {shrink_fraction:.0%} of the last version)")
    return None


def _matches(pattern: re.Pattern[str], extracted: Extracted) -> str | None:
    match = pattern.search(extracted.title)
    if match is None and len(extracted.sample) < _SHORT_PAGE:
        match = pattern.search(extracted.sample)
    return match.group(0) if match else None


def _redirected_home(watched: str, final_url: str) -> bool:
    watched_path = urlsplit(watched).path.strip("/")
    final = urlsplit(final_url)
    return bool(watched_path) and final.path.strip("/") == "" and not final.query


def _shrunk(text: str, previous: str, fraction: float) -> bool:
    return len(previous) >= _MIN_SHRINK_BASE and len(text) < fraction * len(previous)


def is_minor(change: Change, watch: Watch) -> bool:
    """Given a change and its watch, return True when it does not meet the watch's alert rule.

    A minor change is still stored and in the feeds, but sends no alert.
    """
    if change.only_moved:
        return True
    if not change.figures and change.added_words + change.removed_words < watch.min_words:
        return True
    if watch.alert_on == "figures":
        return not any(_significant(figure, watch.min_change_pct) for figure in change.figures)
    if watch.alert_on == "keywords":
        return not keywords_changed(change, watch.keywords)
    return False


def _significant(figure: FigureChange, min_change_pct: float) -> bool:
    """A figure added, removed, reworded ("up to" dropped), or changed by at least the watch's percentage."""
    if figure.relative_change is None or figure.relative_change == 0:
        return True
    return abs(figure.relative_change) * 100 >= min_change_pct


def keywords_changed(change: Change, keywords: tuple[str, ...]) -> list[str]:
    """Given a change and keywords, return those found (case-insensitively) in the lines that changed."""
    lines = [line for line in changed_lines(change.ops, context=0) if line is not None]
    text = " ".join(segment for line in lines for _, segment in line).casefold()
    return [keyword for keyword in keywords if keyword.casefold() in text]
