"""Shared fixtures: corpus and sample paths, a quiet private Prefect, one ingested warehouse per session."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "raw"
SEED_PDF = RAW / "seed_cas_bulletin_2022.pdf"
CORPUS = Path(os.environ.get("POLICY_CORPUS", ROOT.parent / "shared" / "corpus"))

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
    """A corpus PDF; the test skips only when the shared corpus folder is absent."""
    path = CORPUS / name
    if not CORPUS.is_dir():
        pytest.skip(f"corpus folder {CORPUS} is absent")
    assert path.is_file(), f"corpus file missing: {path}"
    return path


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"corpus folder {CORPUS} is absent")
    return CORPUS


@pytest.fixture(scope="session")
def seed_pdf() -> Path:
    assert SEED_PDF.is_file(), "raw/seed_cas_bulletin_2022.pdf is missing: run `make seed`"
    return SEED_PDF
