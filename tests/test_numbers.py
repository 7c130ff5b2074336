"""numbers.parse_number: Arabic, full-width, Chinese numerals, magnitudes; never raises."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.numbers import chinese_to_float, magnitude_of, parse_number


@pytest.mark.parametrize("text,value", [
    ("1 800", 1800.0), ("500 000", 500000.0), ("1,200", 1200.0), ("13.5", 13.5), ("１２３", 123.0),
    ("46亿", 4.6e9), ("73.4万亿", 7.34e13), ("2万多亿", 2e12), ("620万", 6.2e6), ("1 billion", 1e9),
    ("二〇三〇", 2030.0), ("一千二百", 1200.0), ("十四", 14.0), ("两万", 20000.0), ("三亿五千万", 3.5e8),
    ("三点五", 3.5), ("三百零五", 305.0),
])
def test_parse_number_values(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "abc", "2025年", "百分点", "1/0", "--"])
def test_parse_number_rejects(text: str) -> None:
    assert parse_number(text) is None


def test_fraction_and_more_than() -> None:
    assert parse_number("1/3") == pytest.approx(1 / 3)
    assert magnitude_of("万多亿") == (1e12, True)
    assert chinese_to_float("二十") == 20.0


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789０１ .,/万亿千百十一二三两〇零多余点abcmillion")), max_size=16))
def test_parse_number_never_raises(text: str) -> None:
    out = parse_number(text)
    assert out is None or isinstance(out, float)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_parse_number_arbitrary_text(text: str) -> None:
    out = parse_number(text)
    assert out is None or isinstance(out, float)
