"""Inputs and a content snapshot for the parallel-parsing tests (1 worker, 2 workers, a Dask cluster)."""

from __future__ import annotations

import io
from pathlib import Path

import duckdb
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from tests.bad_pdfs import good_pdf_bytes

ZH = ["到2025年，非化石能源消费比重达到20%左右。", "2030年前实现碳达峰，2060年前实现碳中和。",
      "单位国内生产总值能源消耗比2020年下降13.5%。"]
EN = ["China aims to peak carbon emissions before 2030.", "The EU aims at climate neutrality by 2050.",
      "Renewable capacity shall reach 1200 GW by 2030."]


def zh_pdf_bytes(pages: int, seed: int) -> bytes:
    """A Chinese PDF in reportlab's built-in STSong-Light, a few target sentences per page."""
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    for p in range(pages):
        c.setFont("STSong-Light", 12)
        for i, line in enumerate(ZH * 3):
            c.drawString(72, 760 - 22 * i, f"{seed}-{p + 1}：{line}")
        c.showPage()
    c.save()
    return buf.getvalue()


def write_inputs(folder: Path) -> list[Path]:
    """Five documents of different sizes, Chinese and English."""
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for i, pages in enumerate((6, 2, 4)):
        f = folder / f"zh_{i}.pdf"
        f.write_bytes(zh_pdf_bytes(pages, i))
        files.append(f)
    for i in range(2):
        f = folder / f"en_{i}.pdf"
        f.write_bytes(good_pdf_bytes(" ".join(EN) + f" Document {i}.", pages=3))
        files.append(f)
    return files


SNAPSHOT = {
    "documents": "SELECT doc_id, file_name, status, reason, page_count, lang FROM documents",
    "pages": "SELECT doc_id, page_no, text, quality FROM pages",
    "blocks": "SELECT doc_id, page_no, block_no, kind, text FROM blocks",
    "policy_dates": "SELECT fact_id, iso, role, quote FROM policy_dates",
    "targets": "SELECT fact_id, kind, value, unit, target_year, quote FROM targets",
    "technologies": "SELECT fact_id, canonical_id FROM technologies",
    "policies": "SELECT fact_id, title FROM policies",
    "fact_boxes": "SELECT fact_id, box_no, page_no, x0, top FROM fact_boxes",
    "history": "SELECT fact_kind, fact_id, payload FROM fact_history",
}


def snapshot(db: Path) -> dict[str, list[tuple]]:
    """The warehouse's content without run ids and times: equal for equal extractions."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {k: sorted(map(tuple, con.execute(sql).fetchall()), key=repr) for k, sql in SNAPSHOT.items()}
    finally:
        con.close()
