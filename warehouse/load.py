"""Load one document's run in one transaction: replace its rows, record the run, keep every fact's history."""

from __future__ import annotations

import json
import os
import signal
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from schemas.errors import PolicyExtractError
from schemas.facts import FACT_MODELS, Evidence
from schemas.load import DocumentLoad
from warehouse.connect import OnWait, first_line, reader, utc_now, writer

PROVENANCE = tuple(f for f in Evidence.model_fields if f != "boxes")
"""Evidence fields stored as columns on every fact row (boxes go to fact_boxes)."""

DOC_TABLES = (
    "pages", "blocks", "doc_tables", "table_cells", "doc_references", "fact_boxes", *FACT_MODELS,
)
"""Tables holding one document's latest run: emptied for the doc_id, then refilled."""

META_FIELDS = (
    "title_zh", "title_en", "doc_number", "issuer", "issued_date", "published_date", "received_date",
    "doi", "journal", "volume", "issue",
)


CRASH_ENV = "POLICY_CRASH_AT"
CRASH_POINTS = ("after_parse", "after_validation", "after_lock", "mid_insert", "before_commit", "after_commit")
"""Named moments a crash-consistency test may kill the process at (flows and drivers pass the first)."""
_crash_hits: Counter[str] = Counter()


def crash_point(name: str) -> None:
    """Tests only: POLICY_CRASH_AT=name[@n] SIGKILLs this process the n-th time it passes `name`."""
    spec = os.environ.get(CRASH_ENV)
    if not spec:
        return
    want, _, nth = spec.partition("@")
    if want != name:
        return
    _crash_hits[name] += 1
    if _crash_hits[name] >= int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)


def fact_columns(kind: str) -> list[str]:
    """Column order of a fact table insert: id, run, the fact's own fields, then provenance."""
    own = [f for f in FACT_MODELS[kind].model_fields if f not in Evidence.model_fields]
    return ["fact_id", "run_id", *own, *PROVENANCE]


def one_line(text: str | None, limit: int = 500) -> str | None:
    """documents.error is one readable line."""
    if text is None:
        return None
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _utc(moment: datetime | None) -> datetime | None:
    """Aware datetimes become naive UTC for TIMESTAMP columns."""
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def _append(con: duckdb.DuckDBPyConnection, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Bulk insert through DuckDB's appender (about 100x executemany); returns the row count."""
    batch = [list(r) for r in rows]
    if batch:
        with con.appender(table, columns=list(columns)) as app:
            app.append_rows(batch)
    return len(batch)


def load_counts(load: DocumentLoad) -> dict[str, int]:
    """The runs row's counters."""
    pages = load.document.pages if load.document is not None else ()
    counts = {
        "n_pages": len(pages),
        "n_blocks": sum(len(p.blocks) for p in pages),
        "n_tables": len(load.tables),
        "n_rejections": len(load.rejections),
    }
    for kind in FACT_MODELS:
        counts[f"n_{kind}"] = sum(1 for f in load.facts if f.KIND == kind)
    return counts


def _document_row(load: DocumentLoad, now: datetime, superseded_by: str | None) -> dict[str, Any]:
    """The documents row of this load (metadata empty when the document never parsed)."""
    doc = load.document
    row: dict[str, Any] = {
        "doc_id": load.doc_id, "source": load.source, "file_name": load.file_name,
        "stored_path": load.stored_path, "lang": doc.lang if doc else None,
        "page_count": doc.page_count if doc else None, "status": load.status, "reason": load.reason,
        "error": one_line(load.error), "superseded_by": superseded_by, "ingested_at": now,
        "pipeline_version": load.pipeline_version, "run_id": load.run_id,
    }
    for name in META_FIELDS:
        row[name] = getattr(doc.meta, name) if doc else None
    return row


def _upsert_document(con: duckdb.DuckDBPyConnection, load: DocumentLoad, now: datetime) -> None:
    """Replace the documents row, keeping superseded_by (set only when a newer version arrives)."""
    prior = con.execute("SELECT superseded_by FROM documents WHERE doc_id = ?", [load.doc_id]).fetchone()
    row = _document_row(load, now, prior[0] if prior else None)
    con.execute("DELETE FROM documents WHERE doc_id = ?", [load.doc_id])
    _append(con, "documents", list(row), [list(row.values())])


def _add_source(con: duckdb.DuckDBPyConnection, doc_id: str, source: str, file_name: str, now: datetime) -> None:
    """Remember every name and source the bytes arrived under."""
    con.execute(
        "INSERT INTO document_sources VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (doc_id, source, file_name) DO UPDATE SET last_seen = excluded.last_seen",
        [doc_id, source, file_name, now, now],
    )


def _supersede_older(con: duckdb.DuckDBPyConnection, load: DocumentLoad) -> None:
    """A new version from the same source supersedes the current older ones (which stay queryable)."""
    con.execute(
        """UPDATE documents SET superseded_by = ?
           WHERE doc_id <> ? AND status = 'ok' AND superseded_by IS NULL
             AND (source = ? OR doc_id IN (SELECT doc_id FROM document_sources WHERE source = ?))""",
        [load.doc_id, load.doc_id, load.source, load.source],
    )


def _delete_doc_rows(con: duckdb.DuckDBPyConnection, doc_id: str) -> None:
    """Empty the latest-run tables for this document before refilling them."""
    for table in DOC_TABLES:
        con.execute(f"DELETE FROM {table} WHERE doc_id = ?", [doc_id])


def _insert_layout(con: duckdb.DuckDBPyConnection, load: DocumentLoad) -> None:
    """pages and blocks."""
    assert load.document is not None
    doc_id, run_id, pages = load.doc_id, load.run_id, load.document.pages
    _append(con, "pages", ["doc_id", "page_no", "width", "height", "text", "quality", "n_images", "run_id"],
            ([doc_id, p.page_no, p.width, p.height, p.text, p.quality, p.n_images, run_id] for p in pages))
    _append(con, "blocks", ["doc_id", "page_no", "block_no", "kind", "lang", "text", "char_start", "char_end",
                            "x0", "top", "x1", "bottom", "column_no", "run_id"],
            ([doc_id, b.page_no, b.block_no, b.kind, b.lang, b.text, b.char_start, b.char_end,
              b.x0, b.top, b.x1, b.bottom, b.column, run_id] for p in pages for b in p.blocks))


def _insert_tables(con: duckdb.DuckDBPyConnection, load: DocumentLoad) -> None:
    """doc_tables and table_cells (a spanned cell once, with its spans)."""
    doc_id, run_id = load.doc_id, load.run_id
    _append(con, "doc_tables", ["doc_id", "table_id", "page_no", "pages", "label", "caption_zh", "caption_en",
                                "n_rows", "n_cols", "flags", "x0", "top", "x1", "bottom", "run_id"],
            ([doc_id, t.table_id, t.page_no, list(t.pages or (t.page_no,)), t.label, t.caption_zh,
              t.caption_en, t.n_rows, t.n_cols, list(t.flags), t.x0, t.top, t.x1, t.bottom, run_id]
             for t in load.tables))
    _append(con, "table_cells", ["doc_id", "table_id", "row_no", "col_no", "row_span", "col_span", "text",
                                 "is_header", "page_no", "x0", "top", "x1", "bottom", "refs", "run_id"],
            ([doc_id, t.table_id, c.row_no, c.col_no, c.row_span, c.col_span, c.text, c.is_header,
              c.page_no, c.x0, c.top, c.x1, c.bottom, list(c.refs), run_id]
             for t in load.tables for c in t.cells))


def _insert_references(con: duckdb.DuckDBPyConnection, load: DocumentLoad) -> None:
    """doc_references."""
    _append(con, "doc_references", ["doc_id", "ref", "ordinal", "authors", "title", "year", "url", "accessed",
                                    "page_no", "text", "run_id"],
            ([load.doc_id, r.ref, r.ordinal, r.authors, r.title, r.year, r.url, r.accessed, r.page_no,
              r.text, load.run_id] for r in load.references))


def _insert_facts(con: duckdb.DuckDBPyConnection, load: DocumentLoad) -> None:
    """The four fact tables, their boxes (at least the union box) and their fact_history rows."""
    for kind in FACT_MODELS:
        columns = fact_columns(kind)
        facts = [f for f in load.facts if f.KIND == kind]
        _append(con, kind, columns,
                ([f.fact_id, load.run_id, *(getattr(f, c) for c in columns[2:])] for f in facts))
    _append(con, "fact_boxes", ["fact_id", "box_no", "page_no", "x0", "top", "x1", "bottom", "doc_id", "run_id"],
            ([f.fact_id, i, b[0], b[1], b[2], b[3], b[4], load.doc_id, load.run_id]
             for f in load.facts for i, b in enumerate(_boxes(f))))
    _append(con, "fact_history", ["run_id", "fact_kind", "fact_id", "payload", "doc_id"],
            ([load.run_id, f.KIND, f.fact_id, f.model_dump_json(), load.doc_id] for f in load.facts))


def _boxes(fact: Evidence) -> list[tuple[int, float, float, float, float]]:
    """The quote's boxes; a one-box quote is its union box."""
    if fact.boxes:
        return [(b.page_no, b.x0, b.top, b.x1, b.bottom) for b in fact.boxes]
    return [(fact.page_no, fact.x0, fact.top, fact.x1, fact.bottom)]


def _insert_rejections(con: duckdb.DuckDBPyConnection, load: DocumentLoad) -> None:
    """Candidates that failed validation, with the reason, for the evaluation and audit."""
    _append(con, "rejections", ["run_id", "doc_id", "fact_kind", "payload", "error", "page_no", "quote"],
            ([load.run_id, r.doc_id, r.fact_kind, json.dumps(r.payload, ensure_ascii=False, default=str),
              one_line(r.error, 2000), r.page_no, r.quote] for r in load.rejections))


def _insert_run(con: duckdb.DuckDBPyConnection, load: DocumentLoad, counts: dict[str, int]) -> None:
    """The runs row: one per extraction run, ok or failed."""
    row: dict[str, Any] = {
        "run_id": load.run_id, "doc_id": load.doc_id, "started_at": _utc(load.started_at),
        "finished_at": _utc(load.finished_at), "status": load.status,
        "pipeline_version": load.pipeline_version, **counts, "source": load.source,
        "reason": load.reason, "error": one_line(load.error), "loaded_at": utc_now(),
    }
    _append(con, "runs", list(row), [list(row.values())])


def _write_load(con: duckdb.DuckDBPyConnection, load: DocumentLoad, counts: dict[str, int]) -> None:
    """Everything of one load; the caller owns the transaction."""
    now = utc_now()
    prior = con.execute("SELECT status FROM documents WHERE doc_id = ?", [load.doc_id]).fetchone()
    _add_source(con, load.doc_id, load.source, load.file_name, now)
    if load.status == "ok":
        _upsert_document(con, load, now)
        _delete_doc_rows(con, load.doc_id)
        _insert_layout(con, load)
        _insert_tables(con, load)
        _insert_references(con, load)
        crash_point("mid_insert")
        _insert_facts(con, load)
        if prior is None or prior[0] != "ok":
            _supersede_older(con, load)
    elif prior is None or prior[0] != "ok":
        _upsert_document(con, load, now)   # a failed re-run of an ok document keeps its facts
    _insert_run(con, load, counts)
    _insert_rejections(con, load)


def load_document(
    db_path: str | Path, load: DocumentLoad, *, on_wait: OnWait | None = None, wait_s: float | None = None,
) -> dict[str, int]:
    """Load one run entirely or not at all, holding the write lock only for that transaction."""
    counts = load_counts(load)
    crash_point("after_validation")
    with writer(db_path, wait_s=wait_s, on_wait=on_wait) as con:
        crash_point("after_lock")
        con.execute("BEGIN TRANSACTION")
        try:
            _write_load(con, load, counts)
            crash_point("before_commit")
            con.execute("COMMIT")
            crash_point("after_commit")
        except duckdb.Error as exc:
            con.execute("ROLLBACK")
            raise PolicyExtractError(
                f"loading {load.file_name} ({load.doc_id[:12]}) failed and was rolled back: {first_line(exc)}"
            ) from exc
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return counts


def record_source(
    db_path: str | Path, doc_id: str, source: str, file_name: str, *,
    on_wait: OnWait | None = None, wait_s: float | None = None,
) -> None:
    """Known bytes seen again (maybe under a new name): remember the name without parsing again."""
    with writer(db_path, wait_s=wait_s, on_wait=on_wait) as con:
        _add_source(con, doc_id, source, file_name, utc_now())


def record_sources(
    db_path: str | Path, rows: Sequence[tuple[str, str, str]], *,
    on_wait: OnWait | None = None, wait_s: float | None = None,
) -> None:
    """Many (doc_id, source, file_name) seen again, in one transaction: a no-op re-ingest opens one writer."""
    now = utc_now()
    with writer(db_path, wait_s=wait_s, on_wait=on_wait) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            for doc_id, source, file_name in rows:
                _add_source(con, doc_id, source, file_name, now)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise


def known_documents(
    db_path: str | Path, *, on_wait: OnWait | None = None,
) -> dict[str, tuple[str, str, str | None]]:
    """doc_id -> (pipeline_version, status, reason) of every document, read once per ingest; {} if new."""
    if not Path(db_path).is_file():
        return {}
    with reader(db_path, on_wait=on_wait, check_version=False) as con:
        try:
            rows = con.execute("SELECT doc_id, pipeline_version, status, reason FROM documents").fetchall()
        except duckdb.CatalogException:  # a file that was never migrated
            return {}
    return {doc_id: (version, status, reason) for doc_id, version, status, reason in rows}


def loaded_versions(db_path: str | Path, *, on_wait: OnWait | None = None) -> dict[str, str]:
    """doc_id -> pipeline_version of every successfully loaded document."""
    return {d: v for d, (v, status, _) in known_documents(db_path, on_wait=on_wait).items() if status == "ok"}


def is_loaded(db_path: str | Path, doc_id: str, pipeline_version: str) -> bool:
    """One document's check; for a batch read known_documents once instead."""
    return loaded_versions(db_path).get(doc_id) == pipeline_version


def add_review(
    db_path: str | Path, fact_id: str, verdict: str, *, corrected: dict[str, Any] | None = None,
    reviewer: str | None = None, note: str | None = None, reviewed_at: datetime | None = None,
    on_wait: OnWait | None = None, wait_s: float | None = None,
) -> None:
    """Record a human verdict; the latest per fact_id decides what the *_reviewed views show."""
    if verdict not in ("accepted", "rejected", "corrected"):
        raise PolicyExtractError(f"verdict must be accepted, rejected or corrected, not {verdict!r}")
    if (verdict == "corrected") != bool(corrected):
        raise PolicyExtractError("give corrected fields with (and only with) the verdict 'corrected'")
    payload = json.dumps(corrected, ensure_ascii=False, default=str) if corrected else None
    with writer(db_path, wait_s=wait_s, on_wait=on_wait) as con:
        con.execute(
            "INSERT INTO reviews (fact_id, verdict, corrected, reviewer, reviewed_at, note) VALUES (?, ?, ?, ?, ?, ?)",
            [fact_id, verdict, payload, reviewer, _utc(reviewed_at) or utc_now(), note],
        )
