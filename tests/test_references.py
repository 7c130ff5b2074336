"""Reference list entries and citing footnotes parsed into ref, ordinal, authors, title, year, url, accessed."""

from __future__ import annotations

from datetime import date

from test_dates_docs import seed_document

from extractors.references import extract, parse_entry


def test_seed_references_and_footnotes() -> None:
    refs = extract(seed_document())
    assert [r.ref for r in refs] == ["[1]", "[3]", "①", "④"]
    assert [r.ordinal for r in refs] == [0, 1, 2, 3]
    ipcc = refs[0]
    assert ipcc.authors == "Intergovernmental Panel on Climate Change"
    assert ipcc.year == 2018 and ipcc.accessed == date(2022, 3, 29) and ipcc.url == "https://www.ipcc.ch/sr15/"
    assert refs[1].authors == "刘长松" and refs[1].year == 2021 and refs[1].url is None
    assert refs[3].title == "Delivering the European Green Deal" and refs[3].year == 2021


def test_chinese_footnote_with_full_width_punctuation() -> None:
    got = parse_entry("中研顾问。“碳中和”专题系列研究报告：碳中和对标与启示（欧盟篇）。（2021-07-21）[2022-03-29]。"
                      "https://huanbao.bjx.com.cn/news/20210721/1165059.shtml。")
    assert got["authors"] == "中研顾问"
    assert got["title"] == "“碳中和”专题系列研究报告：碳中和对标与启示（欧盟篇）"
    assert got["year"] == 2021 and got["accessed"] == date(2022, 3, 29)
    assert got["url"] == "https://huanbao.bjx.com.cn/news/20210721/1165059.shtml"


def test_entry_without_publication_date_keeps_access_date() -> None:
    got = parse_entry("Biden Harris. The Biden Plan for a Clean Energy Revolution and Environmental Justice. "
                      "[2022-03-29]. https://joebiden.com/climate-plan/.")
    assert got["year"] is None and got["accessed"] == date(2022, 3, 29)
    assert got["title"] == "The Biden Plan for a Clean Energy Revolution and Environmental Justice"
