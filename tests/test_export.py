"""export: every table to Parquet or CSV, read back by DuckDB; CSV formula cells neutralised."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ROOT
from tests.ops_warehouse import HOSTILE_NAMES, build, rows
from warehouse.export import UnknownTable, export_tables, table_names


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("export")).db


def test_parquet_round_trip_of_every_table(db: Path, tmp_path: Path) -> None:
    written = export_tables(db, tmp_path / "pq", "parquet")
    con = duckdb.connect(str(db), read_only=True)
    try:
        names = table_names(con)
        assert {"documents", "targets", "fact_history", "pages"} <= set(names)
        assert sorted(p.name for p in written) == sorted(f"{n}.parquet" for n in names)
        for name in names:
            back = duckdb.sql(f"SELECT * FROM read_parquet('{tmp_path / 'pq' / name}.parquet')")
            assert back.columns == [d[0] for d in con.execute(f"SELECT * FROM {name} LIMIT 0").description]
            assert sorted(map(str, back.fetchall())) == sorted(map(str, con.execute(f"SELECT * FROM {name}")
                                                                  .fetchall())), name
    finally:
        con.close()
    assert rows(db, "SELECT count(*) FROM targets")[0][0] > 0


def test_csv_neutralises_formula_cells(db: Path, tmp_path: Path) -> None:
    [path] = export_tables(db, tmp_path / "csv", "csv", table="documents")
    with path.open(encoding="utf-8", newline="") as f:
        records = list(csv.DictReader(f))
    names = {r["file_name"] for r in records}
    assert names == {"plain.pdf", *("'" + n for n in HOSTILE_NAMES)}
    assert all(r["superseded_by"] == "" for r in records)  # NULL is an empty field
    back = duckdb.sql(f"SELECT count(*), count(DISTINCT doc_id) FROM read_csv('{path}', header=true)").fetchall()[0]
    assert back == (5, 5)


def test_numbers_are_not_touched_and_views_export_by_name(db: Path, tmp_path: Path) -> None:
    [path] = export_tables(db, tmp_path, "csv", table="targets_reviewed")
    got = duckdb.sql(f"SELECT min(target_year), max(target_year) FROM read_csv('{path}', header=true)").fetchall()[0]
    assert got == rows(db, "SELECT min(target_year), max(target_year) FROM targets")[0] and got[0] == 2060


def test_unknown_table_is_not_found_exit_3(db: Path, tmp_path: Path) -> None:
    with pytest.raises(UnknownTable):
        export_tables(db, tmp_path, "csv", table="nope; DROP TABLE documents")
    cmd = [sys.executable, "-c", "import flows.cli_ops; from flows.cli import main; main()",
           "export", "--db", str(db), "--out", str(tmp_path / "x"), "--table", "nope"]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3 and "nope" in proc.stderr
    proc = subprocess.run(cmd[:-2] + ["--format", "csv", "--table", "runs"], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0 and (tmp_path / "x" / "runs.csv").is_file(), proc.stderr
