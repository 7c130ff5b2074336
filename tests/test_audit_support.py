"""Helpers for the audit/review/diff tests: a real PDF, laid out for real, loaded with known facts."""

from __future__ import annotations

import hashlib
import io
import shutil
import sys
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pdfplumber
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

import flows.cli_audit  # noqa: F401  (registers audit, review, diff on the app)
from extractors import layout
from extractors.provenance import evidence
from flows.cli import main
from schemas.facts import DateFact, DocTable, Policy, TableCell, Target, Technology
from schemas.load import DocumentLoad
from schemas.runs import Rejection
from tests.conftest import rows  # noqa: F401 - re-exported to the tests that import it from here
from warehouse.load import load_document

TARGET_ZH = "到2025年，非化石能源消费比重达到20%左右。"
SCRIPT_TEXT = "<script>alert(1)</script>"
EN_LINE = "The UK aims at net zero emissions by 2050."


def render_pdf(extra: str = "") -> bytes:
    """Three pages: a Chinese target and a <script> text; an English target; an empty-ish last page."""
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("STSong-Light", 16)
    c.drawString(72, 770, "节能减排综合工作方案")
    c.setFont("STSong-Light", 11)
    c.drawString(72, 730, TARGET_ZH)
    c.drawString(72, 700, f"《示范方案{SCRIPT_TEXT}》由国务院印发。")
    if extra:
        c.drawString(72, 670, extra)
    c.showPage()
    c.setFont("Helvetica", 11)
    c.drawString(72, 760, EN_LINE)
    c.drawString(72, 730, "Offshore wind and carbon capture are deployed at scale.")
    c.showPage()
    c.setFont("Helvetica", 11)
    c.drawString(72, 760, "Annex.")
    c.showPage()
    c.save()
    return buf.getvalue()


def _span(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def _facts(doc) -> list:
    """Known facts with real provenance from the laid-out pages."""
    p1, p2 = doc.pages[0].text, doc.pages[1].text
    ev = lambda page, part, rule, **kw: evidence(  # noqa: E731
        doc, page, *_span(doc.pages[page - 1].text, part), extractor="test", rule_id=rule, version="1.0", **kw)
    target = Target(**ev(1, TARGET_ZH[:-1], "zh.test.share"), target_key="k1", actor="CN", kind="share",
                    subject="non_fossil_share", value=20.0, unit="%", qualifier="approx", target_year=2025,
                    deadline_type="by", confidence=0.9)
    date_fact = DateFact(**ev(1, "2025年", "zh.test.year"), surface="2025年", iso="2025", role="target",
                         date_start=date(2025, 1, 1), date_end=date(2025, 12, 31), precision="year", actor="CN")
    policy = Policy(**ev(1, f"《示范方案{SCRIPT_TEXT}》", "zh.test.title"), title=f"示范方案{SCRIPT_TEXT}",
                    actor="CN", year=2021)
    uk = Target(**ev(2, EN_LINE[:-1], "en.test.net_zero"), target_key="k2", actor="GB", kind="net_zero",
                target_year=2050, deadline_type="by", confidence=0.8)
    tech = Technology(**ev(2, "Offshore wind", "en.test.tech"), name_surface="Offshore wind",
                      canonical_id="offshore_wind", origin="text")
    assert SCRIPT_TEXT in p1 and "Offshore wind" in p2
    return [target, date_fact, policy, uk, tech]


def _table(doc_id: str) -> DocTable:
    """A 3x2 table whose header spans both columns."""
    cells = (TableCell(row_no=0, col_no=0, col_span=2, text="指标 <b>x</b>", is_header=True, page_no=1,
                       x0=72, top=600, x1=300, bottom=620),
             TableCell(row_no=1, col_no=0, text="非化石能源比重", page_no=1, x0=72, top=620, x1=180, bottom=640),
             TableCell(row_no=1, col_no=1, text="20%", page_no=1, x0=180, top=620, x1=300, bottom=640),
             TableCell(row_no=2, col_no=0, text="单位GDP能耗", page_no=1, x0=72, top=640, x1=180, bottom=660),
             TableCell(row_no=2, col_no=1, text="13.5%", page_no=1, x0=180, top=640, x1=300, bottom=660))
    return DocTable(doc_id=doc_id, table_id="t1", page_no=1, label="表1", caption_zh="主要目标", n_rows=3,
                    n_cols=2, x0=72, top=600, x1=300, bottom=660, cells=cells)


def doc_load(pdf: Path, store: Path, source: str, facts_filter=None, run_id: str | None = None) -> DocumentLoad:
    """Lay out a PDF for real and wrap known facts, a table and a rejection into a load."""
    data = pdf.read_bytes()
    doc_id = hashlib.sha256(data).hexdigest()
    store.mkdir(parents=True, exist_ok=True)
    stored = store / f"{doc_id}.pdf"
    shutil.copyfile(pdf, stored)
    with pdfplumber.open(stored) as p:
        doc, _ = layout.pdf_to_document(p, doc_id, pdf.name, find_tables=lambda *_a, **_k: [])
    facts = _facts(doc)
    if facts_filter is not None:
        facts = facts_filter(facts)
    rejection = Rejection(doc_id=doc_id, fact_kind="targets", payload={"quote": SCRIPT_TEXT, "value": -1},
                          error="value -1 < 0 <img src=x>", page_no=1, quote=SCRIPT_TEXT)
    now = datetime.now(UTC)
    return DocumentLoad(doc_id=doc_id, source=source, file_name=pdf.name, stored_path=str(stored),
                        pipeline_version="test-1", run_id=run_id or str(uuid.uuid4()), started_at=now,
                        finished_at=now, status="ok", document=doc, tables=(_table(doc_id),),
                        facts=tuple(facts), rejections=(rejection,))


def build_warehouse(tmp: Path, extra: str = "", name: str = "plan.pdf") -> tuple[Path, str, Path]:
    """Write the PDF, load it into tmp/w.duckdb; returns (db, doc_id, pdf)."""
    pdf = tmp / name
    pdf.write_bytes(render_pdf(extra))
    db = tmp / "w.duckdb"
    load = doc_load(pdf, tmp / "store", source=str(pdf))
    load_document(db, load)
    return db, load.doc_id, pdf


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run `policy-extract ARGS` in process; (exit code, stdout, stderr)."""
    old = sys.argv
    sys.argv = ["policy-extract", *args]
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    finally:
        sys.argv = old
    out = capsys.readouterr()
    return code, out.out, out.err
