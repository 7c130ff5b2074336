"""Mutation fuzzing: byte flips and chunk deletions of valid PDFs (seeded, deterministic) through the real ingest.

The batch never crashes, and every file ends with an outcome: a documents row, ok or failed with a reason
from CONTRACT.md's closed vocabulary and a one-line error.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest

from flows.ingest import IngestOptions, ingest
from flows.settings import Limits
from tests.hostile_pdfs import fuzz_seeds, mutants
from tests.test_hostile_inputs import REASONS

LIMITS = Limits(timeout_s=10, memory_mb=1024)


def fuzz_batch(tmp: Path, count: int, seed: int, workers: int = 2) -> tuple[Path, dict[str, str], list]:
    """Write count mutants, ingest the folder once; (db, doc_id -> file name, outcomes)."""
    folder = tmp / "in"
    folder.mkdir()
    ids: dict[str, str] = {}
    for i, data in enumerate(mutants(fuzz_seeds(), count, seed)):
        name = f"mutant_{i:04d}.pdf"
        (folder / name).write_bytes(data)
        ids.setdefault(hashlib.sha256(data).hexdigest(), name)
    opts = IngestOptions(db=tmp / "w.duckdb", store=tmp / "store", workers=workers, limits=LIMITS)
    return opts.db, ids, ingest([folder], opts)


def check_outcomes(db: Path, ids: dict[str, str], outcomes: list, count: int) -> dict[str, int]:
    """Every distinct mutant has exactly one documents row with a valid status and reason; returns the tally."""
    assert len(outcomes) == count
    con = duckdb.connect(str(db), read_only=True)
    try:
        docs = {d: (s, r, e) for d, s, r, e in
                con.execute("SELECT doc_id, status, reason, error FROM documents").fetchall()}
    finally:
        con.close()
    assert set(docs) == set(ids), "a file was left without an outcome"
    tally: dict[str, int] = {}
    for doc_id, (status, reason, error) in docs.items():
        assert (status, reason is None) in (("ok", True), ("failed", False)), (ids[doc_id], status, reason)
        if status == "failed":
            assert reason in REASONS and error and "\n" not in error and "Traceback" not in error, error
        tally[reason or "ok"] = tally.get(reason or "ok", 0) + 1
    return tally


def test_mutants_are_deterministic() -> None:
    seeds = fuzz_seeds()
    assert mutants(seeds, 5, seed=3) == mutants(seeds, 5, seed=3) != mutants(seeds, 5, seed=4)
    assert all(m != s for m, s in zip(mutants(seeds, 4, seed=3), seeds, strict=True))


def test_fifty_mutants_each_get_an_outcome(tmp_path: Path) -> None:
    db, ids, outcomes = fuzz_batch(tmp_path, 50, seed=2024)
    tally = check_outcomes(db, ids, outcomes, 50)
    assert tally.get("ok", 0) >= 1 and sum(v for k, v in tally.items() if k != "ok") >= 5, tally


@pytest.mark.stress
def test_a_thousand_mutants_each_get_an_outcome(tmp_path: Path) -> None:
    db, ids, outcomes = fuzz_batch(tmp_path, 1000, seed=99, workers=2)
    tally = check_outcomes(db, ids, outcomes, 1000)
    assert tally.get("ok", 0) >= 10, tally
