"""`audit` draws pages in a limited child and refuses pages too large to draw (issue 13, item 3)."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pdfplumber
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from extractors import layout
from schemas.load import DocumentLoad
from warehouse.load import load_document

ROOT = Path(__file__).resolve().parents[1]
CLI_RSS_MB = 1024
"""The audit command's own peak memory stays under this whatever the page size (the drawing is in a child)."""


def two_page_pdf(side_pt: float) -> bytes:
    """An A4 page of text, then a square page `side_pt` points wide with a line of text on it."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("Helvetica", 11)
    c.drawString(72, 760, "An ordinary page before the huge one.")
    c.showPage()
    c.setPageSize((side_pt, side_pt))
    c.setFont("Helvetica", 11)
    c.drawString(72, side_pt - 72, "A page far larger than any paper.")
    c.showPage()
    c.save()
    return buf.getvalue()


def load_pdf(tmp: Path, data: bytes) -> tuple[Path, str]:
    """Lay the PDF out for real and load it (no facts) into tmp/w.duckdb; returns (db, doc_id)."""
    doc_id = hashlib.sha256(data).hexdigest()
    stored = tmp / "store" / f"{doc_id}.pdf"
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.write_bytes(data)
    with pdfplumber.open(stored) as p:
        doc, _ = layout.pdf_to_document(p, doc_id, "huge.pdf", find_tables=lambda *_a, **_k: [])
    now = datetime.now(UTC)
    db = tmp / "w.duckdb"
    load_document(db, DocumentLoad(doc_id=doc_id, source="huge.pdf", file_name="huge.pdf", stored_path=str(stored),
                                   pipeline_version="test-1", run_id=str(uuid.uuid4()), started_at=now,
                                   finished_at=now, status="ok", document=doc))
    return db, doc_id


def audit_cli(db: Path, doc_id: str, out: Path, *args: str) -> tuple[int, str, float]:
    """Run `policy-extract audit` as its own process; (exit code, stderr, its peak RSS in MB)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "flows.cli", "audit", doc_id[:12], "--db", str(db),
                             "--out", str(out), *args], env=env, stderr=subprocess.PIPE, text=True)
    stderr = proc.stderr.read() if proc.stderr else ""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, stderr, usage.ru_maxrss / 1024


@pytest.mark.parametrize(("side_pt", "dpi", "shown"), [(100_000, 80, "100,000 × 100,000 pt"),
                                                      (5_000, 300, "5,000 × 5,000 pt")])
def test_a_page_too_large_to_draw_is_a_placeholder_with_its_size(tmp_path: Path, side_pt: float, dpi: int,
                                                                 shown: str) -> None:
    db, doc_id = load_pdf(tmp_path, two_page_pdf(side_pt))
    out = tmp_path / "r.html"
    code, stderr, rss_mb = audit_cli(db, doc_id, out, "--dpi", str(dpi))
    assert code == 0, stderr
    html = out.read_text(encoding="utf-8")
    assert html.count('<img src="data:image/jpeg') == 1  # the ordinary page is drawn
    assert f"page is {shown}: too large to draw at {dpi} dpi" in html
    assert rss_mb < CLI_RSS_MB, f"the audit process itself peaked at {rss_mb:.0f} MB"


def test_a_page_over_the_memory_cap_is_a_placeholder_not_a_crash(tmp_path: Path) -> None:
    """Within the pixel budget but over a small --memory-mb: the child's cap stops it, the report is written."""
    db, doc_id = load_pdf(tmp_path, two_page_pdf(2_000))
    out = tmp_path / "r.html"
    code, stderr, _ = audit_cli(db, doc_id, out, "--dpi", "200", "--memory-mb", "300")  # ~31 million pixels
    assert code == 0, stderr
    html = out.read_text(encoding="utf-8")
    assert html.count('<img src="data:image/jpeg') == 1  # the A4 page fits in 300 MB
    assert "over the 300 MB memory cap (raise it with --memory-mb)" in html
