"""zh_jiangsu_14th_fyp_renewable_energy_plan.pdf: blank p.2, footnote on p.13, target table."""

from tests.layout_fixtures import corpus_doc, page_of

NAME = "zh_jiangsu_14th_fyp_renewable_energy_plan.pdf"


def test_blank_page_and_cover():
    doc, _ = corpus_doc(NAME)
    assert doc.page_count == 28
    assert page_of(doc, 2).text == "" and page_of(doc, 2).quality == "no_text"
    assert page_of(doc, 1).blocks[0].text == "江苏省“十四五”可再生能源发展专项规划"


def test_footnote_marker_and_footnote_block():
    doc, tables = corpus_doc(NAME)
    p13 = page_of(doc, 13)
    assert "充分考虑电力需求增长、可再生能源装机" in p13.text
    assert [m.marker for m in p13.markers] == ["1"]
    note = next(b for b in p13.blocks if b.kind == "footnote")
    assert note.text.startswith("1以2025年江苏省全社会用电量8000亿千瓦时")
    assert any(b.kind == "caption" and b.text.startswith("表2") for b in p13.blocks)
    assert any(b.kind == "table" for b in p13.blocks) and any(t.page_no == 13 for t in tables)
    assert "到2025年" in page_of(doc, 27).text
