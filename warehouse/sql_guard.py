"""The statement check of the SQL sandbox: one read-only statement that calls no function reading files.

DuckDB lets a connection read its own database file (and its .wal) with read_blob, read_text, a bare
'path' and so on, even with enable_external_access off; so user SQL is refused before it runs if it calls
any table function that takes a path or a glob, however it is spelled or nested (query('...') text
included). The reader connection is the second wall: it disables the local file system altogether.
"""

from __future__ import annotations

from collections.abc import Iterator

import duckdb

from schemas.errors import PolicyExtractError
from warehouse.connect import first_line

ALLOWED_STATEMENTS = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}
"""SELECT covers WITH, FROM-first, VALUES, DESCRIBE, SHOW, SUMMARIZE and UNPIVOT."""
FILE_PARAMETERS = ["path", "paths", "file", "files", "pattern"]
SQL_RUNNERS = frozenset({"query_table", "json_execute_serialized_sql"})
"""Run a table name (a file, through a replacement scan) or serialized SQL that cannot be vetted here.
query('...') stays allowed: its text is a string literal, and every literal is checked like the statement."""
MAX_NESTING = 8
Token = tuple[str, duckdb.token_type]


def _file_functions() -> frozenset[str]:
    """Every table function of DuckDB's catalogue with a path or glob parameter: read_*, parquet_*, glob ..."""
    con = duckdb.connect()
    try:
        rows = con.execute(
            "SELECT DISTINCT lower(function_name) FROM duckdb_functions() "
            "WHERE function_type IN ('table', 'table_macro') AND list_has_any(parameters, $1)",
            [FILE_PARAMETERS],
        ).fetchall()
    finally:
        con.close()
    return frozenset(r[0] for r in rows) | SQL_RUNNERS


FILE_FUNCTIONS = _file_functions()


def _refused(why: str) -> PolicyExtractError:
    return PolicyExtractError(f"refused: {why}")


def _tokens(sql: str) -> list[Token]:
    """(text, type) of each token, comments left out (DuckDB gives UTF-8 byte offsets)."""
    data = sql.encode("utf-8")
    found = duckdb.tokenize(sql)
    ends = [start for start, _ in found[1:]] + [len(data)]
    return [(data[start:end].decode("utf-8", "replace").strip(), kind)
            for (start, kind), end in zip(found, ends, strict=True) if kind != duckdb.token_type.comment]


def _unquote(text: str, quote: str) -> str:
    if len(text) >= 2 and text[0] == text[-1] == quote:
        return text[1:-1].replace(quote * 2, quote)
    return text


def _literal(text: str) -> str:
    """The value of a string constant token: 'a''b', E'..', $$..$$."""
    if text[:1] in "eE" and text[1:2] == "'":
        text = text[1:]
    if text.startswith("$") and text.endswith("$"):
        tag = text[: text.index("$", 1) + 1]
        return text[len(tag): -len(tag)] if len(text) >= 2 * len(tag) else text
    return _unquote(text, "'")


def _called(tokens: list[Token]) -> Iterator[str]:
    """Names directly followed by an opening parenthesis: function calls, lower-case and unquoted."""
    for (text, kind), (following, _) in zip(tokens, tokens[1:], strict=False):
        if following == "(" and kind in (duckdb.token_type.identifier, duckdb.token_type.keyword):
            yield _unquote(text, '"').lower()


def _scanned_names(tokens: list[Token]) -> Iterator[str]:
    """What follows FROM or JOIN when it could name a file: a string, or a quoted name with . or /."""
    for (text, kind), (following, next_kind) in zip(tokens, tokens[1:], strict=False):
        if kind != duckdb.token_type.keyword or text.lower() not in ("from", "join"):
            continue
        if next_kind == duckdb.token_type.string_const:
            yield _literal(following)
        elif following.startswith('"') and any(c in following for c in "./\\"):
            yield _unquote(following, '"')


def check_file_access(sql: str, depth: int = 0) -> None:
    """Refuse SQL that calls a file-reading function or scans a quoted path, here or in any string literal."""
    if depth > MAX_NESTING:
        raise _refused("string literals nested too deep to check")
    tokens = _tokens(sql)
    for name in _called(tokens):
        if name in SQL_RUNNERS:
            raise _refused(f"{name}() runs a name or SQL the sandbox cannot check; write the query itself")
        if name in FILE_FUNCTIONS:
            raise _refused(f"{name}() reads files; queries may read only the warehouse's tables")
    for name in _scanned_names(tokens):
        raise _refused(f"{name!r} names a file; queries may read only the warehouse's tables")
    for text, kind in tokens:
        if kind == duckdb.token_type.string_const and _literal(text) != text:  # a quoted literal
            check_file_access(_literal(text), depth + 1)


def _is_pivot(sql: str) -> bool:
    """DuckDB parses a PIVOT whose columns it must find first as a MULTI statement (the only source of one)."""
    return any(kind == duckdb.token_type.keyword and text.lower() in ("pivot", "pivot_wider")
               for text, kind in _tokens(sql))


def check_statement(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Refuse anything but exactly one read-only statement reading no file, before it runs."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise PolicyExtractError(first_line(exc)) from None
    if len(statements) != 1:
        raise _refused(f"give exactly one SQL statement (got {len(statements)})")
    try:
        kind = statements[0].type
    except ValueError:  # a statement type the Python client has no name for (UPDATE EXTENSIONS)
        kind = None
    if kind not in ALLOWED_STATEMENTS and not (kind == duckdb.StatementType.MULTI and _is_pivot(sql)):
        name = kind.name if kind is not None else " ".join(t for t, _ in _tokens(sql)[:2]).upper()
        raise _refused(f"the warehouse is read-only here; {name} statements are not allowed")
    check_file_access(sql)
