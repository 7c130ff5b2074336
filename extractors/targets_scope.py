"""Where a target's year comes from when its own words give none: the scope a lead sentence opens.

Chinese plans set the deadline once ("到2025年，…。" opening the 主要目标 paragraph, or a heading such as
"（二）2025年目标") and list the goals after it, sometimes over a page break. A `Scope` holds that year
for every following sentence until the document leaves the section it was set in: a heading or a
numbered paragraph at the same or a higher level (一、 above （一） above 1. above （1）) ends it, as does
a later lead sentence, which opens a scope of its own. Targets that take their year from a scope keep
the scope's date fact as their `date_fact_id`, so the audit page can show where the year came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.dates import date_fact_id, find_dates
from extractors.sentences import Sentence

_LEVELS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (0, re.compile(r"^\s*第[一二三四五六七八九十百\d]+[章篇部节]")),
    (1, re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.．]")),
    (2, re.compile(r"^\s*[（(]\s*[一二三四五六七八九十]+\s*[)）]")),
    (3, re.compile(r"^\s*\d{1,2}\s*[、.．](?!\d)")),
    (4, re.compile(r"^\s*[（(]\s*\d{1,2}\s*[)）]")),
)
"""Chinese outline numbering, outermost first."""

UNNUMBERED_HEADING = 1
"""An unnumbered heading (主要目标 alone on its line) closes scopes like a top-level one."""
_SENTENCE_END = ("。", "；", ";", "！", "？", ".")

_LEAD = re.compile(r"^\s*(?:\S{0,3}[、.．)）]\s*)?(?:[^，。；,;]{0,10}?)?(?:力争|计划|争取)?"
                   r"(?P<to>到|至)?\s*(?P<year>20\d\d)\s*年(?:底|末)?(?P<before>前|以前)?(?P<goal>(?:主要)?目标)?(?:[，,：:]|\s*$)")
"""A sentence that opens with its deadline: '到2025年，…', '（一）到2025年：', '2030年前，…'."""


@dataclass(frozen=True)
class Scope:
    year: int
    deadline: str
    level: int
    date_fact_id: str | None


def outline_level(text: str) -> int | None:
    """The outline level of a numbered heading or paragraph start, None when it carries no numbering."""
    return next((level for level, rx in _LEVELS if rx.match(text)), None)


def lead_year(text: str, ref: int | None = None) -> tuple[int, str, int, int] | None:
    """(year, deadline type, start, end) of a sentence's opening deadline, or None. A bare year opens a
    scope only when it lies after the document's own year `ref` ('2020年，全省…' states a past result)."""
    m = _LEAD.match(text)
    if m is None:
        return None
    marked = m.group("to") or m.group("before") or m.group("goal")
    if not marked and (ref is None or int(m.group("year")) <= ref):
        return None
    return int(m.group("year")), "before" if m.group("before") else "by", m.start("year"), m.end("year")


class ScopeTracker:
    """Walks a document's sentences in reading order and knows the open scope at each."""

    def __init__(self, doc_id: str, ref: int | None) -> None:
        self.doc_id, self.ref = doc_id, ref
        self.scope: Scope | None = None
        self.level = UNNUMBERED_HEADING

    def enter(self, s: Sentence) -> Scope | None:
        """Update the scope for sentence `s`; return the scope that holds for the sentences after it."""
        level = outline_level(s.text)
        if s.block_kind == "heading" and level is None and not s.text.rstrip().endswith(_SENTENCE_END):
            level = UNNUMBERED_HEADING  # a 'heading' that ends like a sentence is a short paragraph
        if level is not None:
            self.level = level
            if self.scope is not None and level <= self.scope.level:
                self.scope = None
        lead = lead_year(s.text, self.ref)
        if lead is not None:
            year, deadline, a, z = lead
            self.scope = Scope(year, deadline, self.level, self._date_fact(s, a, z))
        return self.scope

    def _date_fact(self, s: Sentence, a: int, z: int) -> str | None:
        for m in find_dates(s.text):
            if m.start < z and a < m.end:
                return date_fact_id(self.doc_id, s.page_no, s.start + m.start, s.start + m.end)
        return None
