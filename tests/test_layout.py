"""Layout on PDFs rendered with reportlab: columns, bands, headers/footers, notes, markers, spacing."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors import layout
from schemas.layout import NO_BOX
from tests.layout_fixtures import CJK_FONT, layout_file, render_pdf, text_at

NO_TABLES = lambda page, doc_id: []  # noqa: E731  (these pages draw no ruled tables)

LEFT = [f"Left column sentence number {i} keeps going here." for i in range(1, 13)]
RIGHT = [f"Right column sentence number {i} keeps going too." for i in range(1, 13)]


def _two_column_page(c, page_no: int) -> None:
    text_at(c, 200, 30, "Journal of Running Headers 2022", size=8)
    text_at(c, 120, 115, "A Full Width Title Over Both Columns", "Helvetica-Bold", 18)
    for i, (a, b) in enumerate(zip(LEFT, RIGHT, strict=False)):
        text_at(c, 50, 160 + i * 14, a)
        text_at(c, 320, 160 + i * 14, b)
    text_at(c, 290, 810, str(page_no), size=9)


@pytest.fixture(scope="module")
def columns_doc(tmp_path_factory):
    path = tmp_path_factory.mktemp("cols") / "cols.pdf"
    render_pdf(path, [lambda c, n=n: _two_column_page(c, n) for n in (1, 2, 3)])
    return layout_file(path, NO_TABLES)[0]


def test_two_columns_read_column_by_column(columns_doc):
    text = columns_doc.pages[0].text
    assert text.index("Left column sentence number 12") < text.index("Right column sentence number 1 ")
    assert text.index("Full Width Title") < text.index("Left column sentence number 1 ")


def test_full_width_title_is_heading_block(columns_doc):
    kinds = {b.text: b.kind for b in columns_doc.pages[0].blocks}
    assert kinds["A Full Width Title Over Both Columns"] == "heading"


def test_running_header_and_page_numbers_out_of_body(columns_doc):
    for page in columns_doc.pages:
        margin = [b for b in page.blocks if b.kind in ("header", "footer")]
        assert {b.kind for b in margin} == {"header", "footer"}
        body_end = max(b.char_end for b in page.blocks if b.kind not in ("header", "footer"))
        assert all(b.char_start > body_end for b in margin)
        assert page.text.endswith(str(page.page_no))


def test_char_boxes_align_with_text(columns_doc):
    page = columns_doc.pages[0]
    assert len(page.char_boxes) == len(page.text)
    for b in page.blocks:
        assert page.text[b.char_start:b.char_end] == b.text
    i = page.text.index("Left column")
    assert page.char_boxes[i] != NO_BOX and 45 <= page.char_boxes[i][0] <= 55
    newline = page.text.index("\n")
    assert page.char_boxes[newline] == NO_BOX


def _cjk_page(c) -> None:
    text_at(c, 250, 60, "目    录", CJK_FONT, 16)
    text_at(c, 50, 100, "一、发展目标", CJK_FONT, 12)
    text_at(c, 74, 130, "到 2025 年，非化石能源消费比重提高到", CJK_FONT, 12)
    text_at(c, 50, 150, "20%左右，单位 GDP 能耗下降 13.5%。", CJK_FONT, 12)
    text_at(c, 74, 180, "开展纳米驱油、CO", CJK_FONT, 12)
    c.setFont("Helvetica", 7)
    c.drawString(74 + 12 * 7 + 14, 842 - 180 - 12 * 0.8 - 2, "2")
    text_at(c, 74 + 12 * 7 + 20, 180, "驱油技术攻关，研究进展显著", CJK_FONT, 12)
    c.setFont("Helvetica", 7)
    c.drawString(74 + 12 * 20 + 22, 842 - 180 - 12 * 0.8 + 6, "[12]")
    text_at(c, 74 + 12 * 20 + 40, 180, "。", CJK_FONT, 12)
    text_at(c, 50, 780, "① 本文数据来自国家统计局。", CJK_FONT, 8)


@pytest.fixture(scope="module")
def cjk_page(tmp_path_factory):
    path = tmp_path_factory.mktemp("cjk") / "cjk.pdf"
    render_pdf(path, [_cjk_page])
    return layout_file(path, NO_TABLES)[0].pages[0]


def test_no_spaces_between_cjk_and_letter_spaced_heading(cjk_page):
    assert "目录" in cjk_page.text
    assert "到2025年，非化石能源消费比重提高到20%左右" in cjk_page.text
    assert "单位GDP能耗下降13.5%" in cjk_page.text


def test_heading_and_footnote_kinds(cjk_page):
    kinds = {b.text: b.kind for b in cjk_page.blocks}
    assert kinds["一、发展目标"] == "heading"
    assert kinds["目录"] == "heading"
    assert kinds["①本文数据来自国家统计局。"] == "footnote"


def test_subscript_kept_and_superscript_marker_removed(cjk_page):
    assert "CO2驱油技术攻关" in cjk_page.text
    assert "[12]" not in cjk_page.text
    (marker,) = cjk_page.markers
    assert marker.marker == "[12]"
    assert cjk_page.text[marker.char_offset - 2:marker.char_offset] == "显著"


def test_english_hyphenation_joined(tmp_path: Path):
    def draw(c):
        text_at(c, 50, 100, "Renewable energy sources will deliver a large share of the elec-")
        text_at(c, 50, 114, "tricity needed by 2030 across the whole of the continent.")
    doc, _ = layout_file(render_pdf(tmp_path / "hy.pdf", [draw]), NO_TABLES)
    assert "share of the electricity needed by 2030" in doc.pages[0].text
    assert doc.lang == "en" and doc.pages[0].blocks[0].lang == "en"


def test_table_block_in_reading_order(tmp_path: Path):
    def draw(c):
        text_at(c, 50, 60, "Before the table comes this paragraph of text.")
        c.grid([50, 200, 350], [842 - 100, 842 - 120, 842 - 140])
        text_at(c, 55, 104, "Wind")
        text_at(c, 205, 104, "115 GW")
        text_at(c, 55, 124, "Solar")
        text_at(c, 205, 124, "215 GW")
        text_at(c, 50, 170, "After the table comes this closing paragraph.")
    doc, tables = layout_file(render_pdf(tmp_path / "t.pdf", [draw]))
    page = doc.pages[0]
    kinds = [b.kind for b in page.blocks]
    assert kinds.index("table") == 1 and len(tables) == 1
    table = page.blocks[1]
    assert "Wind" in table.text and "215 GW" in table.text
    assert page.text.count("Wind") == 1
    assert page.text.index("Before") < page.text.index("Wind") < page.text.index("After")


def test_three_columns(tmp_path: Path):
    def draw(c):
        for col, x in enumerate((40, 230, 420)):
            for i in range(10):
                text_at(c, x, 100 + i * 14, f"Column {col} line {i} text here")
    doc, _ = layout_file(render_pdf(tmp_path / "c3.pdf", [draw]), NO_TABLES)
    text = doc.pages[0].text
    assert text.index("Column 0 line 9") < text.index("Column 1 line 0") < \
        text.index("Column 1 line 9") < text.index("Column 2 line 0")


def test_public_api_uses_tables_module(tmp_path: Path):
    def draw(c):
        text_at(c, 50, 100, "Only one line of text.")
    import pdfplumber
    with pdfplumber.open(render_pdf(tmp_path / "one.pdf", [draw])) as pdf:
        doc, tables = layout.pdf_to_document(pdf, "a" * 64, "one.pdf")
    assert doc.page_count == 1 and doc.pages[0].text == "Only one line of text." and tables == []
    assert doc.pages[0].quality == "ok"
