"""Rule files: every rule has id/example/description and its example matches its own rule."""

from __future__ import annotations

import re

import pytest
import yaml

from extractors.targets_rules import RULES, find_subjects, raw_rules

SECTIONS = ("kinds", "milestones", "not_targets", "cues", "milestone_context", "carry_year")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_rule_example_matches_its_pattern(lang: str) -> None:
    data = raw_rules(lang)
    ids = set()
    for section in SECTIONS:
        for rule in data.get(section, []):
            assert {"id", "pattern", "example", "description"} <= set(rule), rule
            assert rule["id"] not in ids, rule["id"]
            ids.add(rule["id"])
            assert re.search(rule["pattern"], rule["example"]), rule["id"]
    assert len(data["kinds"]) >= 5 and len(data["not_targets"]) >= 4


def test_every_subject_example_finds_its_subject() -> None:
    subjects = yaml.safe_load((RULES / "subjects.yaml").read_text(encoding="utf-8"))
    seen = set()
    for s in subjects:
        assert s["id"] not in seen and s["description"]
        seen.add(s["id"])
        found = {m.subject for m in find_subjects(s["example"].replace(" ", "") if not s["example"].isascii()
                                                  else s["example"])}
        assert s["id"] in found, (s["id"], s["example"], found)


def test_a_case_variant_lower_does_not_map_back_names_no_subject() -> None:
    """'ſolar' (long s) matches 'solar' under re.I but lower-cases to itself: no subject, and no crash."""
    from extractors.targets_rules import find_subjects

    assert [m.subject for m in find_subjects("ſolar power")] == []
    assert find_subjects("solar power") and find_subjects("solar power")[0].surface == "solar"
