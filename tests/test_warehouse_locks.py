"""One writer, many readers: a process that meets another's lock waits (bounded) and says so."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from schemas.errors import PolicyExtractError
from tests.test_warehouse_factory import doc_id_of, make_load
from warehouse.connect import connect_reader, connect_writer
from warehouse.load import load_document
from warehouse.query import run_query

HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=sys.argv[3] == "read")
print("held", flush=True)
time.sleep(float(sys.argv[2]))
con.close()
"""


@contextmanager
def held(db: Path, seconds: float, mode: str = "write") -> Iterator[subprocess.Popen]:
    """Another process holding the file, as a running ingest would."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(db), str(seconds), mode],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
        yield proc
    finally:
        proc.kill()
        proc.wait()


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    path = tmp_path / "policy.duckdb"
    load_document(path, make_load(doc_id_of("a")))
    return path


def test_reader_waits_for_the_writer_then_reads(db: Path) -> None:
    said: list[str] = []
    with held(db, 1.5):
        t = time.perf_counter()
        con = connect_reader(db, wait_s=20, on_wait=said.append)
        waited = time.perf_counter() - t
    try:
        assert con.execute("SELECT count(*) FROM targets").fetchone() == (1,)
    finally:
        con.close()
    assert waited > 0.5
    assert len(said) == 1 and "waiting" in said[0]


def test_busy_beyond_the_limit_is_one_line(db: Path) -> None:
    with held(db, 60):
        t = time.perf_counter()
        with pytest.raises(PolicyExtractError) as err:
            connect_reader(db, wait_s=0.5)
        assert time.perf_counter() - t < 3
        with pytest.raises(PolicyExtractError, match="busy"):
            run_query(db, "SELECT 1", wait_s=0.3)
    message = str(err.value)
    assert "busy" in message and "retry" in message and "\n" not in message


def test_writer_waits_for_a_reader(db: Path) -> None:
    said: list[str] = []
    with held(db, 1.5, mode="read"):
        load_document(db, make_load(doc_id_of("b"), run_id="r2", source="/in/b.pdf"), on_wait=said.append)
    assert said
    assert run_query(db, "SELECT count(*) FROM documents")[1] == [(2,)]


def test_readers_share_the_file(db: Path) -> None:
    with held(db, 30, mode="read"):
        assert run_query(db, "SELECT count(*) FROM targets", wait_s=0)[1] == [(1,)]
        with pytest.raises(PolicyExtractError, match="busy"):
            connect_writer(db, wait_s=0.2)
