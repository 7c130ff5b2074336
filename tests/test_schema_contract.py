"""The DDL holds to CONTRACT.md and to the pydantic models (DESIGN.md principle 6)."""

from __future__ import annotations

import re
import typing
from pathlib import Path

import pytest

from schemas import base
from schemas.facts import FACT_MODELS, DocReference, DocTable, Evidence, TableCell
from schemas.layout import Block, DocumentMeta, Page
from schemas.runs import Rejection
from warehouse.connect import reader, writer

BOX = ["x0", "top", "x1", "bottom"]
PROVENANCE = ["doc_id", "run_id", "page_no", "char_start", "char_end", "quote", *BOX, "lang", "extractor",
              "rule_id", "extractor_version"]

CONTRACT: dict[str, list[str]] = {  # transcribed from CONTRACT.md "Tables"
    "documents": ["doc_id", "source", "file_name", "stored_path", "lang", "title_zh", "title_en", "doc_number",
                  "issuer", "issued_date", "published_date", "received_date", "doi", "journal", "volume",
                  "issue", "page_count", "status", "reason", "error", "superseded_by", "ingested_at",
                  "pipeline_version"],
    "document_sources": ["doc_id", "source", "file_name", "first_seen"],
    "runs": ["run_id", "doc_id", "started_at", "finished_at", "status", "pipeline_version", "n_blocks",
             "n_tables", "n_policy_dates", "n_policies", "n_targets", "n_technologies", "n_rejections"],
    "pages": ["doc_id", "page_no", "width", "height", "text", "quality"],
    "blocks": ["doc_id", "page_no", "block_no", "kind", "lang", "text", *BOX],
    "doc_tables": ["doc_id", "table_id", "page_no", "label", "caption_zh", "caption_en", "n_rows", "n_cols",
                   "flags", *BOX],
    "table_cells": ["doc_id", "table_id", "row_no", "col_no", "row_span", "col_span", "text", "is_header",
                    "page_no", *BOX],
    "policy_dates": ["fact_id", "surface", "iso", "date_start", "date_end", "precision", "role", "event",
                     "actor", *PROVENANCE],
    "targets": ["fact_id", "target_key", "actor", "actor_surface", "kind", "subject", "subject_surface", "value",
                "value_max", "unit", "unit_surface", "qualifier", "baseline_year", "start_year", "target_year",
                "deadline_type", "period_years", "date_fact_id", "confidence", *PROVENANCE],
    "policies": ["fact_id", "title", "actor", "year", "ref", "mentions", *PROVENANCE],
    "doc_references": ["doc_id", "ref", "ordinal", "authors", "title", "year", "url", "accessed"],
    "technologies": ["fact_id", "name_surface", "canonical_id", "name_en", "name_zh", "category", "sector",
                     "group_name", "horizon", "horizon_surface", "stage", "actor", "origin", *PROVENANCE],
    "fact_boxes": ["fact_id", "page_no", *BOX],
    "fact_history": ["run_id", "fact_kind", "fact_id", "payload"],
    "rejections": ["run_id", "doc_id", "fact_kind", "payload", "error", "page_no", "quote"],
    "reviews": ["fact_id", "verdict", "corrected", "reviewer", "reviewed_at", "note"],
}

VOCABULARIES = [  # (table, column, the Literal it must equal)
    ("documents", "status", base.DocStatus), ("documents", "reason", base.Reason),
    ("documents", "lang", base.Lang), ("runs", "status", base.DocStatus),
    ("pages", "quality", base.PageQuality), ("blocks", "kind", base.BlockKind),
    ("policy_dates", "precision", base.DatePrecision), ("policy_dates", "role", base.DateRole),
    ("targets", "kind", base.TargetKind), ("targets", "qualifier", base.Qualifier),
    ("targets", "deadline_type", base.DeadlineType), ("technologies", "horizon", base.Horizon),
    ("technologies", "stage", base.Stage), ("technologies", "category", base.TechCategory),
    ("technologies", "origin", base.TechOrigin), ("reviews", "verdict", base.Verdict),
]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("contract") / "c.duckdb"
    with writer(path):
        pass
    return path


_COLUMNS: dict[tuple[Path, str], dict[str, str]] = {}


def columns(db: Path, table: str) -> dict[str, str]:
    """name -> type of a table's or view's columns (read once per table)."""
    if (db, table) not in _COLUMNS:
        with reader(db) as con:
            _COLUMNS[db, table] = dict(con.execute("SELECT column_name, data_type FROM information_schema.columns "
                                                   "WHERE table_name = ?", [table]).fetchall())
    return _COLUMNS[db, table]


@pytest.mark.parametrize("table", sorted(CONTRACT))
def test_contract_columns_exist(db: Path, table: str) -> None:
    have = columns(db, table)
    missing = [c for c in CONTRACT[table] if c not in have]
    assert not missing, f"{table} lacks CONTRACT.md columns {missing}"


@pytest.mark.parametrize("kind", sorted(FACT_MODELS))
def test_every_fact_field_is_a_column(db: Path, kind: str) -> None:
    fields = [f for f in FACT_MODELS[kind].model_fields if f != "boxes"]
    have = columns(db, kind)
    assert not [f for f in fields if f not in have]


@pytest.mark.parametrize(("table", "model", "renamed", "elsewhere"), [
    ("pages", Page, {}, {"blocks", "char_boxes", "markers"}),
    ("blocks", Block, {"column": "column_no"}, set()),
    ("doc_tables", DocTable, {}, {"cells"}),
    ("table_cells", TableCell, {}, set()),
    ("doc_references", DocReference, {}, set()),
    ("rejections", Rejection, {}, set()),
    ("documents", DocumentMeta, {}, set()),
])
def test_layout_models_fit_their_tables(db: Path, table: str, model: type, renamed: dict, elsewhere: set) -> None:
    have = columns(db, table)
    wanted = [renamed.get(f, f) for f in model.model_fields if f not in elsewhere]
    assert not [c for c in wanted if c not in have]


def test_dates_are_dates(db: Path) -> None:
    for table, column in [("policy_dates", "date_start"), ("policy_dates", "date_end"),
                          ("documents", "issued_date"), ("documents", "published_date"),
                          ("documents", "received_date"), ("doc_references", "accessed")]:
        assert columns(db, table)[column] == "DATE", f"{table}.{column}"


def _check_values(db: Path, table: str, column: str) -> set[str]:
    """The quoted values of the CHECK (column IN (...)) constraint on table.column."""
    with reader(db) as con:
        texts = [r[0] for r in con.execute(
            "SELECT expression FROM duckdb_constraints() WHERE table_name = ? AND constraint_type = 'CHECK'",
            [table]).fetchall()]
    for text in texts:
        if re.match(rf"\(*\s*\"?{column}\"?\s+IN\b", text, re.IGNORECASE):
            return set(re.findall(r"'([^']*)'", text))
    raise AssertionError(f"no CHECK on {table}.{column} in {texts}")


@pytest.mark.parametrize(("table", "column", "vocab"), VOCABULARIES)
def test_checks_match_vocabularies(db: Path, table: str, column: str, vocab: object) -> None:
    assert _check_values(db, table, column) == set(typing.get_args(vocab))


def _view_sql(db: Path, view: str) -> str:
    with reader(db) as con:
        row = con.execute("SELECT sql FROM duckdb_views() WHERE view_name = ?", [view]).fetchone()
    assert row, f"view {view} is missing"
    return row[0]


@pytest.mark.parametrize("kind", sorted(FACT_MODELS))
def test_reviewed_views_cover_every_correctable_field(db: Path, kind: str) -> None:
    view = f"{kind}_reviewed"
    sql = _view_sql(db, view)
    own = [f for f in FACT_MODELS[kind].model_fields if f not in Evidence.model_fields]
    assert not [f for f in own if f"'$.{f}'" not in sql], "a field the reviewer cannot correct"
    assert set(columns(db, kind)) <= set(columns(db, view))


def test_schema_version_is_recorded(db: Path) -> None:
    from warehouse.migrations import MIGRATIONS, SCHEMA_VERSION

    with reader(db) as con:
        assert con.execute("SELECT list(version ORDER BY version) FROM schema_version").fetchone()[0] == [
            m[0] for m in MIGRATIONS]
    assert SCHEMA_VERSION == max(m[0] for m in MIGRATIONS)
