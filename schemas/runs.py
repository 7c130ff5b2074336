"""Run records and outcomes: what happened to each document, and the extraction package it produced."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from schemas.base import DocStatus, Frozen, Reason
from schemas.facts import DocReference, DocTable
from schemas.layout import Document


class Candidate(Frozen):
    """A fact as an extractor proposed it, before validation in the parent process."""

    kind: str
    payload: dict[str, Any]


class ExtractionPackage(Frozen):
    """Everything the child process sends back for one document: travels as JSON between machines."""

    document: Document
    tables: tuple[DocTable, ...] = ()
    references: tuple[DocReference, ...] = ()
    candidates: tuple[Candidate, ...] = ()
    stage_seconds: dict[str, float] = Field(default_factory=dict)


class Rejection(Frozen):
    """A candidate fact that failed validation, kept with the reason."""

    doc_id: str
    fact_kind: str
    payload: dict[str, Any]
    error: str
    page_no: int | None = None
    quote: str | None = None


class Outcome(Frozen):
    """The result of ingesting one file: loaded, skipped as unchanged, or failed with a reason code."""

    path: str
    doc_id: str | None
    status: DocStatus
    skipped: bool = False
    reason: Reason | None = None
    error: str | None = None
    run_id: str | None = None
    pages: int = 0
    counts: dict[str, int] = Field(default_factory=dict)
    started_at: datetime | None = None
    finished_at: datetime | None = None
    metrics: dict[str, float] = Field(default_factory=dict)
    """Per-stage seconds (parse_layout, metadata, each extractor, validate, load) and peak_rss_mb."""
