"""Validate an extraction package in the parent: candidates become typed facts or kept rejections."""

from __future__ import annotations

from pydantic import ValidationError

from flows.preflight import one_line
from schemas.facts import FACT_MODELS, Evidence
from schemas.runs import Candidate, ExtractionPackage, Rejection


def candidate_to_fact(c: Candidate, package: ExtractionPackage) -> Evidence:
    """A typed fact whose quote is exactly its slice of pages.text; raises ValueError otherwise."""
    model = FACT_MODELS.get(c.kind)
    if model is None:
        raise ValueError(f"unknown fact kind {c.kind!r}")
    fact = model.model_validate(c.payload)
    pages = package.document.pages
    if not 1 <= fact.page_no <= len(pages):
        raise ValueError(f"page_no {fact.page_no} outside 1..{len(pages)}")
    if pages[fact.page_no - 1].text[fact.char_start:fact.char_end] != fact.quote:
        raise ValueError("quote is not the slice pages.text[char_start:char_end]")
    return fact


def package_to_facts(package: ExtractionPackage) -> tuple[list[Evidence], list[Rejection]]:
    """Every candidate validated; the failures kept with their reason, duplicates of one fact_id dropped."""
    facts: list[Evidence] = []
    rejections: list[Rejection] = []
    seen: set[str] = set()
    for c in package.candidates:
        try:
            fact = candidate_to_fact(c, package)
        except (ValidationError, ValueError) as e:
            rejections.append(_rejection(c, package.document.doc_id, e))
            continue
        if fact.fact_id in seen:
            rejections.append(_rejection(c, package.document.doc_id, ValueError("duplicate fact_id")))
            continue
        seen.add(fact.fact_id)
        facts.append(fact)
    return facts, rejections


def _rejection(c: Candidate, doc_id: str, e: Exception) -> Rejection:
    if isinstance(e, ValidationError):
        err = "; ".join(f"{'.'.join(map(str, x['loc'])) or 'fact'}: {x['msg']}" for x in e.errors()[:3])
    else:
        err = one_line(e)
    page = c.payload.get("page_no")
    quote = c.payload.get("quote")
    return Rejection(doc_id=doc_id, fact_kind=c.kind, payload=_jsonable(c.payload), error=err,
                     page_no=page if isinstance(page, int) else None,
                     quote=quote if isinstance(quote, str) else None)


def _jsonable(payload: dict) -> dict:
    """Payload without the bulky box list, every value JSON-safe."""
    out = {}
    for k, v in payload.items():
        if k == "boxes":
            continue
        out[k] = v if isinstance(v, (str, int, float, bool, type(None))) else str(v)
    return out
