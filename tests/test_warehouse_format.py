"""Query output formats: RFC 4180 CSV, JSON objects with ISO dates, a CJK-aware text table."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.test_warehouse_factory import doc_id_of, make_load
from warehouse.load import load_document
from warehouse.query import run_query, to_csv, to_json, to_table

SQL = """SELECT 1 AS n, '碳中和, "net zero"' AS text, NULL AS nothing, DATE '2030-12-31' AS due,
                 TIMESTAMP '2024-05-01 12:00:00' AS at, true AS flag, [1, 2] AS xs, 2.5::DECIMAL(4,2) AS d,
                 'two\nlines' AS multi"""


def test_csv_is_rfc_4180(tmp_path: Path) -> None:
    db = tmp_path / "p.duckdb"
    load_document(db, make_load(doc_id_of("a")))
    text = to_csv(*run_query(db, SQL))
    assert text.startswith("n,text,nothing,due,at,flag,xs,d,multi\r\n")
    assert text.endswith("\r\n")
    assert '"碳中和, ""net zero"""' in text
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[1] == ["1", '碳中和, "net zero"', "", "2030-12-31", "2024-05-01T12:00:00", "true", "[1, 2]", "2.50",
                       "two\nlines"]
    assert text.encode("utf-8")


def test_json_is_an_array_of_objects_with_iso_dates(tmp_path: Path) -> None:
    db = tmp_path / "p.duckdb"
    load_document(db, make_load(doc_id_of("a")))
    data = json.loads(to_json(*run_query(db, SQL)))
    assert data == [{"n": 1, "text": '碳中和, "net zero"', "nothing": None, "due": "2030-12-31",
                     "at": "2024-05-01T12:00:00", "flag": True, "xs": [1, 2], "d": 2.5, "multi": "two\nlines"}]
    assert "碳中和" in to_json(["t"], [("碳中和",)]), "UTF-8 text stays readable"
    assert json.loads(to_json(["a", "a"], [(1, 2)])) == [{"a": 1, "a_2": 2}]
    cols, rows = run_query(db, "SELECT date_start, quote FROM policy_dates")
    assert json.loads(to_json(cols, rows))[0]["date_start"] == "2021-10-24"


def test_empty_results_keep_their_header() -> None:
    assert to_csv(["a", "b"], []) == "a,b\r\n"
    assert to_json(["a"], []) == "[]"


def test_text_table_aligns_chinese() -> None:
    out = to_table(["名称", "n"], [("碳捕集", 1), ("CCUS", None)]).splitlines()
    assert out[0] == "名称    n" and out[1] == "------  -"
    assert out[2].startswith("碳捕集  1") and out[3].rstrip() == "CCUS"
    assert out[-1] == "(2 rows)"
