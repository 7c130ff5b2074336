"""Technologies on real PDFs: the seed sample (Table 2, Figure 3) and the tech-innovation plan catalogue."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

import pytest

from extractors import technologies
from schemas.facts import Technology
from tests.conftest import ROOT, SEED_PDF, corpus_pdf
from tests.gold_technologies import GOLD, pdf_to_facts, score


@pytest.fixture(scope="module")
def seed_facts(tmp_path_factory) -> list[dict]:
    path = SEED_PDF
    if not path.is_file():  # the sample is committed; render it the same way if a checkout lacks it
        path = tmp_path_factory.mktemp("seed") / SEED_PDF.name
        subprocess.run([sys.executable, str(ROOT / "scripts" / "render_seed.py"), "--out", str(path)], check=True)
    return pdf_to_facts(path)


@pytest.fixture(scope="module")
def plan_facts() -> list[dict]:
    return pdf_to_facts(corpus_pdf("zh_14th_fyp_energy_tech_innovation_plan.pdf"))


def test_seed_table2_all_92_items_with_actors(seed_facts):
    rows = [f for f in seed_facts if f["origin"] == "table"]
    assert len(rows) == 92
    assert Counter(f["actor"] for f in rows) == {"US": 12, "EU": 13, "DE": 12, "FR": 11, "GB": 15, "JP": 14, "KR": 15}
    smr = next(f for f in rows if f["name_surface"] == "小型模块化反应堆")
    assert (smr["actor"], smr["canonical_id"], smr["quote"]) == ("US", "smr", "小型模块化反应堆")
    assert not any(f["name_surface"].endswith("等") for f in rows)
    ccus = sorted(f["char_start"] for f in rows if f["name_surface"] == "CCUS")
    assert len(ccus) == len(set(ccus)) == 4  # US, EU, FR, KR: each row's CCUS has its own span


def test_seed_figure3_items_with_group_and_horizon(seed_facts):
    items = [f for f in seed_facts if f["origin"] == "figure"]
    assert len(items) == 70
    assert len({f["group_name"] for f in items}) == 13
    fusion = next(f for f in items if f["name_surface"] == "可控核聚变")
    assert (fusion["horizon"], fusion["horizon_surface"]) == ("long", "远")
    assert fusion["group_name"] == "先进核裂变与可控核聚变安全高效利用"


def test_seed_against_gold(seed_facts):
    gold = json.loads((GOLD / "technologies_seed.json").read_text(encoding="utf-8"))
    s = score(gold, seed_facts, technologies.KEY_FIELDS)
    assert s["precision"] >= 0.98 and s["recall"] >= 0.98 and s["key_field_accuracy"] >= 0.98, s


def test_every_seed_fact_validates_and_quotes_its_span(seed_facts):
    for f in seed_facts:
        t = Technology.model_validate(f)
        assert t.quote and t.char_end > t.char_start


def test_plan_catalogue_stage_tags(plan_facts):
    cat = [f for f in plan_facts if f["rule_id"].startswith("tech.stage.")]
    assert Counter(f["stage"] for f in cat) == {"research": 53, "demonstration": 54, "deployment": 10}
    assert len({(f["page_no"], f["char_start"]) for f in cat}) == 93
    gold = json.loads((GOLD / "technologies_tech_innovation.json").read_text(encoding="utf-8"))
    s = score(gold, plan_facts, technologies.KEY_FIELDS)
    assert s["precision"] >= 0.97 and s["recall"] >= 0.97 and s["key_field_accuracy"] >= 0.97, s


def test_plan_boxes_are_not_technology_tables(plan_facts):
    assert not any(f["origin"] == "table" for f in plan_facts)
    text = [f for f in plan_facts if f["rule_id"] == "tech.text.taxonomy"]
    per_sentence = Counter((f["page_no"], f["char_start"], f["canonical_id"]) for f in text)
    assert max(per_sentence.values()) == 1
    assert all(f["canonical_id"] for f in text)
