"""units.normalise: the contract's units and scales; unknown units kept as written; never raises."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.targets_text import find_values, squeeze
from extractors.units import RULES, normalise, unit_class


@pytest.mark.parametrize("value,surface,expected", [
    (240, "亿欧元", (2.4e10, "EUR")), (73.4, "万亿韩元", (7.34e13, "KRW")), (1, "billion £", (1e9, "GBP")),
    (2, "万多亿美元", (2e12, "USD")), (620, "万辆", (6.2e6, "vehicles")), (1200, "座", (1200, "stations")),
    (1200, "座加氢站", (1200, "stations")), (50, "个示范工程", (50, "projects")), (30, "亿千瓦", (3000, "GW")),
    (7000, "万千瓦", (70, "GW")), (300, "MW", (0.3, "GW")), (550, "亿立方米", (55, "bcm")),
    (46, "亿吨标准煤", (4600, "Mtce")), (1, "万吨标准煤", (0.01, "Mtce")), (1000, "千瓦时", (1e-6, "TWh")),
    (1, "亿千瓦时", (0.1, "TWh")), (1, "万亿千瓦时", (1000, "TWh")), (5.3, "亿吨", (530, "Mt")),
    (1, "万吨", (0.01, "Mt")), (20, "个百分点", (20, "pp")), (20, "百分点", (20, "pp")), (3, "%", (3, "%")),
    (43, "per cent", (43, "%")), (1.5, "℃", (1.5, "°C")), (87, "Mt COe", (87, "MtCO2e")),
    (52.6, "Gt CO eq", (52600, "MtCO2e")),
])
def test_normalise_contract_units(value: float, surface: str, expected: tuple[float, str]) -> None:
    v, u = normalise(value, surface)
    assert u == expected[1]
    assert v == pytest.approx(expected[0])


def test_unknown_unit_kept_as_written() -> None:
    assert normalise(2000, "万立方米/日") == (2000, "万立方米/日")  # outside the contract units: as written
    assert normalise(8, "widgets") == (8, "widgets")
    assert normalise(500, "万平方米") == (500, "万平方米")  # areas: the number and unit as printed
    assert normalise(7, "million") == (7e6, None)
    assert normalise(5, None) == (5, None)


def test_unit_classes() -> None:
    assert unit_class("亿千瓦") == "power"
    assert unit_class("个国家") == "countries"
    assert unit_class("亿欧元") == "currency"
    assert unit_class("furlongs") is None


def test_every_unit_example_is_found_with_its_unit() -> None:
    for rule in yaml.safe_load(RULES.read_text(encoding="utf-8")):
        found = find_values(squeeze(rule["example"]))
        assert found, rule["id"]
        want = found[0].unit_surface if rule["unit"] == "as_written" else rule["unit"]
        assert found[0].unit == want, rule["id"]


@settings(max_examples=300, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False, width=32), st.text(max_size=12))
def test_normalise_never_raises(value: float, surface: str) -> None:
    v, u = normalise(value, surface)
    assert isinstance(v, float) or isinstance(v, int)
    assert u is None or isinstance(u, str)
