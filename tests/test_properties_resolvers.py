"""Property tests for every resolver: never raise on arbitrary text, and every output validates as a fact."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from extractors.dates_find import find_dates
from extractors.numbers import parse_number
from extractors.targets_find import find_targets
from extractors.units import normalise
from schemas.facts import DateFact, Target

DOC_ID = "cd" * 32
ZH_EN = list("0123456789０１２年月日前后到至—-～~%％万亿千百十一二三四五〇零点多余左右以上不低于超过约达到比下降提高碳中和达峰"
             "装机千瓦吨标准煤欧元美元辆座个百分点世纪中叶代初季度春夏 ,.，。、；()（）") + [
    "by ", "in ", "net zero ", "per cent", "GW", "Mt", "TWh", "billion ", "at least ", "2030", "2060", "Q3 ",
    "December ", "mid-century", "十四五", "“十四五”", "2025年", "20%", "1 200", "\n"]
TEXT = st.one_of(st.text(max_size=80), st.lists(st.sampled_from(ZH_EN), max_size=40).map("".join))
SETTINGS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def provenance(text: str, start: int, end: int, lang: str = "zh") -> dict:
    return {"doc_id": DOC_ID, "page_no": 1, "char_start": start, "char_end": end, "quote": text[start:end],
            "x0": 0.0, "top": 0.0, "x1": 1.0, "bottom": 1.0, "lang": lang, "extractor": "test",
            "rule_id": "property", "extractor_version": "0"}


@SETTINGS
@given(TEXT, st.one_of(st.none(), st.integers(1900, 2100)))
def test_find_dates_outputs_are_valid_date_facts(text: str, ref_year: int | None) -> None:
    for m in find_dates(text, ref_year):
        assert text[m.start:m.end] == m.surface
        fact = DateFact(**provenance(text, m.start, m.end), surface=m.surface, iso=m.iso, date_start=m.date_start,
                        date_end=m.date_end, precision=m.precision, role="event")
        assert fact.date_start <= fact.date_end
        if m.precision == "year":
            assert m.iso == str(m.date_start.year) and m.date_start.year == m.date_end.year
        if m.precision == "range":
            assert "/" in m.iso


@SETTINGS
@given(TEXT)
def test_parse_number_is_none_or_a_finite_float(text: str) -> None:
    out = parse_number(text)
    assert out is None or (isinstance(out, float) and math.isfinite(out))


@SETTINGS
@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), st.one_of(st.none(), TEXT))
def test_normalise_gives_a_finite_value_and_a_unit_or_none(value: float, surface: str | None) -> None:
    v, unit = normalise(value, surface)
    assert math.isfinite(v)
    assert unit is None or (isinstance(unit, str) and unit.strip() == unit and unit)
    if value == 0:
        assert v == 0


@SETTINGS
@given(TEXT, st.sampled_from(["zh", "en"]))
@example("1元到0", "zh")  # a descending range: found, then refused by the Target model
def test_find_targets_outputs_are_valid_targets(text: str, lang: str) -> None:
    for t in find_targets(text, lang):
        assert 0 <= t.start <= t.end <= len(text)
        fields = {"kind": t.kind, "value": t.value, "value_max": t.value_max, "unit": t.unit,
                  "unit_surface": t.unit_surface, "qualifier": t.qualifier, "subject": t.subject,
                  "subject_surface": t.subject_surface, "baseline_year": t.baseline_year,
                  "start_year": t.start_year, "target_year": t.target_year, "deadline_type": t.deadline_type,
                  "period_years": t.period_years, "confidence": t.confidence}
        if t.value is not None and t.value_max is not None and t.value_max < t.value:
            # a descending range ("30%—20%") is emitted on purpose, to be recorded as a rejection
            with pytest.raises(ValidationError, match="value_max"):
                Target(**provenance(text, t.start, t.end, lang), target_key="k", ordinal=t.ordinal, **fields)
        else:
            Target(**provenance(text, t.start, t.end, lang), target_key="k", ordinal=t.ordinal, **fields)
        for v in (t.value, t.value_max):
            assert v is None or math.isfinite(v)
