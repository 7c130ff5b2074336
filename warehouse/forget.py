"""Forget a document (a takedown): its rows, facts and fact history go; its reviews stay, marked orphaned."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from schemas.errors import PolicyExtractError
from schemas.facts import FACT_MODELS
from warehouse.connect import OnWait, first_line, open_with_retry, utc_now, writer

CONTENT_TABLES = (
    "pages", "blocks", "doc_tables", "table_cells", "doc_references", "fact_boxes", *FACT_MODELS,
    "fact_history", "rejections", "document_sources",
)
"""Every table that holds a document's content or names, keyed by doc_id: emptied for it."""


@dataclass(frozen=True)
class Forgotten:
    """What a takedown removed, for the command's report."""

    doc_id: str
    file_name: str | None
    stored_path: str | None
    n_facts: int
    n_reviews: int
    unsuperseded: tuple[str, ...]


def _fact_ids(con: duckdb.DuckDBPyConnection, doc_id: str) -> list[str]:
    """Every fact id this document ever had: current facts and every run's history."""
    union = " UNION ".join(f"SELECT fact_id FROM {kind} WHERE doc_id = $1" for kind in FACT_MODELS)
    rows = con.execute(f"{union} UNION SELECT fact_id FROM fact_history WHERE doc_id = $1", [doc_id])
    return [r[0] for r in rows.fetchall()]


def _orphan_reviews(con: duckdb.DuckDBPyConnection, doc_id: str, fact_ids: list[str]) -> int:
    """Reviews stay (they are a human's work) but say their fact is gone."""
    if not fact_ids:
        return 0
    con.execute("UPDATE reviews SET orphaned = true, orphaned_doc_id = ? WHERE list_contains(?, fact_id)",
                [doc_id, fact_ids])
    row = con.execute("SELECT count(*) FROM reviews WHERE orphaned_doc_id = ?", [doc_id]).fetchone()
    return int(row[0]) if row else 0


def _forget_in(con: duckdb.DuckDBPyConnection, doc_id: str, note: str | None) -> Forgotten:
    """The takedown's statements; the caller owns the transaction."""
    doc = con.execute("SELECT file_name, stored_path FROM documents WHERE doc_id = ?", [doc_id]).fetchone()
    if doc is None:
        raise PolicyExtractError(f"document {doc_id[:12]}… is not in the warehouse")
    fact_ids = _fact_ids(con, doc_id)
    n_reviews = _orphan_reviews(con, doc_id, fact_ids)
    for table in CONTENT_TABLES:
        con.execute(f"DELETE FROM {table} WHERE doc_id = ?", [doc_id])
    older = con.execute("UPDATE documents SET superseded_by = NULL WHERE superseded_by = ? RETURNING doc_id",
                        [doc_id]).fetchall()
    con.execute("DELETE FROM documents WHERE doc_id = ?", [doc_id])
    con.execute("UPDATE runs SET source = NULL, error = NULL WHERE doc_id = ?", [doc_id])
    con.execute("INSERT OR REPLACE INTO forgotten VALUES (?, ?, ?, ?, ?, ?)",
                [doc_id, utc_now(), doc[0], len(fact_ids), n_reviews, note])
    return Forgotten(doc_id, doc[0], doc[1], len(fact_ids), n_reviews, tuple(r[0] for r in older))


def _sql_text(value: str | Path) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def _remove(*paths: Path) -> None:
    for p in paths:
        p.unlink(missing_ok=True)


def rewrite_compacted(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Replace the file by a fresh copy of its live rows: no freed block keeps deleted text.

    DuckDB's CHECKPOINT marks the blocks of deleted rows free but leaves their bytes in the file. The copy
    is made and renamed over the file while con still holds the write lock, so a process waiting for the
    lock opens the new file; con then closes on the old, unlinked one.
    """
    fresh = path.with_name(f".{path.name}.compact")
    fresh_wal = Path(f"{fresh}.wal")
    _remove(fresh, fresh_wal)
    con.execute("CHECKPOINT")  # the old file's WAL is folded in and removed
    name = con.execute("SELECT current_database()").fetchone()[0]  # type: ignore[index]
    try:
        con.execute(f"ATTACH {_sql_text(fresh)} AS forget_compact")
        con.execute(f'COPY FROM DATABASE "{name}" TO forget_compact')
        con.execute("CHECKPOINT forget_compact")
        con.execute("DETACH forget_compact")
        os.replace(fresh, path)
    except BaseException:
        _remove(fresh, fresh_wal)
        raise
    _remove(fresh_wal)


def forget_document(db_path: str | Path, doc_id: str, *, note: str | None = None,
                    on_wait: OnWait | None = None, wait_s: float | None = None) -> Forgotten:
    """Remove one document's content in one transaction, then rewrite the file so none of it stays on disk.

    runs rows stay as bare counts (an audit trail).
    """
    with writer(db_path, wait_s=wait_s, on_wait=on_wait) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            done = _forget_in(con, doc_id, note)
            con.execute("COMMIT")
        except duckdb.Error as exc:
            con.execute("ROLLBACK")
            raise PolicyExtractError(f"forgetting {doc_id[:12]}… failed and was rolled back: "
                                     f"{first_line(exc)}") from exc
        except BaseException:
            con.execute("ROLLBACK")
            raise
        rewrite_compacted(con, Path(db_path))
    return done


def forgotten_ids(db_path: str | Path, on_wait: OnWait | None = None) -> set[str]:
    """doc_ids taken down (ingest does not load them again); empty for a new or older warehouse."""
    path = Path(db_path)
    if not path.is_file():
        return set()
    con = open_with_retry(path, lambda: duckdb.connect(str(path), read_only=True), None, on_wait)
    try:
        found = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'forgotten'")
        if not found.fetchone()[0]:  # type: ignore[index]
            return set()
        return {r[0] for r in con.execute("SELECT doc_id FROM forgotten").fetchall()}
    finally:
        con.close()
