"""Shared fixtures: corpus and sample paths, a quiet private Prefect, one ingested warehouse per session."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from flows import corpus

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "raw"
SEED_PDF = RAW / "seed_cas_bulletin_2022.pdf"

_prefect_home = tempfile.mkdtemp(prefix="pe-prefect-")
os.environ.setdefault("PREFECT_HOME", _prefect_home)
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")


def rows(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    """Rows of one query on a warehouse file, through a read-only connection closed at once."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def corpus_pdf(name: str) -> Path:
    """A corpus file (flows/corpus.py); skips, in one line, only when it is neither committed nor outside."""
    path = corpus.find(name)
    if path is None:
        assert not corpus.external().is_dir(), f"corpus file missing: {corpus.external() / name}"
        pytest.skip(corpus.missing_reason(name))
    return path


@pytest.fixture(scope="session")
def seed_pdf() -> Path:
    assert SEED_PDF.is_file(), "raw/seed_cas_bulletin_2022.pdf is missing: run `make seed`"
    return SEED_PDF
