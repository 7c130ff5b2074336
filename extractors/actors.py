"""Actors: find actor names in text (zh/en) and inherit them from section headings or the issuer."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from extractors.fastre import literal_alternation
from extractors.memo import per_document
from extractors.places import place_surfaces
from schemas.layout import Document

RULES = Path(__file__).parent / "rules" / "actors.yaml"


@dataclass(frozen=True)
class ActorMention:
    start: int
    end: int
    actor: str
    surface: str


@lru_cache(maxsize=1)
def load_actors() -> tuple[dict, ...]:
    """The reviewed actor list from rules/actors.yaml."""
    return tuple(yaml.safe_load(RULES.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def _surface_index() -> tuple[re.Pattern[str], dict[str, str]]:
    """One alternation of every surface form, longest first, and a surface -> id map."""
    index: dict[str, str] = {}
    for a in load_actors():
        for s in [a["zh"], a["en"], *a.get("synonyms", [])]:
            index.setdefault(s, a["id"])
    for surface, province in place_surfaces().items():
        index.setdefault(surface, province)
    return literal_alternation(sorted(index, key=len, reverse=True), "A-Za-z"), index


def find_actors(text: str) -> list[ActorMention]:
    """Every actor surface in `text`, longest match first, left to right."""
    pattern, index = _surface_index()
    return [ActorMention(m.start(), m.end(), index[m.group()], m.group()) for m in pattern.finditer(text)]


@lru_cache(maxsize=1)
def _within() -> dict[str, str]:
    return {a["id"]: a["within"] for a in load_actors() if a.get("within")}


def government_of(actor: str | None) -> str | None:
    """The country or province a government body belongs to (MIIT -> CN, JSDRC -> CN-JS); else the actor."""
    return _within().get(actor, actor) if actor else actor


def actor_of(surface: str) -> str | None:
    """The actor id of one exact surface form, or None."""
    return _surface_index()[1].get(surface)


_COLON = re.compile(r"[：:]")
_TOP_SECTION = re.compile(r"^\s*\d+\s+\S")
_RESET = ""
"""A heading's verdict when it opens a top-level section that names no actor: the actor is reset."""


@lru_cache(maxsize=4096)
def heading_actor(heading: str) -> str | None:
    """The actor a section heading names before its colon ('2.2 英国：…' -> GB), else None."""
    head = _COLON.split(heading, maxsplit=1)
    if len(head) < 2:
        return None
    found = find_actors(head[0])
    return found[0].actor if found else None


def _heading_verdict(text: str) -> str | None:
    """The actor a heading names, _RESET for a top-level section heading, None when it decides nothing."""
    actor = heading_actor(text)
    if actor:
        return actor
    return _RESET if _TOP_SECTION.match(text) else None


@dataclass(frozen=True)
class _Headings:
    """Per page (by index): (char_start, verdict) of its deciding headings in block order, the verdict
    of its last one, and the verdict in force when it starts (from the pages before it)."""

    decided: tuple[tuple[tuple[int, str], ...], ...]
    last: tuple[str | None, ...]
    inherited: tuple[str | None, ...]


@per_document
def _document_headings(doc: Document) -> _Headings:
    """The deciding headings of every page, read once per document (section_actor runs per fact)."""
    decided = tuple(tuple((b.char_start, v) for b in page.blocks if b.kind == "heading"
                          and (v := _heading_verdict(b.text)) is not None) for page in doc.pages)
    last = tuple(d[-1][1] if d else None for d in decided)
    inherited: list[str | None] = [None]
    for verdict in last[:-1]:
        inherited.append(verdict if verdict is not None else inherited[-1])
    return _Headings(decided, last, tuple(inherited))


def section_actor(doc: Document, page_no: int, offset: int) -> str | None:
    """The actor of the nearest heading before (page_no, offset) that names one; None if none."""
    h = _document_headings(doc)
    if 1 <= page_no <= len(doc.pages) and doc.pages[page_no - 1].page_no == page_no:
        verdict = next((v for start, v in reversed(h.decided[page_no - 1]) if start <= offset),
                       h.inherited[page_no - 1])
        return verdict or None
    # pages numbered out of order: walk back page by page
    for page, decided, last in zip(reversed(doc.pages[:page_no]), reversed(h.decided[:page_no]),
                                   reversed(h.last[:page_no]), strict=True):
        if page.page_no == page_no:
            last = next((v for start, v in reversed(decided) if start <= offset), None)
        if last is not None:
            return last or None
    return None


def document_actor(doc: Document) -> str | None:
    """The issuer's country: CN for Chinese official documents, else from the issuer field."""
    if doc.meta.issuer:
        found = find_actors(doc.meta.issuer)
        if found:
            return found[0].actor
    return "CN" if doc.lang == "zh" else None
