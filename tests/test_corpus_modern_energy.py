"""zh_14th_fyp_modern_energy_system_plan.pdf: targets on p.10 read whole, 专栏1 table on p.8."""

from tests.layout_fixtures import corpus_doc, page_of

NAME = "zh_14th_fyp_modern_energy_system_plan.pdf"


def test_pages_and_targets_read_in_order():
    doc, _ = corpus_doc(NAME)
    assert doc.page_count == 41 and doc.lang == "zh"
    text = page_of(doc, 10).text
    assert "到2025年，非化石能源消费比重提高到20%左右，非化石能源发电量比重达到39%左右" in text
    assert text.index("五、发展目标") < text.index("能源保障更加安全有力") < text.index("能源低碳转型成效显著")
    assert "力争到2025年" in page_of(doc, 22).text


def test_heading_footer_and_table_blocks():
    doc, tables = corpus_doc(NAME)
    p10 = page_of(doc, 10)
    assert any(b.kind == "heading" and b.text == "五、发展目标" for b in p10.blocks)
    footers = [b for b in p10.blocks if b.kind == "footer"]
    assert [b.text for b in footers] == ["—7—"] and p10.text.endswith("—7—")
    p8 = page_of(doc, 8)
    table = next(b for b in p8.blocks if b.kind == "table")
    assert "2015年" in table.text and "〔-7.0〕" in table.text
    assert p8.text.count("〔-7.0〕") == 1
    assert any(t.page_no == 8 for t in tables)
    assert any(b.text == "目录" for b in page_of(doc, 2).blocks)
