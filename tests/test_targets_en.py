"""English target rules learned on the UNFCCC synthesis report: fractions, carried years, scenarios, statistics."""

from __future__ import annotations

import datetime

import pytest

from extractors import targets
from extractors.targets_find import find_targets
from schemas.layout import Document, DocumentMeta
from tests.test_targets import make_doc, one


def _doc(paragraphs: list[str], **meta) -> Document:
    doc = make_doc([("paragraph", p) for p in paragraphs], lang="en")
    return doc.model_copy(update={"meta": DocumentMeta(**meta)})


def _payloads(doc: Document) -> list[tuple]:
    return [(p["actor"], p["kind"], p["value"], p["value_max"], p["baseline_year"], p["target_year"])
            for p in (c.payload for c in targets.extract(doc, ()))]


@pytest.mark.parametrize("text,value", [
    ("In addition, by 2030, about 1/3 of heavy vehicles will be electric.", 33.33),
    ("By 2030, a third of new cars sold will be electric vehicles.", 33.33),
    ("By 2040, two-thirds of heat will come from heat pumps.", 66.67),
    ("By 2050, around a fifth of heat is distributed through heat networks.", 20.0),
])
def test_fractions_are_shares_in_percent(text: str, value: float) -> None:
    t = one(text, "en")
    assert (t.value, t.unit) == (value, "%")


def test_a_bare_fraction_is_no_share() -> None:
    assert find_targets("By 2030 the ratio will be 1/3 and rising.", "en") == []


def test_an_update_sentence_carries_the_previous_year() -> None:
    doc = _doc(["According to the NECP, the target level of EVs for 2030 was 7-10 million. "
                "This has later been adjusted to 15 million. The NECP does not include more."])
    assert [(k, v, y) for _, k, v, _, _, y in _payloads(doc)] == [
        ("count", 7e6, 2030), ("count", 15e6, 2030)]
    assert find_targets("This has later been adjusted to 15 million.", "en") == []


def test_kind_reads_the_words_right_after_the_value() -> None:
    found = find_targets("two core targets of 30% renewable energy of the gross energy consumption and a 30% "
                         "reduction in the primary energy consumption compared to 2008 by 2030.", "en")
    assert [t.kind for t in found] == ["share", "energy_consumption"]


def test_scenario_clause_is_vetoed_but_its_required_figures_are_kept() -> None:
    found = find_targets("In scenarios of limiting warming to 1.5 °C (with over 50 per cent likelihood) with no or "
                         "limited overshoot, GHG emissions are reduced by 43 (34–60) per cent by 2030 relative to "
                         "the 2019 level.", "en")
    assert [(t.kind, t.value, t.value_max, t.baseline_year, t.target_year) for t in found] == [
        ("emissions_reduction", 34.0, 60.0, 2019, 2030)]


def test_one_baseline_serves_a_reduction_sentence() -> None:
    found = find_targets("the emission reductions are slightly less, at 41 (31–59) per cent by 2030, and for "
                         "others stronger, at 48 (35–61) per cent, relative to the 2019 level.", "en")
    assert [(t.value, t.baseline_year, t.target_year) for t in found] == [(31.0, 2019, 2030), (35.0, 2019, 2030)]


def test_net_zero_takes_no_year_from_a_closed_parenthesis() -> None:
    text = "scenarios (with 50 per cent likelihood by 2100) and achieving net zero emissions this century"
    assert find_targets(text, "en") == []
    t = one("reach net zero by or around 2050 (implemented as a full cut)", "en")
    assert (t.kind, t.target_year, t.deadline_type) == ("net_zero", 2050, "around")


@pytest.mark.parametrize("text", [
    "Of the Parties, 21 per cent provided information on sectors, which are often a subset of IPCC sectors.",
    "A total of 81 per cent of Parties have economy-wide NDCs, with 66 per cent covering all sectors by 2030.",
    "Such emissions in 2025 are 55.2 per cent higher than in 1990 by 2030.",
    "to be in line with pathways to limiting warming to 1.5 °C (with over 50 per cent likelihood in 2100).",
    "the 2023 update to the IEA Net Zero Roadmap for 2030.",
    "for those in which net zero GHG emissions are not achieved by 2050.",
    "In our Widespread Engagement scenario, we assume a 50°C water temperature in homes with heat pumps.",
])
def test_statistics_and_scenarios_are_not_targets(text: str) -> None:
    assert find_targets(text, "en") == []


def test_a_baseline_amount_in_parentheses_is_not_a_target() -> None:
    t = one("emissions are to be cut 8.2 per cent below the 2019 emission level (52.6 Gt CO2 eq) by 2030.", "en")
    assert (t.value, t.unit, t.baseline_year, t.target_year) == (8.2, "%", 2019, 2030)


def test_list_items_under_a_projection_lead_in_are_not_targets() -> None:
    doc = _doc(["Total emissions are estimated to be around 53.2 Gt CO2 eq in 2025, which are:",
                "(a) In 2030, 8.8 per cent lower than 2010 levels by 2030;",
                "Parties aim to cut emissions by 40 per cent by 2030."])
    assert [(k, v, y) for _, k, v, _, _, y in _payloads(doc)] == [("emissions_reduction", 40.0, 2030)]


def test_past_year_statistics_and_un_documents() -> None:
    doc = _doc(["Solar made up 2.4 per cent of total global electricity generation in 2021.",
                "The target is 60 per cent of electricity generation from renewables in 2035."],
               doc_number="FCCC/PA/CMA/2023/12", issued_date=datetime.date(2023, 11, 14))
    assert _payloads(doc) == [("GLOBAL", "share", 60.0, None, None, 2035)]
