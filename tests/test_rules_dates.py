"""Rules are data: every date, role and policy rule's example matches its own rule and resolves as stated."""

from __future__ import annotations

import pytest

from extractors.dates_find import find_dates, load_rules
from extractors.dates_resolve import resolve
from extractors.dates_roles import load_role_rules
from extractors.policies import load_rules as load_policy_rules

DATE_RULES = load_rules()


@pytest.mark.parametrize("rule", DATE_RULES, ids=[r.id for r in DATE_RULES])
def test_date_rule_example_matches_its_own_rule(rule) -> None:
    from extractors.dates_find import compact
    ctext, _ = compact(rule.example)
    m = rule.pattern.search(ctext)
    assert m is not None, f"{rule.id}: example {rule.example!r} does not match"
    res = resolve(m.groupdict(), rule.fixed, rule.ref_year)
    assert res is not None and res[0] == rule.expect, (rule.id, res)
    assert rule.description.strip()


@pytest.mark.parametrize("rule", DATE_RULES, ids=[r.id for r in DATE_RULES])
def test_date_rule_example_found_by_finder(rule) -> None:
    isos = [m.iso for m in find_dates(rule.example, rule.ref_year)]
    assert rule.expect in isos, (rule.id, isos)


def test_date_rule_ids_unique() -> None:
    ids = [r.id for r in DATE_RULES]
    assert len(ids) == len(set(ids))


ROLE_RULES = load_role_rules()


@pytest.mark.parametrize("rule", ROLE_RULES, ids=[r.id for r in ROLE_RULES])
def test_role_rule_example_contains_a_cue(rule) -> None:
    assert rule.pattern.search(rule.example), rule.id
    assert rule.role in {"event", "target", "publication", "issued", "received", "reference"}


POLICY_RULES = load_policy_rules()[0]


@pytest.mark.parametrize("rule", POLICY_RULES, ids=[r.id for r in POLICY_RULES])
def test_policy_rule_example_matches_its_own_rule(rule) -> None:
    m = rule.pattern.search(rule.example)
    assert m is not None and m.group("title") == rule.expect, rule.id
