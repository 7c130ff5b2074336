"""Targets: every quantified or time-bound goal of a document, typed, grounded and keyed (CONTRACT.md).

Finding and resolving live in targets_text (squeeze, years, values), targets_find (one sentence ->
TextTarget) and targets_rules (YAML rules, subjects); this module walks the document: sentences,
table cells and indicator tables, fills in actors (sentence, table row, section, issuer), links each
deadline to its policy_dates fact and builds the payloads.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from typing import Any

from extractors.actors import document_actor, find_actors, government_of, load_actors, section_actor
from extractors.dates import date_fact_id, doc_year, find_dates, locate_cell
from extractors.memo import per_document
from extractors.places import city_surface, issuer_place
from extractors.provenance import evidence, text_lang
from extractors.sentences import BODY_KINDS, Sentence, document_sentences
from extractors.tables import table_to_targets_rows
from extractors.targets_find import TextTarget, find_targets
from extractors.targets_rules import classify, subject_of, vetoed
from extractors.targets_scope import Scope, ScopeTracker
from extractors.targets_text import find_values, squeeze
from schemas.facts import DocTable, TableCell
from schemas.layout import Document
from schemas.runs import Candidate

VERSION = "1.0"
KIND = "targets"
EXTRACTOR = "targets"
KEY_FIELDS: tuple[str, ...] = ("actor", "kind", "subject", "value", "value_max", "unit", "qualifier",
                               "baseline_year", "start_year", "target_year", "deadline_type")
"""The fields the evaluator scores one by one on a matched target (same page, overlapping quote)."""

_GOALS_BY = re.compile(r"(?i)\b(?:these|both|the)\b[^.]{0,30}\b(?:goals|targets)\b[^.]{0,60}?\bby (\d{4})")
_UN_SYMBOL = re.compile(r"^(?:FCCC|A|E|S|UNEP|ST)/[A-Z]")
_STANDALONE = re.compile(r"^[\W*]*(\S{1,16}?)[。.：:]?[\W*]*$")

__all__ = ["VERSION", "KEY_FIELDS", "extract", "find_targets", "target_key"]


def target_key(actor: str | None, kind: str, subject: str | None, value: float | None,
               unit: str | None, target_year: int | None) -> str:
    """Groups repeats of one target in a document (EU climate neutrality 2050, stated three times)."""
    key = f"{actor}|{kind}|{subject}|{value}|{unit}|{target_year}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def extract(doc: Document, tables: Iterable[DocTable] = ()) -> list[Candidate]:
    """Every target of the body text, table cells and indicator tables as `targets` candidates."""
    tables = tuple(tables)
    plan = _plan_period(doc)
    found: list[dict[str, Any]] = []
    used: set[tuple[int, int, int]] = set()
    for t in tables:
        found.extend(_indicator_targets(doc, t, used))
        found.extend(_cell_targets(doc, t, used, plan))
    found.extend(_sentence_targets(doc, {c.page_no for t in tables for c in t.cells}, plan))
    found.sort(key=lambda p: (p["page_no"], p["char_start"], p["ordinal"]))
    return [Candidate(kind=KIND, payload=p) for p in found]


def _plan_period(doc: Document) -> tuple[int, int] | None:
    """A 十四五 plan's period (2021, 2025), for cumulative cuts that state no year."""
    head = (doc.meta.title_zh or "") + "".join(p.text[:400] for p in doc.pages[:3]) + doc.file_name
    return (2021, 2025) if "十四五" in head or "14th_fyp" in head else None


# ---------------------------------------------------------------- body sentences

def _sentence_targets(doc: Document, table_pages: set[int], plan: tuple[int, int] | None) -> Iterator[dict]:
    carry: str | None = None
    last: list[dict[str, Any]] = []
    lead_vetoed = False
    ref = doc_year(doc)
    scopes = ScopeTracker(doc.doc_id, ref)
    for s in joined_sentences(doc):
        if s.block_kind == "table" and s.page_no in table_pages:
            continue
        if s.block_kind == "heading":
            carry = None
        lone = _standalone_actor(s.text)
        if lone:
            carry = lone
            continue
        lang = text_lang(s.text, doc.lang)
        if lead_vetoed and _LIST_ITEM.match(s.text):
            continue  # '(a) In 2025, 55.2 per cent higher than in 1990' under '…are estimated to be:'
        lead_vetoed = s.text.rstrip().endswith((":", "：")) and vetoed(lang, {"sentence": s.text}) is not None
        scope = scopes.enter(s)
        found = find_targets(s.text, lang, _last_year(last), (scope.year, scope.deadline) if scope else None)
        if not found and last:
            _apply_goals_by(s.text, last)
        fallback = fallback_actor(doc, s.page_no, s.start, carry)
        last = [p for t in found for p in _payloads(doc, s.page_no, s.start, s.text, t, fallback, lang,
                                                     plan, ref, scope) if not _past_fact(p, lang, ref)]
        yield from last


_LIST_ITEM = re.compile(r"^\s*(?:\([a-z]{1,3}\)|[a-z]\)|[-•–])\s")
"""An item of a list run into its lead-in sentence: (a), (iv), b), a bullet."""


def _last_year(last: list[dict[str, Any]]) -> tuple[int, str] | None:
    """The (target year, deadline type) of the previous sentence's last dated target, for an update to carry."""
    dated = [p for p in last if p["target_year"] is not None]
    return (dated[-1]["target_year"], dated[-1]["deadline_type"] or "in") if dated else None


def _past_fact(p: dict[str, Any], lang: str, ref: int | None) -> bool:
    """'2.4 per cent of generation in 2021' in a 2023 report is a statistic: English 'in YEAR' before the document."""
    return (lang == "en" and ref is not None and p["deadline_type"] == "in" and p["target_year"] is not None
            and p["start_year"] is None and p["target_year"] < ref)


_OPEN_END = re.compile(r"[^。！？；.!?;:：]$")


def joined_sentences(doc: Document) -> Iterator[Sentence]:
    """Body sentences, with a paragraph the layout cut mid-sentence joined to the next one on its page."""
    kinds = (BODY_KINDS - {"footnote"}) | {"table"}
    pending: Sentence | None = None
    for s in document_sentences(doc, kinds):
        if (pending is not None and s.page_no == pending.page_no and s.block_kind == pending.block_kind == "paragraph"
                and not re.match(r"[①-⑳\[]", s.text) and text_lang(s.text, doc.lang) == text_lang(pending.text)):
            text = doc.pages[s.page_no - 1].text[pending.start:s.end]
            s = Sentence(s.page_no, pending.start, s.end, text, s.block_kind)
        elif pending is not None:
            yield pending
        pending = None
        if s.block_kind == "paragraph" and _OPEN_END.search(s.text) and len(s.text) < 400:
            pending = s
            continue
        yield s
    if pending is not None:
        yield pending


def _is_place(actor: str) -> bool:
    return len(actor) == 2 or "-" in actor or actor in ("EU", "GLOBAL")


def fallback_actor(doc: Document, page_no: int, offset: int,
                   named: str | None = None) -> tuple[str | None, str | None]:
    """(actor, surface) of a target whose words name no actor: the one named just before it (`named`),
    its section's, else the document's issuer (a city issuer: its province, the city as surface)."""
    actor = named or section_actor(doc, page_no, offset)
    if actor:
        return government_of(actor), None
    place = issuer_place(doc)
    return issuer_country(doc), (city_surface(place) or place.surface) if place else None


@per_document
def issuer_country(doc: Document) -> str | None:
    """The issuer's country or province (CONTRACT.md), not the ministry: 科技部 -> CN, 江苏省发展改革委 -> CN-JS."""
    place = issuer_place(doc)
    if place is not None:
        return place.province
    if doc.meta.issuer:
        for a in load_actors():
            if isinstance(a["id"], str) and _is_place(a["id"]) and any(s and s in doc.meta.issuer for s in [a["zh"], *a.get("synonyms", [])]):
                return a["id"]
    actor = document_actor(doc)
    if actor and _is_place(actor):
        return actor
    if _UN_SYMBOL.match(doc.meta.doc_number or ""):
        return "GLOBAL"  # a UN document (FCCC/PA/CMA/2023/12) speaks of the world, not of one country
    return "CN" if doc.lang == "zh" else title_actor(doc)


def title_actor(doc: Document) -> str | None:
    """A country annex titled just 'Germany': the first heading of page 1 when it is an actor's name."""
    if not doc.pages:
        return None
    heads = [b for b in doc.pages[0].blocks if b.kind == "heading"]
    return _standalone_actor(heads[0].text) if heads else None


def _standalone_actor(text: str) -> str | None:
    """'日本。' alone (a run-in paragraph head) names the actor of what follows in its section."""
    m = _STANDALONE.match(text.strip())
    if not m:
        return None
    found = find_actors(m.group(1))
    return found[0].actor if len(found) == 1 and found[0].surface == m.group(1) else None


def _apply_goals_by(text: str, last: list[dict[str, Any]]) -> None:
    """'Both of these goals are to be achieved by 2030.' dates the previous sentence's yearless targets."""
    m = _GOALS_BY.search(text)
    if not m:
        return
    for p in last:
        if p["target_year"] is None:
            p["target_year"], p["deadline_type"] = int(m.group(1)), "by"
            p["target_key"] = _key_of(p)


# ---------------------------------------------------------------- tables

def _row_actor(table: DocTable, row_no: int) -> str | None:
    """The actor named by a table row's first cell (国家/地区 column: 欧盟, 英国 ...)."""
    for c in table.cells:
        if c.row_no <= row_no < c.row_no + c.row_span and c.col_no == 0 and not c.is_header:
            found = find_actors(c.text)
            return found[0].actor if found else None
    return None


def locate(page_text: str, text: str, lo: int = 0) -> tuple[int, int] | None:
    """Page offsets of `text` (its first 400 non-space chars), whitespace-flexible, from `lo` then the whole page."""
    needle = "".join(c for c in text if not c.isspace())[:400]
    return locate_cell(page_text, needle, lo, len(page_text))  # no regex per cell: a find in the ink copy


def _cell_targets(doc: Document, table: DocTable, used: set, plan: tuple[int, int] | None) -> Iterator[dict]:
    """Targets written inside table cells (the seed's Table 1), with the row's actor."""
    ref = doc_year(doc)
    for cell in sorted(table.cells, key=lambda c: (c.page_no, c.row_no, c.col_no)):
        if cell.is_header or (cell.page_no, cell.row_no, cell.col_no) in used or cell.page_no > len(doc.pages):
            continue
        page = doc.pages[cell.page_no - 1]
        span = locate(page.text, cell.text)
        if span is None:
            continue
        text = page.text[span[0]:span[1]]
        lang = text_lang(text, doc.lang)
        fallback = fallback_actor(doc, cell.page_no, span[0], _row_actor(table, cell.row_no))
        for t in find_targets(text, lang):
            yield from _payloads(doc, cell.page_no, span[0], text, t, fallback, lang, plan, ref)


def _indicator_targets(doc: Document, table: DocTable, used: set) -> Iterator[dict]:
    """One target per row of an indicator table (指标 / 单位 / 2020年 / 2025年), the target cell as quote."""
    try:
        rows = table_to_targets_rows(table)
    except Exception:  # a malformed table must not cost the document its other targets
        return
    for row in rows:
        p = _indicator_payload(doc, table, row)
        if p is not None:
            cell: TableCell = row["cell"]
            used.add((cell.page_no, cell.row_no, cell.col_no))
            yield p


def _indicator_payload(doc: Document, table: DocTable, row: dict[str, Any]) -> dict[str, Any] | None:
    cell: TableCell = row["cell"]
    raw = str(row.get("target_value") or "")
    unit = str(row.get("unit") or "")
    vals = find_values(squeeze(raw if re.search(r"[^\d.,\s～~\-—]", raw) else f"{raw}{unit}"))
    if not vals:
        return None
    v = vals[0]
    ev = _cell_evidence(doc, table, cell)
    indicator = re.sub(r"\s+", "", str(row.get("indicator") or ""))
    kind, rule = classify(doc.lang, v.unit_class, [indicator])
    actor, surface = fallback_actor(doc, cell.page_no, ev["char_start"])
    p = {**ev, "rule_id": rule or "table.indicator", "actor": actor, "actor_surface": surface, "kind": kind,
         "subject": subject_of(indicator), "subject_surface": indicator or None, "value": v.value,
         "value_max": v.value_max, "unit": v.unit, "unit_surface": v.unit_surface, "qualifier": v.qualifier,
         "baseline_year": row.get("base_year"), "start_year": None, "target_year": row.get("target_year"),
         "deadline_type": "in" if row.get("target_year") else None, "period_years": None,
         "date_fact_id": None, "confidence": 0.8}
    p["target_key"] = _key_of(p)
    return p


def _cell_evidence(doc: Document, table: DocTable, cell: TableCell) -> dict[str, Any]:
    """Evidence of a table cell: its text in the page if found, else the cell box over the table block."""
    page = doc.pages[cell.page_no - 1]
    blocks = [b for b in page.blocks if b.kind == "table"]
    lo = blocks[0].char_start if blocks else 0
    span = locate(page.text, cell.text, lo)
    if span is not None:
        return evidence(doc, cell.page_no, span[0], span[1], extractor=EXTRACTOR, rule_id="table.indicator",
                        version=VERSION, lang=doc.lang)
    a, z = (blocks[0].char_start, blocks[0].char_end) if blocks else (0, 0)
    box = {"page_no": cell.page_no, "x0": cell.x0, "top": cell.top, "x1": cell.x1, "bottom": cell.bottom}
    return {"doc_id": doc.doc_id, "page_no": cell.page_no, "char_start": a, "char_end": z,
            "quote": page.text[a:z], "x0": cell.x0, "top": cell.top, "x1": cell.x1, "bottom": cell.bottom,
            "lang": doc.lang, "extractor": EXTRACTOR, "rule_id": "table.indicator",
            "extractor_version": VERSION, "ordinal": 0, "boxes": [box]}


# ---------------------------------------------------------------- payloads

def _payloads(doc: Document, page_no: int, base: int, text: str, t: TextTarget,
              fallback: tuple[str | None, str | None],
              lang: str, plan: tuple[int, int] | None, ref: int | None,
              scope: Scope | None = None) -> Iterator[dict[str, Any]]:
    """One payload per actor of a TextTarget ('日本和韩国…' gives two), ordinals on the same span."""
    named: dict[str | None, str | None] = {}
    for a in t.actors:
        named.setdefault(government_of(a.actor), a.surface)
    actors = list(named.items()) or [fallback]
    dfid = _date_fact_id(doc, page_no, base, text, t, ref)
    if t.extras.get("year_from") == "scope" and scope is not None:
        dfid = scope.date_fact_id  # the year came from the lead sentence: its date fact says where
    ty, sy, dl = t.target_year, t.start_year, t.deadline_type
    if ty is None and plan and lang == "zh" and t.kind not in ("investment", "temperature_limit"):
        sy, ty, dl = plan[0], plan[1], "in"
    for k, (actor, surface) in enumerate(actors):
        ev = evidence(doc, page_no, base + t.start, base + t.end, extractor=EXTRACTOR, rule_id=t.rule_id,
                      version=VERSION, ordinal=t.ordinal * len(actors) + k, lang=lang)
        p = {**ev, "actor": actor, "actor_surface": surface, "kind": t.kind, "subject": t.subject,
             "subject_surface": t.subject_surface, "value": t.value, "value_max": t.value_max,
             "unit": t.unit, "unit_surface": t.unit_surface, "qualifier": t.qualifier,
             "baseline_year": t.baseline_year, "start_year": sy, "target_year": ty, "deadline_type": dl,
             "period_years": t.period_years, "date_fact_id": dfid,
             "confidence": round(t.confidence - (0 if named else 0.1), 2)}
        p["target_key"] = _key_of(p)
        yield p


def _key_of(p: dict[str, Any]) -> str:
    return target_key(p["actor"], p["kind"], p["subject"], p["value"], p["unit"], p["target_year"])


def _date_fact_id(doc: Document, page_no: int, base: int, text: str, t: TextTarget,
                  ref: int | None) -> str | None:
    """The policy_dates fact of this target's deadline: the find_dates match over the same words."""
    if t.year_span is None:
        return None
    a, z = t.year_span
    for m in find_dates(text, ref):
        if m.start < z and a < m.end:
            return date_fact_id(doc.doc_id, page_no, base + m.start, base + m.end)
    return None
