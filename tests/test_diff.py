"""`diff`: facts added, removed and changed between runs (fact_history) and between document versions."""

from __future__ import annotations

import json
from pathlib import Path

from schemas.facts import Target
from tests.test_audit_support import cli, doc_load, render_pdf, rows
from warehouse.connect import reader
from warehouse.load import load_document
from warehouse.reviews import diff_runs, doc_runs


def _retarget(year: int):
    """A facts filter: the CN target says `year`, the UK target is gone."""
    def edit(facts: list) -> list:
        out = []
        for f in facts:
            if isinstance(f, Target) and f.actor == "GB":
                continue
            out.append(f.model_copy(update={"target_year": year}) if isinstance(f, Target) else f)
        return out
    return edit


def _two_runs(tmp: Path) -> tuple[Path, str, list[str]]:
    pdf = tmp / "plan.pdf"
    pdf.write_bytes(render_pdf())
    db = tmp / "w.duckdb"
    first = doc_load(pdf, tmp / "store", str(pdf))
    load_document(db, first)
    second = doc_load(pdf, tmp / "store", str(pdf), facts_filter=_retarget(2030))
    load_document(db, second)
    return db, first.doc_id, [first.run_id, second.run_id]


def test_diff_of_the_last_two_runs(capsys, tmp_path: Path) -> None:
    db, doc_id, (r1, r2) = _two_runs(tmp_path)
    code, out, _ = cli(capsys, "diff", doc_id[:8], "--json", "--db", str(db))
    assert code == 0
    d = json.loads(out)
    assert (d["from"], d["to"]) == (r1, r2)
    assert [f["actor"] for f in d["removed"]] == ["GB"] and d["added"] == []
    assert [c["fields"] for c in d["changed"]] == [{"target_year": [2025, 2030]}]
    assert d["unchanged"] == 3
    code, out, _ = cli(capsys, "diff", "plan.pdf", "--from", r2[:8], "--to", r1[:8], "--db", str(db))
    assert code == 0
    assert "1 added, 0 removed, 1 changed, 3 unchanged" in out
    assert "target_year: 2030 -> 2025" in out and "\n+ targets" in out


def test_history_keeps_every_run_and_library_diff_agrees(tmp_path: Path) -> None:
    db, doc_id, (r1, r2) = _two_runs(tmp_path)
    assert rows(db, "SELECT run_id, count(*) FROM fact_history GROUP BY run_id ORDER BY count(*) DESC") == [
        (r1, 5), (r2, 4)]
    with reader(db) as con:
        assert [r[0] for r in doc_runs(con, doc_id)] == [r1, r2]
        d = diff_runs(con, r1, r2)
    assert len(d.removed) == 1 and len(d.changed) == 1 and d.changed[0].kind == "targets"


def test_one_run_exits_1_and_unknown_doc_exits_3(capsys, tmp_path: Path) -> None:
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(render_pdf())
    db = tmp_path / "w.duckdb"
    load = doc_load(pdf, tmp_path / "store", str(pdf))
    load_document(db, load)
    code, out, err = cli(capsys, "diff", load.doc_id, "--db", str(db))
    assert code == 1 and "1 successful run(s)" in err and err.count("\n") == 1 and out == ""
    assert cli(capsys, "diff", "deadbeefdeadbeef", "--db", str(db))[0] == 3
    code, _, err = cli(capsys, "diff", load.doc_id, "--from", "zzzz", "--to", load.run_id, "--db", str(db))
    assert code == 1 and "not a run of this document" in err


def test_diff_between_two_versions_from_the_same_source(capsys, tmp_path: Path) -> None:
    source = "https://example.org/plan.pdf"
    old_pdf, new_pdf = tmp_path / "v1.pdf", tmp_path / "v2.pdf"
    old_pdf.write_bytes(render_pdf())
    new_pdf.write_bytes(render_pdf(extra="附件：重点工程。"))
    db = tmp_path / "w.duckdb"
    old = doc_load(old_pdf, tmp_path / "store", source)
    load_document(db, old)
    new = doc_load(new_pdf, tmp_path / "store", source, facts_filter=_retarget(2030))
    load_document(db, new)
    assert rows(db, "SELECT superseded_by FROM documents WHERE doc_id = ?", [old.doc_id]) == [(new.doc_id,)]
    code, out, _ = cli(capsys, "diff", new.doc_id[:12], "--json", "--db", str(db))
    assert code == 0
    d = json.loads(out)
    assert (d["from"], d["to"]) == (old.doc_id, new.doc_id)
    assert d["unchanged"] == 3 and [f["actor"] for f in d["removed"]] == ["GB"] and d["added"] == []
    assert [c["fields"] for c in d["changed"]] == [{"target_year": [2025, 2030]}]
    code, _, err = cli(capsys, "diff", new.doc_id[:12], "--runs", "--db", str(db))
    assert code == 1 and "nothing to diff" in err
