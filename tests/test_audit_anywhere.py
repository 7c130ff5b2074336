"""`audit` finds the stored PDF from any working folder (issue 13, item 9)."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.audit import audit_document
from flows.ingest import IngestOptions, ingest
from flows.settings import Limits
from tests.bad_pdfs import good_pdf_bytes
from tests.conftest import rows
from tests.test_audit_support import doc_load, render_pdf
from warehouse.load import load_document


def _project(tmp_path: Path) -> tuple[Path, Path]:
    """A project folder holding one PDF, and another folder to run the audit from."""
    project, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    project.mkdir()
    elsewhere.mkdir()
    return project, elsewhere


def test_audit_from_another_folder_of_an_ingest_with_relative_paths(tmp_path: Path, monkeypatch) -> None:
    project, elsewhere = _project(tmp_path)
    (project / "plain.pdf").write_bytes(good_pdf_bytes("Net zero by 2050 is the aim of this short plan."))
    monkeypatch.chdir(project)
    [outcome] = ingest([Path("plain.pdf")], IngestOptions(db=Path("warehouse/w.duckdb"), store=Path("raw/store"),
                                                          limits=Limits(timeout_s=120)))
    assert outcome.status == "ok", outcome.error
    monkeypatch.chdir(elsewhere)
    db = project / "warehouse" / "w.duckdb"
    [(stored,)] = rows(db, "SELECT stored_path FROM documents")
    assert Path(stored).is_absolute()
    res = audit_document(db, "plain.pdf", elsewhere / "r.html")
    assert res.n_pages > 0 and res.n_images == res.n_pages
    assert "is missing" not in res.html.read_text(encoding="utf-8")


@pytest.mark.parametrize("db_folder", [".", "warehouse"])
def test_a_relative_stored_path_is_found_from_the_warehouse_location(tmp_path: Path, monkeypatch,
                                                                      db_folder: str) -> None:
    """Rows written before stored paths were absolute: raw/store/<id>.pdf relative to the project folder."""
    project, elsewhere = _project(tmp_path)
    monkeypatch.chdir(project)
    (project / "plan.pdf").write_bytes(render_pdf())
    load = doc_load(Path("plan.pdf"), Path("raw/store"), source="plan.pdf")
    assert not Path(load.stored_path or "/").is_absolute()
    db = project / db_folder / "w.duckdb"
    db.parent.mkdir(exist_ok=True)
    load_document(db, load)
    monkeypatch.chdir(elsewhere)
    res = audit_document(db, load.doc_id[:12], elsewhere / "r.html")
    assert res.n_pages == 3 and res.n_images == 3
