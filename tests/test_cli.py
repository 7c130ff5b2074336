"""The command line as users script it: exit codes, one-line errors, the document-name resolver."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from flows.resolve import NotFound, resolve_doc
from tests.bad_pdfs import good_pdf_bytes
from tests.conftest import ROOT


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], cwd=cwd, capture_output=True, text=True)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A warehouse with two one-page documents, ingested by the real CLI (one Prefect run)."""
    tmp = tmp_path_factory.mktemp("cli")
    folder = tmp / "in"
    folder.mkdir()
    (folder / "a.pdf").write_bytes(good_pdf_bytes("First document about net zero by 2050."))
    (folder / "b.pdf").write_bytes(good_pdf_bytes("Second document: 55% reduction by 2030."))
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n garbage")
    proc = cli("ingest", str(folder), "--db", str(tmp / "w.duckdb"), "--store", str(tmp / "store"))
    assert proc.returncode == 2, proc.stderr  # partly done: broken.pdf failed and is recorded
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "broken.pdf" in proc.stdout
    return tmp / "w.duckdb", folder


def test_query_formats(loaded) -> None:
    db, _ = loaded
    sql = "SELECT file_name, status, reason FROM documents ORDER BY file_name"
    raw = subprocess.run([sys.executable, "-m", "flows.cli", "query", sql, "--db", str(db), "--format", "csv"],
                         cwd=ROOT, capture_output=True).stdout.decode("utf-8")
    assert raw.split("\r\n")[0] == "file_name,status,reason"
    assert "\r\na.pdf,ok,\r\n" in raw  # NULL is an empty field, CRLF line ends (RFC 4180)
    rows = json.loads(cli("query", sql, "--db", str(db), "--format", "json").stdout)
    assert [r["file_name"] for r in rows] == ["a.pdf", "b.pdf", "broken.pdf"]
    assert rows[2]["reason"] in ("truncated", "malformed")


def test_query_refuses_writes_with_one_line(loaded) -> None:
    db, _ = loaded
    proc = cli("query", "DELETE FROM documents", "--db", str(db))
    assert proc.returncode == 1
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr


def test_reader_on_missing_warehouse_says_so(tmp_path: Path) -> None:
    proc = cli("status", "--db", str(tmp_path / "none.duckdb"))
    assert proc.returncode == 1
    assert "missing" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "none.duckdb").exists()


def test_status_lists_the_failure(loaded) -> None:
    db, _ = loaded
    proc = cli("status", "--db", str(db))
    assert proc.returncode == 0 and "broken.pdf" in proc.stdout


def test_resolver_by_prefix_name_and_path(loaded, tmp_path: Path) -> None:
    db, folder = loaded
    con = duckdb.connect(str(db), read_only=True)
    try:
        ids = dict(con.execute("SELECT file_name, doc_id FROM documents").fetchall())
        assert resolve_doc(con, ids["a.pdf"][:8]) == ids["a.pdf"]
        assert resolve_doc(con, ids["a.pdf"].upper()[:12]) == ids["a.pdf"]
        assert resolve_doc(con, "b.pdf") == ids["b.pdf"]
        renamed = tmp_path / "elsewhere.bin"
        shutil.copy(folder / "a.pdf", renamed)
        assert resolve_doc(con, str(renamed)) == ids["a.pdf"]
        with pytest.raises(NotFound):
            resolve_doc(con, "nothing.pdf")
    finally:
        con.close()


def test_resolver_lists_candidates_of_an_ambiguous_prefix(loaded, tmp_path: Path) -> None:
    db, _ = loaded
    copy = tmp_path / "copy.duckdb"
    shutil.copy(db, copy)
    con = duckdb.connect(str(copy))
    try:
        real = con.execute("SELECT doc_id FROM documents WHERE file_name = 'a.pdf'").fetchone()[0]
        twin = real[:10] + ("0" if real[10] != "0" else "1") * 54
        con.execute("INSERT INTO documents (doc_id, file_name, status, ingested_at, pipeline_version) "
                    "VALUES (?, 'twin.pdf', 'ok', now(), 'test')", [twin])
        with pytest.raises(NotFound, match="ambiguous") as err:
            resolve_doc(con, real[:9])
        assert "a.pdf" in str(err.value) and "twin.pdf" in str(err.value)
        assert resolve_doc(con, real[:11]) == real
    finally:
        con.close()


def test_unknown_document_exits_3(loaded) -> None:
    db, _ = loaded
    proc = cli("audit", "deadbeefdeadbeef", "--db", str(db))
    assert proc.returncode == 3 and "deadbeef" in proc.stderr


def test_no_op_reingest_parses_nothing(loaded) -> None:
    db, folder = loaded
    before = duckdb.connect(str(db), read_only=True).execute("SELECT count(*) FROM runs").fetchone()
    proc = cli("ingest", str(folder / "a.pdf"), str(folder / "b.pdf"), "--db", str(db),
               "--store", str(db.parent / "store"))
    assert proc.returncode == 0, proc.stderr
    after = duckdb.connect(str(db), read_only=True).execute("SELECT count(*) FROM runs").fetchone()
    assert before == after


def test_unreachable_prefect_server_is_one_clear_line(tmp_path: Path) -> None:
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(good_pdf_bytes("Needs parsing, so Prefect must start."))
    env = {**os.environ, "PREFECT_API_URL": "http://127.0.0.1:9/api"}
    proc = subprocess.run([sys.executable, "-m", "flows.cli", "ingest", str(pdf), "--db", str(tmp_path / "w.duckdb"),
                           "--store", str(tmp_path / "store")], cwd=ROOT, capture_output=True, text=True, env=env)
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "PREFECT_API_URL" in lines[0] and "Traceback" not in proc.stderr


def test_ingest_takes_urls_and_records_them_as_sources(tmp_path: Path) -> None:
    from tests.fetch_server import PdfServer

    with PdfServer() as server:
        url = f"{server.base}/a.pdf"
        proc = cli("ingest", url, f"{server.base}/missing.pdf", "--db", str(tmp_path / "w.duckdb"),
                   cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr  # the 404 is reported, the other URL loads
    assert "missing.pdf" in proc.stderr and "Traceback" not in proc.stderr
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT source, status FROM documents").fetchall() == [(url, "ok")]
    finally:
        con.close()
    assert all(p.resolve().is_relative_to(tmp_path) for p in (tmp_path / "raw").rglob("*"))
