"""The loader on real DuckDB files: one transaction per run, replace-on-reload, history, supersession."""

from __future__ import annotations

import time
from pathlib import Path

import duckdb
import pytest

from schemas.errors import PolicyExtractError
from tests.test_warehouse_factory import doc_id_of, make_facts, make_load
from warehouse.connect import connect_reader, connect_writer, reader
from warehouse.load import is_loaded, known_documents, load_document, loaded_versions, record_source
from warehouse.migrations import SCHEMA_VERSION
from warehouse.query import status_summary

DOC_ROW_TABLES = ("pages", "blocks", "doc_tables", "table_cells", "doc_references", "fact_boxes",
                  "policy_dates", "targets", "policies", "technologies")


def counts(db: Path, doc_id: str) -> dict[str, int]:
    """Rows of every per-document table for one doc_id."""
    with reader(db) as con:
        return {t: con.execute(f"SELECT count(*) FROM {t} WHERE doc_id = ?", [doc_id]).fetchone()[0]
                for t in (*DOC_ROW_TABLES, "documents", "runs", "fact_history", "rejections", "document_sources")}


def rows(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    with reader(db) as con:
        return con.execute(sql, params or []).fetchall()


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    return tmp_path / "wh" / "policy.duckdb"


def test_load_writes_every_table(db: Path) -> None:
    doc = doc_id_of("a")
    result = load_document(db, make_load(doc))
    assert result["n_targets"] == 1 and result["n_blocks"] == 4 and result["n_rejections"] == 1
    assert counts(db, doc) == {
        "pages": 2, "blocks": 4, "doc_tables": 1, "table_cells": 3, "doc_references": 1, "fact_boxes": 5,
        "policy_dates": 1, "targets": 1, "policies": 1, "technologies": 1, "documents": 1, "runs": 1,
        "fact_history": 4, "rejections": 1, "document_sources": 1,
    }
    (status, error, issued, number, ingested) = rows(
        db, "SELECT status, error, issued_date, doc_number, ingested_at FROM documents")[0]
    assert (status, error, str(issued), number) == ("ok", None, "2021-10-24", "国发〔2021〕23号")
    assert ingested is not None
    quote, start, end, page_text = rows(db, """SELECT t.quote, t.char_start, t.char_end, p.text FROM targets t
                                              JOIN pages p USING (doc_id, page_no)""")[0]
    assert page_text[start:end] == quote
    assert rows(db, "SELECT n_policy_dates, n_policies, n_targets, n_technologies, n_tables, status FROM runs") == [
        (1, 1, 1, 1, 1, "ok")]
    assert rows(db, "SELECT pages, flags FROM doc_tables") == [([2], ["ruled"])]
    assert rows(db, "SELECT date_start, date_end FROM policy_dates")[0][0].isoformat() == "2021-10-24"


def test_fact_ids_and_history_payloads(db: Path) -> None:
    doc = doc_id_of("a")
    load = make_load(doc)
    load_document(db, load)
    expected = sorted(f.fact_id for f in load.facts)
    found = sorted(r[0] for r in rows(db, """SELECT fact_id FROM targets UNION ALL SELECT fact_id FROM policies
        UNION ALL SELECT fact_id FROM policy_dates UNION ALL SELECT fact_id FROM technologies"""))
    assert found == expected
    payload = rows(db, "SELECT payload ->> '$.value', payload ->> '$.unit' FROM fact_history "
                       "WHERE fact_kind = 'targets'")
    assert payload == [("25.0", "%")]
    boxes = rows(db, "SELECT box_no, top FROM fact_boxes WHERE fact_id = ? ORDER BY box_no", [expected[0]])
    assert len(boxes) >= 1


def test_load_twice_gives_same_rows_and_keeps_both_runs_in_history(db: Path) -> None:
    doc = doc_id_of("a")
    load_document(db, make_load(doc, run_id="r1"))
    first = rows(db, "SELECT * EXCLUDE (run_id) FROM targets ORDER BY fact_id")
    load_document(db, make_load(doc, run_id="r2"))
    assert rows(db, "SELECT * EXCLUDE (run_id) FROM targets ORDER BY fact_id") == first
    assert counts(db, doc)["targets"] == 1 and counts(db, doc)["blocks"] == 4
    assert rows(db, "SELECT DISTINCT run_id FROM targets") == [("r2",)]
    assert rows(db, "SELECT run_id, count(*) FROM fact_history GROUP BY run_id ORDER BY run_id") == [
        ("r1", 4), ("r2", 4)]
    assert rows(db, "SELECT count(*), count(DISTINCT fact_id) FROM fact_history") == [(8, 4)]
    assert rows(db, "SELECT count(*) FROM runs") == [(2,)]
    assert rows(db, "SELECT run_id FROM documents") == [("r2",)]


def test_second_load_replaces_facts(db: Path) -> None:
    doc = doc_id_of("a")
    load_document(db, make_load(doc, run_id="r1"))
    target, *_ = make_facts(doc, share=30.0)
    load_document(db, make_load(doc, run_id="r2", facts=(target,)))
    assert rows(db, "SELECT value, run_id FROM targets") == [(30.0, "r2")]
    assert counts(db, doc)["policies"] == 0 and counts(db, doc)["fact_boxes"] == 2
    history = rows(db, "SELECT run_id, payload ->> '$.value' FROM fact_history WHERE fact_kind = 'targets' "
                       "ORDER BY run_id")
    assert history == [("r1", "25.0"), ("r2", "30.0")]


def test_failed_insert_rolls_back_everything_for_a_new_document(db: Path) -> None:
    doc = doc_id_of("a")
    target, *rest = make_facts(doc)
    bad = make_load(doc, facts=(target, *rest, target))  # the same fact_id twice: a real constraint failure
    with pytest.raises(PolicyExtractError, match="rolled back") as err:
        load_document(db, bad)
    assert "\n" not in str(err.value)
    assert all(n == 0 for n in counts(db, doc).values())


def test_failed_insert_keeps_the_previous_load_intact(db: Path) -> None:
    doc = doc_id_of("a")
    load_document(db, make_load(doc, run_id="r1"))
    before = counts(db, doc)
    target, *rest = make_facts(doc, share=99.0)
    with pytest.raises(PolicyExtractError):
        load_document(db, make_load(doc, run_id="r2", facts=(target, *rest, target)))
    assert counts(db, doc) == before
    assert rows(db, "SELECT value, run_id FROM targets") == [(25.0, "r1")]
    assert rows(db, "SELECT run_id FROM runs") == [("r1",)]


def test_failed_document_never_loaded_is_recorded(db: Path) -> None:
    doc = doc_id_of("broken")
    load_document(db, make_load(doc, status="failed", reason="truncated", source="/in/broken.pdf"))
    assert rows(db, "SELECT status, reason, error, file_name FROM documents") == [
        ("failed", "truncated", "boom second line", "broken.pdf")]
    assert rows(db, "SELECT status, reason FROM runs") == [("failed", "truncated")]
    assert counts(db, doc)["pages"] == 0
    assert known_documents(db) == {doc: ("0.1.0+abc", "failed", "truncated")}
    assert loaded_versions(db) == {}


def test_failed_rerun_of_a_loaded_document_keeps_its_facts(db: Path) -> None:
    doc = doc_id_of("a")
    load_document(db, make_load(doc, run_id="r1"))
    load_document(db, make_load(doc, run_id="r2", status="failed", reason="timeout"))
    assert rows(db, "SELECT status, reason, run_id FROM documents") == [("ok", None, "r1")]
    assert counts(db, doc)["targets"] == 1
    assert rows(db, "SELECT run_id, status FROM runs ORDER BY run_id") == [("r1", "ok"), ("r2", "failed")]
    summary = status_summary(db)
    assert summary["documents"]["ok"] == 1 and summary["runs"]["failed"] == 1
    assert [f["reason"] for f in summary["failures"]] == ["timeout"]


def test_failed_then_ok_replaces_the_failure(db: Path) -> None:
    doc = doc_id_of("a")
    load_document(db, make_load(doc, run_id="r1", status="failed", reason="timeout"))
    load_document(db, make_load(doc, run_id="r2"))
    assert rows(db, "SELECT status, reason, error FROM documents") == [("ok", None, None)]
    assert status_summary(db)["failures"] == []


def test_new_version_from_the_same_source_supersedes_the_old(db: Path) -> None:
    old, new, other = doc_id_of("v1"), doc_id_of("v2"), doc_id_of("x")
    load_document(db, make_load(old, run_id="r1", source="/in/plan.pdf"))
    load_document(db, make_load(other, run_id="r2", source="/in/other.pdf"))
    load_document(db, make_load(new, run_id="r3", source="/in/plan.pdf"))
    found = dict(rows(db, "SELECT doc_id, superseded_by FROM documents"))
    assert found == {old: new, new: None, other: None}
    load_document(db, make_load(old, run_id="r4", source="/in/plan.pdf"))  # --force re-run of the old bytes
    assert dict(rows(db, "SELECT doc_id, superseded_by FROM documents"))[old] == new
    assert counts(db, old)["targets"] == 1, "the old version stays queryable"


def test_failed_new_version_does_not_supersede(db: Path) -> None:
    old, new = doc_id_of("v1"), doc_id_of("v2")
    load_document(db, make_load(old, run_id="r1", source="/in/plan.pdf"))
    load_document(db, make_load(new, run_id="r2", source="/in/plan.pdf", status="failed", reason="truncated"))
    assert dict(rows(db, "SELECT doc_id, superseded_by FROM documents"))[old] is None


def test_record_source_adds_each_name_once(db: Path) -> None:
    doc = doc_id_of("a")
    load_document(db, make_load(doc, source="/in/plan.pdf"))
    record_source(db, doc, "/in/copy of plan.pdf", "copy of plan.pdf")
    record_source(db, doc, "/in/copy of plan.pdf", "copy of plan.pdf")
    assert rows(db, "SELECT file_name FROM document_sources ORDER BY file_name") == [
        ("copy of plan.pdf",), ("plan.pdf",)]


def test_loaded_versions_is_one_fast_read(db: Path) -> None:
    assert loaded_versions(db) == {} and not db.exists()
    doc = doc_id_of("a")
    load_document(db, make_load(doc))
    assert is_loaded(db, doc, "0.1.0+abc") and not is_loaded(db, doc, "0.2.0")
    t = time.perf_counter()
    for _ in range(5):
        assert loaded_versions(db) == {doc: "0.1.0+abc"}
    assert (time.perf_counter() - t) / 5 < 0.4


def test_writer_creates_folder_and_records_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "w.duckdb"
    con = connect_writer(path)
    try:
        assert con.execute("SELECT max(version) FROM schema_version").fetchone()[0] == SCHEMA_VERSION
    finally:
        con.close()
    con = connect_writer(path)  # reopening migrates nothing twice
    try:
        assert con.execute("SELECT count(*) FROM schema_version").fetchone()[0] == SCHEMA_VERSION
    finally:
        con.close()


def test_reader_refuses_missing_and_unmigrated_files(tmp_path: Path) -> None:
    missing = tmp_path / "none.duckdb"
    with pytest.raises(PolicyExtractError, match="missing; run `policy-extract ingest`"):
        connect_reader(missing)
    assert not missing.exists(), "a reader must not create the file"
    old = tmp_path / "old.duckdb"
    duckdb.connect(str(old)).close()  # a DuckDB file without our schema: version 0
    with pytest.raises(PolicyExtractError, match="schema version 0 .*run `policy-extract ingest` to migrate"):
        connect_reader(old)
    connect_writer(old).close()
    con = connect_reader(old)
    try:
        assert con.execute("SELECT count(*) FROM documents").fetchone() == (0,)
    finally:
        con.close()


def test_reader_refuses_a_newer_schema(tmp_path: Path) -> None:
    path = tmp_path / "new.duckdb"
    con = connect_writer(path)
    con.execute("INSERT INTO schema_version VALUES (?, 'from the future', now()::TIMESTAMP)", [SCHEMA_VERSION + 1])
    con.close()
    with pytest.raises(PolicyExtractError, match="upgrade policy-extract"):
        connect_reader(path)
    with pytest.raises(PolicyExtractError, match="newer than this policy-extract"):
        connect_writer(path)


def test_known_documents_of_a_big_warehouse_is_fast(db: Path) -> None:
    load_document(db, make_load(doc_id_of("a")))
    with connect_writer(db) as con:
        con.execute("""INSERT INTO documents (doc_id, status, ingested_at, pipeline_version)
                       SELECT sha256(i::VARCHAR), 'ok', now()::TIMESTAMP, 'v1' FROM range(5000) t(i)""")
    t = time.perf_counter()
    known = known_documents(db)
    took = time.perf_counter() - t
    assert len(known) == 5001 and known[doc_id_of("a")] == ("0.1.0+abc", "ok", None)
    assert took < 0.5, f"{took:.2f} s"


def test_a_failing_migration_rolls_back_and_keeps_the_old_version(tmp_path: Path) -> None:
    from warehouse.connect import migrate
    from warehouse.migrations import MIGRATIONS

    path = tmp_path / "m.duckdb"
    connect_writer(path).close()
    broken = [*MIGRATIONS, (SCHEMA_VERSION + 1, "add then fail",
                            "ALTER TABLE targets ADD COLUMN extra INTEGER; SELECT * FROM no_such_table;")]
    con = connect_writer(path)
    try:
        with pytest.raises(duckdb.CatalogException):
            migrate(con, broken)
        assert con.execute("SELECT max(version) FROM schema_version").fetchone() == (SCHEMA_VERSION,)
        names = [r[0] for r in con.execute("DESCRIBE targets").fetchall()]
        assert "extra" not in names
        good = [*MIGRATIONS, (SCHEMA_VERSION + 1, "add", "ALTER TABLE targets ADD COLUMN extra INTEGER;")]
        assert migrate(con, good) == SCHEMA_VERSION + 1
        assert "extra" in [r[0] for r in con.execute("DESCRIBE targets").fetchall()]
    finally:
        con.close()


def test_a_file_that_is_not_a_warehouse_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.duckdb"
    path.write_text("just some text, not a database\n" * 10)
    for opener in (connect_writer, connect_reader):
        with pytest.raises(PolicyExtractError, match="cannot open warehouse") as err:
            opener(path)
        assert "\n" not in str(err.value)
