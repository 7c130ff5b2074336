"""The technology taxonomy and the technology cue rules are reviewed data: check their integrity."""

from __future__ import annotations

import re
from collections import defaultdict

from extractors.nlp import load_rules
from extractors.technologies_taxonomy import CATEGORIES, load_taxonomy, lookup, normalise

KEYS = {"id", "name_en", "name_zh", "synonyms_en", "synonyms_zh", "category", "sector", "example", "text"}


def test_at_least_200_entries_with_known_keys_only():
    raw = load_rules("technologies")
    assert len(raw) >= 200
    assert [e["id"] for e in raw if set(e) - KEYS] == []  # an unquoted comma in flow YAML adds a key


def test_ids_unique_and_both_names_present():
    ids = [e.id for e in load_taxonomy()]
    assert len(ids) == len(set(ids))
    for e in load_taxonomy():
        assert re.fullmatch(r"[a-z0-9_]+", e.id), e.id
        assert e.name_en.strip() and e.name_zh.strip(), e.id
        assert re.search(r"[\u4e00-\u9fff]", e.name_zh), e.id


def test_every_surface_maps_to_exactly_one_id():
    owners: dict[str, set[str]] = defaultdict(set)
    for e in load_taxonomy():
        for s in e.surfaces():
            owners[normalise(s)].add(e.id)
    clashes = {s: ids for s, ids in owners.items() if len(ids) > 1}
    assert clashes == {}


def test_category_valid_and_sector_set():
    for e in load_taxonomy():
        assert e.category in CATEGORIES, e.id
        assert re.fullmatch(r"[a-z_]+", e.sector), e.id
    assert {e.category for e in load_taxonomy()} == CATEGORIES


def test_each_example_names_its_entry():
    for e in load_taxonomy():
        ex = normalise(e.example)
        assert any(normalise(s) in ex for s in e.surfaces()), (e.id, e.example)


def test_lookup_of_names_and_the_issue_synonyms():
    assert lookup("CCUS").id == lookup("碳捕集利用与封存").id == "ccus"
    assert lookup("carbon capture, utilisation and storage").id == "ccus"
    assert lookup("绿氢").id == lookup("green hydrogen").id == "green_hydrogen"
    assert lookup("SMR").id == lookup("小型模块化反应堆").id == "smr"
    assert lookup("CO<sub>2</sub> 捕集").id == "carbon_capture"
    assert lookup("某种不存在的东西") is None


def test_cue_rule_examples_match_their_rules():
    rules = load_rules("technologies", "zh")
    for section in ("horizons", "stages", "patterns"):
        for r in rules[section]:
            assert {"id", "pattern", "example", "description"} <= set(r), r
            assert re.search(r["pattern"], r["example"], re.M), r["id"]
