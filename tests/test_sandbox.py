"""`query` is read-only and sandboxed: user SQL can neither write, change settings, nor touch files or URLs."""

from __future__ import annotations

import time
from pathlib import Path

import duckdb
import pytest

from schemas.errors import PolicyExtractError
from tests.test_warehouse_factory import doc_id_of, make_load
from warehouse.connect import connect_reader
from warehouse.load import load_document
from warehouse.query import run_query


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sandbox") / "policy.duckdb"
    load_document(path, make_load(doc_id_of("a")))
    return path


@pytest.fixture(scope="module")
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with files a query must not reach: a parquet file, a CSV, another database."""
    folder = tmp_path_factory.mktemp("outside")
    con = duckdb.connect()
    con.execute(f"COPY (SELECT 42 AS secret) TO '{folder / 'secret.parquet'}' (FORMAT parquet)")
    con.execute(f"COPY (SELECT 42 AS secret) TO '{folder / 'secret.csv'}'")
    con.close()
    duckdb.connect(str(folder / "other.duckdb")).close()
    return folder


def probes(db: Path, outside: Path) -> list[str]:
    """Statements that write, reconfigure, or reach outside the warehouse file."""
    out = outside / "leak.csv"
    return [
        "INSERT INTO reviews (fact_id, verdict, reviewed_at) VALUES ('x', 'accepted', now()::TIMESTAMP)",
        "UPDATE documents SET status = 'failed'",
        "DELETE FROM targets",
        "CREATE TABLE t (a INTEGER)",
        "CREATE VIEW v AS SELECT 1",
        "DROP TABLE targets",
        "ALTER TABLE targets ADD COLUMN z INTEGER",
        f"COPY targets TO '{out}'",
        f"COPY (SELECT * FROM pages) TO '{out}' (FORMAT csv)",
        f"COPY targets FROM '{outside / 'secret.csv'}'",
        f"ATTACH '{outside / 'other.duckdb'}' AS other",
        "DETACH policy",
        "INSTALL httpfs",
        "LOAD httpfs",
        "SET memory_limit = '100GB'",
        "SET enable_external_access = true",
        "SET lock_configuration = false",
        "PRAGMA memory_limit = '100GB'",
        "PRAGMA enable_profiling",
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM '/etc/passwd'",
        "SELECT * FROM read_text('/etc/passwd')",
        "SELECT * FROM read_blob('/etc/hostname')",
        "SELECT * FROM read_json('/etc/hosts')",
        "SELECT * FROM sniff_csv('/etc/passwd')",
        "SELECT * FROM glob('/*')",
        f"SELECT * FROM read_parquet('{outside / 'secret.parquet'}')",
        f"SELECT * FROM '{outside / 'secret.parquet'}'",
        "SELECT * FROM read_csv('http://127.0.0.1:9/x.csv')",
        "SELECT * FROM 'https://example.com/data.parquet'",
        f"EXPORT DATABASE '{outside / 'export'}'",
        f"IMPORT DATABASE '{outside}'",
        "CALL pragma_database_size()",
        "CHECKPOINT",
        "VACUUM",
        "BEGIN TRANSACTION",
        "SELECT 1; SELECT 2",
        "SELECT 1; DROP TABLE targets",
        "CREATE MACRO m(a) AS a",
        "CREATE SECRET s (TYPE s3, KEY_ID 'k', SECRET 'v')",
        "RESET memory_limit",
        "USE memory",
        "SELECT nextval('review_seq')",
        "",
    ]


def statements_that_ran(db: Path, statements: list[str]) -> list[str]:
    """Run each statement in the reader's sandbox: the ones that ran; a refusal must be one line."""
    ran = []
    for sql in statements:
        try:
            run_query(db, sql, timeout_s=10)
        except PolicyExtractError as exc:
            assert "\n" not in str(exc), sql
        else:
            ran.append(sql)
    return ran


def test_every_probe_is_refused_and_nothing_changes(db: Path, outside: Path) -> None:
    before = run_query(db, "SELECT table_name, estimated_size FROM duckdb_tables() ORDER BY table_name")
    statements = probes(db, outside)
    assert len(statements) >= 25
    assert statements_that_ran(db, statements) == [], "these ran"
    assert run_query(db, "SELECT table_name, estimated_size FROM duckdb_tables() ORDER BY table_name") == before
    assert run_query(db, "SELECT count(*) FROM targets")[1] == [(1,)]
    assert not (outside / "leak.csv").exists() and not (outside / "export").exists()


def test_the_connection_itself_is_the_second_wall(db: Path, outside: Path) -> None:
    """Even without the statement check, the reader's settings refuse files, settings and writes."""
    con = connect_reader(db)
    try:
        for sql in [f"COPY targets TO '{outside / 'leak2.csv'}'", "SET enable_external_access = true",
                    "SELECT * FROM read_csv('/etc/passwd')", "INSTALL httpfs", "DELETE FROM targets",
                    f"ATTACH '{outside / 'other.duckdb'}' AS other"]:
            with pytest.raises(duckdb.Error):
                con.execute(sql)
    finally:
        con.close()
    assert not (outside / "leak2.csv").exists()


@pytest.mark.parametrize("sql", [
    "SELECT count(*) AS n FROM targets",
    "FROM documents SELECT doc_id",
    "WITH t AS (SELECT * FROM targets) SELECT kind, value FROM t",
    "SELECT * FROM targets_reviewed",
    "DESCRIBE targets",
    "SHOW TABLES",
    "SUMMARIZE pages",
    "EXPLAIN SELECT * FROM targets",
    "VALUES (1, '碳中和')",
    "SELECT * FROM query('SELECT 1')",
    "  select value from targets -- a comment\n",
])
def test_selects_work(db: Path, sql: str) -> None:
    columns, rows = run_query(db, sql)
    assert columns and rows


def test_reader_memory_is_limited(db: Path) -> None:
    _, rows = run_query(db, "SELECT current_setting('memory_limit'), current_setting('enable_external_access')")
    limit, external = rows[0]
    assert limit.endswith("GiB") and float(limit.split()[0]) < 2.0 and external is False


def test_runaway_query_is_stopped(db: Path) -> None:
    t = time.perf_counter()
    with pytest.raises(PolicyExtractError, match=r"query exceeded 1 s"):
        run_query(db, "SELECT count(*) FROM range(1000000000) a, range(1000000000) b WHERE a.range + b.range < 0",
                  timeout_s=1)
    assert time.perf_counter() - t < 5
    assert run_query(db, "SELECT 1")[1] == [(1,)], "the warehouse is usable afterwards"


def test_errors_are_one_line(db: Path) -> None:
    with pytest.raises(PolicyExtractError) as err:
        run_query(db, "SELECT no_such_column FROM targets")
    assert "no_such_column" in str(err.value) and "\n" not in str(err.value)
