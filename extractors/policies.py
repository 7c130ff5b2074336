"""Named policy documents: 《…》 titles, quoted or Title Case English titles, named programmes.

One row per policy per document (the first mention's provenance) with the mention count, the actor, the
year (from a dated clause of its sentence, a table's publication-year column, or a past year in the title)
and the reference it cites (a superscript marker from Page.markers, or an inline [12] / ⑫).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from extractors.dates import doc_year, find_dates
from extractors.dates_actor import actor_for
from extractors.dates_roles import citation_blocks, in_citation
from extractors.provenance import evidence
from extractors.sentences import BODY_KINDS, Sentence, document_sentences
from schemas.facts import DocTable
from schemas.layout import Document
from schemas.runs import Candidate

VERSION = "1.0"
KIND = "policies"
RULE_DIR = Path(__file__).parent / "rules"
_INLINE_REF = re.compile(r"^\s*(\[\d+(?:\s*[,，\-–]\s*\d+)*\]|[①-⑳㉑-㉟])")
_YEAR_HEADER = re.compile(r"年份|年度|[Yy]ear|发布时间|日期|[Dd]ate")
_ISSUING = re.compile(r"印发|颁布|发布")
_NOT_EVENT = frozenset({"by", "before", "after", "around"})


@dataclass(frozen=True)
class PolicyRule:
    id: str
    lang: str
    pattern: re.Pattern[str]
    example: str
    expect: str
    description: str


@dataclass
class Mention:
    """One mention of a policy in the text (page offsets of the whole match, title without spaces)."""

    title: str
    page_no: int
    start: int
    end: int
    rule_id: str
    actor: str | None
    year: int | None
    ref: str | None
    extra: dict[str, Any] = field(default_factory=dict)


def _expand(pattern: str, frags: dict[str, str]) -> str:
    """{name} in a rule pattern becomes its named fragment, as a group."""
    return re.sub(r"\{([a-z_]+)\}", lambda m: f"(?:{frags[m.group(1)]})", pattern)


@lru_cache(maxsize=1)
def load_rules() -> tuple[tuple[PolicyRule, ...], frozenset[str]]:
    """The policy rules of rules/{zh,en}/policies.yaml and their stop list."""
    rules: list[PolicyRule] = []
    stop: set[str] = set()
    for lang in ("zh", "en"):
        data = yaml.safe_load((RULE_DIR / lang / "policies.yaml").read_text(encoding="utf-8"))
        frags = data.get("fragments", {})
        for r in data["rules"]:
            pat = _expand(r["pattern"], frags)
            rules.append(PolicyRule(r["id"], lang, re.compile(pat), r["example"], r["expect"],
                                    r["description"]))
        stop.update(data.get("stop", []))
    return tuple(rules), frozenset(stop)


def clean_title(raw: str) -> str:
    """A title without line-break spaces inside Chinese text, with runs of spaces folded."""
    t = re.sub(r"\s+", " ", raw).strip()
    return re.sub(r"(?<=[^\x00-\x7f]) (?=\S)|(?<=\S) (?=[^\x00-\x7f])", "", t)


def find_titles(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, title, rule_id) of each policy title in text; earlier rules win overlaps."""
    rules, stop = load_rules()
    out: list[tuple[int, int, str, str]] = []
    for rule in rules:
        for m in rule.pattern.finditer(text):
            title = clean_title(m.group("title"))
            if not title or title in stop or any(title.endswith(s) for s in stop if len(s) > 1
                                                 and not s.isascii()):
                continue
            if any(m.start() < b and a < m.end() for a, b, _, _ in out):
                continue
            out.append((m.start(), m.end(), title, rule.id))
    return sorted(out)


def marker_ref(doc: Document, page_no: int, end: int) -> str | None:
    """The citation marker right after a title: a superscript from Page.markers or an inline [12]/⑫."""
    page = doc.pages[page_no - 1]
    near = [mk for mk in page.markers if end <= mk.char_offset <= end + 2]
    if near:
        return min(near, key=lambda mk: mk.char_offset).marker
    m = _INLINE_REF.match(page.text[end:end + 12])
    return m.group(1) if m else None


def sentence_year(s: Sentence, start: int, year_ref: int | None) -> int | None:
    """Year of the nearest dated clause before the title in its sentence (not a deadline)."""
    best = None
    for m in find_dates(s.text, year_ref):
        if m.start < start - s.start and m.modifier not in _NOT_EVENT and m.precision != "range":
            best = m.date_start.year
    return best


def title_year(title: str, year_ref: int | None) -> int | None:
    """A past year written in the title (《2008年气候变化法》); a future one is a goal, not a date."""
    m = re.search(r"(?<!\d)((?:19|20)\d{2})(?!\d)", title)
    if not m:
        return None
    y = int(m.group(1))
    return y if year_ref is None or y <= year_ref else None


def sentence_mentions(doc: Document, s: Sentence, year_ref: int | None,
                      cited: AbstractSet[tuple[int, int]] = frozenset()) -> Iterator[Mention]:
    """Policy mentions of one body sentence (not of a citing footnote: that names a source)."""
    if in_citation(cited, doc, s.page_no, s.start):
        return
    for a, b, title, rule_id in find_titles(s.text):
        start, end = s.start + a, s.start + b
        before = s.text[:a]
        actor = actor_for(doc, [before[-40:], s.text], s.page_no, start)
        year = sentence_year(s, start, year_ref) if s.block_kind != "table" else None
        if year is None and s.page_no == 1 and _ISSUING.search(s.text):
            year = year_ref  # the issuing notice (关于印发《…》的通知) dates the policy it issues
        yield Mention(title, s.page_no, start, end, rule_id, actor, year,
                      marker_ref(doc, s.page_no, end), {"title_year": title_year(title, year_ref)})


def table_years(doc: Document, tables: Iterable[DocTable], year_ref: int | None) -> dict[str, int]:
    """title -> year from the publication-year column of the row naming it."""
    out: dict[str, int] = {}
    for t in tables:
        heads = {c.col_no: c.text for c in t.cells if c.is_header}
        year_cols = {k for k, v in heads.items() if _YEAR_HEADER.search(v)}
        rows: dict[int, list] = {}
        for c in t.cells:
            if not c.is_header:
                rows.setdefault(c.row_no, []).append(c)
        for cells in rows.values():
            years = [m.date_start.year for c in cells if c.col_no in year_cols
                     for m in find_dates(c.text, year_ref)]
            for c in cells:
                for _, _, title, _ in find_titles(c.text):
                    if years:
                        out.setdefault(title, years[0])
    return out


def _merge(mentions: list[Mention], by_table: dict[str, int]) -> list[tuple[Mention, int, int | None]]:
    """One (first mention, count, year) per title key; the year from any mention, table, then title."""
    groups: dict[str, list[Mention]] = {}
    for m in mentions:
        groups.setdefault(re.sub(r"\W", "", m.title).lower(), []).append(m)
    out = []
    for ms in groups.values():
        first = ms[0]
        year = next((m.year for m in ms if m.year), None) or by_table.get(first.title) \
            or next((m.extra.get("title_year") for m in ms if m.extra.get("title_year")), None)
        first.ref = first.ref or next((m.ref for m in ms if m.ref), None)
        first.actor = first.actor or next((m.actor for m in ms if m.actor), None)
        out.append((first, len(ms), year))
    return out


def extract(doc: Document, tables: Iterable[DocTable] = ()) -> list[Candidate]:
    """Every named policy of the document's body text and tables, one candidate per policy."""
    tables = tuple(tables)
    year_ref = doc_year(doc)
    kinds = BODY_KINDS | {"table"}
    cited = citation_blocks(doc)
    mentions = [m for s in document_sentences(doc, kinds) for m in sentence_mentions(doc, s, year_ref, cited)]
    out: list[Candidate] = []
    for m, count, year in _merge(mentions, table_years(doc, tables, year_ref)):
        ev = evidence(doc, m.page_no, m.start, m.end, extractor="policies", rule_id=m.rule_id,
                      version=VERSION)
        payload = {**ev, "title": m.title, "actor": m.actor, "year": year, "ref": m.ref,
                   "mentions": count}
        out.append(Candidate(kind=KIND, payload=payload))
    return out


def match_key(fact: dict[str, Any]) -> tuple[Any, ...]:
    """Key fields a gold policy must agree on (matched by title): actor and year."""
    return fact.get("actor"), fact.get("year")
