"""Figures in text (money, percentages, counts, dates, financial years, numbers) and how they changed.

Pure: no I/O. Digits, signs, decimal marks and scale words are never normalised away.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December|"
           "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")
_NUMBER = r"[-+−]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[-+−]?\d+(?:\.\d+)?"
_SCALE = r"thousand|million|billion|trillion|bn|mn|tn|m|k"
_CURRENCY = r"US\$|A\$|C\$|£|\$|€|¥|(?:GBP|USD|EUR|JPY|CHF|CAD|AUD|CNY|INR)\s?"
_QUALIFIER = r"(?:up\sto|more\sthan|over|at\sleast|around|about|almost|nearly|under|less\sthan)\s"
_COUNT_STOPWORDS = frozenset(
    "a an and are as at be by for from in into is it of on or per than that the to was were with "
    "year years over under after before since until between through during within across about "
    "will would could should can may have has had been which who while when where but not".split())
_COUNT_ADJECTIVES = frozenset(
    "new more additional extra further federal local national public civil full-time part-time permanent "
    "temporary skilled high-skilled existing total eligible separate major small large young".split())

_PATTERN = re.compile(
    rf"""
      (?P<date>\b\d{{1,2}}\s(?:{_MONTHS})\.?,?\s\d{{4}}\b
             | \b(?:{_MONTHS})\.?\s\d{{1,2}},?\s\d{{4}}\b
             | \b\d{{4}}-\d{{2}}-\d{{2}}\b)
    | (?P<fy>\b(?:19|20)\d{{2}}(?:-|/|–|\sto\s)(?:(?:19|20)\d{{2}}|\d{{2}})\b)
    | (?P<money>(?:{_QUALIFIER})?(?:{_CURRENCY})(?:{_NUMBER})(?:\s?(?:{_SCALE})\b)?)
    | (?P<percent>(?:{_QUALIFIER})?(?:{_NUMBER})(?:\s?%|\sper\scent\b|\spercent\b))
    | (?P<year>(?<![\w.,£$€¥-])(?:19|20)\d{{2}}(?![\w%]|[.,-]\d))
    | (?P<number>(?<![\w.,])(?:{_NUMBER})(?![\w%])(?:\s(?:{_SCALE})\b)?)
    """,
    re.VERBOSE | re.IGNORECASE,
)
_SCALES = {"thousand": 10**3, "k": 10**3, "million": 10**6, "m": 10**6, "mn": 10**6,
           "billion": 10**9, "bn": 10**9, "trillion": 10**12, "tn": 10**12}
_WORD = re.compile(r"\s([a-z][a-z-]{2,})\b")
_NUMBER_IN = re.compile(_NUMBER)
_SCALE_IN = re.compile(rf"(?:{_SCALE})\b", re.IGNORECASE)
_CURRENCY_IN = re.compile(_CURRENCY)
_KIND_NAMES = {"fy": "financial-year"}


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure as written in the text, with its kind, unit and numeric value where it has one."""

    kind: str  # money, percent, count, number, date, year, financial-year
    text: str
    unit: str = ""
    value: Decimal | None = None
    start: int = 0  # where it stands in the text it was found in


@dataclass(frozen=True, slots=True)
class FigureChange:
    """A figure that changed (old → new), was added (old None) or removed (new None)."""

    kind: str
    old: str | None
    new: str | None
    relative_change: float | None = None

    def describe(self) -> str:
        """Return the change as people read it: `£2 billion → £2.5 billion (+25%)`."""
        if self.old is None:
            return f"added {self.new}"
        if self.new is None:
            return f"removed {self.old}"
        if self.relative_change is None:
            return f"{self.old} → {self.new}"
        return f"{self.old} → {self.new} ({format_relative(self.relative_change)})"


def format_relative(change: float) -> str:
    """Given a relative change (0.25), return it as a signed percentage ("+25%")."""
    percent = f"{change * 100:+.1f}".replace("-", "−").removesuffix(".0")
    return f"{percent}%"


def find_figures(text: str) -> list[Figure]:
    """Given text, return its figures in order of appearance."""
    return [replace(_figure(match, text), start=match.start()) for match in _PATTERN.finditer(text)]


def _figure(match: re.Match[str], text: str) -> Figure:
    kind = match.lastgroup or "number"
    figure_text = match.group(0)
    if kind == "number":
        return _number_or_count(figure_text, text[match.end():match.end() + 40])
    if kind == "money":
        currency = _CURRENCY_IN.search(figure_text)
        return Figure("money", figure_text, currency.group(0).strip() if currency else "", _value(figure_text))
    if kind == "percent":
        return Figure("percent", figure_text, "%", _value(figure_text, scaled=False))
    return Figure(_KIND_NAMES.get(kind, kind), figure_text)


def _number_or_count(figure_text: str, after: str) -> Figure:
    """A number followed by a noun is a count ("200 bids", "14,000 federal staff"); its unit is the noun."""
    words = _counted_words(after)
    value = _value(figure_text)
    if words:
        return Figure("count", " ".join((figure_text, *words)), words[-1].lower(), value)
    return Figure("number", figure_text, "", value)


def _counted_words(after: str) -> list[str]:
    """The noun after a number, with one adjective before it when that is a common one ("new jobs")."""
    first = _WORD.match(after)
    if first is None or first.group(1).lower() in _COUNT_STOPWORDS:
        return []
    second = _WORD.match(after, first.end())
    if first.group(1).lower() in _COUNT_ADJECTIVES and second and second.group(1).lower() not in _COUNT_STOPWORDS:
        return [first.group(1), second.group(1)]
    return [first.group(1)]


def _value(figure_text: str, scaled: bool = True) -> Decimal | None:
    number = _NUMBER_IN.search(figure_text)
    if number is None:
        return None
    try:
        value = Decimal(number.group(0).replace(",", "").replace("−", "-"))
    except InvalidOperation:
        return None
    scale = _SCALE_IN.search(figure_text, number.end()) if scaled else None
    return value * _SCALES[scale.group(0).lower()] if scale else value


def compare_figures(old_text: str, new_text: str) -> list[FigureChange]:
    """Given two versions of a text, return the figures that changed, were added or removed.

    Figures are aligned as sequences; inside each replaced run, old and new are paired by
    kind (money with money, counts with the same noun) in order. Figures left over are paired
    when their lines read the same but for the figure (a line that moved and changed), and
    dropped when the same figure was only moved.
    """
    old_figures, new_figures = find_figures(old_text), find_figures(new_text)
    matcher = difflib.SequenceMatcher(None, [f.text for f in old_figures], [f.text for f in new_figures],
                                      autojunk=False)
    changes: list[FigureChange] = []
    lone_old: list[Figure] = []
    lone_new: list[Figure] = []
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag != "equal":
            pairs, unpaired_old, unpaired_new = pair_figures(old_figures[old_start:old_end],
                                                             new_figures[new_start:new_end])
            changes.extend(pairs)
            lone_old.extend(unpaired_old)
            lone_new.extend(unpaired_new)
    changes.extend(_pair_lone(lone_old, lone_new, old_text, new_text))
    return changes


def pair_figures(old: list[Figure], new: list[Figure]) -> tuple[list[FigureChange], list[Figure], list[Figure]]:
    """Given the old and new figures of one replaced run, pair them by kind in order.

    Return the pairs and the old and new figures left unpaired.
    """
    unpaired = list(new)
    pairs, lone = [], []
    for figure in old:
        partner = next((candidate for candidate in unpaired if _same_measure(figure, candidate)), None)
        if partner is None:
            lone.append(figure)
            continue
        unpaired.remove(partner)
        pairs.append(FigureChange(figure.kind, figure.text, partner.text, _relative(figure, partner)))
    return pairs, lone, unpaired


def _pair_lone(old: list[Figure], new: list[Figure], old_text: str, new_text: str) -> list[FigureChange]:
    moved = Counter(f.text for f in old) & Counter(f.text for f in new)
    old = _drop_moved(old, moved)
    new = _drop_moved(new, moved)
    changes = []
    for figure in old:
        template = _line_template(old_text, figure)
        partner = next((c for c in new if _same_measure(figure, c) and _line_template(new_text, c) == template), None)
        if partner is None:
            changes.append(FigureChange(figure.kind, figure.text, None))
            continue
        new.remove(partner)
        changes.append(FigureChange(figure.kind, figure.text, partner.text, _relative(figure, partner)))
    return changes + [FigureChange(figure.kind, None, figure.text) for figure in new]


def _drop_moved(figures: list[Figure], moved: Counter[str]) -> list[Figure]:
    budget = Counter(moved)
    kept = []
    for figure in figures:
        if budget[figure.text] > 0:
            budget[figure.text] -= 1
        else:
            kept.append(figure)
    return kept


def _line_template(text: str, figure: Figure) -> str:
    """The line a figure stands in, with the figure taken out."""
    line_start = text.rfind("\n", 0, figure.start) + 1
    line_end = text.find("\n", figure.start)
    line_end = len(text) if line_end < 0 else line_end
    return text[line_start:figure.start] + "\0" + text[figure.start + len(figure.text):line_end]


def _same_measure(old: Figure, new: Figure) -> bool:
    if old.kind != new.kind:
        return False
    return old.unit == new.unit if old.kind == "count" else True


def _relative(old: Figure, new: Figure) -> float | None:
    if old.value is None or new.value is None or old.value == 0 or old.unit != new.unit:
        return None
    return float((new.value - old.value) / abs(old.value))


def summarise_figures(changes: list[FigureChange], shown: int = 5) -> str:
    """Given figure changes, return the summary line: `2 figures changed: a → b (+25%); ...`."""
    count = len(changes)
    noun = "figure" if count == 1 else "figures"
    listed = "; ".join(change.describe() for change in changes[:shown])
    more = f"; and {count - shown} more" if count > shown else ""
    return f"{count} {noun} changed: {listed}{more}"
