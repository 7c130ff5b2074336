"""zh_sci_tech_support_carbon_peak_neutrality_2022_2030.pdf: notice on p.1, title and targets on p.2."""

from tests.layout_fixtures import corpus_doc, page_of

NAME = "zh_sci_tech_support_carbon_peak_neutrality_2022_2030.pdf"


def test_notice_and_targets():
    doc, tables = corpus_doc(NAME)
    assert doc.page_count == 16
    p1 = page_of(doc, 1).text
    assert "（国科发社〔2022〕157号）" in p1 and "2022年6月24日" in p1
    p2 = page_of(doc, 2)
    assert p2.blocks[0].kind == "heading" and p2.blocks[0].text == "科技支撑碳达峰碳中和实施方案"
    assert "单位国内生产总值（GDP）二氧化碳排放比2020年下降18%，单位GDP能源消耗比2020年下降13.5%" in p2.text
    assert "力争到2030年" in page_of(doc, 6).text


def test_tech_boxes_are_table_blocks_and_p4_continues_as_text():
    doc, tables = corpus_doc(NAME)
    assert any(b.kind == "table" for b in page_of(doc, 3).blocks)
    assert len([t for t in tables]) >= 10
    p4 = page_of(doc, 4)
    assert "氢能技术。研发可再生能源高效低成本制氢技术" in p4.text
    assert [b.text for b in p4.blocks if b.kind == "footer"] == ["—3—"]
