"""Decide a date's role and the clause it dates, from cue words in rules/{zh,en}/date_roles.yaml."""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from extractors.dates_find import DateMatch
from schemas.layout import Document

RULE_DIR = Path(__file__).parent / "rules"
TARGET_MODIFIERS = frozenset({"by", "before", "after", "around"})
_CLAUSE_END = re.compile(r"[，,；;。！？!?：:]")
_CITATION = re.compile(r"[(（]\s*\d{4}-\d{1,2}-\d{1,2}\s*[)）]\s*\[\s*\d{4}-\d{1,2}-\d{1,2}\s*\]"
                       r"|\[\s*\d{4}-\d{1,2}-\d{1,2}\s*\]|https?://|www\.")
_FOOTNOTE_START = re.compile(r"^\s*(?:[①-⑳㉑-㉟]|\[\d+\]|\d{1,3}\s)")
_TRIVIAL = re.compile(r"^[\s\W\d年月日前后以来左右底末初中到至截止从自于在起]*$")


@dataclass(frozen=True)
class RoleRule:
    id: str
    role: str
    where: str
    lang: str
    pattern: re.Pattern[str]
    cues: tuple[str, ...]
    example: str
    description: str


def _cue_pattern(cues: list[str], lang: str) -> re.Pattern[str]:
    alts = "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in sorted(cues, key=len, reverse=True))
    if lang == "en":
        return re.compile(rf"(?<![A-Za-z])(?:{alts})(?![A-Za-z])", re.I)
    return re.compile(f"(?:{alts})")


@lru_cache(maxsize=1)
def load_role_rules() -> tuple[RoleRule, ...]:
    """Role cue rules of both languages, in file order."""
    out: list[RoleRule] = []
    for lang in ("zh", "en"):
        for r in yaml.safe_load((RULE_DIR / lang / "date_roles.yaml").read_text(encoding="utf-8")):
            out.append(RoleRule(r["id"], r["role"], r["where"], lang, _cue_pattern(r["cues"], lang),
                                tuple(r["cues"]), r["example"], r["description"]))
    return tuple(out)


def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause of `text` around [start, end): between the nearest clause punctuation marks."""
    a = max((m.end() for m in _CLAUSE_END.finditer(text, 0, start)), default=0)
    m = _CLAUSE_END.search(text, end)
    return a, (m.start() if m else len(text))


def event_clause(text: str, start: int, end: int) -> str | None:
    """The clause a date dates; a clause that is only the date ('2019年12月，') lends the next one."""
    a, b = clause_bounds(text, start, end)
    rest = text[a:start] + text[end:b]
    if _TRIVIAL.match(rest) and b < len(text):
        b2 = clause_bounds(text, b + 1, b + 1)[1]
        a, b = b + 1, b2
    clause = " ".join(text[a:b].split())
    return clause or None


def _cue_hit(rule: RoleRule, text: str, m: DateMatch, a: int, b: int) -> bool:
    if rule.where == "sentence":
        return bool(rule.pattern.search(text))
    if rule.where == "before":
        head = text[max(a, m.start - 6):m.start].rstrip()
        return any(head.endswith(c) or head.lower().endswith(c) for c in rule.cues)
    if rule.where == "after":
        return bool(rule.pattern.search(text, m.end, b))
    return bool(rule.pattern.search(text, a, b))


def is_citation(text: str, block_kind: str) -> bool:
    """A reference entry or a citing footnote: '(2021-07-14)[2022-03-29]', an access date or a URL."""
    if block_kind == "reference":
        return True
    return block_kind == "footnote" and bool(_CITATION.search(text)) or \
        bool(_FOOTNOTE_START.match(text) and _CITATION.search(text))


def date_role(text: str, m: DateMatch, block_kind: str, doc_year: int | None,
              first_pages: bool = False) -> str:
    """The role of date `m` of sentence `text` (offsets of m are into text)."""
    if is_citation(text, block_kind):
        return "reference"
    a, b = clause_bounds(text, m.start, m.end)
    rules = [r for r in load_role_rules() if _cue_hit(r, text, m, a, b)]
    if any(r.where == "before" for r in rules) and m.modifier is None and m.precision == "year":
        return "target"  # a baseline year (比2020年, relative to 1990) belongs to its target
    hits = {r.role for r in rules if r.where != "before"}
    for role in ("received", "publication", "issued"):
        if role in hits:
            return role
    if first_pages and m.precision == "day" and len(text.strip()) <= len(m.surface) + 4:
        return "issued"
    if m.modifier in TARGET_MODIFIERS:
        return "target"
    if m.modifier in ("since", "as_of") or m.precision in ("day", "month", "quarter", "season"):
        return "event"
    future = doc_year is not None and m.date_end.year > doc_year
    if "target" in hits and (future or "event" not in hits or doc_year is None):
        return "target"
    if future:
        return "target"
    return "event"


def citation_blocks(doc: Document) -> set[tuple[int, int]]:
    """(page_no, char_start) of every reference block and citing footnote block of the document."""
    return {(p.page_no, b.char_start) for p in doc.pages for b in p.blocks if is_citation(b.text, b.kind)}


def in_citation(blocks: AbstractSet[tuple[int, int]], doc: Document, page_no: int, offset: int) -> bool:
    """Whether page offset `offset` lies in a reference block or a citing footnote."""
    page = doc.pages[page_no - 1]
    return any((page_no, b.char_start) in blocks and b.char_start <= offset < b.char_end for b in page.blocks)
