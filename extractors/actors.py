"""Actors: find actor names in text (zh/en) and inherit them from section headings or the issuer."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

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
    alts = []
    for s in sorted(index, key=len, reverse=True):
        esc = re.escape(s)
        alts.append(rf"(?<![A-Za-z]){esc}(?![A-Za-z])" if s.isascii() else esc)
    return re.compile("|".join(alts)), index


def find_actors(text: str) -> list[ActorMention]:
    """Every actor surface in `text`, longest match first, left to right."""
    pattern, index = _surface_index()
    return [ActorMention(m.start(), m.end(), index[m.group()], m.group()) for m in pattern.finditer(text)]


def actor_of(surface: str) -> str | None:
    """The actor id of one exact surface form, or None."""
    return _surface_index()[1].get(surface)


def heading_actor(heading: str) -> str | None:
    """The actor a section heading names before its colon ('2.2 英国：…' -> GB), else None."""
    head = re.split(r"[：:]", heading, maxsplit=1)
    if len(head) < 2:
        return None
    found = find_actors(head[0])
    return found[0].actor if found else None


def section_actor(doc: Document, page_no: int, offset: int) -> str | None:
    """The actor of the nearest heading before (page_no, offset) that names one; None if none."""
    for page in reversed(doc.pages[:page_no]):
        for block in reversed(page.blocks):
            if page.page_no == page_no and block.char_start > offset:
                continue
            if block.kind == "heading":
                actor = heading_actor(block.text)
                if actor:
                    return actor
                if re.match(r"^\s*\d+\s+\S", block.text):  # a top-level section resets the actor
                    return None
    return None


def document_actor(doc: Document) -> str | None:
    """The issuer's country: CN for Chinese official documents, else from the issuer field."""
    if doc.meta.issuer:
        found = find_actors(doc.meta.issuer)
        if found:
            return found[0].actor
    return "CN" if doc.lang == "zh" else None
