"""Dates and policies on the two Chinese corpus documents, through the real layout, against the gold files."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

import pdfplumber
import pytest
from conftest import corpus_pdf

from extractors import dates, layout, policies
from schemas.facts import DateFact, Policy

GOLD = Path(__file__).parent / "gold"
DOCS = {
    "zh_14th_fyp_energy_saving_emission_reduction_work_plan.pdf": ("zh_14th_fyp_work_plan", "2021-12-28"),
    "zh_sci_tech_support_carbon_peak_neutrality_2022_2030.pdf": ("zh_sci_tech_2022_2030", "2022-06-24"),
}


@lru_cache(maxsize=4)
def _extract(name: str) -> tuple[list[DateFact], list[Policy], str]:
    path = corpus_pdf(name)
    doc_id = hashlib.sha256(path.read_bytes()).hexdigest()
    with pdfplumber.open(path) as pdf:
        doc, tables = layout.pdf_to_document(pdf, doc_id, name)
    ds = [DateFact(**c.payload) for c in dates.extract(doc, tables)]
    ps = [Policy(**c.payload) for c in policies.extract(doc, tables)]
    return ds, ps, doc_id


def _overlap(a: dict, f: DateFact) -> bool:
    q = a["quote"]
    return a["page_no"] == f.page_no and (q in f.quote or f.quote in q)


@pytest.mark.parametrize("name", sorted(DOCS))
def test_issuing_date(name: str) -> None:
    ds, _, _ = _extract(name)
    issued = [f.iso for f in ds if f.role == "issued"]
    assert issued == [DOCS[name][1]]


@pytest.mark.parametrize("name", sorted(DOCS))
def test_dates_against_gold(name: str) -> None:
    ds, _, doc_id = _extract(name)
    gold = json.loads((GOLD / f"dates_{DOCS[name][0]}.json").read_text(encoding="utf-8"))
    assert gold["doc_id"] == doc_id
    hits = sum(1 for g in gold["facts"]["policy_dates"]
               if any(_overlap(g, f) and dates.match_key(g) == (f.iso, f.role) for f in ds))
    recall = hits / len(gold["facts"]["policy_dates"])
    precision = hits / len(ds)
    print(f"{name}: dates precision {precision:.2f} recall {recall:.2f}")
    assert recall >= 0.9 and precision >= 0.9


@pytest.mark.parametrize("name", sorted(DOCS))
def test_policies_against_gold(name: str) -> None:
    _, ps, _ = _extract(name)
    gold = json.loads((GOLD / f"policies_{DOCS[name][0]}.json").read_text(encoding="utf-8"))
    got = {p.title: (p.actor, p.year) for p in ps}
    for g in gold["facts"]["policies"]:
        assert got.get(g["title"]) == policies.match_key(g), g


def test_to_2025_split_over_a_line_is_one_date() -> None:
    ds, _, _ = _extract("zh_sci_tech_support_carbon_peak_neutrality_2022_2030.pdf")
    assert any(f.page_no == 6 and f.iso == "2030" and f.role == "target" and f.quote.startswith("到")
               and f.quote.rstrip().endswith("年") for f in ds)
