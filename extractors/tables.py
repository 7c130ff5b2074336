"""Tables: first cut (ruled grids only) — the tables engineer replaces this module."""

from __future__ import annotations

import hashlib
from typing import Any

from schemas.facts import DocTable, TableCell
from schemas.layout import Document

VERSION = "0.1"


def page_to_tables(page: Any, doc_id: str) -> list[DocTable]:
    """Ruled tables on one pdfplumber page, with a box per cell."""
    out: list[DocTable] = []
    for t in page.find_tables():
        cells: list[TableCell] = []
        for r, row in enumerate(t.rows):
            for c, cell in enumerate(row.cells):
                if cell is None:
                    continue
                text = (page.crop(cell).extract_text() or "").replace("\n", "")
                cells.append(TableCell(row_no=r, col_no=c, text=text, is_header=r == 0,
                                       page_no=page.page_number, x0=cell[0], top=cell[1],
                                       x1=cell[2], bottom=cell[3]))
        x0, top, x1, bottom = t.bbox
        tid = hashlib.sha256(f"{doc_id}|{page.page_number}|{x0:.1f}|{top:.1f}".encode()).hexdigest()[:16]
        out.append(DocTable(doc_id=doc_id, table_id=tid, page_no=page.page_number,
                            pages=(page.page_number,), n_rows=len(t.rows),
                            n_cols=max((len(r.cells) for r in t.rows), default=0),
                            x0=x0, top=top, x1=x1, bottom=bottom, cells=tuple(cells)))
    return out


def finalize(doc: Document, tables: list[DocTable]) -> list[DocTable]:
    """Stitch, label and caption tables (first cut: unchanged)."""
    return list(tables)
