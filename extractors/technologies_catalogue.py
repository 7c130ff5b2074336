"""Numbered technology catalogues '（n）名称' whose entries carry stage tags [集中攻关] [示范试验] [应用推广]."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from extractors.nlp import load_rules
from extractors.technologies_lines import Line, document_lines
from schemas.layout import Document


@dataclass
class CatalogueEntry:
    """One catalogue entry: its title span(s) on its page and the stage tags of its body, in order."""

    page_no: int
    start: int
    end: int
    number: int
    title: str
    stages: list[tuple[str, str]] = field(default_factory=list)  # (code, rule id)


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    rules = load_rules("technologies", "zh")
    pats = {r["id"]: re.compile(r["pattern"]) for r in rules["patterns"]}
    for r in rules["stages"]:
        pats[r["id"]] = re.compile(r["pattern"])
    return pats


@lru_cache(maxsize=1)
def _stage_rules() -> tuple[tuple[str, str, re.Pattern[str]], ...]:
    return tuple((r["id"], r["code"], re.compile(r["pattern"])) for r in load_rules("technologies", "zh")["stages"])


def _starts_with_tag(text: str) -> bool:
    return any(p.match(text.lstrip()) for _, _, p in _stage_rules())


def _title_end(lines: list[Line], i: int) -> int:
    """Index of the last title line: a wrapped title runs on until the first tag line (at most 2 more)."""
    last = i
    for j in range(i + 1, min(i + 4, len(lines))):
        text = lines[j].text
        if _patterns()["tech.catalogue.subscript_line"].match(text):
            continue
        if _starts_with_tag(text):
            return last
        if _patterns()["tech.catalogue.entry"].match(text) or j - i > 2:
            return i
        last = j
    return i


def _tags(text: str) -> list[tuple[int, str, str]]:
    found = [(m.start(), code, rid) for rid, code, p in _stage_rules() for m in p.finditer(text)]
    return sorted(found)


def document_entries(doc: Document) -> list[CatalogueEntry]:
    """Catalogue entries with at least one stage tag, in reading order (numbering may restart)."""
    entries: list[CatalogueEntry] = []
    current: CatalogueEntry | None = None
    for page, lines in zip(doc.pages, document_lines(doc), strict=True):
        i = 0
        while i < len(lines):
            line = lines[i]
            m = _patterns()["tech.catalogue.entry"].match(line.text)
            if m and not _starts_with_tag(m.group("title")):
                last = _title_end(lines, i)
                start = line.start + m.start("title")
                current = CatalogueEntry(page.page_no, start, lines[last].end, int(m.group("num")),
                                         page.text[start:lines[last].end])
                entries.append(current)
                i = last + 1
                continue
            if _patterns()["tech.catalogue.section_end"].match(line.text):
                current = None
            elif current is not None:
                for _, code, rid in _tags(line.text):
                    if code not in (s for s, _ in current.stages):
                        current.stages.append((code, rid))
            i += 1
    return [e for e in entries if e.stages]
