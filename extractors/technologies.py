"""Technologies: list items of tables, figure groups, plan catalogues and taxonomy mentions in text."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from extractors.actors import document_actor, section_actor
from extractors.provenance import evidence
from extractors.technologies_catalogue import document_entries
from extractors.technologies_figures import document_items
from extractors.technologies_tables import table_items
from extractors.technologies_taxonomy import TechEntry, lookup
from extractors.technologies_text import document_mentions
from schemas.facts import DocTable, Technology
from schemas.layout import Document
from schemas.runs import Candidate

VERSION = "1.0"
EXTRACTOR = "technologies"
KIND = "technologies"
KEY_FIELDS: tuple[str, ...] = ("canonical_id", "actor", "origin", "group_name", "horizon", "stage")
"""Fields the evaluator scores on a matched fact (matching itself is page_no + normalised name_surface)."""

Claimed = dict[int, list[tuple[int, int]]]


def _entry_fields(entry: TechEntry | None) -> dict[str, Any]:
    if entry is None:
        return {"canonical_id": None, "name_en": None, "name_zh": None, "category": None, "sector": None}
    return {"canonical_id": entry.id, "name_en": entry.name_en, "name_zh": entry.name_zh,
            "category": entry.category, "sector": entry.sector}


def clean_surface(text: str) -> str:
    """A surface as one line: wrapped CJK lines joined, other whitespace runs collapsed."""
    text = re.sub(r"(?<=[^\x00-\x7f])\s*\n\s*|\s*\n\s*(?=[^\x00-\x7f])", "", text.strip())
    return re.sub(r"\s+", " ", text)


class _Builder:
    """Collects payloads, numbering repeats of one span with `ordinal` and remembering claimed spans."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.uses: Counter[tuple[int, int, int]] = Counter()
        self.claimed: Claimed = {}
        self.out: list[Candidate] = []

    def add(self, page_no: int, start: int, end: int, rule_id: str, surface: str,
            entry: TechEntry | None, lang: str | None = None, **fields: Any) -> None:
        key = (page_no, start, end)
        ordinal = self.uses[key]
        self.uses[key] += 1
        payload = evidence(self.doc, page_no, start, end, extractor=EXTRACTOR, rule_id=rule_id,
                           version=VERSION, ordinal=ordinal, lang=lang)
        payload.update(_entry_fields(entry), name_surface=clean_surface(surface) or surface, **fields)
        self.out.append(Candidate(kind=KIND, payload=payload))
        if end > start:
            self.claimed.setdefault(page_no, []).append((start, end))


def _from_tables(b: _Builder, tables: tuple[DocTable, ...] | list[DocTable]) -> None:
    for table in tables:
        for item in table_items(b.doc, table):
            start, end = (item.start, item.end) if item.start >= 0 else (0, 0)
            b.add(item.page_no, start, end, "tech.table.list_cell", item.name, lookup(item.name),
                  origin="table", actor=item.actor)


def _in_claimed(claimed: Claimed, page_no: int, pos: int) -> bool:
    return any(s <= pos < e for s, e in claimed.get(page_no, ()))


def _from_figures(b: _Builder) -> None:
    for item in document_items(b.doc):  # a figure's groups are the authors' framework: no actor
        if _in_claimed(b.claimed, item.page_no, item.start):
            continue
        b.add(item.page_no, item.start, item.end, "tech.figure.item", item.name, lookup(item.name),
              origin="figure", group_name=item.group_name, horizon=item.horizon,
              horizon_surface=item.horizon_surface)


def _from_catalogue(b: _Builder) -> None:
    actor = document_actor(b.doc)
    for entry in document_entries(b.doc):
        tech = lookup(clean_surface(entry.title))
        for code, rule_id in entry.stages:
            b.add(entry.page_no, entry.start, entry.end, rule_id, entry.title, tech,
                  origin="text", stage=code, actor=actor)


def _from_text(b: _Builder) -> None:
    doc_actor = document_actor(b.doc)
    for m in document_mentions(b.doc, b.claimed):
        actor = m.actor or section_actor(b.doc, m.page_no, m.start) or doc_actor
        surface = b.doc.pages[m.page_no - 1].text[m.start:m.end]
        b.add(m.page_no, m.start, m.end, "tech.text.taxonomy", surface, m.entry, lang=m.lang,
              origin="text", actor=actor)


def extract(doc: Document, tables: tuple[DocTable, ...] | list[DocTable] = ()) -> list[Candidate]:
    """Technology facts of one document: tables, then figures, catalogue entries, then text mentions."""
    b = _Builder(doc)
    _from_tables(b, tables)
    _from_figures(b)
    _from_catalogue(b)
    _from_text(b)
    return b.out


def validate(candidates: list[Candidate]) -> list[Technology]:
    """The candidates as Technology models (raises on the first invalid one): used by tests and tools."""
    return [Technology.model_validate(c.payload) for c in candidates]
