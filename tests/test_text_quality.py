"""Text quality: (cid:N) garbage, GBK mojibake recovery, empty pages, document rejection."""

from __future__ import annotations

import pytest

from extractors import text_quality as tq
from schemas.errors import DocumentRejected
from schemas.layout import Document, Page
from tests.layout_fixtures import layout_file, render_pdf, text_at

DOC_ID = "b" * 64


def _doc(*pages: tuple[str, str, int]) -> Document:
    return Document(doc_id=DOC_ID, file_name="x.pdf", lang="zh", page_count=len(pages), pages=tuple(
        Page(page_no=i + 1, width=595, height=842, text=t, quality=q, n_images=n)
        for i, (t, q, n) in enumerate(pages)))


def test_cid_text_is_garbled():
    assert tq.page_quality("(cid:12)(cid:40)(cid:7) (cid:99)") == "garbled"
    assert tq.page_quality("到2025年，非化石能源消费比重提高到20%左右") == "ok"
    assert tq.page_quality("   ", n_images=1) == "no_text"


def test_mojibake_is_recovered_with_boxes():
    text = "中国能源".encode("gbk").decode("latin-1")
    assert tq.looks_mojibake(text)
    boxes = [(float(i), 0.0, float(i + 1), 1.0) for i in range(len(text))]
    fixed, new_boxes = tq.mojibake_to_text(text, boxes)
    assert fixed == "中国能源"
    assert new_boxes[0] == (0.0, 0.0, 2.0, 1.0) and len(new_boxes) == 4
    assert tq.mojibake_to_text("plain English text", [(0, 0, 1, 1)] * 18) is None


def test_check_document_rejects_scans_and_garbage():
    with pytest.raises(DocumentRejected) as e:
        tq.check_document(_doc(("", "no_text", 1), ("", "no_text", 1)))
    assert e.value.reason == "no_text_layer" and "scanned" in str(e.value)
    with pytest.raises(DocumentRejected) as e:
        tq.check_document(_doc(("(cid:1)" * 50, "garbled", 0), ("短", "ok", 0)))
    assert e.value.reason == "garbled_text" and "\n" not in str(e.value)
    tq.check_document(_doc(("到2025年，非化石能源消费比重提高到20%左右。" * 3, "ok", 0)))


def test_mojibake_page_from_pdf_is_recovered(tmp_path):
    text = "国务院关于印发节能减排综合工作方案的通知".encode("gbk").decode("latin-1")

    def draw(c):
        text_at(c, 50, 100, text, "Helvetica", 10)
    doc, _ = layout_file(render_pdf(tmp_path / "moji.pdf", [draw]), lambda p, d: [])
    page = doc.pages[0]
    assert page.quality == "recovered"
    assert "国务院关于印发节能减排综合工作方案的通知" in page.text
    assert len(page.char_boxes) == len(page.text)
