"""Hostile PDFs, built by the tests, through the real ingest: each ends loaded or failed with its own reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.ingest import IngestOptions, ingest
from flows.settings import Limits
from tests.conftest import rows
from tests.hostile_pdfs import MOJIBAKE_TEXT, hostile_inputs

REASONS = {"empty_file", "not_pdf", "too_large", "too_many_pages", "encrypted", "truncated", "malformed",
           "parse_error", "timeout", "memory_limit", "worker_crashed", "no_text_layer", "garbled_text"}
"""CONTRACT.md's closed vocabulary of documents.reason."""
LIMITS = Limits(timeout_s=10, memory_mb=1024)
"""Small limits keep `make test` fast: the 200,000-object page must hit the 10 s wall clock."""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], list]:
    """One ingest of every hostile file in one folder: (db, name -> expected, outcomes)."""
    tmp = tmp_path_factory.mktemp("hostile")
    folder = tmp / "in"
    folder.mkdir()
    expected = {}
    for name, (data, outcome) in hostile_inputs().items():
        (folder / name).write_bytes(data)
        expected[name] = outcome
    opts = IngestOptions(db=tmp / "w.duckdb", store=tmp / "store", workers=2, limits=LIMITS)
    outcomes = ingest([folder], opts)
    return opts.db, expected, outcomes


def test_the_batch_covers_every_kind_the_issue_names(hostile) -> None:
    _, expected, outcomes = hostile
    assert len(expected) >= 22 and len(outcomes) == len(expected)
    assert {"empty_file", "not_pdf", "truncated", "encrypted", "malformed", "memory_limit", "timeout",
            "too_many_pages", "garbled_text", "no_text_layer", "ok"} <= set(expected.values())


def test_each_file_ends_as_expected(hostile) -> None:
    db, expected, _ = hostile
    got = {name: reason or status for name, status, reason in
           rows(db, "SELECT file_name, status, reason FROM documents")}
    assert got == expected


def test_failures_say_what_happened_in_one_line(hostile) -> None:
    db, _, _ = hostile
    for name, reason, error in rows(db, "SELECT file_name, reason, error FROM documents WHERE status = 'failed'"):
        assert name in error and "\n" not in error and "Traceback" not in error, (name, error)
        assert reason in REASONS and len(error) < 400, (reason, error)


def test_every_failure_has_a_failed_run_and_no_rows(hostile) -> None:
    db, _, _ = hostile
    leftover = rows(db, "SELECT count(*) FROM pages p JOIN documents d USING (doc_id) WHERE d.status = 'failed'")
    assert leftover == [(0,)]
    no_run = rows(db, "SELECT file_name FROM documents d WHERE NOT EXISTS "
                      "(SELECT 1 FROM runs r WHERE r.doc_id = d.doc_id)")
    assert no_run == []


def test_recoverable_files_load_their_real_text(hostile) -> None:
    db, _, _ = hostile
    text = dict(rows(db, "SELECT d.file_name, string_agg(p.text, ' ') FROM documents d JOIN pages p USING (doc_id) "
                         "GROUP BY d.file_name"))
    assert "the text is all there" in text["broken_xref.pdf"]         # parsed from a repaired copy
    assert "No end-of-file marker here" in text["no_eof.pdf"]
    assert "Carbon neutrality by 2060" in text["owner_only.pdf"]      # owner password only: anyone may open it
    assert "draws itself" in text["self_xobject.pdf"]
    for odd_box in ("inverted_box.pdf", "zero_box.pdf"):                # boxes normalised, as pdfium does
        assert "carbon neutrality by 2060" in text[odd_box]
    assert "loops on itself" in text["prev_loop.pdf"]                 # the /Prev loop is cut, as pypdf does
    assert "Only the attachment is locked" in text["locked_attachment.pdf"]  # pages need no password
    squeezed = "".join(text["mojibake.pdf"].split())
    assert "2060年前实现碳中和" in squeezed and MOJIBAKE_TEXT[:10] in squeezed
    quality = rows(db, "SELECT p.quality FROM pages p JOIN documents d USING (doc_id) "
                       "WHERE d.file_name = 'mojibake.pdf'")
    assert quality == [("recovered",)]


def test_odd_boxes_are_normalised(hostile) -> None:
    db, _, _ = hostile
    sizes = dict(rows(db, "SELECT d.file_name, [p.width, p.height] FROM documents d JOIN pages p USING (doc_id) "
                          "WHERE d.file_name LIKE '%_box.pdf'"))
    assert sizes == {"inverted_box.pdf": [595, 842], "zero_box.pdf": [612, 792]}


def test_mojibake_yields_facts(hostile) -> None:
    db, _, _ = hostile
    n = rows(db, "SELECT count(*) FROM targets t JOIN documents d USING (doc_id) WHERE d.file_name = 'mojibake.pdf'")
    assert n[0][0] >= 1


def test_a_content_stream_listed_100000_times_is_memory_limit_in_one_line(tmp_path: Path) -> None:
    """It used to kill the child with a "Fatal Python error" dump on the user's terminal (worker_crashed)."""
    import os
    import subprocess
    import sys

    from tests.bad_pdfs import good_pdf_bytes
    from tests.conftest import ROOT
    from tests.hostile_pdfs import repeated_contents_bytes

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "repeated.pdf").write_bytes(repeated_contents_bytes())
    (folder / "fine.pdf").write_bytes(good_pdf_bytes())
    db = tmp_path / "w.duckdb"
    run = subprocess.run([sys.executable, "-m", "flows.cli", "ingest", str(folder), "--db", str(db),
                          "--store", str(tmp_path / "store"), "--memory-mb", "300", "--timeout", "600", "-q"],
                         cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True)
    assert run.returncode == 2, run.stderr
    assert all(noise not in run.stderr for noise in ("Fatal Python error", "Traceback", "MemoryError")), run.stderr
    got = rows(db, "SELECT file_name, status, reason, error FROM documents ORDER BY file_name")
    assert [r[:3] for r in got] == [("fine.pdf", "ok", None), ("repeated.pdf", "failed", "memory_limit")]
    assert "repeated.pdf" in got[1][3] and "\n" not in got[1][3]
