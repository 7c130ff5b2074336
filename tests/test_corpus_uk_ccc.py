"""en_uk_ccc_sixth_carbon_budget_buildings.pdf: margin call-outs as their own column, footnote marks."""

from tests.layout_fixtures import corpus_doc, page_of

NAME = "en_uk_ccc_sixth_carbon_budget_buildings.pdf"
PAGES = (2, 3, 4, 7, 8, 9)


def test_targets_on_p3_read_whole():
    doc, _ = corpus_doc(NAME, PAGES)
    text = page_of(doc, 3).text
    assert "a reduction in UK emissions of 78% by 2035 relative to 1990, a 63% reduction from 2019." in text
    assert "Net Zero by 2050 at the latest" in text


def test_callout_not_interleaved_and_markers_removed():
    doc, _ = corpus_doc(NAME, PAGES)
    p8 = page_of(doc, 8)
    assert "Direct emissions from buildings fell by 19% from 1990 to 2015 and have remained at a" \
        " similar level since." in p8.text
    assert "since 2005 (Figure M3.2). This means" in p8.text
    assert {"8,9", "10"} <= {m.marker for m in p8.markers}
    assert any(b.kind == "caption" and b.text.startswith("Figure M3.2") for b in p8.blocks)
    assert [b.text for b in p8.blocks if b.kind == "footer"] == ["8"]
