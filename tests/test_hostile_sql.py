"""More hostile SQL for `query` (tests/test_sandbox.py has the first 44): every probe refused, runaway queries stopped."""

from __future__ import annotations

import time
from pathlib import Path

import duckdb
import pytest

from schemas.errors import PolicyExtractError
from tests.test_query_limits import query
from tests.test_sandbox import db, outside, statements_that_ran  # noqa: F401 - the module fixtures: a loaded warehouse, an outside folder
from warehouse.connect import connect_reader
from warehouse.query import run_query
from warehouse.sql_guard import FILE_FUNCTIONS


def probes(outside: Path) -> list[str]:  # noqa: F811
    leak = outside / "leak2.csv"
    return [
        "EXPLAIN ANALYZE DELETE FROM targets",
        f"EXPLAIN ANALYZE COPY targets TO '{leak}'",
        "EXPLAIN ANALYZE SELECT * FROM read_text('/etc/passwd')",
        "WITH x AS (SELECT 1) DELETE FROM targets",
        "SELECT * FROM read_csv_auto('/etc/passwd')",
        "SELECT * FROM read_text('/proc/self/environ')",
        "SELECT * FROM read_text(['/etc/hostname', '/etc/hosts'])",
        "SELECT * FROM glob('/etc/*')",
        "SELECT * FROM parquet_metadata('/etc/passwd')",
        "SELECT * FROM read_ndjson('http://127.0.0.1:9/x.json')",
        "SELECT * FROM read_text('https://example.com/')",
        "SELECT * FROM query_table('/etc/passwd')",
        "SELECT * FROM query('SELECT * FROM read_text(''/etc/passwd'')')",
        "FROM '/etc/passwd'",
        f"COPY (SELECT 1) TO '{leak}' (FORMAT json)",
        "COPY targets TO '/dev/stdout'",
        f"EXPORT DATABASE '{outside / 'dump'}' (FORMAT parquet)",
        "ATTACH ':memory:' AS scratch",
        "ATTACH 'http://127.0.0.1:9/x.duckdb' AS remote",
        "INSTALL httpfs FROM 'http://127.0.0.1:9'",
        "FORCE INSTALL httpfs",
        "LOAD '/tmp/evil.duckdb_extension'",
        "SET GLOBAL enable_external_access = true",
        "SET allowed_directories = ['/']",
        "SET memory_limit = '64GB'",
        "SET threads = 64",
        "SET temp_directory = '/tmp/elsewhere'",
        "RESET ALL",
        "CREATE TEMP TABLE t AS SELECT 1",
        "CREATE OR REPLACE VIEW documents AS SELECT 1",
        "INSERT INTO documents SELECT * FROM documents",
        "UPDATE reviews SET verdict = 'accepted'",
        "TRUNCATE targets",
        "COMMENT ON TABLE targets IS 'x'",
        "CALL enable_logging()",
        "PRAGMA threads = 64",
        "DETACH DATABASE policy",
        "ROLLBACK",
        "UPDATE EXTENSIONS",
        "UPDATE EXTENSIONS (json)",
    ]


def own_file_probes(db: Path) -> list[str]:  # noqa: F811
    """File functions on the warehouse's own file (which DuckDB lets a connection read) and its folder."""
    wal, folder = f"{db}.wal", db.parent
    return [
        f"SELECT * FROM read_blob('{db}')",
        f"SELECT content FROM read_text('{db}')",
        f"SELECT * FROM read_blob(['{db}'])",
        f"SELECT * FROM read_blob('{folder}/*.duckdb')",
        f"SELECT * FROM read_blob('{folder}/../{folder.name}/{db.name}')",
        f"SELECT * FROM read_blob('{db}' || '')",
        f"SELECT * FROM read_blob('{wal}')",
        f"SELECT * FROM main.read_blob('{db}')",
        f'SELECT * FROM "READ_BLOB"(\'{db}\')',
        f"SELECT (SELECT size FROM read_blob('{db}')) AS n",
        f"SELECT * FROM documents, LATERAL (SELECT * FROM read_blob('{db}'))",
        f"WITH f AS (SELECT * FROM read_blob('{db}')) SELECT * FROM f",
        f"EXPLAIN SELECT * FROM read_blob('{db}')",
        f"PIVOT (SELECT * FROM read_blob('{db}')) ON filename USING count(*)",
        f"SELECT * FROM read_duckdb('{db}', table_name => 'pages')",
        f"SELECT * FROM '{db}'",
        f'SELECT * FROM "{db}"',
        f"SELECT * FROM query_table('{db}')",
        f"SELECT * FROM query('SELECT * FROM read_blob(''{db}'')')",
        f"SELECT * FROM query('SELECT * FROM query(''SELECT * FROM read_text({db})'')')",
        f"SELECT * FROM json_execute_serialized_sql(json_serialize_sql('SELECT * FROM read_blob(''{db}'')'))",
        f"SELECT * FROM glob('{db}')",
        f"SELECT * FROM glob('{folder}/*')",
        f"SELECT * FROM parquet_scan('{db}')",
        f"SELECT * FROM parquet_metadata('{db}')",
        f"SELECT * FROM read_csv('{db}', all_varchar => true)",
        f"SELECT * FROM read_csv_auto('{db}')",
        f"SELECT * FROM sniff_csv('{db}')",
        f"SELECT * FROM read_json_objects('{db}')",
        f"SELECT * FROM read_ndjson_objects('{db}')",
        f"FROM read_text('{db}')",
    ]


def test_every_extra_probe_is_refused(db: Path, outside: Path) -> None:  # noqa: F811
    statements = probes(outside)
    assert len(statements) >= 25
    assert statements_that_ran(db, statements) == []
    assert run_query(db, "SELECT count(*) FROM targets")[1] == [(1,)]
    assert not (outside / "leak2.csv").exists() and not (outside / "dump").exists()


def test_file_functions_on_the_warehouse_itself_are_refused(db: Path) -> None:  # noqa: F811
    statements = own_file_probes(db)
    assert statements_that_ran(db, statements) == []
    for sql in statements[:3]:
        with pytest.raises(PolicyExtractError, match="^refused: "):
            run_query(db, sql)


def test_the_connection_cannot_read_its_own_file_either(db: Path) -> None:  # noqa: F811
    """The second wall: DuckDB allows a connection its own file; the reader disables the local file system."""
    con = connect_reader(db)
    try:
        for sql in own_file_probes(db)[:2] + [f"SELECT * FROM '{db}'", f"SELECT * FROM glob('{db}')"]:
            with pytest.raises(duckdb.Error):
                con.execute(sql).fetchall()
        assert con.execute("SELECT count(*) FROM targets").fetchone() == (1,), "its own tables still read"
    finally:
        con.close()


def test_file_functions_come_from_duckdbs_catalogue() -> None:
    assert {"read_blob", "read_text", "read_duckdb", "glob", "parquet_scan", "parquet_metadata", "read_csv",
            "sniff_csv", "read_json_objects", "query_table", "json_execute_serialized_sql"} <= FILE_FUNCTIONS
    assert not {"range", "unnest", "query", "generate_series", "duckdb_tables"} & FILE_FUNCTIONS


def test_sandbox_refusals_use_its_own_message(db: Path) -> None:  # noqa: F811
    for sql in ("UPDATE EXTENSIONS", "UPDATE EXTENSIONS (json)"):
        with pytest.raises(PolicyExtractError, match="^refused: the warehouse is read-only here"):
            run_query(db, sql)


@pytest.mark.parametrize("sql", [
    "PIVOT targets ON kind USING count(*)",
    "PIVOT (SELECT kind, value FROM targets) ON kind USING max(value)",
    "UNPIVOT (SELECT 1 AS a, 2 AS b) ON a, b INTO NAME k VALUE v",
])
def test_read_only_pivots_are_allowed(db: Path, sql: str) -> None:  # noqa: F811
    columns, rows = run_query(db, sql)
    assert columns and rows


@pytest.mark.parametrize("sql,options", [
    ("SELECT len(list_sort(range(100000000)))", ()),
    ("SELECT length(repeat('xyz', 1000000000))", ()),
    ("SELECT * FROM range(30000000)", ("--format", "csv")),
    ("SELECT string_agg(repeat('x', 100), ',') FROM range(30000000)", ()),
    ("SELECT list(range) FROM range(300000000)", ("--format", "json")),
])
def test_huge_allocations_are_bounded(db: Path, sql: str, options: tuple[str, ...]) -> None:  # noqa: F811
    proc, seconds = query(db, sql, "--memory-mb", "1024", "--timeout", "10", *options)
    assert proc.returncode == 1 and proc.stdout == "", proc.stderr[-300:]
    assert proc.stderr.startswith("policy-extract: query stopped: exceeded the "), proc.stderr[-300:]
    assert seconds < 40


def test_a_memory_hungry_query_is_stopped_by_the_memory_limit(db: Path) -> None:  # noqa: F811
    t = time.perf_counter()
    with pytest.raises(PolicyExtractError, match="(?i)memory"):
        run_query(db, "SELECT count(DISTINCT s) FROM (SELECT range::VARCHAR || repeat('x', 200) AS s "
                      "FROM range(3000000))", memory_limit="32MB", timeout_s=60)
    assert time.perf_counter() - t < 60
    assert run_query(db, "SELECT 1")[1] == [(1,)]


def test_a_runaway_cross_join_is_stopped_by_the_time_limit(db: Path) -> None:  # noqa: F811
    t = time.perf_counter()
    with pytest.raises(PolicyExtractError, match="exceeded 0.5 s"):
        run_query(db, "SELECT max(a.range * b.range) FROM range(100000000) a, range(100000000) b", timeout_s=0.5)
    assert time.perf_counter() - t < 5
