"""Shared helpers for the layout tests: the corpus path, laid-out corpus documents, reportlab pages."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import pdfplumber

from extractors import layout
from schemas.facts import DocTable
from schemas.layout import Document, Page
from tests.conftest import corpus_pdf

DOC_ID = "0" * 64
CJK_FONT = "STSong-Light"


@lru_cache(maxsize=8)
def _laid_out(path: Path, pages: tuple[int, ...] | None) -> tuple[Document, list[DocTable]]:
    with pdfplumber.open(path, pages=list(pages) if pages else None) as pdf:
        return layout.pdf_to_document(pdf, DOC_ID, path.name)


def corpus_doc(name: str, pages: Sequence[int] | None = None) -> tuple[Document, list[DocTable]]:
    """Lay out a corpus PDF once per test session (optionally only some pages, to save time)."""
    return _laid_out(corpus_pdf(name), tuple(pages) if pages else None)


def page_of(doc: Document, page_no: int) -> Page:
    """A page by its 1-based number in the PDF (also when only some pages were laid out)."""
    return next(p for p in doc.pages if p.page_no == page_no)


def register_cjk_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))


def render_pdf(path: Path, pages: Sequence[Callable[[Any], None]], size=(595.0, 842.0)) -> Path:
    """Render one PDF page per drawing function (each gets a reportlab canvas)."""
    from reportlab.pdfgen import canvas

    register_cjk_font()
    c = canvas.Canvas(str(path), pagesize=size)
    for draw in pages:
        draw(c)
        c.showPage()
    c.save()
    return path


def text_at(c: Any, x: float, top: float, text: str, font: str = "Helvetica", size: float = 10,
            page_height: float = 842.0) -> None:
    """Draw text with its top at `top` (pdfplumber's coordinates: from the page top)."""
    c.setFont(font, size)
    c.drawString(x, page_height - top - size * 0.8, text)


def layout_file(path: Path, find_tables: Any = None) -> tuple[Document, list[DocTable]]:
    """Lay out a rendered PDF."""
    with pdfplumber.open(path) as pdf:
        return layout.pdf_to_document(pdf, DOC_ID, path.name, find_tables=find_tables)
