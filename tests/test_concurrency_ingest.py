"""Concurrency: two `ingest` commands at once on overlapping files, and `query` while an ingest writes.

Decided (docs/reliability.md): one writer at a time, per document. Each process waits for the file lock
with a bounded backoff (POLICY_WAREHOUSE_WAIT, 30 s) and says it is waiting; a document both processes
parse is loaded twice, the second load replacing the first with the same content (deterministic
fact_ids), so the warehouse ends as one serial run would leave it (only `runs` shows the extra run).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from flows.ingest import IngestOptions, ingest
from flows.settings import Limits
from tests.bad_pdfs import good_pdf_bytes
from tests.conftest import ROOT
from tests.hostile_pdfs import facts_pdf_bytes, long_pdf_bytes, truncated_bytes
from tests.test_crash_consistency import assert_consistent, snapshot
from warehouse.connect import writer

CLI = [sys.executable, "-m", "flows.cli"]
RACY = frozenset({"source"})
"""documents.source names the arrival of the latest load (either racer); document_sources keeps them all."""


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen([*CLI, *args], cwd=ROOT, env={**os.environ, **(env or {})},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def folders(tmp: Path) -> tuple[Path, Path]:
    """Two folders sharing two files (one good, one broken)."""
    a, b = tmp / "a", tmp / "b"
    a.mkdir()
    b.mkdir()
    shared = {"short.pdf": good_pdf_bytes("China will reach carbon neutrality by 2060."),
              "cut.pdf": truncated_bytes(0.3)}
    for folder in (a, b):
        for name, data in shared.items():
            (folder / name).write_bytes(data)
    (a / "facts.pdf").write_bytes(facts_pdf_bytes(2))
    (b / "long.pdf").write_bytes(long_pdf_bytes(2))
    return a, b


@pytest.fixture(scope="module")
def serial(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path, dict]:
    """(folder a, folder b, tmp, snapshot) of a then b ingested one after the other."""
    tmp = tmp_path_factory.mktemp("serial")
    a, b = folders(tmp)
    opts = IngestOptions(db=tmp / "serial.duckdb", store=tmp / "store", limits=Limits(timeout_s=60))
    ingest([a], opts)
    ingest([b], opts)
    return a, b, tmp, snapshot(opts.db, RACY)


def test_two_ingests_and_queries_at_once(serial) -> None:
    """Two ingests together end like one serial run; queries meanwhile succeed or say busy/retry."""
    a, b, tmp, expected = serial
    db = tmp / "together.duckdb"
    with writer(db):
        pass  # an empty, migrated warehouse, so queries have something to open from the start
    procs = [cli("ingest", str(folder), "--db", str(db), "--store", str(tmp / "store"), "--timeout", "60")
             for folder in (a, b)]
    answers = queries_while(procs, db)
    outs = [p.communicate(timeout=600) for p in procs]
    for p, (_, err) in zip(procs, outs, strict=True):
        assert p.returncode == 2, err            # partly done: cut.pdf failed and is recorded
        assert "Traceback" not in err
    assert_consistent(db)
    got = snapshot(db, RACY)
    assert got == expected, {t: (set(got[t]) ^ set(expected[t])) for t in got if got[t] != expected[t]}
    con = duckdb.connect(str(db), read_only=True)
    try:
        per_doc = con.execute("SELECT d.file_name, count(*) FROM runs r JOIN documents d USING (doc_id) "
                              "GROUP BY 1 ORDER BY 1").fetchall()
    finally:
        con.close()
    assert {n for n, _ in per_doc} == {"cut.pdf", "facts.pdf", "long.pdf", "short.pdf"}
    assert all(1 <= k <= 2 for _, k in per_doc)  # a shared file is parsed by one or both, never lost
    check_answers(answers)


def queries_while(procs: list[subprocess.Popen], db: Path) -> list[tuple[int, str, str]]:
    """`query` run again and again (waiting at most 0.3 s for the lock) until the ingests end."""
    results = []
    while any(p.poll() is None for p in procs) and len(results) < 12:
        q = cli("query", "SELECT count(*) AS n FROM documents", "--db", str(db), "--format", "csv",
                env={"POLICY_WAREHOUSE_WAIT": "0.3"})
        out, err = q.communicate(timeout=120)
        results.append((q.returncode, out, err))
        time.sleep(1.0)
    return results


def check_answers(results: list[tuple[int, str, str]]) -> None:
    """Each answer is a count, or exit 1 with one line saying the warehouse is busy and to retry."""
    assert results, "the ingests ended before any query ran"
    for code, out, err in results:
        if code == 0:
            lines = out.split()
            assert lines[0] == "n" and 0 <= int(lines[1]) <= 4, out
        else:
            assert code == 1 and "busy" in err and "retry" in err and "Traceback" not in err, err
            assert len(err.strip().splitlines()) <= 2, err
