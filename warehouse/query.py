"""User SQL against the warehouse: one read-only statement in a sandbox, a time limit, and output formats."""

from __future__ import annotations

import csv
import io
import json
import math
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import duckdb

from schemas.facts import FACT_MODELS
from warehouse.connect import (
    DEFAULT_MEMORY_LIMIT,
    DEFAULT_QUERY_TIMEOUT_S,
    OnWait,
    execute_with_timeout,
    reader,
)
from warehouse.sql_guard import check_statement

Rows = list[tuple[Any, ...]]


def run_query(
    db_path: str | Path, sql: str, *, timeout_s: float = DEFAULT_QUERY_TIMEOUT_S,
    memory_limit: str = DEFAULT_MEMORY_LIMIT, on_wait: OnWait | None = None, wait_s: float | None = None,
    on_open: Callable[[], None] | None = None,
) -> tuple[list[str], Rows]:
    """Run one read-only statement; PolicyExtractError (one line) for refusals, errors and timeouts.

    on_open is called once the warehouse is open (after any wait for another process's lock).
    """
    with reader(db_path, on_wait=on_wait, wait_s=wait_s, memory_limit=memory_limit) as con:
        if on_open is not None:
            on_open()
        check_statement(con, sql)
        return execute_with_timeout(con, sql, timeout_s)


def _plain(value: Any) -> Any:
    """A JSON-ready value: dates ISO 8601, decimals as numbers, NaN/Infinity as null, lists and structs recursively."""
    if isinstance(value, float) and not math.isfinite(value):
        return None  # strict JSON has no NaN or Infinity
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _cell_text(value: Any) -> str:
    """One CSV/table cell: NULL empty, booleans lower-case, nested values as JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (Decimal, float)):
        return str(value)  # exact, as stored; inf and nan as such
    plain = _plain(value)
    if isinstance(plain, (list, dict)):
        return json.dumps(plain, ensure_ascii=False)
    return str(plain)


def to_csv(columns: list[str], rows: Rows) -> str:
    """RFC 4180: a header row, CRLF line ends, quotes only where needed, NULL as an empty field."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([_cell_text(v) for v in row] for row in rows)
    return out.getvalue()


def _unique(columns: list[str]) -> list[str]:
    """JSON object keys must differ: a repeated column name gets _2, _3 ..."""
    seen: dict[str, int] = {}
    names = []
    for name in columns:
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return names


def to_json(columns: list[str], rows: Rows) -> str:
    """An array of objects, one per row; dates ISO 8601, UTF-8 text unescaped."""
    names = _unique(columns)
    return json.dumps([dict(zip(names, (_plain(v) for v in row), strict=True)) for row in rows],
                      ensure_ascii=False)


def _width(text: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def to_table(columns: list[str], rows: Rows, max_width: int = 60) -> str:
    """A plain aligned text table (CJK-width aware), long cells cut with an ellipsis."""
    def cut(text: str) -> str:
        text = " ".join(text.split())
        while _width(text) > max_width:
            text = text[: -2] + "…"
        return text

    cells = [[cut(c) for c in columns]] + [[cut(_cell_text(v)) for v in row] for row in rows]
    widths = [max(_width(r[i]) for r in cells) for i in range(len(columns))]
    lines = ["  ".join(c + " " * (w - _width(c)) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)


LATEST_FAILURES = """
SELECT coalesce(d.file_name, r.source) AS file_name, r.reason, r.error, r.doc_id
FROM (SELECT *, row_number() OVER (PARTITION BY doc_id ORDER BY loaded_at DESC) AS latest
      FROM runs) r
LEFT JOIN documents d USING (doc_id)
WHERE r.latest = 1 AND r.status = 'failed'
ORDER BY file_name
"""
"""Documents whose latest run failed: never loaded, or kept from an earlier good run."""


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> Any:
    row = con.execute(sql).fetchone()
    return row[0] if row else None


def status_summary(db_path: str | Path, *, on_wait: OnWait | None = None) -> dict[str, Any]:
    """What the warehouse holds: documents, runs, failures, facts per table, orphaned reviews."""
    with reader(db_path, on_wait=on_wait) as con:
        docs = dict(con.execute("SELECT status, count(*) FROM documents GROUP BY status").fetchall())
        runs = dict(con.execute("SELECT status, count(*) FROM runs GROUP BY status").fetchall())
        failures = con.execute(LATEST_FAILURES).fetchall()
        facts = {kind: _scalar(con, f"SELECT count(*) FROM {kind}") for kind in FACT_MODELS}
        union = " UNION ALL ".join(f"SELECT fact_id FROM {kind}" for kind in FACT_MODELS)
        orphans = con.execute(
            f"SELECT fact_id, verdict, reviewed_at FROM latest_reviews WHERE fact_id NOT IN ({union}) "
            "ORDER BY fact_id"
        ).fetchall()
        return {
            "schema_version": _scalar(con, "SELECT max(version) FROM schema_version"),
            "documents": {"ok": docs.get("ok", 0), "failed": docs.get("failed", 0),
                          "superseded": _scalar(con, "SELECT count(*) FROM documents WHERE superseded_by IS NOT NULL")},
            "runs": {"total": sum(runs.values()), "ok": runs.get("ok", 0), "failed": runs.get("failed", 0)},
            "failures": [{"file_name": f, "reason": r, "error": e, "doc_id": d} for f, r, e, d in failures],
            "facts": facts,
            "rejections": _scalar(con, "SELECT count(*) FROM rejections"),
            "reviews": _scalar(con, "SELECT count(*) FROM reviews"),
            "orphaned_reviews": [{"fact_id": f, "verdict": v, "reviewed_at": t} for f, v, t in orphans],
        }
