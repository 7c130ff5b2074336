"""Terminal output shows data as text: Rich markup, emoji codes and control characters in PDF text and file
names are printed literally (ESC as \\x1b), never interpreted, never sent raw to the terminal.

A real PDF with `[/link]` and ESC sequences in its text layer, named `[bold]b.pdf`, and an empty file whose
path holds `[/x]`, `[bold]` and ESC are ingested by the real CLI; ingest summary, status and query print them.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from flows import report
from tests.conftest import ROOT
from tests.hostile_pdfs import raw_text_pdf_bytes

PDF_TEXT = b"China aims to peak carbon emissions before 2030. See [/link] and \x1b[31mRED\x1b[0m :warning: here."
LOADED = "[bold]b.pdf"
FAILED_DIR = "a["
FAILED = "x][bold]\x1b[2Jbad.pdf"  # its path a[/x][bold]... holds a closing tag


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "400"}  # wide enough that Rich never wraps a cell
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          env=env)


def assert_no_raw_control(proc: subprocess.CompletedProcess[str]) -> None:
    assert "internal error" not in proc.stderr, proc.stderr
    assert "\x1b" not in proc.stdout + proc.stderr  # not a tty: Rich adds no colour codes of its own


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    tmp = tmp_path_factory.mktemp("terminal")
    folder = tmp / "in"
    (folder / FAILED_DIR).mkdir(parents=True)
    (folder / LOADED).write_bytes(raw_text_pdf_bytes(PDF_TEXT))
    (folder / FAILED_DIR / FAILED).write_bytes(b"")
    db = tmp / "w.duckdb"
    return cli("ingest", str(folder), "--db", str(db), "--store", str(tmp / "store"), "--quiet"), db


def test_ingest_summary_prints_the_failed_path_as_text(ingested) -> None:
    proc, _ = ingested
    assert_no_raw_control(proc)
    assert proc.returncode == 2, proc.stderr  # partly done: the empty file failed
    assert "a[/x][bold]\\x1b[2Jbad.pdf" in proc.stdout
    assert "documents loaded" in proc.stdout


def test_status_prints_file_names_as_text(ingested) -> None:
    _, db = ingested
    proc = cli("status", "--db", str(db))
    assert_no_raw_control(proc)
    assert proc.returncode == 0, proc.stderr
    assert "x][bold]\\x1b[2Jbad.pdf" in proc.stdout


def test_query_table_prints_pdf_text_and_file_names_as_text(ingested) -> None:
    _, db = ingested
    names = cli("query", "SELECT file_name FROM documents ORDER BY file_name", "--db", str(db))
    assert_no_raw_control(names)
    assert names.returncode == 0, names.stderr
    assert LOADED in names.stdout and "x][bold]\\x1b[2Jbad.pdf" in names.stdout
    text = cli("query", "SELECT text AS \"[/col]\" FROM pages", "--db", str(db))
    assert_no_raw_control(text)
    assert text.returncode == 0, text.stderr
    assert "[/col]" in text.stdout
    assert "See [/link] and \\x1b[31mRED\\x1b[0m :warning: here." in text.stdout


def test_one_line_errors_escape_control_characters(tmp_path: Path) -> None:
    proc = cli("query", "SELECT 1", "--db", str(tmp_path / "w\x1b[2J\nx.duckdb"))
    assert proc.returncode == 1
    assert "\x1b" not in proc.stderr
    assert "w\\x1b[2J\\nx.duckdb" in proc.stderr and len(proc.stderr.splitlines()) == 1, proc.stderr


def test_status_survives_a_parser_error_holding_closing_tags(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pdfminer message such as [/'MCID', 0, /'X'] kept as a failure's error made `status` fail every time."""
    sink = io.StringIO()
    monkeypatch.setattr(report, "out", Console(file=sink, width=300, soft_wrap=True))
    error = "x.pdf: malformed ([/'MCID', 0, /'X'])"
    report.print_status({"failures": [{"file_name": "[/b]x.pdf", "reason": "malformed", "error": error}],
                         "facts": {"[/t]": 1}})
    shown = sink.getvalue()
    assert error in shown and "[/b]x.pdf" in shown and "[/t]" in shown


def test_diff_lines_escape_control_characters_from_quotes(capsys: pytest.CaptureFixture[str]) -> None:
    from flows.cli_audit import print_diff
    from warehouse.reviews import FactChange, FactDiff

    quote = "By 2030 \x1b[31mred\x1b[0m\nforged line"
    fact = {"fact_kind": "targets", "page_no": 1, "fact_id": "f" * 32, "quote": quote}
    change = FactChange("targets", "e" * 32, 2, quote, {"unit": ("%\x1b[2J", "GW")})
    print_diff(FactDiff("a" * 64, "b" * 64, added=[fact], removed=[fact], changed=[change], unchanged=1), False)
    shown = capsys.readouterr().out
    assert shown.count("By 2030 \\x1b[31mred\\x1b[0m\\nforged line") == 3 and "%\\x1b[2J -> GW" in shown
    assert "\x1b" not in shown and "\nforged line" not in shown


def test_forget_names_the_file_with_control_characters_escaped(capsys, tmp_path: Path) -> None:
    from tests.test_audit_support import build_warehouse
    from tests.test_audit_support import cli as cli_in_process

    db, doc_id, _ = build_warehouse(tmp_path, name="[bold]\x1b[31mplan.pdf")
    code, out, err = cli_in_process(capsys, "forget", doc_id[:8], "--db", str(db), "--store", str(tmp_path / "s"),
                                    "--raw", str(tmp_path / "raw"))
    assert code == 0, err
    assert "([bold]\\x1b[31mplan.pdf)" in out and "\x1b" not in out


def test_evaluate_table_prints_gold_file_names_as_text(monkeypatch: pytest.MonkeyPatch) -> None:
    from flows import evaluate

    sink = io.StringIO()
    monkeypatch.setattr(evaluate, "out", Console(file=sink, width=300))
    evaluate.print_scores([(Path("[bold]\x1b[2Jgold.json"), [evaluate.Score("targets", 1, 1, 1, 1, {"unit": [1, 1]})])])
    shown = sink.getvalue()
    assert shown.count("[bold]\\x1b[2Jgold.json") == 2 and "\x1b" not in shown
