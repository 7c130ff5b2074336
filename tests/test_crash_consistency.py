"""Crash consistency: SIGKILL the real loader at named points and at random moments, re-run, compare.

scripts/crash_driver.py loads a few PDFs (parsed once, then read from a package cache) with a new run
each time; POLICY_CRASH_AT makes it kill itself. After every crash the warehouse must hold, for each
`ok` document, exactly the facts of its last finished run, nothing of an unfinished run, no duplicate
fact_id; after a clean re-run it must equal a crash-free run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from schemas.facts import FACT_MODELS
from tests.bad_pdfs import good_pdf_bytes
from tests.conftest import ROOT
from tests.hostile_pdfs import facts_pdf_bytes, long_pdf_bytes, truncated_bytes
from warehouse.load import CRASH_POINTS

DRIVER = ROOT / "scripts" / "crash_driver.py"
VOLATILE = {"run_id", "ingested_at", "first_seen", "last_seen", "loaded_at", "started_at", "finished_at"}
SNAPSHOT = ("documents", "document_sources", "pages", "blocks", "doc_tables", "table_cells", "doc_references",
            "fact_boxes", "rejections", *FACT_MODELS)
N_RANDOM = 200 if os.environ.get("POLICY_STRESS") else 30
CHECK_EVERY = 10
"""A clean re-run and a full comparison after this many random crashes (invariants after every one)."""


def drive(db: Path, cache: Path, pdfs: list[Path], crash: str | None = None,
          window: float | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "POLICY_CRASH_AT"}
    if crash:
        env["POLICY_CRASH_AT"] = crash
    if window is not None:
        env["POLICY_CRASH_WINDOW"] = f"{window:.3f}"
    return subprocess.run([sys.executable, str(DRIVER), "--db", str(db), "--cache", str(cache), *map(str, pdfs)],
                          env=env, capture_output=True, text=True, timeout=300, cwd=ROOT)


def clean(db: Path, cache: Path, pdfs: list[Path]) -> dict:
    res = drive(db, cache, pdfs)
    assert res.returncode == 0, res.stderr[-2000:]
    return json.loads(res.stdout.strip().splitlines()[-1])


def snapshot(db: Path, ignore: frozenset[str] = frozenset()) -> dict[str, list[tuple]]:
    """Every table's content without run ids and timestamps, plus the latest run's fact_history."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for table in SNAPSHOT:
            cols = [c for (c,) in con.execute("SELECT column_name FROM information_schema.columns WHERE "
                                              "table_name = ? ORDER BY ordinal_position", [table]).fetchall()
                    if c not in VOLATILE | ignore]
            out[table] = con.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY ALL").fetchall()
        out["fact_history"] = con.execute(
            "SELECT h.fact_kind, h.fact_id, h.payload FROM fact_history h JOIN documents d "
            "ON h.run_id = d.run_id ORDER BY ALL").fetchall()
        return out
    finally:
        con.close()


FACTS_UNION = " UNION ALL ".join(f"SELECT '{k}' AS kind, fact_id, doc_id, run_id FROM {k}" for k in FACT_MODELS)


def assert_consistent(db: Path) -> None:
    """What must hold after any crash: whole runs only, each ok document showing its last finished run."""
    if not db.exists():
        return  # killed before the file was created
    con = duckdb.connect(str(db), read_only=True)
    try:
        def none(sql: str) -> None:
            got = con.execute(sql).fetchall()
            assert got == [], (sql, got[:5])

        none(f"SELECT fact_id FROM ({FACTS_UNION}) GROUP BY fact_id HAVING count(*) > 1")
        # facts only of ok documents, and only of the run the documents row names
        none(f"SELECT f.* FROM ({FACTS_UNION}) f LEFT JOIN documents d USING (doc_id) "
             "WHERE d.status IS DISTINCT FROM 'ok' OR f.run_id <> d.run_id")
        # an ok document's facts are exactly its run's fact_history, both ways
        latest = ("SELECT h.fact_kind AS kind, h.fact_id, d.doc_id FROM fact_history h "
                  "JOIN documents d ON h.run_id = d.run_id WHERE d.status = 'ok'")
        none(f"(SELECT kind, fact_id, doc_id FROM ({FACTS_UNION})) EXCEPT ({latest})")
        none(f"({latest}) EXCEPT (SELECT kind, fact_id, doc_id FROM ({FACTS_UNION}))")
        # every run named anywhere finished (has its runs row), with the counts it claims
        none("SELECT run_id FROM fact_history EXCEPT SELECT run_id FROM runs")
        none("SELECT run_id FROM documents EXCEPT SELECT run_id FROM runs")
        for kind in FACT_MODELS:
            none(f"SELECT d.doc_id FROM documents d JOIN runs r ON r.run_id = d.run_id WHERE d.status = 'ok' "
                 f"AND r.n_{kind} <> (SELECT count(*) FROM {kind} f WHERE f.doc_id = d.doc_id)")
        for table in ("pages", "blocks", "fact_boxes", "doc_tables", "table_cells"):
            none(f"SELECT t.doc_id FROM {table} t LEFT JOIN documents d USING (doc_id) "
                 "WHERE d.status IS DISTINCT FROM 'ok' OR t.run_id <> d.run_id")
    finally:
        con.close()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path], dict, float]:
    """(cache, pdfs, reference snapshot, load seconds) from one crash-free run."""
    tmp = tmp_path_factory.mktemp("crash")
    pdfs = []
    for name, data in (("facts.pdf", facts_pdf_bytes()), ("short.pdf", good_pdf_bytes(
            "China will peak emissions before 2030 and reach carbon neutrality by 2060.")),
                       ("cut.pdf", truncated_bytes(0.3)), ("long.pdf", long_pdf_bytes(3))):
        (tmp / name).write_bytes(data)
        pdfs.append(tmp / name)
    cache = tmp / "cache"
    ref_db = tmp / "reference.duckdb"
    first = clean(ref_db, cache, pdfs)
    assert first["statuses"] == ["ok", "ok", "failed", "ok"]
    again = clean(ref_db, cache, pdfs)   # a second run replaces the first: same content
    ref = snapshot(ref_db)
    assert sum(len(ref[k]) for k in FACT_MODELS) >= 100
    return cache, pdfs, ref, again["load_seconds"]


@pytest.mark.parametrize("point", CRASH_POINTS)
def test_named_crash_point_then_rerun(point: str, corpus, tmp_path: Path) -> None:
    """Kill at the point on the 2nd document (the 1st has committed), check, re-run, compare."""
    cache, pdfs, ref, _ = corpus
    db = tmp_path / "w.duckdb"
    crashed = drive(db, cache, pdfs, f"{point}@2")
    assert crashed.returncode == -9, (point, crashed.stdout, crashed.stderr[-1500:])
    assert_consistent(db)
    if point != "after_parse":
        con = duckdb.connect(str(db), read_only=True)
        loaded = {r[0] for r in con.execute("SELECT file_name FROM documents WHERE status = 'ok'").fetchall()}
        con.close()
        assert "facts.pdf" in loaded                       # the first document committed
        assert ("short.pdf" in loaded) == (point == "after_commit")
    clean(db, cache, pdfs)
    assert_consistent(db)
    assert snapshot(db) == ref


@pytest.mark.parametrize("point", ["mid_insert", "before_commit"])
def test_crash_while_replacing_keeps_the_previous_run(point: str, corpus, tmp_path: Path) -> None:
    """A re-load killed mid-way leaves each document with its previous run's facts, untouched."""
    cache, pdfs, ref, _ = corpus
    db = tmp_path / "w.duckdb"
    clean(db, cache, pdfs)
    before = snapshot(db)
    crashed = drive(db, cache, pdfs, f"{point}@1")
    assert crashed.returncode == -9
    assert_consistent(db)
    assert snapshot(db) == before == ref


def test_random_moments(corpus, tmp_path: Path) -> None:
    """N seeded random kills chained on one warehouse; invariants after each, a full compare every 10."""
    cache, pdfs, ref, seconds = corpus
    db = tmp_path / "w.duckdb"
    killed = 0
    for seed in range(N_RANDOM):
        res = drive(db, cache, pdfs, f"random:{seed}", window=seconds * 1.1)
        assert res.returncode in (0, -9), res.stderr[-1500:]
        killed += res.returncode == -9
        assert_consistent(db)
        if (seed + 1) % CHECK_EVERY == 0:
            clean(db, cache, pdfs)
            assert snapshot(db) == ref, f"after seed {seed}"
    assert killed >= N_RANDOM * 0.6, f"only {killed} of {N_RANDOM} runs were killed"
    clean(db, cache, pdfs)
    assert_consistent(db)
    assert snapshot(db) == ref


@pytest.mark.stress
def test_random_moments_stress(corpus, tmp_path: Path) -> None:
    """The same with 200 moments on fresh warehouses, each followed by a clean re-run (make stress)."""
    cache, pdfs, ref, seconds = corpus
    for seed in range(1000, 1200):
        db = tmp_path / f"w{seed}.duckdb"
        drive(db, cache, pdfs, f"random:{seed}", window=seconds * 1.1)
        assert_consistent(db)
        clean(db, cache, pdfs)
        assert snapshot(db) == ref, f"seed {seed}"
        for f in tmp_path.glob(f"w{seed}.duckdb*"):
            f.unlink()
    shutil.rmtree(tmp_path, ignore_errors=True)
