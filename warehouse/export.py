"""Export tables to Parquet or CSV files for pandas, polars or a spreadsheet.

The sandboxed reader cannot write files (external access is off), so export opens its own read-only
connection without the sandbox; it runs only our fixed COPY statements, never user SQL.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

import duckdb

from schemas.errors import PolicyExtractError
from warehouse.connect import OnWait, current_version, first_line, open_with_retry
from warehouse.migrations import SCHEMA_VERSION

Format = Literal["parquet", "csv"]
FORMULA_START = r"^[=+\-@\t\r]"
"""A spreadsheet runs a cell that starts with one of these as a formula (CSV injection)."""
FORMULA_QUOTE = "'"
"""Put in front of such a cell, it makes the spreadsheet show the text instead of running it."""
TEXT_TYPES = ("VARCHAR", "JSON")


class UnknownTable(PolicyExtractError):
    """--table names no table or view of the warehouse (the command exits 3)."""


def _open(path: Path, on_wait: OnWait | None) -> duckdb.DuckDBPyConnection:
    """Read-only and checked like every reader: a missing or old warehouse is refused."""
    if not path.is_file():
        raise PolicyExtractError(f"warehouse {path} is missing; run `policy-extract ingest` to create it")
    con = open_with_retry(path, lambda: duckdb.connect(str(path), read_only=True), None, on_wait)
    version = current_version(con)
    if version != SCHEMA_VERSION:
        con.close()
        raise PolicyExtractError(f"warehouse {path} is at schema version {version} (this policy-extract needs "
                                 f"{SCHEMA_VERSION}); run `policy-extract ingest` to migrate")
    return con


def table_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The warehouse's base tables, in name order (views are exported only when asked for by name)."""
    rows = con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
                       "AND table_type = 'BASE TABLE' ORDER BY table_name").fetchall()
    return [r[0] for r in rows]


def _all_names(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'")
    return {r[0] for r in rows.fetchall()}


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def neutralised(text: str) -> str:
    """One text cell as the CSV export writes it: quoted in front when a spreadsheet would run it."""
    return FORMULA_QUOTE + text if re.match(FORMULA_START, text) else text


def unneutralised(text: str) -> str:
    """A cell read back from such a CSV: the quote `neutralised` put in front is dropped."""
    quoted = text.startswith(FORMULA_QUOTE) and re.match(FORMULA_START, text[len(FORMULA_QUOTE):])
    return text[len(FORMULA_QUOTE):] if quoted else text


def neutralised_select(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """SELECT every column; text cells that a spreadsheet would run as a formula get a leading quote."""
    cols = con.execute("SELECT column_name, data_type FROM information_schema.columns "
                       "WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position",
                       [table]).fetchall()
    parts = []
    for name, dtype in cols:
        q = _quote_ident(name)
        if dtype in TEXT_TYPES:
            parts.append(f"CASE WHEN regexp_matches({q}::VARCHAR, '{FORMULA_START}') "
                         f"THEN '''' || {q}::VARCHAR ELSE {q}::VARCHAR END AS {q}")
        else:
            parts.append(q)
    return f"SELECT {', '.join(parts)} FROM {_quote_ident(table)}"


def _copy(con: duckdb.DuckDBPyConnection, table: str, target: Path, fmt: Format) -> None:
    """One COPY of one table to one file, written beside the target and renamed into place."""
    tmp = target.with_name(f".{target.name}.part")
    if fmt == "parquet":
        sql = (f"COPY (SELECT * FROM {_quote_ident(table)}) TO {_quote_literal(str(tmp))} "
               "(FORMAT parquet, COMPRESSION zstd)")
    else:
        sql = (f"COPY ({neutralised_select(con, table)}) TO {_quote_literal(str(tmp))} "
               "(FORMAT csv, HEADER true, DELIMITER ',', QUOTE '\"', NULLSTR '')")
    try:
        con.execute(sql)
    except duckdb.Error as exc:
        tmp.unlink(missing_ok=True)
        raise PolicyExtractError(f"exporting {table} failed: {first_line(exc)}") from None
    tmp.replace(target)


def export_tables(db_path: str | Path, out_dir: Path, fmt: Format = "parquet", table: str | None = None,
                  *, on_wait: OnWait | None = None) -> list[Path]:
    """Write every table (or the one named) as out_dir/<table>.<fmt>; returns the files written."""
    if fmt not in ("parquet", "csv"):
        raise PolicyExtractError(f"--format must be parquet or csv, not {fmt!r}")
    con = _open(Path(db_path), on_wait)
    try:
        names = table_names(con)
        if table is not None:
            if table not in _all_names(con):
                raise UnknownTable(f"no table or view is called {table!r}; tables: {', '.join(names)}")
            names = [table]
        out_dir.mkdir(parents=True, exist_ok=True)
        written = []
        for name in names:
            target = out_dir / f"{name}.{fmt}"
            _copy(con, name, target, fmt)
            written.append(target)
        return written
    finally:
        con.close()
