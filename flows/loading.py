"""Glue from worker results to the warehouse: validate, build the DocumentLoad, load, report an Outcome."""

from __future__ import annotations

import time
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from flows.preflight import one_line
from flows.stored import recorded_path
from flows.validate import package_to_facts
from flows.version import pipeline_version
from schemas.errors import PolicyExtractError
from schemas.load import DocumentLoad
from schemas.runs import Outcome

if TYPE_CHECKING:
    from flows.ingest import DocJob, IngestOptions
    from flows.worker import WorkResult


def known_documents(db: Path, on_wait=None) -> dict[str, tuple[str, str, str | None]]:
    """doc_id -> (pipeline_version, status, reason) of what the warehouse holds; {} for a new warehouse."""
    from warehouse.load import known_documents as read_known

    return read_known(db, on_wait=on_wait)


def record_source(opts: IngestOptions, doc_id: str, source: str, file_name: str) -> None:
    """Known bytes under a new name or source: only document_sources grows."""
    from warehouse.load import record_source as write_source

    write_source(opts.db, doc_id, source, file_name, on_wait=opts.on_wait)


def record_sources(opts: IngestOptions, rows: list[tuple[str, str, str]]) -> None:
    """All the known bytes of one ingest that arrived under a (new) name, in one write."""
    from warehouse.load import record_sources as write_sources

    write_sources(opts.db, rows, on_wait=opts.on_wait)


def record_failure(opts: IngestOptions, doc_id: str, source: str, file_name: str, stored: Path | None,
                   reason: str, error: str) -> Outcome:
    """A document that failed before or during parsing: recorded with its reason, the batch goes on."""
    from flows.ingest import now

    t = now()
    load = DocumentLoad(doc_id=doc_id, source=source, file_name=file_name,
                        stored_path=recorded_path(stored) if stored else None, pipeline_version=pipeline_version(),
                        run_id=str(uuid.uuid4()), started_at=t, finished_at=t, status="failed",
                        reason=reason, error=error)  # type: ignore[arg-type]
    return _load(opts, load, source, pages=0, counts={})


def load_result(job: DocJob, result: WorkResult, opts: IngestOptions) -> Outcome:
    """Validate a worker's package and load it in one transaction, or record why it failed."""
    from flows.ingest import now

    if result.package is None:
        return record_failure(opts, job.doc_id, job.source, job.file_name, job.stored,
                              result.reason or "parse_error", result.error or "unknown failure")
    t_validate = time.perf_counter()
    pkg = result.package
    finished = now()
    try:
        facts, rejections = package_to_facts(pkg)
        load = DocumentLoad(
            doc_id=job.doc_id, source=job.source, file_name=job.file_name, stored_path=recorded_path(job.stored),
            pipeline_version=pipeline_version(), run_id=str(uuid.uuid4()),
            started_at=finished - timedelta(seconds=result.seconds), finished_at=finished, status="ok",
            document=pkg.document, tables=pkg.tables, references=pkg.references,
            facts=tuple(facts), rejections=tuple(rejections))  # type: ignore[arg-type]
    except Exception as e:  # noqa: BLE001 - a validation crash fails this document only
        return record_failure(opts, job.doc_id, job.source, job.file_name, job.stored, "parse_error",
                              f"{job.file_name}: validation failed ({one_line(e)})")
    validate_s = time.perf_counter() - t_validate
    counts = Counter(f.KIND for f in facts)
    counts["doc_tables"] = len(pkg.tables)
    counts["rejections"] = len(rejections)
    t_load = time.perf_counter()
    outcome = _load(opts, load, job.source, pages=len(pkg.document.pages), counts=dict(counts))
    metrics = {**pkg.stage_seconds, "validate": validate_s, "load": time.perf_counter() - t_load,
               "child_total": result.seconds, "peak_rss_mb": result.peak_rss_mb}
    return outcome.model_copy(update={"metrics": metrics})


def _load(opts: IngestOptions, load: DocumentLoad, source: str, pages: int, counts: dict[str, int]) -> Outcome:
    """One transaction; a warehouse error becomes this document's failure line, not a crash."""
    from warehouse.load import load_document

    try:
        load_document(opts.db, load, on_wait=opts.on_wait)
    except PolicyExtractError as e:
        return Outcome(path=source, doc_id=load.doc_id, status="failed", reason=load.reason,
                       error=f"not loaded: {e}")
    return Outcome(path=source, doc_id=load.doc_id, status=load.status, reason=load.reason,
                   error=load.error, run_id=load.run_id, pages=pages, counts=counts)
