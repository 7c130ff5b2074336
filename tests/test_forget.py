"""forget: a takedown removes a document's content and bytes, keeps its reviews marked orphaned."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from flows.ingest import ingest
from tests.conftest import ROOT
from tests.ops_warehouse import build, rows
from warehouse.forget import CONTENT_TABLES, forgotten_ids
from warehouse.load import add_review

CLI = [sys.executable, "-c", "import flows.cli_ops; from flows.cli import main; main()"]


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], cwd=ROOT, capture_output=True, text=True, timeout=180)


@pytest.fixture(scope="module")
def forgotten(tmp_path_factory: pytest.TempPathFactory):
    """Two documents, a review on a fact of one, then `forget plain.pdf` through the command."""
    tmp = tmp_path_factory.mktemp("forget")
    opts = build(tmp, ("plain.pdf", "other.pdf"))
    doc_id, stored = rows(opts.db, "SELECT doc_id, stored_path FROM documents WHERE file_name = 'plain.pdf'")[0]
    fact = rows(opts.db, "SELECT fact_id FROM targets WHERE doc_id = ? LIMIT 1", [doc_id])[0][0]
    add_review(opts.db, fact, "accepted", reviewer="test")
    runs_before = rows(opts.db, "SELECT count(*) FROM runs WHERE doc_id = ?", [doc_id])[0][0]
    proc = cli("forget", "plain.pdf", "--db", str(opts.db), "--store", str(opts.store), "--raw", str(tmp / "in"))
    assert proc.returncode == 0, proc.stderr
    return opts, doc_id, Path(stored), fact, runs_before, proc.stdout


def test_content_and_bytes_are_gone(forgotten) -> None:
    opts, doc_id, stored, _, _, out = forgotten
    assert f"forgot {doc_id}" in out
    for table in (*CONTENT_TABLES, "documents"):
        assert rows(opts.db, f"SELECT count(*) FROM {table} WHERE doc_id = ?", [doc_id])[0][0] == 0, table
    assert not stored.exists() and not (opts.store / f"{doc_id}.pdf").exists()
    assert rows(opts.db, "SELECT count(*) FROM documents")[0][0] == 1  # the other document stays
    assert rows(opts.db, "SELECT count(*) FROM fact_history")[0][0] > 0


def test_runs_stay_as_bare_counts_and_reviews_as_orphans(forgotten) -> None:
    opts, doc_id, _, fact, runs_before, _ = forgotten
    assert rows(opts.db, "SELECT count(*), count(source) FROM runs WHERE doc_id = ?", [doc_id])[0] == (runs_before, 0)
    assert rows(opts.db, "SELECT fact_id, orphaned, orphaned_doc_id FROM reviews") == [(fact, True, doc_id)]
    assert rows(opts.db, "SELECT doc_id, file_name, n_reviews FROM forgotten") == [(doc_id, "plain.pdf", 1)]


def test_a_forgotten_document_is_not_ingested_again_without_force(forgotten) -> None:
    opts, doc_id, _, _, _, _ = forgotten
    assert forgotten_ids(opts.db) == {doc_id}
    [again] = [o for o in ingest([opts.db.parent / "in"], opts) if o.doc_id == doc_id]
    assert again.skipped and "forgotten" in (again.error or "")
    assert rows(opts.db, "SELECT count(*) FROM documents WHERE doc_id = ?", [doc_id])[0][0] == 0
    assert not (opts.store / f"{doc_id}.pdf").exists()


def test_unknown_document_exits_3(forgotten) -> None:
    opts = forgotten[0]
    proc = cli("forget", "no-such.pdf", "--db", str(opts.db))
    assert proc.returncode == 3 and "no-such.pdf" in proc.stderr


MARKER_EN = "Zephyrquartz takedown marker 7731"
MARKER_ZH = "绝密撤稿标记甲乙丙丁"


def marker_pdf_bytes() -> bytes:
    """A page with the two markers in a target sentence each (so facts and their history quote them too)."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("STSong-Light", 12)
    c.drawString(60, 780, f"{MARKER_ZH}：到2030年，非化石能源消费比重达到25%左右。")
    c.setFont("Helvetica", 11)
    c.drawString(60, 760, f"{MARKER_EN}: the EU aims at climate neutrality by 2050.")
    c.showPage()
    c.save()
    return buf.getvalue()


def marker_patterns() -> dict[str, bytes]:
    """The markers in every encoding the file could hold them in."""
    return {f"{name} {enc}": text.encode(enc) for name, text in (("en", MARKER_EN), ("zh", MARKER_ZH))
            for enc in ("utf-8", "utf-16-le", "utf-16-be", "gb18030")}


def found_in_files(db: Path) -> list[str]:
    """The patterns found in the warehouse file and its write-ahead log."""
    data = b"".join(p.read_bytes() for p in (db, Path(f"{db}.wal")) if p.is_file())
    return [name for name, pattern in marker_patterns().items() if pattern in data]


def test_no_byte_of_a_forgotten_document_stays_in_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "secret"
    folder.mkdir()
    (folder / "secret.pdf").write_bytes(marker_pdf_bytes())
    opts = build(tmp_path, ("kept.pdf",))
    assert [o.status for o in ingest([folder], opts)] == ["ok"]
    assert {"en utf-8", "zh utf-8"} <= set(found_in_files(opts.db)), "the scan must see the text before"
    proc = cli("forget", "secret.pdf", "--db", str(opts.db), "--store", str(opts.store), "--raw", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert found_in_files(opts.db) == []
    assert not list(opts.db.parent.glob(".*compact*")), "no copy left beside the file"
    assert rows(opts.db, "SELECT count(*) FROM documents")[0][0] == 1, "the other document stays"
    assert rows(opts.db, "SELECT count(*) FROM pages")[0][0] > 0
