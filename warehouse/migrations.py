"""Schema migrations: an ordered list keyed by version; each is one SQL script applied in a transaction."""

from __future__ import annotations

from importlib import resources


def _schema_sql() -> str:
    """Version 1 is the whole of schema.sql (shipped as package data)."""
    return resources.files("warehouse").joinpath("schema.sql").read_text(encoding="utf-8")


MIGRATIONS: list[tuple[int, str, str]] = [
    (1, "initial schema (CONTRACT.md tables, reviewed views)", _schema_sql()),
    # (2, "what changed", "ALTER TABLE ... ;"),  -- append here; never edit an applied migration
    (2, "forget (takedown): forgotten documents, reviews marked orphaned",
     """CREATE TABLE forgotten (
            doc_id       VARCHAR PRIMARY KEY,
            forgotten_at TIMESTAMP NOT NULL,
            file_name    VARCHAR,
            n_facts      INTEGER NOT NULL DEFAULT 0,
            n_reviews    INTEGER NOT NULL DEFAULT 0,
            note         VARCHAR
        );
        ALTER TABLE reviews ADD COLUMN orphaned BOOLEAN DEFAULT false;
        ALTER TABLE reviews ADD COLUMN orphaned_doc_id VARCHAR;"""),
]
"""(version, description, sql). schema.sql stays version 1; later versions are ALTER scripts added here."""

SCHEMA_VERSION: int = MIGRATIONS[-1][0]
