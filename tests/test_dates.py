"""Date finder and policy_dates extractor: every example of issue 4, properties, and the fact_id invariant."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_dates_docs import seed_document, seed_table

from extractors import dates
from extractors.dates import date_fact_id, extract, find_dates
from extractors.sentences import document_sentences
from schemas.facts import DateFact

CASES = [
    # text, surface, iso, precision, modifier
    ("2019年12月，欧盟发布《欧洲绿色协议》", "2019年12月", "2019-12", "month", None),
    ("我国于 2020 年 9 月提出", "于 2020 年 9 月", "2020-09", "month", "in"),
    ("我国于 2020 年\n9 月提出", "于 2020 年\n9 月", "2020-09", "month", "in"),
    ("截至2021年8月31日，全球有130多个国家", "截至2021年8月31日", "2021-08-31", "day", "as_of"),
    ("Net Zero Emissions Race. (2021-08-31).", "2021-08-31", "2021-08-31", "day", None),
    ("2021-08-31", "2021-08-31", "2021-08-31", "day", None),
    ("国务院 二〇二一年十月二十四日", "二〇二一年十月二十四日", "2021-10-24", "day", None),
    ("力争到２０２５年实现", "到２０２５年", "2025", "year", "by"),
    ("最早出现在20世纪90年代初", "在20世纪90年代初", "1990s", "decade", "in"),
    ("并在 21 世纪中叶达到“净零”", "在 21 世纪中叶", "2040/2060", "range", "in"),
    ("到本世纪中叶建成", "到本世纪中叶", "2040/2060", "range", "by"),
    ("reach net zero by mid-century", "by mid-century", "2040/2060", "range", "by"),
    ("2030—2052 年升温幅度将达到 1.5°C", "2030—2052 年", "2030/2052", "range", None),
    ("phase 2020-2024 first", "2020-2024", "2020/2024", "range", None),
    ("2024～2030，推广", "2024～2030", "2024/2030", "range", None),
    ("（2022—2030 年）", "2022—2030 年", "2022/2030", "range", None),
    ("确保完成“十四五”节能减排目标", "十四五", "2021/2025", "range", None),
    ("during the 14th Five-Year Plan period", "during the 14th Five-Year Plan", "2021/2025", "range", "in"),
    ("自 2000 年以来，碳中和", "自 2000 年以来", "2000", "year", "since"),
    ("2030 年前减半", "2030 年前", "2030", "year", "before"),
    ("2035年以后：扩大生产规模", "2035年以后", "2035", "year", "after"),
    ("2030年左右实现氢能发电商用化", "2030年左右", "2030", "year", "around"),
    ("力争到 2025\n年", "到 2025\n年", "2025", "year", "by"),
    ("published in December 2019", "in December 2019", "2019-12", "month", "in"),
    ("adopted on 11 December 2019", "11 December 2019", "2019-12-11", "day", None),
    ("since Dec. 2019", "since Dec. 2019", "2019-12", "month", "since"),
    ("dated 14 November 2023", "14 November 2023", "2023-11-14", "day", None),
    ("net zero by 2030", "by 2030", "2030", "year", "by"),
    ("falls in the 2030s", "in the 2030s", "2030s", "decade", "in"),
    ("summer 2020", "summer 2020", "2020-summer", "season", None),
    ("Q3 2021 results", "Q3 2021", "2021-Q3", "quarter", None),
    ("from 30 November to 12 December 2023", "from 30 November to 12 December 2023",
     "2023-11-30/2023-12-12", "range", "since"),
    ("as at 25 September 2023", "as at 25 September 2023", "2023-09-25", "day", "as_of"),
    ("the sixth carbon budget (2033-37)", "2033-37", "2033/2037", "range", None),
    ("2020年3月至2021年6月", "2020年3月至2021年6月", "2020-03/2021-06", "range", None),
]


@pytest.mark.parametrize("text,surface,iso,precision,modifier", CASES)
def test_issue_examples_resolve(text: str, surface: str, iso: str, precision: str, modifier: str | None) -> None:
    found = find_dates(text)
    assert [(m.surface, m.iso, m.precision, m.modifier) for m in found] == [(surface, iso, precision, modifier)]
    m = found[0]
    assert text[m.start:m.end] == m.surface
    assert m.date_start <= m.date_end


def test_full_spans_of_each_precision() -> None:
    (q,) = find_dates("2021年第三季度")
    assert (q.iso, q.date_start, q.date_end) == ("2021-Q3", date(2021, 7, 1), date(2021, 9, 30))
    (d,) = find_dates("20世纪90年代")
    assert (d.date_start, d.date_end) == (date(1990, 1, 1), date(1999, 12, 31))
    (f,) = find_dates("“十三五”时期")
    assert (f.iso, f.date_start, f.date_end) == ("2016/2020", date(2016, 1, 1), date(2020, 12, 31))
    (m,) = find_dates("2020年2月")
    assert m.date_end == date(2020, 2, 29)


@pytest.mark.parametrize("text", [
    "近期/中期/远期", "近期：重点研究", "中远期：推进化石能源", "3.1 全面革新工业革命", "2 国际碳中和战略行动布局",
    "2.2 英国：围绕多行业", "创建 2000 家节约型公共机构", "1 200座加氢站", "国科发社〔2022〕157号",
    "https://www.gov.uk/briefing-room/2021/01/27/order", "DOI 10.16418/j.issn.1000-3045.20210829001",
    "下降 13.5%", "2050%", "成都 610041",
])
def test_not_dates(text: str) -> None:
    assert find_dates(text) == []


@pytest.mark.parametrize("text", ["2021年2月30日", "2021-02-30", "2021年13月", "30 February 2021", "3045年"])
def test_impossible_dates_skipped(text: str) -> None:
    for m in find_dates(text):
        assert m.iso not in ("2021-02-30",) and 1000 <= m.date_start.year <= 2200
    assert not any(m.precision == "day" for m in find_dates(text))


def test_month_day_needs_reference_year() -> None:
    assert find_dates("6月24日") == []
    (m,) = find_dates("6月24日", ref_year=2022)
    assert m.iso == "2022-06-24"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789２０年月日至到—-～~ 前后以来左右截世纪中叶代初十四五二〇一九三"
                                              "DecemberQ summer by in the s()[]\n.,，。")), max_size=60))
def test_never_raises_never_impossible(text: str) -> None:
    for m in find_dates(text):
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start:m.end] == m.surface
        assert m.date_start <= m.date_end
        assert 1000 <= m.date_start.year and m.date_end.year <= 2200


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_never_raises_on_any_text(text: str) -> None:
    for m in find_dates(text):
        assert text[m.start:m.end] == m.surface


def test_seed_extract_roles_events_actors() -> None:
    doc = seed_document()
    facts = [DateFact(**c.payload) for c in extract(doc, [seed_table()])]
    by = {(f.page_no, f.iso, f.quote): f for f in facts}
    assert by[(2, "2019-12", "2019年12月")].role == "event"
    assert by[(2, "2019-12", "2019年12月")].event == "欧盟发布《欧洲绿色协议》"
    assert by[(2, "2019-12", "2019年12月")].actor == "EU"
    assert by[(2, "2030", "到2030年")].role == "target"
    assert by[(1, "2030/2052", "2030—2052 年")].precision == "range"
    assert by[(1, "1990s", "在 20 世纪 90 年代初")].role == "event"
    assert by[(1, "2040/2060", "在 21 世\n纪中叶")].role == "target"
    assert by[(2, "2020-12", "2020年12月")].actor == "KR"
    assert by[(2, "2021-03", "2021年3月")].actor == "GB"
    assert by[(3, "2020", "2020年")].role == "event"          # Table 1 发布年份 cell
    assert by[(3, "2020/2024", "2020—2024年")].role == "target"  # a phase of the hydrogen path
    assert all(f.role == "reference" for f in facts if f.iso.startswith("2022-03-29"))
    assert by[(1, "2007-02-02", "2007-02-02")].role == "reference"
    assert not any("2050年碳中和战略" in f.quote for f in facts)  # a year inside a 《》 title is not a date


def test_fact_ids_follow_find_dates_spans() -> None:
    """The targets engineer links by fact_id of (page, sentence offset + find_dates span, ordinal 0)."""
    doc = seed_document()
    ids = {DateFact(**c.payload).fact_id for c in extract(doc, [seed_table()])}
    payloads = [c.payload for c in extract(doc, [seed_table()])]
    assert all(p["ordinal"] == 0 for p in payloads)
    linked = 0
    for s in document_sentences(doc):
        for m in find_dates(s.text):
            if "《" in s.text[max(0, m.start - 8):m.start] and "》" in s.text[m.end:m.end + 12]:
                continue
            assert date_fact_id(doc.doc_id, s.page_no, s.start + m.start, s.start + m.end) in ids, m
            linked += 1
    assert linked > 20


def test_every_payload_validates_and_quotes_page_text() -> None:
    doc = seed_document()
    for c in extract(doc, [seed_table()]):
        f = DateFact(**c.payload)
        assert doc.pages[f.page_no - 1].text[f.char_start:f.char_end] == f.quote == f.surface
        assert f.x1 > f.x0


def test_table_cell_not_in_page_text_gives_no_fact() -> None:
    from schemas.facts import DocTable, TableCell
    doc = seed_document()
    ghost = DocTable(doc_id=doc.doc_id, table_id="g", page_no=3, n_rows=1, n_cols=1, x0=0, top=0, x1=1, bottom=1,
                     cells=(TableCell(row_no=1, col_no=0, text="1999年", page_no=3, x0=0, top=0, x1=1, bottom=1),))
    assert not any(c.payload["iso"] == "1999" for c in extract(doc, [ghost]))


def test_match_key_documents_iso_and_role() -> None:
    assert dates.match_key({"iso": "2019-12", "role": "event", "quote": "x"}) == ("2019-12", "event")
