"""More hostile SQL for `query` (tests/test_sandbox.py has the first 40): every probe refused, runaway queries stopped."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from schemas.errors import PolicyExtractError
from tests.test_sandbox import db, outside, statements_that_ran  # noqa: F401 - the module fixtures: a loaded warehouse, an outside folder
from warehouse.query import run_query


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
    ]


def test_every_extra_probe_is_refused(db: Path, outside: Path) -> None:  # noqa: F811
    statements = probes(outside)
    assert len(statements) >= 25
    assert statements_that_ran(db, statements) == []
    assert run_query(db, "SELECT count(*) FROM targets")[1] == [(1,)]
    assert not (outside / "leak2.csv").exists() and not (outside / "dump").exists()


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
