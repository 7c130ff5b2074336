"""Ingest: hash and store every file, skip what this pipeline version already loaded, flow the rest."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flows import loading
from flows.discover import Found, copy_to_store, paths_to_files
from flows.preflight import check_bytes, sha256_of
from flows.settings import Limits
from flows.version import pipeline_version
from schemas.errors import DocumentRejected
from schemas.runs import Outcome

RETRYABLE = frozenset({"timeout", "memory_limit", "worker_crashed"})


@dataclass(frozen=True)
class DocJob:
    """One file to parse: where it is, what it is called, its identity and its stored copy."""

    path: Path
    source: str
    file_name: str
    doc_id: str
    stored: Path


@dataclass
class IngestOptions:
    db: Path
    store: Path
    workers: int = 1
    force: bool = False
    limits: Limits = Limits()
    on_wait: Callable[[str], None] | None = None


def now() -> datetime:
    return datetime.now(UTC)


def ingest(args: list[Path], opts: IngestOptions, progress: Callable[[Outcome], None] | None = None,
           on_plan: Callable[[int], None] | None = None) -> list[Outcome]:
    """The whole ingest; Prefect starts only when some document really needs parsing."""
    found = paths_to_files(args, store=opts.store)
    known = loading.known_documents(opts.db, opts.on_wait)
    version = pipeline_version()
    outcomes: list[Outcome] = []
    jobs: list[DocJob] = []
    for f in found:
        job_or_outcome = _triage(f, opts, known, version)
        if isinstance(job_or_outcome, DocJob):
            jobs.append(job_or_outcome)
        else:
            outcomes.append(job_or_outcome)
            if progress:
                progress(job_or_outcome)
    if on_plan:
        on_plan(len(jobs))
    if jobs:
        from flows.flow import run_ingest_flow

        outcomes.extend(run_ingest_flow(jobs, opts, progress))
    return outcomes


def _triage(f: Found, opts: IngestOptions, known: dict[str, tuple[str, str, str | None]],
            version: str) -> DocJob | Outcome:
    """Byte checks, hash, store; an unchanged document only gets its new name recorded."""
    name = f.path.name
    doc_id = sha256_of(f.path)
    try:
        check_bytes(f.path, opts.limits.max_bytes)
    except DocumentRejected as e:
        return loading.record_failure(opts, doc_id, f.source, name, None, e.reason, str(e))
    stored = copy_to_store(f.path, doc_id, opts.store)
    seen = known.get(doc_id)
    if seen and not opts.force and seen[0] == version and seen[2] not in RETRYABLE:
        loading.record_source(opts, doc_id, f.source, name)
        return Outcome(path=f.source, doc_id=doc_id, status="ok" if seen[1] == "ok" else "failed",
                       skipped=True, reason=seen[2] if seen[1] != "ok" else None)  # type: ignore[arg-type]
    return DocJob(f.path, f.source, name, doc_id, stored)
