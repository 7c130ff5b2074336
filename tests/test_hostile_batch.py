"""The probe's hostile kinds as one generated batch through the real CLI: every file ends loaded, failed with
its reason, or a recorded skip; the CLI exits without an internal error; no process of the run is left.

`make test` runs a fixed sample (three files of each kind); `make stress` a batch of over a thousand.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import ROOT, rows
from tests.hostile_batch import KINDS, LIGHT, VANISH_PREFIX, Item, batch, write
from tests.processes import Watched, run_watched
from tests.test_hostile_inputs import REASONS

EXIT_OK, EXIT_PARTIAL = 0, 2
LIMITS = ["--workers", "2", "--timeout", "10", "--memory-mb", "1024"]


def ingest_batch(tmp: Path, items: list[Item], timeout: float) -> tuple[Watched, Path]:
    """Write the batch, ingest its folder with the CLI; vanishing files are deleted once it has listed them."""
    folder, store, db = tmp / "in", tmp / "store", tmp / "w.duckdb"
    write(folder, items)
    vanishing = [folder / i.name for i in items if i.kind == "vanishing"]

    def vanish_once_listed() -> None:  # the first stored copy means the folder has been listed
        if vanishing and store.is_dir() and any(store.iterdir()):
            for path in vanishing:
                path.unlink(missing_ok=True)
            vanishing.clear()

    env = {**os.environ, "PREFECT_HOME": str(tmp / "prefect"), "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "flows.cli", "ingest", str(folder), "--db", str(db), "--store", str(store),
           "--quiet", *LIMITS]
    return run_watched(cmd, ROOT, env, timeout, during=vanish_once_listed), db


def outcomes(items: list[Item], run: Watched, db: Path) -> dict[str, str]:
    """file name -> 'ok', a failure reason, 'recorded' (named in the CLI's output) or 'lost'."""
    docs = {d: (s, r, e) for d, s, r, e in rows(db, "SELECT doc_id, status, reason, error FROM documents")}
    sources = {n for (n,) in rows(db, "SELECT file_name FROM document_sources")}
    said = "".join((run.stdout + run.stderr).split())
    got = {}
    for item in items:
        doc = docs.get(hashlib.sha256(item.data).hexdigest()) if item.data is not None else None
        if doc is not None:
            status, reason, error = doc
            one_line = status == "ok" or (reason in REASONS and error and "\n" not in error)
            kept = item.name in sources or not is_utf8(item.name)  # the name kept verbatim, as data
            got[item.name] = (reason or status) if one_line and kept else f"bad row {doc}"
        else:
            got[item.name] = "recorded" if "".join(item.name.split()) in said else "lost"
    return got


def is_utf8(name: str) -> bool:
    """False for a name whose bytes are not UTF-8 (Python holds them as lone surrogates)."""
    try:
        name.encode()
    except UnicodeEncodeError:
        return False
    return True


def check(items: list[Item], run: Watched, db: Path) -> Counter[tuple[str, str]]:
    """The issue's three demands; returns the tally of (kind, outcome)."""
    assert "internal error" not in run.stderr and "Traceback" not in run.stderr, run.stderr[-3000:]
    assert run.returncode in (EXIT_OK, EXIT_PARTIAL), (run.returncode, run.stderr[-3000:])
    assert run.left == {}, f"processes left behind: {run.left}"
    got = outcomes(items, run, db)
    allowed = {"ok", *REASONS}
    wrong = {i.name: (i.kind, got[i.name]) for i in items
             if got[i.name] not in allowed and not (got[i.name] == "recorded" and may_be_skipped(i))}
    assert not wrong, wrong
    return Counter((i.kind, got[i.name]) for i in items)


def may_be_skipped(item: Item) -> bool:
    """Only what vanished or cannot be read as a file (a FIFO, a symlink loop) may end as a recorded skip."""
    return item.kind in ("vanishing", "fifo") or item.link_to is not None


def test_the_batch_is_seeded_and_covers_every_kind() -> None:
    items = batch(len(KINDS) * 3, seed=13)
    assert items == batch(len(KINDS) * 3, seed=13) != batch(len(KINDS) * 3, seed=14)
    assert Counter(i.kind for i in items) == {k: 3 for k in KINDS}
    hashed = [hashlib.sha256(i.data).hexdigest() for i in items if i.data is not None]
    assert len(set(hashed)) == len(hashed) and all(i.name.startswith(VANISH_PREFIX) for i in items
                                                   if i.kind == "vanishing")
    assert any(i.link_to for i in items) and any(not is_utf8(i.name) for i in items)


@pytest.mark.timeout(600)
def test_a_sample_of_every_kind_ends_loaded_failed_or_recorded(tmp_path: Path) -> None:
    items = batch(len(KINDS) * 3, seed=13, sizes=LIGHT)
    run, db = ingest_batch(tmp_path, items, timeout=480)
    print(sorted(check(items, run, db).items()))


@pytest.mark.stress
@pytest.mark.timeout(7000)
def test_a_thousand_hostile_files_end_loaded_failed_or_recorded(tmp_path: Path) -> None:
    items = batch(92 * len(KINDS), seed=2026)
    assert len(items) >= 1000
    run, db = ingest_batch(tmp_path, items, timeout=6600)
    tally = check(items, run, db)
    print(sorted(tally.items()))
    assert {kind for kind, _ in tally} == set(KINDS)
