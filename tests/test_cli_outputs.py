"""Files and numbers the commands write: the audit review sheet neutralises formula cells like export does;
--out/--csv paths that cannot work are refused in one line before anything is created (no empty folders
left behind); review refuses non-finite numbers and `query --format json` always prints strict JSON.

Real PDFs laid out for real and loaded into real DuckDB files; the commands run through the real CLI.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from schemas.facts import Policy, Technology
from tests.test_audit_support import build_warehouse, cli, doc_load, render_pdf, rows
from warehouse.load import load_document

TITLE, ACTOR, QUOTE, TECH = '=HYPERLINK("http://evil.example","x")', "@SUM(A1)", "+cmd|' /C calc'!A0", "-2+3"


def formula_facts(facts: list) -> list:
    """The known facts, with a policy and a technology whose text cells start like spreadsheet formulas."""
    changed = {Policy: {"title": TITLE, "actor": ACTOR, "quote": QUOTE}, Technology: {"name_surface": TECH}}
    return [f.model_copy(update=changed[type(f)]) if type(f) in changed else f for f in facts]


@pytest.fixture()
def formula_wh(tmp_path: Path) -> tuple[Path, str]:
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(render_pdf())
    load = doc_load(pdf, tmp_path / "store", str(pdf), facts_filter=formula_facts)
    load_document(tmp_path / "w.duckdb", load)
    return tmp_path / "w.duckdb", load.doc_id


@pytest.fixture()
def wh(tmp_path: Path) -> tuple[Path, str, Path]:
    return build_warehouse(tmp_path)


def sheet_of(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def one_line_refusal(code: int, err: str, needle: str) -> bool:
    return code == 1 and needle in err and err.count("\n") == 1 and "internal error" not in err


def test_audit_csv_neutralises_formula_cells_like_export(capsys, tmp_path: Path, formula_wh) -> None:
    db, doc_id = formula_wh
    sheet_path = tmp_path / "facts.csv"
    code, _, err = cli(capsys, "audit", doc_id[:8], "--out", str(tmp_path / "r.html"), "--csv", str(sheet_path),
                       "--db", str(db))
    assert code == 0, err
    by_kind = {r["fact_kind"]: r for r in sheet_of(sheet_path)}
    policy, tech = by_kind["policies"], by_kind["technologies"]
    assert (policy["title"], policy["actor"], policy["quote"]) == ("'" + TITLE, "'" + ACTOR, "'" + QUOTE)
    assert tech["name_surface"] == "'" + TECH
    assert by_kind["targets"]["value"] in ("20", "")  # numbers are not text: never touched


def test_neutralised_sheet_reads_back_without_phantom_corrections(capsys, tmp_path: Path, formula_wh) -> None:
    db, doc_id = formula_wh
    sheet_path = tmp_path / "facts.csv"
    cli(capsys, "audit", doc_id[:8], "--out", str(tmp_path / "r.html"), "--csv", str(sheet_path), "--db", str(db))
    sheet = sheet_of(sheet_path)
    for row in sheet:
        if row["fact_kind"] == "policies":
            row.update(verdict="corrected", set="year=2022")
        elif row["fact_kind"] == "technologies":
            row.update(verdict="corrected", name_surface="'-2+4")  # edited; the quote is still in front
    with sheet_path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(sheet[0]))
        writer.writeheader()
        writer.writerows(sheet)
    code, _, err = cli(capsys, "review", "--csv", str(sheet_path), "--db", str(db))
    assert code == 0, err
    corrected = sorted(rows(db, "SELECT corrected FROM reviews"))
    assert corrected == [('{"name_surface": "-2+4"}',), ('{"year": 2022}',)]


def test_export_out_naming_a_file_is_refused_in_one_line(capsys, tmp_path: Path, wh) -> None:
    db, _, _ = wh
    taken = tmp_path / "taken.txt"
    taken.write_text("keep", encoding="utf-8")
    code, _, err = cli(capsys, "export", "--out", str(taken), "--format", "csv", "--db", str(db))
    assert one_line_refusal(code, err, str(taken)), err
    assert taken.read_text(encoding="utf-8") == "keep"


def test_audit_out_and_csv_naming_one_file_is_refused(capsys, tmp_path: Path, wh) -> None:
    db, doc_id, _ = wh
    report = tmp_path / "r.html"
    report.write_text("old report", encoding="utf-8")
    code, _, err = cli(capsys, "audit", doc_id[:8], "--out", str(report), "--csv", str(tmp_path / "." / "r.html"),
                       "--db", str(db))
    assert one_line_refusal(code, err, "r.html"), err
    assert report.read_text(encoding="utf-8") == "old report"


@pytest.mark.parametrize("command, option, rel, needle", [
    ("audit", "--out", "new/../afile/r.html", "afile"),          # a file where a folder must be
    ("audit", "--csv", "new/../r.csv", "new"),                   # `..` out of a folder that does not exist
    ("audit", "--out", "new/" + "x" * 300 + ".html", "cannot write"),  # refused by the OS after mkdir
    ("export", "--out", "new/../afile", "afile"),
    ("export", "--out", "new/sub/../../afile", "new"),
])
def test_refused_output_paths_leave_no_folders(capsys, tmp_path: Path, wh, command, option, rel, needle) -> None:
    db, doc_id, _ = wh
    work = tmp_path / "work"
    work.mkdir()
    (work / "afile").write_text("x", encoding="utf-8")
    args = [command, doc_id[:8]] if command == "audit" else [command, "--format", "csv"]
    if command == "audit" and option == "--csv":
        args += ["--out", str(tmp_path / "r.html")]
    code, _, err = cli(capsys, *args, option, str(work / rel), "--db", str(db))
    assert one_line_refusal(code, err, needle), err
    assert sorted(p.name for p in work.iterdir()) == ["afile"]


@pytest.mark.parametrize("number", ["1e309", "-1e400", "inf", "nan", "Infinity"])
def test_review_refuses_non_finite_numbers(capsys, wh, number: str) -> None:
    db, _, _ = wh
    cn = rows(db, "SELECT fact_id FROM targets WHERE actor = 'CN'")[0][0]
    code, _, err = cli(capsys, "review", cn, "--verdict", "corrected", "--set", f"value={number}", "--db", str(db))
    assert one_line_refusal(code, err, "finite"), err
    assert rows(db, "SELECT count(*) FROM reviews")[0][0] == 0


def strict_json(text: str) -> object:
    def refuse(name: str) -> object:
        raise ValueError(f"not JSON: {name}")

    return json.loads(text, parse_constant=refuse)


def test_query_json_prints_non_finite_numbers_as_null(capsys, wh) -> None:
    db, _, _ = wh
    sql = ("SELECT 'inf'::DOUBLE AS a, '-inf'::DOUBLE AS b, 'nan'::FLOAT AS c, [1.5, 'nan'::DOUBLE] AS l, "
           "{'x': 'inf'::DOUBLE} AS s, 2.5 AS d")
    code, out, err = cli(capsys, "query", sql, "--format", "json", "--db", str(db))
    assert code == 0, err
    assert strict_json(out) == [{"a": None, "b": None, "c": None, "l": [1.5, None], "s": {"x": None}, "d": 2.5}]
    code, out, _ = cli(capsys, "query", sql, "--format", "csv", "--db", str(db))
    assert code == 0 and out.splitlines()[1].startswith("inf,-inf,nan,")  # CSV keeps the values as they are
