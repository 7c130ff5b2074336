"""Load speed: the appender against INSERT ... SELECT unnest(...) and executemany, and one big document."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from schemas.facts import Target
from tests.test_warehouse_factory import PAGE1, doc_id_of, make_facts, make_load
from warehouse.connect import writer
from warehouse.load import _append, fact_columns, load_document

N = 100_000


def target_rows(n: int) -> list[list]:
    """n rows of the targets table, as _insert_facts builds them."""
    base = make_facts(doc_id_of("speed"))[0]
    cols = fact_columns("targets")
    return [[f"{i:032x}", "run", *(getattr(base, c) for c in cols[2:])] for i in range(n)]


def _timed(db: Path, insert) -> float:
    with writer(db) as con:
        t = time.perf_counter()
        con.execute("BEGIN TRANSACTION")
        insert(con)
        con.execute("COMMIT")
        return time.perf_counter() - t


@pytest.mark.stress
def test_appender_beats_unnest_and_executemany(tmp_path: Path) -> None:
    rows, cols = target_rows(N), fact_columns("targets")
    appender = _timed(tmp_path / "a.duckdb", lambda con: _append(con, "targets", cols, rows))
    lists = [list(c) for c in zip(*rows, strict=True)]
    select = ", ".join(f"unnest(${i + 1})" for i in range(len(cols)))
    unnest = _timed(tmp_path / "u.duckdb", lambda con: con.execute(
        f"INSERT INTO targets ({', '.join(cols)}) SELECT {select}", lists))
    few = rows[: N // 100]
    marks = ", ".join("?" for _ in cols)
    many = _timed(tmp_path / "m.duckdb", lambda con: con.executemany(
        f"INSERT INTO targets ({', '.join(cols)}) VALUES ({marks})", few)) * 100
    print(f"\n{N} target rows ({len(cols)} columns): appender {N / appender:,.0f} rows/s ({appender:.2f} s), "
          f"unnest {N / unnest:,.0f} rows/s ({unnest:.2f} s), executemany {N / many:,.0f} rows/s (from {len(few)})")
    assert appender < unnest < many


def test_a_large_document_loads_in_seconds(tmp_path: Path) -> None:
    doc = doc_id_of("big")
    small = make_load(doc)
    page = small.document.pages[0]
    pages = tuple(page.model_copy(update={"page_no": i + 1, "blocks": tuple(
        b.model_copy(update={"page_no": i + 1, "block_no": j}) for j, b in enumerate(page.blocks * 10))})
        for i in range(300))
    document = small.document.model_copy(update={"pages": pages, "page_count": 300})
    target = small.facts[0]
    facts = tuple(Target(**{**target.model_dump(), "page_no": 1 + i % 300, "ordinal": i // 300})
                  for i in range(3000))
    load = small.model_copy(update={"document": document, "facts": facts})
    assert PAGE1 == page.text
    t = time.perf_counter()
    counts = load_document(tmp_path / "p.duckdb", load)
    took = time.perf_counter() - t
    print(f"\n300 pages, 6000 blocks, 3000 facts loaded in {took:.2f} s")
    assert counts["n_blocks"] == 6000 and counts["n_targets"] == 3000
    assert took < 10
