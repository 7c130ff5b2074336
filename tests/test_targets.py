"""Targets on strings and hand-built Documents: values, units, years, qualifiers, lists, actors, not-targets."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from extractors import targets
from extractors.targets_find import find_targets
from schemas.facts import Target
from schemas.layout import Block, Document, DocumentMeta, Page

DOC_ID = "ab" * 32


def one(text: str, lang: str = "zh"):
    found = find_targets(text, lang)
    assert len(found) == 1, [(text[t.start:t.end], t.kind) for t in found]
    return found[0]


def make_doc(paragraphs: list[tuple[str, str]], lang: str = "zh", issuer: str | None = None) -> Document:
    """A one-page Document: (kind, text) blocks joined by newlines, one fake box per char."""
    text, blocks, pos = "", [], 0
    for i, (kind, para) in enumerate(paragraphs):
        blocks.append(Block(page_no=1, block_no=i, kind=kind, lang=lang, text=para, char_start=pos,
                            char_end=pos + len(para), x0=10, top=10 + 20 * i, x1=500, bottom=25 + 20 * i))
        text += para + "\n"
        pos = len(text)
    boxes = tuple((10.0 + i % 40, 10.0, 11.0 + i % 40, 20.0) for i in range(len(text)))
    page = Page(page_no=1, width=600, height=800, text=text, quality="ok", blocks=tuple(blocks), char_boxes=boxes)
    return Document(doc_id=DOC_ID, file_name="t.pdf", lang=lang, page_count=1, pages=(page,),
                    meta=DocumentMeta(issuer=issuer))


# ---------------------------------------------------------------- values, units, years

def test_chinese_intensity_with_baseline_and_deadline() -> None:
    t = one("到 2025 年，单位 GDP 二氧化碳排放比 2020 年下降 18%。")
    assert (t.kind, t.value, t.unit, t.baseline_year, t.target_year, t.deadline_type) == (
        "intensity_reduction", 18.0, "%", 2020, 2025, "by")
    assert t.subject == "co2_intensity"


def test_year_split_over_line_break_and_spaces() -> None:
    t = one("力争到 2030\n年，非化石能源消费比重达到 25%左右。")
    assert (t.target_year, t.deadline_type, t.kind, t.qualifier) == (2030, "by", "share", "approx")


def test_full_width_tilde_range_and_magnitudes() -> None:
    t = one("到 2025 年，天然气年产量达到 550 亿～600 亿立方米。")
    assert (t.value, t.value_max, t.unit, t.kind) == (55.0, 60.0, "bcm", "production")
    t = one("到 2025 年，电力需求侧响应能力达到最大用电负荷的 3%～5%。")
    assert (t.value, t.value_max, t.kind) == (3.0, 5.0, "share")


def test_capacity_in_wan_kilowatts_with_qualifier() -> None:
    t = one("到2025年，抽水蓄能装机容量达到6200 万千瓦以上。")
    assert (t.kind, t.value, t.unit, t.qualifier) == ("capacity", 62.0, "GW", "at_least")


def test_percentage_points_are_not_percent() -> None:
    found = find_targets("到 2025 年，溶剂型工业涂料、油墨使用比例分别降低 20 个百分点、10个百分点。")
    assert [(t.value, t.unit) for t in found] == [(20.0, "pp"), (10.0, "pp")]


def test_cumulative_cut_has_period() -> None:
    t = one("单位 GDP 能耗五年累计下降 13.5%。")
    assert (t.period_years, t.baseline_year, t.kind) == (5, None, "intensity_reduction")


def test_phase_gives_start_and_target_year() -> None:
    found = find_targets("2020—2024年：安装至少6 GW的可再生氢能电解槽，可再生能源制氢年产量达1 Mt")
    assert [(t.kind, t.value, t.unit, t.start_year, t.target_year, t.qualifier) for t in found] == [
        ("capacity", 6.0, "GW", 2020, 2024, "at_least"), ("production", 1.0, "Mt", 2020, 2024, None)]


def test_currency_ranges_and_counts() -> None:
    t = one("电解槽投资为240亿—420亿欧元", "zh")
    assert (t.kind, t.value, t.value_max, t.unit) == ("investment", 2.4e10, 4.2e10, "EUR")
    found = find_targets("到2040年生产620万辆氢燃料电池汽车，建成1 200座加氢站")
    assert [(t.kind, t.value, t.unit) for t in found] == [("count", 6.2e6, "vehicles"), ("count", 1200.0, "stations")]
    t = one("到 2030 年建成 50 个示范工程。")
    assert (t.kind, t.value, t.unit) == ("count", 50.0, "projects")
    t = one("计划投入2万多亿美元，用于交通。")
    assert (t.value, t.unit, t.qualifier) == (2e12, "USD", "more_than")


def test_milestones_with_deadline_types() -> None:
    found = find_targets("我国提出二氧化碳排放力争于 2030 年前达到峰值，努力争取 2060 年前实现碳中和。")
    assert [(t.kind, t.target_year, t.deadline_type) for t in found] == [
        ("emissions_peak", 2030, "before"), ("carbon_neutrality", 2060, "before")]
    t = one("2030年左右实现氢能发电商用化，氢能与其他燃料的成本平价")
    assert (t.kind, t.target_year, t.deadline_type) == ("other", 2030, "around")


def test_english_reduction_with_baseline_and_footnote_glued_year() -> None:
    t = one("The overarching target for Germany is a 55% reduction in emissions from 1990-levels by\n2030.1", "en")
    assert (t.kind, t.value, t.baseline_year, t.target_year, t.deadline_type) == (
        "emissions_reduction", 55.0, 1990, 2030, "by")
    assert [a.actor for a in t.actors] == ["DE"]


def test_english_range_in_parentheses_and_net_zero() -> None:
    t = one("emissions are to be reduced by 43 (34–60) per cent by 2030 relative to the 2019 level.", "en")
    assert (t.value, t.value_max, t.unit, t.baseline_year, t.target_year) == (34.0, 60.0, "%", 2019, 2030)
    t = one("placing the UK decisively on the path to Net Zero by 2050 at the latest.", "en")
    assert (t.kind, t.target_year, t.deadline_type, t.actors[0].actor) == ("net_zero", 2050, "by", "GB")


def test_english_thousands_space_and_since_year() -> None:
    t = one("This has later been changed to 500 000 yearly installations from 2024 on.", "en")
    assert (t.value, t.unit, t.start_year, t.target_year) == (500000.0, "installations", 2024, None)


def test_from_to_takes_the_new_value() -> None:
    t = one("Germany doubled the target of installed hydrogen capacity from 5 to 10 GW by 2030.", "en")
    assert (t.value, t.value_max, t.unit, t.kind) == (10.0, None, "GW", "capacity")


# ---------------------------------------------------------------- lists and actors

def test_list_split_in_order_with_own_subjects_and_qualifiers() -> None:
    text = "化学需氧量、氨氮、氮氧化物排放总量比2020年分别下降8%、8%、10%以上。"
    found = find_targets(text)
    assert [(t.subject, t.value, t.qualifier, t.ordinal) for t in found] == [
        ("cod", 8.0, None, 0), ("ammonia_nitrogen", 8.0, None, 1), ("nox", 10.0, "at_least", 2)]
    assert len({(t.start, t.end) for t in found}) == 1
    assert all(t.baseline_year == 2020 for t in found)


def test_two_actors_give_one_target_each() -> None:
    doc = make_doc([("paragraph", "继中国之后，日本和韩国相继提出2050年碳中和目标。")])
    payloads = [c.payload for c in targets.extract(doc, ())]
    assert [(p["actor"], p["kind"], p["target_year"], p["ordinal"]) for p in payloads] == [
        ("JP", "carbon_neutrality", 2050, 0), ("KR", "carbon_neutrality", 2050, 1)]
    assert payloads[0]["target_key"] != payloads[1]["target_key"]


def test_actor_from_section_heading_and_run_in_head() -> None:
    doc = make_doc([("heading", "2.4 日本和韩国：重点部署碳中和整体方案"), ("paragraph", "韩国。"),
                    ("paragraph", "2020年12月，发布《2050年碳中和战略》，旨在到2050年实现碳中和。"),
                    ("heading", "2.2 英国：围绕多行业布局具体脱碳战略"),
                    ("paragraph", "2021年3月，启动资助金额为10亿英镑的净零创新投资组合计划。")])
    payloads = [c.payload for c in targets.extract(doc, ())]
    assert [(p["actor"], p["kind"], p["target_year"]) for p in payloads] == [
        ("KR", "carbon_neutrality", 2050), ("GB", "investment", None)]
    assert payloads[1]["value"] == 1e9 and payloads[1]["unit"] == "GBP"


def test_repeats_share_a_target_key() -> None:
    doc = make_doc([("paragraph", "欧盟提出到2050年实现气候中和的目标。"),
                    ("paragraph", "欧盟委员会提交草案，从法律层面确保欧洲到2050年实现气候中和。")])
    keys = [c.payload["target_key"] for c in targets.extract(doc, ())]
    assert len(keys) == 2 and keys[0] == keys[1]


def test_payloads_validate_and_quote_is_page_slice() -> None:
    doc = make_doc([("paragraph", "到 2025 年，非化石能源消费比重提高到 20%左右，单位 GDP 能耗比 2020 年下降 13.5%。")])
    cands = targets.extract(doc, ())
    assert len(cands) == 2
    for c in cands:
        t = Target.model_validate(c.payload)
        assert doc.pages[0].text[t.char_start:t.char_end] == t.quote
        assert t.actor == "CN" and t.x1 > t.x0
        assert t.date_fact_id is not None


def test_bad_years_are_emitted_for_rejection_not_dropped() -> None:
    doc = make_doc([("paragraph", "到2025年，非化石能源消费比重达到30%—20%。")])
    cands = targets.extract(doc, ())
    assert len(cands) == 1
    with pytest.raises(ValidationError):
        Target.model_validate(cands[0].payload)


# ---------------------------------------------------------------- not targets

@pytest.mark.parametrize("text,lang", [
    ("按照这一趋势，2030—2052 年升温幅度将达到 1.5°C，自然和人类系统将面临更高的气候风险。", "zh"),
    ("人类活动已造成全球气温较工业化前水平升高约 1°C。", "zh"),
    ("Direct emissions from buildings fell by 19% between 1990 and 2019.", "en"),
    ("截至2021年8月31日，全球有130多个国家提出了碳中和目标。", "zh"),
    ("全球关键技术领域的创新投入仅为成熟低碳发电技术公共研发资金的1/3。", "zh"),
    ("2020年12月，日本发布《2050年绿色增长战略》，针对能源、交通等14个产业。", "zh"),
    ("2.2 英国：围绕多行业布局具体脱碳战略", "zh"),
    ("科技支撑碳达峰碳中和实施方案（2022—2030 年）", "zh"),
    ("到 2030 年，进一步研究突破一批碳中和前沿和颠覆性技术。", "zh"),
    ("renewable targets are 48-54% (projection) for 2025.", "en"),
])
def test_not_targets(text: str, lang: str) -> None:
    assert find_targets(text, lang) == []


# ---------------------------------------------------------------- properties

_ALPHABET = list("到年前比左右以上下降提高达至约多万亿千瓦吨标准煤%～—-、，。 （）《》碳中和达峰净零") + list("0123456789 ")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=60), st.text(alphabet=st.sampled_from(_ALPHABET), max_size=60)))
def test_find_targets_never_raises(text: str) -> None:
    for lang in ("zh", "en"):
        for t in find_targets(text, lang):
            assert 0 <= t.start <= t.end <= len(text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(_ALPHABET), min_size=1, max_size=60))
def test_every_payload_validates_or_fails_for_a_documented_reason(text: str) -> None:
    doc = make_doc([("paragraph", text.strip() or "x")])
    for c in targets.extract(doc, ()):
        try:
            Target.model_validate(c.payload)
        except ValidationError as e:
            assert "value_max" in str(e) or "target_year" in str(e) or "year" in str(e), str(e)
