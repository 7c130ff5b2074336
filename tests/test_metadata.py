"""Metadata rules (data-integrity) and document metadata on the corpus and the seed paper."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pdfplumber
import pytest

from extractors import layout, metadata
from tests.layout_fixtures import DOC_ID, corpus_doc


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_rule_example_matches_its_rule(lang):
    rules = metadata.load_rules(lang)
    assert rules
    for rule in rules:
        assert {"id", "field", "pattern", "example", "description"} <= set(rule), rule["id"]
        m = rule["regex"].search(rule["example"])
        assert m, f"{rule['id']}: example does not match"
        assert metadata._rule_value(rule, m) is not None, rule["id"]


def test_chinese_numeral_dates():
    assert metadata.cn_number("二十四") == 24 and metadata.cn_number("十") == 10
    assert metadata.cn_number("十二") == 12 and metadata.cn_number("三") == 3


def test_work_plan_metadata():
    doc, _ = corpus_doc("zh_14th_fyp_energy_saving_emission_reduction_work_plan.pdf")
    meta = metadata.document_to_meta(doc)
    assert meta.issued_date == date(2021, 12, 28)
    assert meta.doc_number == "国发〔2021〕33号"
    assert meta.issuer == "国务院"
    assert meta.title_zh == "“十四五”节能减排综合工作方案"


def test_sci_tech_plan_metadata():
    doc, _ = corpus_doc("zh_sci_tech_support_carbon_peak_neutrality_2022_2030.pdf")
    meta = metadata.document_to_meta(doc)
    assert meta.issued_date == date(2022, 6, 24)
    assert meta.doc_number == "国科发社〔2022〕157号"
    assert meta.issuer.startswith("科技部 国家发展改革委") and meta.issuer.endswith("国家能源局")
    assert meta.title_zh == "科技支撑碳达峰碳中和实施方案（2022-2030年）"


def test_cover_dates_and_titles():
    doc, _ = corpus_doc("zh_14th_fyp_energy_tech_innovation_plan.pdf")
    meta = metadata.document_to_meta(doc)
    assert meta.published_date == date(2021, 12, 1) and meta.issued_date is None
    assert meta.title_zh == "“十四五”能源领域科技创新规划"
    doc, _ = corpus_doc("zh_jiangsu_14th_fyp_renewable_energy_plan.pdf")
    meta = metadata.document_to_meta(doc)
    assert meta.issuer == "江苏省发展改革委" and meta.published_date == date(2022, 6, 1)
    assert meta.title_zh == "江苏省“十四五”可再生能源发展专项规划"


def test_unfccc_symbol_and_date():
    doc, _ = corpus_doc("en_unfccc_ndc_synthesis_report_2023.pdf", pages=range(1, 8))
    meta = metadata.document_to_meta(doc)
    assert meta.doc_number == "FCCC/PA/CMA/2023/12"
    assert meta.issued_date == date(2023, 11, 14)
    assert meta.title_en == "Nationally determined contributions under the Paris Agreement"


def test_split_unfccc_symbol_rule():
    (rule,) = [r for r in metadata.load_rules("en") if r["id"] == "en.meta.doc_number_unfccc_split"]
    m = rule["regex"].search("FCCC\nUnited Nations /PA/CMA/2023/12\nDistr.: General")
    assert metadata._rule_value(rule, m) == "FCCC/PA/CMA/2023/12"


def test_seed_paper_metadata():
    seed = Path(__file__).parents[1] / "raw" / "seed_cas_bulletin_2022.pdf"
    if not seed.is_file():
        pytest.skip("the seed PDF has not been rendered")
    with pdfplumber.open(seed, pages=[1, 2, 3]) as pdf:
        doc, _ = layout.pdf_to_document(pdf, DOC_ID, seed.name, find_tables=lambda p, d: [])
    meta = metadata.document_to_meta(doc)
    assert meta.received_date == date(2022, 3, 29)
    assert meta.doi == "10.16418/j.issn.1000-3045.20210829001"
    assert meta.journal == "中国科学院院刊"
    assert (meta.volume, meta.issue) == ("37", "4")
    assert meta.title_zh == "国际碳中和战略行动与科技布局分析及对我国的启示建议"
