"""zh_14th_fyp_energy_tech_innovation_plan.pdf: subscripts on their own line, 专栏 tables, cover."""

from tests.layout_fixtures import corpus_doc, page_of

NAME = "zh_14th_fyp_energy_tech_innovation_plan.pdf"


def test_subscript_co2_kept_with_its_word():
    doc, _ = corpus_doc(NAME)
    assert doc.page_count == 52
    assert "开展纳米驱油、CO2驱油、精细化勘探、智能化注采" in page_of(doc, 28).text
    assert "S-CO2" in page_of(doc, 38).text


def test_headings_tables_and_page_numbers():
    doc, _ = corpus_doc(NAME)
    p28 = page_of(doc, 28)
    assert any(b.kind == "heading" and b.text == "（四）绿色高效化石能源开发利用技术" for b in p28.blocks)
    assert p28.blocks[0].kind == "table" and "01核电优化升级技术示范" in p28.blocks[0].text
    assert [b.text for b in p28.blocks if b.kind == "footer"] == ["26"]
    assert "前言" in page_of(doc, 2).text and "目录" in page_of(doc, 2).text
    assert page_of(doc, 1).blocks[0].text == "“十四五”能源领域科技创新规划"
