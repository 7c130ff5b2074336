"""zh_14th_fyp_energy_saving_emission_reduction_work_plan.pdf: dense text, mixed date spacing."""

from tests.layout_fixtures import corpus_doc, page_of

NAME = "zh_14th_fyp_energy_saving_emission_reduction_work_plan.pdf"


def test_notice_then_plan_in_order():
    doc, tables = corpus_doc(NAME)
    assert doc.page_count == 6 and tables == []
    p1 = page_of(doc, 1)
    text = p1.text
    assert text.index("（国发〔2021〕33号）") < text.index("国务院\n2021年12月28日") < text.index("一、总体要求")
    assert any(b.kind == "heading" and b.text == "二、主要目标" for b in p1.blocks)


def test_list_valued_target_reads_whole():
    doc, _ = corpus_doc(NAME)
    text = "".join(p.text for p in doc.pages)
    assert "化学需氧量、氨氮、氮氧化物、挥发性有机物排放总量比2020年分别下降8%、8%、10%以上、10%以上" in text
    assert "到 2025" not in text and " 年" not in text
