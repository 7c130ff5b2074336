"""Review verdicts through the real command on real DuckDB files: views, survival, orphans, bulk CSV."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.test_audit_support import build_warehouse, cli, doc_load, rows
from warehouse.load import load_document
from warehouse.query import status_summary


@pytest.fixture()
def wh(tmp_path: Path) -> tuple[Path, str, Path]:
    return build_warehouse(tmp_path)


def fact(db: Path, kind: str, where: str = "true") -> str:
    return rows(db, f"SELECT fact_id FROM {kind} WHERE {where} ORDER BY page_no LIMIT 1")[0][0]


def test_rejected_fact_leaves_the_view_and_accepted_stays(capsys, wh) -> None:
    db, _, _ = wh
    cn, gb = fact(db, "targets", "actor = 'CN'"), fact(db, "targets", "actor = 'GB'")
    assert cli(capsys, "review", cn, "--verdict", "rejected", "--reviewer", "ann", "--db", str(db))[0] == 0
    assert cli(capsys, "review", gb, "--verdict", "accepted", "--note", "ok", "--db", str(db))[0] == 0
    assert rows(db, "SELECT fact_id, review_verdict FROM targets_reviewed") == [(gb, "accepted")]
    assert rows(db, "SELECT count(*) FROM targets")[0][0] == 2
    assert rows(db, "SELECT reviewer FROM reviews WHERE fact_id = ?", [cn]) == [("ann",)]


def test_correction_is_validated_typed_and_applied(capsys, wh) -> None:
    db, _, _ = wh
    cn = fact(db, "targets", "actor = 'CN'")
    code, out, _ = cli(capsys, "review", cn, "--verdict", "corrected", "--set", "target_year=2030",
                       "--set", "value=25", "--set", "qualifier=null", "--db", str(db))
    assert code == 0 and "2030" in out
    stored = json.loads(rows(db, "SELECT corrected FROM reviews WHERE fact_id = ?", [cn])[0][0])
    assert stored == {"target_year": 2030, "value": 25.0, "qualifier": None}
    assert rows(db, "SELECT target_year, value, qualifier, unit FROM targets_reviewed WHERE fact_id = ?",
                [cn]) == [(2030, 25.0, None, "%")]
    day = fact(db, "policy_dates")
    assert cli(capsys, "review", day, "--verdict", "corrected", "--set", "iso=2025-06",
               "--set", "precision=month", "--set", "date_start=2025-06-01", "--set", "date_end=2025-06-30",
               "--db", str(db))[0] == 0
    got = rows(db, "SELECT iso, precision, CAST(date_end AS VARCHAR) FROM policy_dates_reviewed")
    assert got == [("2025-06", "month", "2025-06-30")]


@pytest.mark.parametrize("args, needle", [
    (["--set", "colour=red"], "no correctable field colour"),
    (["--set", "quote=x"], "no correctable field quote"),
    (["--set", "kind=not_a_kind"], "kind"),
    (["--set", "target_year=soon"], "target_year"),
    ([], "changes no field"),
])
def test_bad_corrections_exit_1_with_one_line(capsys, wh, args, needle) -> None:
    db, _, _ = wh
    cn = fact(db, "targets", "actor = 'CN'")
    code, _, err = cli(capsys, "review", cn, "--verdict", "corrected", *args, "--db", str(db))
    assert code == 1 and needle in err and err.count("\n") == 1 and "Traceback" not in err
    assert rows(db, "SELECT count(*) FROM reviews")[0][0] == 0


def test_unknown_fact_exits_3_and_bad_verdict_exits_1(capsys, wh) -> None:
    db, _, _ = wh
    code, _, err = cli(capsys, "review", "0" * 32, "--verdict", "accepted", "--db", str(db))
    assert code == 3 and "no fact has fact_id" in err
    code, _, err = cli(capsys, "review", fact(db, "targets"), "--verdict", "maybe", "--db", str(db))
    assert code == 1 and "verdict must be one of" in err


def test_reviews_survive_reextraction_and_orphans_are_listed(capsys, tmp_path: Path, wh) -> None:
    db, doc_id, pdf = wh
    cn, gb = fact(db, "targets", "actor = 'CN'"), fact(db, "targets", "actor = 'GB'")
    cli(capsys, "review", cn, "--verdict", "corrected", "--set", "target_year=2030", "--db", str(db))
    cli(capsys, "review", gb, "--verdict", "rejected", "--db", str(db))
    load_document(db, doc_load(pdf, tmp_path / "store", str(pdf)))  # a new run, same pipeline: same ids
    assert rows(db, "SELECT count(DISTINCT run_id) FROM runs")[0][0] == 2
    assert rows(db, "SELECT fact_id, target_year FROM targets_reviewed") == [(cn, 2030)]
    assert status_summary(db)["orphaned_reviews"] == []
    no_uk = lambda facts: [f for f in facts if getattr(f, "actor", None) != "GB"]  # noqa: E731
    load_document(db, doc_load(pdf, tmp_path / "store", str(pdf), facts_filter=no_uk))
    orphans = status_summary(db)["orphaned_reviews"]
    assert [(o["fact_id"], o["verdict"]) for o in orphans] == [(gb, "rejected")]
    code, out, _ = cli(capsys, "status", "--db", str(db))
    assert code == 0 and gb[:12] in out


def _sheet(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def _write_sheet(path: Path, sheet: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.DictWriter(fh, fieldnames=list(sheet[0]))
        out.writeheader()
        out.writerows(sheet)


def test_bulk_review_from_the_audit_csv(capsys, tmp_path: Path, wh) -> None:
    db, doc_id, _ = wh
    sheet_path = tmp_path / "facts.csv"
    code, _, _ = cli(capsys, "audit", doc_id[:8], "--out", str(tmp_path / "r.html"), "--csv", str(sheet_path),
                     "--db", str(db))
    assert code == 0
    sheet = _sheet(sheet_path)
    assert len(sheet) == 5 and all(r["verdict"] == "" for r in sheet)
    by_kind = {r["fact_kind"] + r["actor"]: r for r in sheet}
    by_kind["targetsCN"].update(verdict="corrected", target_year="2030", reviewer="bo")
    by_kind["targetsGB"].update(verdict="Rejected", note="not a target")
    by_kind["policiesCN"].update(verdict="corrected", set="year=2022")
    by_kind["technologies"].update(verdict="accepted")
    _write_sheet(sheet_path, sheet)
    code, out, err = cli(capsys, "review", "--csv", str(sheet_path), "--db", str(db))
    assert code == 0, err
    assert "4 review(s)" in out
    assert rows(db, "SELECT target_year FROM targets_reviewed") == [(2030,)]
    assert rows(db, "SELECT year FROM policies_reviewed") == [(2022,)]
    assert rows(db, "SELECT corrected FROM reviews WHERE verdict = 'corrected' AND reviewer = 'bo'") == [
        ('{"target_year": 2030}',)]


def test_bulk_review_is_all_or_nothing(capsys, tmp_path: Path, wh) -> None:
    db, doc_id, _ = wh
    sheet_path = tmp_path / "facts.csv"
    cli(capsys, "audit", doc_id[:8], "--out", str(tmp_path / "r.html"), "--csv", str(sheet_path), "--db", str(db))
    sheet = _sheet(sheet_path)
    sheet[0].update(verdict="accepted")
    sheet[1].update(verdict="corrected", set="nonsense=1")
    _write_sheet(sheet_path, sheet)
    code, _, err = cli(capsys, "review", "--csv", str(sheet_path), "--db", str(db))
    assert code == 1 and "nonsense" in err
    assert rows(db, "SELECT count(*) FROM reviews")[0][0] == 0
