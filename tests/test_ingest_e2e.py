"""End to end: real PDFs through the real Prefect flow into a real DuckDB file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from flows.ingest import IngestOptions, ingest
from flows.settings import Limits
from tests.bad_pdfs import flate_bomb_bytes, good_pdf_bytes, slow_pdf_bytes, write_bad_inputs
from tests.conftest import RAW, rows


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str], list]:
    """One ingest of a folder holding good and bad files; returns (db, folder, expected, outcomes)."""
    tmp = tmp_path_factory.mktemp("batch")
    folder = tmp / "in"
    (folder / "sub").mkdir(parents=True)
    expected = write_bad_inputs(folder)
    (folder / "sub" / "good.PDF").write_bytes(good_pdf_bytes())
    (folder / "notes.txt").write_text("not taken: not *.pdf")
    opts = IngestOptions(db=tmp / "w.duckdb", store=tmp / "store", limits=Limits(timeout_s=60))
    outcomes = ingest([folder], opts)
    return opts.db, folder, expected, outcomes


def test_every_bad_file_is_recorded_with_its_reason(batch) -> None:
    db, _, expected, outcomes = batch
    got = dict(rows(db, "SELECT file_name, reason FROM documents WHERE status = 'failed'"))
    assert got == expected
    errors = rows(db, "SELECT file_name, error FROM documents WHERE status = 'failed'")
    for name, error in errors:
        assert name in error and "\n" not in error and "Traceback" not in error


def test_the_good_file_loads_despite_the_bad_ones(batch) -> None:
    db, _, _, outcomes = batch
    ok = rows(db, "SELECT file_name, page_count FROM documents WHERE status = 'ok'")
    assert ok == [("good.PDF", 1)]
    text = rows(db, "SELECT text FROM pages p JOIN documents d USING (doc_id) WHERE d.status = 'ok'")
    assert "Carbon neutrality by 2060" in text[0][0]
    assert len(outcomes) == 6  # notes.txt is not a PDF by name, so it is not taken from a folder


def test_reingest_renamed_changes_nothing_and_parses_nothing(batch, tmp_path: Path) -> None:
    db, folder, _, _ = batch
    before_runs = rows(db, "SELECT count(*) FROM runs")[0][0]
    renamed = tmp_path / "again"
    renamed.mkdir()
    shutil.copy(folder / "sub" / "good.PDF", renamed / "renamed.pdf")
    outcomes = ingest([renamed], IngestOptions(db=db, store=db.parent / "store"))
    assert [o.skipped for o in outcomes] == [True]
    assert rows(db, "SELECT count(*) FROM runs")[0][0] == before_runs
    names = {r[0] for r in rows(db, "SELECT file_name FROM document_sources")}
    assert {"good.PDF", "renamed.pdf"} <= names


def test_stored_copy_is_named_by_content(batch) -> None:
    db, _, _, _ = batch
    doc_id, stored = rows(db, "SELECT doc_id, stored_path FROM documents WHERE status = 'ok'")[0]
    assert Path(stored).name == f"{doc_id}.pdf" and Path(stored).is_file()


def test_a_parse_that_hangs_times_out_and_a_bomb_hits_the_memory_cap(tmp_path: Path) -> None:
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "slow.pdf").write_bytes(slow_pdf_bytes())
    (folder / "bomb.pdf").write_bytes(flate_bomb_bytes())
    (folder / "fine.pdf").write_bytes(good_pdf_bytes("Still loads, though its neighbours are hostile."))
    opts = IngestOptions(db=tmp_path / "w.duckdb", store=tmp_path / "store", workers=2,
                         limits=Limits(timeout_s=20, memory_mb=2048))  # slow.pdf passes 2 GB after ~60 s
    ingest([folder], opts)
    got = dict(rows(opts.db, "SELECT file_name, coalesce(reason, status) FROM documents"))
    assert got == {"slow.pdf": "timeout", "bomb.pdf": "memory_limit", "fine.pdf": "ok"}


def test_samples_in_raw_are_there() -> None:
    names = sorted(p.name for p in RAW.glob("*.pdf"))
    assert "seed_cas_bulletin_2022.pdf" in names and len(names) >= 3
