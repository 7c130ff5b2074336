"""`policy-extract query` limits bound the whole command (query and output): real CLI processes on a real file."""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.test_warehouse_factory import doc_id_of, make_load
from warehouse.load import load_document

SAFETY_NET = 6 * 1024**3
"""Address-space cap on the test's own subprocesses, so a broken limit cannot take the machine's memory."""


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("limits") / "policy.duckdb"
    load_document(path, make_load(doc_id_of("a")))
    return path


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (SAFETY_NET, SAFETY_NET))


def query(db: Path, sql: str, *options: str) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run the real command; the result and its wall-clock seconds."""
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "flows.cli", "query", "--db", str(db), *options, sql],
                          cwd=ROOT, capture_output=True, timeout=120, preexec_fn=_capped)
    text = subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode(), proc.stderr.decode())
    return text, time.perf_counter() - t  # decoded here: text=True would turn CSV's CRLF into LF


def assert_one_line_failure(proc: subprocess.CompletedProcess[str], expected: str) -> None:
    assert proc.returncode == 1, (proc.returncode, proc.stderr[-500:])
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], proc.stderr[-500:]
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr and proc.stdout == ""


@pytest.mark.parametrize("option,value", [
    ("--timeout", "0"), ("--timeout", "-1"), ("--timeout", "nan"), ("--timeout", "inf"), ("--timeout", "1e10"),
    ("--memory-mb", "0"), ("--memory-mb", "-5"), ("--memory-mb", "100"), ("--memory-mb", "10000000"),
])
def test_invalid_limits_are_refused_in_one_line(db: Path, option: str, value: str) -> None:
    proc, _ = query(db, "SELECT 1", option, value)
    assert_one_line_failure(proc, option)


def test_a_query_ignoring_interrupts_is_stopped_at_the_time_limit(db: Path) -> None:
    proc, seconds = query(db, "SELECT len(list_sort(range(10000000)))", "--timeout", "2", "--memory-mb", "4096")
    assert_one_line_failure(proc, "query stopped: exceeded the 2 s time limit")
    assert seconds < 30  # liveness: the limit holds for the whole process


def test_a_huge_string_is_stopped_at_the_memory_limit(db: Path) -> None:
    proc, _ = query(db, "SELECT length(repeat('xyz', 1000000000))")
    assert_one_line_failure(proc, "query stopped: exceeded the 2 GB memory limit")


def test_output_formatting_is_inside_the_memory_limit(db: Path) -> None:
    """The rows fit DuckDB's own limit; the Python side of fetching and formatting them does not."""
    proc, _ = query(db, "SELECT * FROM range(30000000)", "--format", "csv", "--memory-mb", "1024")
    assert_one_line_failure(proc, "query stopped: exceeded the 1 GB memory limit")


def test_a_query_within_its_limits_prints_its_rows(db: Path) -> None:
    proc, _ = query(db, "SELECT range AS n, '碳中和' AS t FROM range(3)", "--format", "csv",
                    "--timeout", "20", "--memory-mb", "1024")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "n,t\r\n0,碳中和\r\n1,碳中和\r\n2,碳中和\r\n"


def test_the_time_limit_starts_once_the_warehouse_is_open(db: Path) -> None:
    """Waiting for another process's write lock is not query time (docs/reliability.md, Concurrent runs)."""
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); "
                               "print('locked', flush=True); time.sleep(4)", str(db)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        proc, _ = query(db, "SELECT count(*) AS n FROM targets", "--format", "csv", "--timeout", "1")
    finally:
        holder.wait(30)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "n\r\n1\r\n" and "waiting" in proc.stderr
