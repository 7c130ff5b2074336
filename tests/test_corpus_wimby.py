"""en_wimby_germany_energy_policy_targets.pdf: three ruled tables, glued footnote numbers."""

from tests.layout_fixtures import corpus_doc, page_of

NAME = "en_wimby_germany_energy_policy_targets.pdf"


def test_tables_headings_and_markers():
    doc, tables = corpus_doc(NAME)
    assert doc.page_count == 3 and doc.lang == "en"
    p1 = page_of(doc, 1)
    assert p1.blocks[0].kind == "heading" and p1.blocks[0].text == "Germany"
    assert "55% reduction in emissions from 1990-levels by 2030." in p1.text
    assert any(b.kind == "table" for b in p1.blocks) and len(tables) >= 3
    assert any(b.kind == "caption" and b.text.startswith("Table 1") for b in p1.blocks)
    assert {"1", "2"} <= {m.marker for m in p1.markers}
    assert any(b.kind == "footnote" and b.text.startswith("1 Bundesministerium") for b in p1.blocks)
