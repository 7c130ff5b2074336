"""Parallel parsing: two workers load exactly what one loads; --reextract re-runs stale documents."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from flows.ingest import IngestOptions, ingest
from flows.settings import Limits
from flows.version import pipeline_version
from tests.parallel_inputs import snapshot, write_inputs
from warehouse.load import add_review


@pytest.fixture(scope="module")
def one_worker(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path], IngestOptions]:
    tmp = tmp_path_factory.mktemp("par")
    files = write_inputs(tmp / "in")
    opts = IngestOptions(db=tmp / "one.duckdb", store=tmp / "store", workers=1, limits=Limits(timeout_s=120))
    outcomes = ingest([tmp / "in"], opts)
    assert [o.status for o in outcomes] == ["ok"] * len(files), [(o.reason, o.error) for o in outcomes]
    return tmp, files, opts


def test_two_workers_load_the_same_content_as_one(one_worker) -> None:
    tmp, files, opts = one_worker
    two = IngestOptions(db=tmp / "two.duckdb", store=tmp / "store2", workers=2, limits=Limits(timeout_s=120))
    outcomes = ingest([tmp / "in"], two)
    assert sorted(o.status for o in outcomes) == ["ok"] * len(files)
    a, b = snapshot(opts.db), snapshot(two.db)
    assert a["targets"] and a["pages"]
    assert a == b


def test_outcomes_carry_stage_times_and_peak_rss(one_worker) -> None:
    """Each loaded outcome says where its time went and how much memory its child used (the bench reads it)."""
    tmp, files, _ = one_worker
    two = IngestOptions(db=tmp / "metrics.duckdb", store=tmp / "store3", workers=2, limits=Limits(timeout_s=120))
    outcomes = ingest([tmp / "in"], two)
    assert len(outcomes) == len(files)
    for o in outcomes:
        m = o.metrics
        assert {"parse_layout", "metadata", "dates", "policies", "targets", "technologies", "validate",
                "load", "child_total", "peak_rss_mb"} <= set(m)
        assert 10 < m["peak_rss_mb"] < 1024
        assert m["child_total"] >= m["parse_layout"] + m["targets"] > 0


def test_reextract_reruns_stale_documents_and_keeps_history_and_reviews(one_worker) -> None:
    tmp, files, opts = one_worker
    con = duckdb.connect(str(opts.db))
    fact = con.execute("SELECT fact_id FROM targets LIMIT 1").fetchone()[0]
    con.execute("UPDATE documents SET pipeline_version = '0.0.0+older' WHERE file_name LIKE 'zh_%'")
    runs_before = con.execute("SELECT count(*) FROM runs").fetchone()[0]
    history_before = con.execute("SELECT count(*) FROM fact_history").fetchone()[0]
    con.close()
    add_review(opts.db, fact, "accepted", reviewer="test")
    skipped = ingest([], IngestOptions(db=opts.db, store=opts.store))
    assert skipped == []  # without --reextract nothing happens
    outcomes = ingest([], IngestOptions(db=opts.db, store=opts.store, reextract=True, limits=Limits(timeout_s=120)))
    assert sorted(o.path for o in outcomes) == sorted(str(f) for f in files if f.name.startswith("zh_"))
    assert all(o.status == "ok" and not o.skipped and o.run_id for o in outcomes)
    con = duckdb.connect(str(opts.db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM runs").fetchone()[0] == runs_before + 3
        assert con.execute("SELECT count(*) FROM fact_history").fetchone()[0] > history_before
        assert con.execute("SELECT DISTINCT pipeline_version FROM documents").fetchall() == [(pipeline_version(),)]
        assert con.execute("SELECT count(*) FROM reviews WHERE fact_id = ?", [fact]).fetchone()[0] == 1
        assert con.execute("SELECT count(*) FROM targets WHERE fact_id = ?", [fact]).fetchone()[0] == 1
    finally:
        con.close()


def test_reextract_reports_a_missing_stored_copy(one_worker) -> None:
    tmp, _, opts = one_worker
    con = duckdb.connect(str(opts.db))
    doc_id, stored = con.execute("SELECT doc_id, stored_path FROM documents WHERE file_name = 'en_0.pdf'").fetchone()
    con.execute("UPDATE documents SET pipeline_version = '0.0.0+older' WHERE doc_id = ?", [doc_id])
    con.close()
    Path(stored).rename(tmp / "moved.pdf")
    [outcome] = ingest([], IngestOptions(db=opts.db, store=opts.store, reextract=True))
    assert outcome.status == "failed" and "missing" in (outcome.error or "") and outcome.doc_id == doc_id
