"""`audit`: one self-contained HTML report per document, so every fact can be checked against its page."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from flows.audit_html import AuditData, report_html
from flows.audit_render import render_pages
from flows.resolve import resolve_doc
from flows.settings import Limits
from flows.stored import stored_pdf
from schemas.errors import PolicyExtractError
from schemas.facts import FACT_MODELS
from warehouse.connect import OnWait, reader
from warehouse.reviews import facts_to_csv

DEFAULT_DPI = 80
DEFAULT_DIR = Path("reports")


@dataclass(frozen=True)
class AuditResult:
    """What `audit` wrote."""

    doc_id: str
    html: Path
    csv: Path | None
    n_facts: int
    n_pages: int
    n_images: int
    size_bytes: int


def _dicts(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description or []]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def doc_facts(con: duckdb.DuckDBPyConnection, doc_id: str) -> list[dict[str, Any]]:
    """Every fact of the document's latest run, each with its kind and latest review verdict."""
    facts: list[dict[str, Any]] = []
    for kind in FACT_MODELS:
        rows = _dicts(con, f"SELECT f.*, r.verdict AS review_verdict FROM {kind} f "
                           "LEFT JOIN latest_reviews r USING (fact_id) WHERE f.doc_id = ? "
                           "ORDER BY f.page_no, f.char_start, f.ordinal", [doc_id])
        facts.extend({**r, "fact_kind": kind} for r in rows)
    facts.sort(key=lambda f: (f["page_no"], f["char_start"], f["fact_kind"]))
    return facts


def doc_tables(con: duckdb.DuckDBPyConnection, doc_id: str) -> list[dict[str, Any]]:
    """Extracted tables with their cells."""
    tables = _dicts(con, "SELECT * FROM doc_tables WHERE doc_id = ? ORDER BY page_no, top, table_id", [doc_id])
    cells = _dicts(con, "SELECT * FROM table_cells WHERE doc_id = ? ORDER BY table_id, row_no, col_no", [doc_id])
    for t in tables:
        t["cells"] = [c for c in cells if c["table_id"] == t["table_id"]]
    return tables


def read_audit(con: duckdb.DuckDBPyConnection, doc_id: str) -> AuditData:
    """Everything the report shows for one document."""
    doc = _dicts(con, "SELECT * FROM documents WHERE doc_id = ?", [doc_id])[0]
    pages = _dicts(con, "SELECT page_no, width, height, quality FROM pages WHERE doc_id = ? ORDER BY page_no",
                   [doc_id])
    facts = doc_facts(con, doc_id)
    boxes: dict[str, list[dict[str, Any]]] = {}
    for b in _dicts(con, "SELECT * FROM fact_boxes WHERE doc_id = ? ORDER BY fact_id, box_no", [doc_id]):
        boxes.setdefault(b["fact_id"], []).append(b)
    rejections = _dicts(con, "SELECT fact_kind, page_no, quote, error FROM rejections WHERE run_id = ? "
                             "ORDER BY page_no NULLS LAST, fact_kind", [doc.get("run_id") or ""])
    counts = {kind: sum(1 for f in facts if f["fact_kind"] == kind) for kind in FACT_MODELS}
    return AuditData(doc, pages, facts, boxes, doc_tables(con, doc_id), rejections, counts)


def default_out(doc_id: str) -> Path:
    return DEFAULT_DIR / f"{doc_id[:12]}.html"


def audit_document(
    db_path: Path, name: str, out: Path | None = None, csv_out: Path | None = None,
    dpi: int = DEFAULT_DPI, on_wait: OnWait | None = None, limits: Limits | None = None,
) -> AuditResult:
    """Resolve DOC, read its rows, render its pages, write the HTML (and the review CSV if asked)."""
    if not 20 <= dpi <= 300:
        raise PolicyExtractError(f"--dpi must be between 20 and 300, not {dpi}")
    with reader(db_path, on_wait=on_wait) as con:
        doc_id = resolve_doc(con, name)
        data = read_audit(con, doc_id)
    recorded = data.doc.get("stored_path")
    data.images = render_pages(stored_pdf(db_path, doc_id, recorded), data.pages, dpi, limits or Limits(),
                               f"stored PDF {recorded} is missing")
    target = out or default_out(doc_id)
    html = report_html(data)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
        if csv_out is not None:
            csv_out.parent.mkdir(parents=True, exist_ok=True)
            csv_out.write_text(facts_to_csv(data.facts), encoding="utf-8")
    except OSError as exc:
        raise PolicyExtractError(f"cannot write the report: {exc}") from None
    return AuditResult(doc_id, target, csv_out, len(data.facts), len(data.pages),
                       sum(1 for i in data.images.values() if i.uri), len(html.encode("utf-8")))
