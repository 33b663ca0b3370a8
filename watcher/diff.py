"""Old text + new text → a `Change`: word-level ops, figure changes, counts and a summary.

Pure: no I/O, never reads the store; rendering a Change is render.py's.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from diff_match_patch import diff_match_patch

from watcher.figures import FigureChange, compare_figures, summarise_figures

DELETE, EQUAL, INSERT = -1, 0, 1
Op = tuple[int, str]
_TOKEN = re.compile(r"\s+|[^\s]+")
_WORD = re.compile(r"\S+")
_EXCERPT_CHARS = 100


@dataclass(frozen=True, slots=True)
class Change:
    """What changed between two texts; `ops` rebuild both (EQUAL+DELETE → old, EQUAL+INSERT → new)."""

    ops: tuple[Op, ...]
    added_words: int
    removed_words: int
    figures: tuple[FigureChange, ...]
    summary: str
    moved: int = 0  # lines that only moved: deleted in one place, inserted unchanged in another

    @property
    def changed(self) -> bool:
        """True when the texts differ at all."""
        return any(op != EQUAL for op, _ in self.ops)

    @property
    def only_moved(self) -> bool:
        """True when every difference is a whole line that moved: a reordering, not a change of wording."""
        return self.moved > 0 and not self.added_words and not self.removed_words and not self.figures

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form `watcher compare --json` prints and the store keeps."""
        return {
            "changed": self.changed,
            "summary": self.summary,
            "added_words": self.added_words,
            "removed_words": self.removed_words,
            "figures": [{"kind": f.kind, "old": f.old, "new": f.new, "relative_change": f.relative_change}
                        for f in self.figures],
            "ops": [[op, text] for op, text in self.ops],
            "moved": self.moved,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Change:
        """Given the JSON form, return the Change."""
        return cls(tuple((int(op), str(text)) for op, text in data["ops"]), int(data["added_words"]),
                   int(data["removed_words"]), tuple(FigureChange(**f) for f in data["figures"]),
                   str(data["summary"]), int(data.get("moved", 0)))


def diff_texts(old: str, new: str, time_limit: float = 2.0) -> Change:
    """Given two texts, return the Change from old to new.

    Lines are aligned first, then words within each replaced run of lines; past `time_limit`
    seconds the remaining runs stay line-level rather than being dropped. Lines that only
    moved are counted as moved, not as words added and removed.
    """
    line_ops = _diff_units(old, new, _LINE, time_limit)
    moved = moved_lines(line_ops)
    ops = word_ops(line_ops, moved, time_limit)
    moved_words = sum(len(_WORD.findall(line)) * count for line, count in moved.items())
    added = sum(len(_WORD.findall(text)) for op, text in ops if op == INSERT) - moved_words
    removed = sum(len(_WORD.findall(text)) for op, text in ops if op == DELETE) - moved_words
    figures = tuple(compare_figures(old, new))
    count = sum(moved.values())
    return Change(tuple(ops), added, removed, figures, summarise(ops, figures, added, removed, count), count)


def moved_lines(line_ops: list[Op]) -> Counter[str]:
    """Given line-level ops, return the lines (stripped) removed in one place and added in another."""
    return _line_counts(line_ops, DELETE) & _line_counts(line_ops, INSERT)


def _line_counts(line_ops: list[Op], kind: int) -> Counter[str]:
    return Counter(line.strip() for op, text in line_ops if op == kind for line in text.splitlines() if line.strip())


def word_ops(line_ops: list[Op], moved: Counter[str], time_limit: float = 2.0) -> list[Op]:
    """Given line-level ops, return ops over whole words (never inside a word) within replaced runs."""
    deadline = time.monotonic() + time_limit
    ops: list[Op] = []
    pending: dict[int, str] = {DELETE: "", INSERT: ""}
    for op, text in line_ops:
        if op != EQUAL:
            pending[op] += text
            continue
        ops.extend(_refine(pending, moved, deadline))
        ops.append((EQUAL, text))
    ops.extend(_refine(pending, moved, deadline))
    return _merge(ops)


_LINE = re.compile(r"[^\n]+|\n")  # a line and its newline are separate units: the last line has none


def _refine(pending: dict[int, str], moved: Counter[str], deadline: float) -> Iterator[Op]:
    old, new = pending[DELETE], pending[INSERT]
    pending[DELETE] = pending[INSERT] = ""
    remaining = deadline - time.monotonic()
    if old and new and remaining > 0 and not (_all_moved(old, moved) or _all_moved(new, moved)):
        yield from _diff_units(old, new, _TOKEN, remaining)
        return
    if old:
        yield DELETE, old
    if new:
        yield INSERT, new


def _all_moved(text: str, moved: Counter[str]) -> bool:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return bool(lines) and all(line in moved for line in lines)


def _diff_units(old: str, new: str, unit: re.Pattern[str], time_limit: float) -> list[Op]:
    """Diff two texts as sequences of units (lines or tokens), each unit coded as one character."""
    codes: dict[str, str] = {}
    units: list[str] = []
    old_coded, new_coded = _encode(old, unit, codes, units), _encode(new, unit, codes, units)
    engine = diff_match_patch()
    engine.Diff_Timeout = max(time_limit, 0.001)
    coded_ops = engine.diff_main(old_coded, new_coded, False)
    engine.diff_cleanupSemantic(coded_ops)
    return [(op, "".join(units[ord(char) - 1 - (ord(char) > 0xD7FF) * 0x800] for char in text))
            for op, text in coded_ops]


def _encode(text: str, unit: re.Pattern[str], codes: dict[str, str], units: list[str]) -> str:
    coded = []
    for piece in unit.findall(text):
        code = codes.get(piece)
        if code is None:
            number = len(units) + 1
            code = chr(number + 0x800 if number > 0xD7FF else number)  # skip the surrogate range
            codes[piece] = code
            units.append(piece)
        coded.append(code)
    return "".join(coded)


def _merge(ops: list[Op]) -> list[Op]:
    """Join neighbouring ops of the same kind; drop empty ones."""
    merged: list[Op] = []
    for op, text in ops:
        if not text:
            continue
        if merged and merged[-1][0] == op:
            merged[-1] = (op, merged[-1][1] + text)
        else:
            merged.append((op, text))
    return merged


def summarise(ops: list[Op], figures: tuple[FigureChange, ...], added: int, removed: int, moved: int = 0) -> str:
    """Return the one-line summary: figures old → new first; else the words changed, with an excerpt."""
    paired = [figure for figure in figures if figure.old is not None and figure.new is not None]
    lone = _lone_figures(figures)
    if paired:
        return summarise_figures(paired) + (f"; {lone}" if lone else "")
    if not added and not removed:
        return f"{moved} block{'s' if moved != 1 else ''} moved" if moved else "no change"
    counts = ", ".join(part for part in (_words(added, "added"), _words(removed, "removed")) if part)
    excerpt = " ".join(_excerpt_source(ops).split())
    if len(excerpt) > _EXCERPT_CHARS:
        excerpt = excerpt[:_EXCERPT_CHARS].rsplit(" ", 1)[0] + "…"
    summary = f"{counts}: “{excerpt}”" if excerpt else counts
    return f"{summary} ({lone})" if lone else summary


def _lone_figures(figures: tuple[FigureChange, ...]) -> str:
    added = sum(figure.old is None for figure in figures)
    removed = sum(figure.new is None for figure in figures)
    parts = [f"{n} figure{'s' if n != 1 else ''} {verb}" for n, verb in ((added, "added"), (removed, "removed")) if n]
    return ", ".join(parts)


def _excerpt_source(ops: list[Op]) -> str:
    """New wording says most: the first added text, else the first removed."""
    return next((text for op, text in ops if op == INSERT and text.strip()),
                next((text for op, text in ops if op == DELETE), ""))


def _words(count: int, verb: str) -> str:
    if not count:
        return ""
    return f"{count} word{'s' if count != 1 else ''} {verb}"
