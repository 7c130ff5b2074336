"""Named policies: 《》 titles, programmes, English titles, actor, year (sentence, table, title) and ref."""

from __future__ import annotations

from test_dates_docs import seed_document, seed_table

from extractors.policies import extract, find_titles, match_key
from schemas.facts import Policy


def _policies() -> dict[str, Policy]:
    doc = seed_document()
    return {p.title: p for p in (Policy(**c.payload) for c in extract(doc, [seed_table()]))}


def test_seed_policies_actor_year_ref() -> None:
    got = _policies()
    assert (got["欧洲绿色协议"].actor, got["欧洲绿色协议"].year, got["欧洲绿色协议"].ref) == ("EU", 2019, "[18]")
    assert (got["巴黎协定"].year, got["巴黎协定"].ref) == (2015, "[2]")
    assert (got["欧洲气候法"].actor, got["欧洲气候法"].year) == ("EU", 2020)
    assert got["2008年气候变化法"].year == 2008          # a past year in the title
    assert got["2050年碳中和战略"].actor == "KR" and got["2050年碳中和战略"].year == 2020
    assert got["英国氢能战略"].year == 2021 and got["英国氢能战略"].actor == "GB"  # Table 1 发布年份
    assert got["净零创新投资组合计划"].ref == "⑧" and got["净零创新投资组合计划"].actor == "GB"
    assert got["绿色新政"].actor == "KR"
    assert got["碳中和承诺规范"].actor == "BSI"


def test_one_row_per_policy_with_mentions() -> None:
    got = _policies()
    assert got["欧洲氢能战略"].mentions == 2            # body text and Table 1
    assert got["欧洲氢能战略"].ref == "[12]"            # from the table mention's marker
    assert got["欧洲氢能战略"].page_no == 2             # first mention's provenance


def test_dictionary_and_citing_footnotes_are_not_policies() -> None:
    got = _policies()
    assert "牛津英语词典" not in got
    assert not any("Delivering" in t for t in got)


def test_provenance_quotes_the_title() -> None:
    doc = seed_document()
    for c in extract(doc, [seed_table()]):
        p = Policy(**c.payload)
        assert doc.pages[p.page_no - 1].text[p.char_start:p.char_end] == p.quote
        assert p.title.replace(" ", "") in p.quote.replace("\n", "").replace(" ", "")


def test_titles_in_strings() -> None:
    titles = [t for _, _, t, _ in find_titles(
        "英国《绿色工业革命十点计划》部署了路径；《交通脱碳计\n划》等。In March 2021 the UK launched the "
        "Net Zero Innovation Portfolio, under the Climate Change Act 2008 and the “Ten Point Plan for a Green "
        "Industrial Revolution”.")]
    assert titles == ["绿色工业革命十点计划", "交通脱碳计划", "Net Zero Innovation Portfolio",
                      "Climate Change Act 2008", "Ten Point Plan for a Green Industrial Revolution"]


def test_inline_markers_give_ref() -> None:
    from test_dates_docs import make_page

    from schemas.layout import Document
    page = make_page(1, [("paragraph", "2021年，美国发布《美国能源创新法案》[33]、《清洁未来法案》⑪等政策。")])
    doc = Document(doc_id="0" * 64, file_name="x.pdf", lang="zh", page_count=1, pages=(page,))
    got = {p.payload["title"]: p.payload for p in extract(doc, [])}
    assert got["美国能源创新法案"]["ref"] == "[33]" and got["清洁未来法案"]["ref"] == "⑪"
    assert got["美国能源创新法案"]["actor"] == "US" and got["美国能源创新法案"]["year"] == 2021


def test_match_key() -> None:
    assert match_key({"title": "欧洲绿色协议", "actor": "EU", "year": 2019}) == ("EU", 2019)
