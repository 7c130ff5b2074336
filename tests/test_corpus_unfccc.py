"""en_unfccc_ndc_synthesis_report_2023.pdf: CO2 subscripts, running header, footnotes."""

from tests.layout_fixtures import corpus_doc, page_of

NAME = "en_unfccc_ndc_synthesis_report_2023.pdf"
PAGES = tuple(range(1, 10))


def test_subscript_and_running_header():
    doc, _ = corpus_doc(NAME, PAGES)
    p9 = page_of(doc, 9)
    assert "(a) Solar energy (3.3 Gt CO2 eq/year), with 50 per cent of Parties" in p9.text
    headers = [b for b in p9.blocks if b.kind == "header"]
    assert [b.text for b in headers] == ["FCCC/PA/CMA/2023/12"]
    assert [b.text for b in p9.blocks if b.kind == "footer"] == ["9"]


def test_footnotes_and_markers():
    doc, _ = corpus_doc(NAME, PAGES)
    p9 = page_of(doc, 9)
    notes = [b for b in p9.blocks if b.kind == "footnote"]
    assert notes and notes[0].text.startswith("26 For example, decisions 1/CMA.3")
    assert {"26", "27"} <= {m.marker for m in p9.markers}
    assert any(b.kind == "heading" and b.text == "Summary" for b in page_of(doc, 1).blocks)
