"""Policy dates: every date expression of a document with its role, the clause it dates and its actor.

find_dates (dates_find.py) is the dependency-free finder others call; extract() turns its matches in the
body sentences, reference entries and table cells into `policy_dates` candidates. Each date is emitted
with ordinal 0 and exactly the span find_dates returns for its sentence, shifted to page offsets, so a
target that calls find_dates on the same sentence can compute the date's fact_id.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from functools import lru_cache
from typing import Any

from extractors.dates_actor import actor_for
from extractors.dates_find import DateMatch, find_dates, load_rules
from extractors.dates_roles import citation_blocks, date_role, event_clause, in_citation
from extractors.memo import per_document
from extractors.provenance import evidence
from extractors.sentences import BODY_KINDS, Sentence, document_sentences
from schemas.facts import DocTable, TableCell, make_fact_id
from schemas.layout import Document
from schemas.runs import Candidate

VERSION = "1.0"
KIND = "policy_dates"
EXTRACTOR = "dates"
SENTENCE_KINDS = BODY_KINDS | {"reference"}
_TITLE = re.compile(r"《[^《》]{1,80}》")
_EVENT_HEADER = re.compile(r"发布|年份|日期|时间|[Yy]ear|[Dd]ate|[Pp]ublished|[Aa]dopted")
_PHASE = re.compile(r"^\s*\S{0,12}[：:]")

__all__ = ["VERSION", "DateMatch", "find_dates", "extract", "doc_year", "match_key", "date_fact_id",
           "load_rules"]


@per_document
def doc_year(doc: Document) -> int | None:
    """The document's own year (issued, published or received), the reference for resolving roles."""
    for d in (doc.meta.issued_date, doc.meta.published_date, doc.meta.received_date):
        if d is not None:
            return d.year
    years = [m.date_start.year for p in doc.pages[:2] for m in find_dates(p.text)
             if m.precision == "day"]
    return max(years) if years else None


def date_fact_id(doc_id: str, page_no: int, start: int, end: int) -> str:
    """The fact_id of the date fact at [start, end) of a page (ordinal 0), for targets to link to."""
    return make_fact_id(doc_id, KIND, page_no, start, end, 0)


def _actor(doc: Document, text: str, event: str | None, page_no: int, offset: int) -> str | None:
    """Actor named in the dated clause, else in the sentence, the paragraph, the section, the issuer."""
    return actor_for(doc, [event or "", text], page_no, offset)


def _payload(doc: Document, page_no: int, text: str, base: int, m: DateMatch, role: str) -> dict[str, Any]:
    """One policy_dates payload for match m of `text`, which starts at page offset `base`."""
    start, end = base + m.start, base + m.end
    event = event_clause(text, m.start, m.end)
    ev = evidence(doc, page_no, start, end, extractor=EXTRACTOR, rule_id=m.rule_id, version=VERSION)
    return {**ev, "surface": m.surface, "iso": m.iso, "date_start": m.date_start,
            "date_end": m.date_end, "precision": m.precision, "role": role, "event": event,
            "actor": _actor(doc, text, event, page_no, start)}


def _in_title(text: str, m: DateMatch) -> bool:
    """A year inside a policy title (《2050年绿色增长战略》) names the policy; it is not a date fact."""
    return any(t.start() < m.start and m.end < t.end() for t in _TITLE.finditer(text))


def sentence_dates(doc: Document, s: Sentence, year: int | None,
                   cited: AbstractSet[tuple[int, int]] = frozenset()) -> Iterator[dict[str, Any]]:
    """Date payloads of one sentence; any date of a reference entry or citing footnote is a reference."""
    first = s.page_no <= 2
    kind = "reference" if in_citation(cited, doc, s.page_no, s.start) else s.block_kind
    for m in find_dates(s.text, year):
        if _in_title(s.text, m):
            continue
        role = date_role(s.text, m, kind, year, first)
        yield _payload(doc, s.page_no, s.text, s.start, m, role)


def locate_cell(page_text: str, cell_text: str, lo: int, hi: int) -> tuple[int, int] | None:
    """Page offsets of a cell's text, searched in [lo, hi) then the whole page; whitespace-flexible."""
    needle = "".join(c for c in cell_text if not c.isspace())
    if not needle:
        return None
    return _find_ink(page_text, needle, lo, hi) or _find_ink(page_text, needle, 0, len(page_text))


@lru_cache(maxsize=64)
def _ink(page_text: str) -> tuple[str, list[int]]:
    """The page text without whitespace and each kept char's page offset: cells are found in it."""
    index = [i for i, c in enumerate(page_text) if not c.isspace()]
    return "".join(page_text[i] for i in index), index


def _find_ink(page_text: str, needle: str, lo: int, hi: int) -> tuple[int, int] | None:
    """The first [start, end) in [lo, hi) whose non-space chars spell `needle` with only spaces between."""
    ink, index = _ink(page_text)
    k = ink.find(needle, bisect_left(index, lo))
    if k < 0:
        return None
    end = index[k + len(needle) - 1] + 1
    return (index[k], end) if end <= hi else None


def _header_of(table: DocTable, cell: TableCell) -> str:
    heads = [c.text for c in table.cells if c.is_header and c.col_no == cell.col_no]
    return " ".join(heads)


def _table_block_start(doc: Document, page_no: int) -> int:
    page = doc.pages[page_no - 1]
    starts = [b.char_start for b in page.blocks if b.kind == "table"]
    return min(starts) if starts else 0


def table_dates(doc: Document, table: DocTable, year: int | None) -> Iterator[dict[str, Any]]:
    """Date payloads of a table's body cells, located in the page text (no location, no fact)."""
    cursor: dict[int, int] = {}
    for cell in sorted(table.cells, key=lambda c: (c.page_no, c.row_no, c.col_no)):
        if cell.is_header or not cell.text.strip() or cell.page_no > len(doc.pages):
            continue
        page = doc.pages[cell.page_no - 1]
        lo = cursor.get(cell.page_no, _table_block_start(doc, cell.page_no))
        span = locate_cell(page.text, cell.text, lo, len(page.text))
        if span is None:
            continue
        cursor[cell.page_no] = span[1]
        text = page.text[span[0]:span[1]]
        header = _header_of(table, cell)
        for m in find_dates(text, year):
            role = _cell_role(text, m, header, year)
            yield _payload(doc, cell.page_no, text, span[0], m, role)


def _cell_role(text: str, m: DateMatch, header: str, year: int | None) -> str:
    """Table dates: a publication-year column dates an event; a phase label ('2020—2024年：') a target."""
    if _EVENT_HEADER.search(header):
        return "event"
    if _PHASE.match(text[m.start:]) and m.start <= 2:
        return "target"
    return date_role(text, m, "table", year)


def _dedupe(payloads: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[tuple[int, int, int]] = set()
    out = []
    for p in payloads:
        key = (p["page_no"], p["char_start"], p["char_end"])
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def extract(doc: Document, tables: Iterable[DocTable] = ()) -> list[Candidate]:
    """Every date of the body text, reference entries and table cells as policy_dates candidates."""
    year = doc_year(doc)
    tables = tuple(tables)
    table_pages = {c.page_no for t in tables for c in t.cells}
    found: list[dict[str, Any]] = []
    for t in tables:
        found.extend(table_dates(doc, t, year))
    kinds = SENTENCE_KINDS | {"table"}
    cited = citation_blocks(doc)
    for s in document_sentences(doc, kinds):
        if s.block_kind == "table" and s.page_no in table_pages:
            continue
        found.extend(sentence_dates(doc, s, year, cited))
    found.sort(key=lambda p: (p["page_no"], p["char_start"]))
    return [Candidate(kind=KIND, payload=p) for p in _dedupe(found)]


def match_key(fact: dict[str, Any]) -> tuple[Any, ...]:
    """Key fields a gold date must agree on (besides page_no and an overlapping quote): iso and role."""
    return fact.get("iso"), fact.get("role")
