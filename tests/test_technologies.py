"""Technology extraction on strings and on a small PDF rendered with reportlab's STSong-Light."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pdfplumber
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from extractors import layout, tables, technologies
from extractors.technologies_figures import horizon_code, split_heading
from extractors.technologies_tables import split_items
from extractors.technologies_taxonomy import find_en, find_zh
from schemas.facts import Technology


def test_split_items_drops_trailing_etc_and_joins_wrapped_lines():
    assert split_items("小型模块化反应堆、核聚变、绿氢、CCUS、气候智能\n型农业等") == [
        "小型模块化反应堆", "核聚变", "绿氢", "CCUS", "气候智能型农业"]
    assert split_items("Heat pumps；氢能，300 GW") == ["Heat pumps", "氢能"]  # numbers are not items


@pytest.mark.parametrize("label,code", [("近", "near"), ("近-中", "near_medium"), ("中", "medium"),
                                        ("中-远", "medium_long"), ("远", "long"), ("中 — 远", "medium_long")])
def test_horizon_codes(label, code):
    assert horizon_code(label) == code


def test_split_heading_glued_to_first_item():
    assert split_heading("先进核裂变与可控核聚变安全高效利用先进核燃料循环系统") == (
        "先进核裂变与可控核聚变安全高效利用", "先进核燃料循环系统")
    assert split_heading("太阳能高效转化利用") == (None, "太阳能高效转化利用")


def test_find_zh_longest_match_and_spaces_inside_terms():
    text = "重点布局小型模块化反应堆、CCUS 和 CO 2 捕集，以及储能技术"
    found = [(text[m.start:m.end], m.entry.id) for m in find_zh(text)]
    assert ("小型模块化反应堆", "smr") in found
    assert ("CCUS", "ccus") in found
    assert ("CO 2 捕集", "carbon_capture") in found
    assert ("储能技术", "energy_storage") in found


def test_find_en_phrases_acronyms_and_plurals():
    text = "The UK backs offshore wind, SMRs and heat pump roll-out; CCS and a heat network."
    found = {(text[m.start:m.end], m.entry.id) for m in find_en(text)}
    assert ("offshore wind", "offshore_wind") in found
    assert ("SMRs", "smr") in found
    assert ("heat pump", "heat_pumps") in found
    assert ("CCS", "ccus") in found
    assert ("heat network", "heat_networks") in found
    assert not any(m.entry.id == "wind_power" for m in find_en(text))  # longest match wins


def _render(path: Path) -> None:
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=A4)
    y = 780
    lines = [
        ("STSong-Light", "美国重点布局小型模块化反应堆、绿氢和CCUS等技术。"),
        ("STSong-Light", "1.水能发电技术"),
        ("STSong-Light", "（1）水电基地可再生能源协同开发运行关键技术"),
        ("STSong-Light", "[集中攻关]研发流域梯级水电站联合调度技术。"),
        ("STSong-Light", "[示范试验]研发并示范多能互补协调控制技术。"),
        ("STSong-Light", "（2）某种新的未收录技术"),
        ("STSong-Light", "[应用推广]推广应用。"),
        ("STSong-Light", "（3）不带标签的条目"),
        ("Helvetica", "Germany plans heat pumps and green hydrogen for industry."),
    ]
    for font, text in lines:
        c.setFont(font, 11)
        c.drawString(60, y, text)
        y -= 22
    c.showPage()
    c.save()


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> list[Technology]:
    path = tmp_path_factory.mktemp("tech") / "tech.pdf"
    _render(path)
    with pdfplumber.open(path) as pdf:
        doc, found = layout.pdf_to_document(pdf, hashlib.sha256(path.read_bytes()).hexdigest(), path.name)
    cands = technologies.extract(doc, tuple(tables.finalize(doc, found)))
    assert all(c.kind == "technologies" for c in cands)
    return technologies.validate(cands)


def test_catalogue_entries_get_one_fact_per_stage(rendered):
    cat = [(f.name_surface, f.stage, f.canonical_id) for f in rendered if f.rule_id.startswith("tech.stage.")]
    assert cat == [
        ("水电基地可再生能源协同开发运行关键技术", "research", "hydro_base_coordination"),
        ("水电基地可再生能源协同开发运行关键技术", "demonstration", "hydro_base_coordination"),
        ("某种新的未收录技术", "deployment", None),  # not in the taxonomy: kept, canonical_id null
    ]
    first = [f for f in rendered if f.stage == "research"][0]
    assert first.quote == first.name_surface and first.x1 > first.x0 > 0


def test_text_mentions_with_actor_and_dedupe(rendered):
    text = [f for f in rendered if f.rule_id == "tech.text.taxonomy"]
    zh = {(f.canonical_id, f.actor) for f in text if f.lang == "zh"}
    assert {("smr", "US"), ("green_hydrogen", "US"), ("ccus", "US")} <= zh
    en = {(f.canonical_id, f.actor) for f in text if f.lang == "en"}
    assert {("heat_pumps", "DE"), ("green_hydrogen", "DE")} <= en
    assert not any(f.name_surface == "水电基地可再生能源协同开发运行关键技术" for f in text)  # claimed
    keys = [(f.page_no, f.char_start, f.canonical_id) for f in text]
    assert len(keys) == len(set(keys))
    assert all(f.quote == f.name_surface for f in text)
