"""Ingest: hash and store every file, skip what this pipeline version already loaded, flow the rest."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from flows import loading
from flows.discover import Found, copy_to_store, paths_to_files, readable
from flows.preflight import (
    MAGIC_WINDOW,
    NotRead,
    check_head,
    check_size,
    open_regular,
    over_cap_id,
    sha256_of_file,
    unread_id,
)
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
    reextract: bool = False
    """Also re-extract every stored document an older pipeline version loaded (new runs, reviews kept)."""
    dask: str | None = None
    """Parse on the Dask cluster at this scheduler address instead of local child processes."""


def now() -> datetime:
    return datetime.now(UTC)


def ingest(args: list[Path], opts: IngestOptions, progress: Callable[[Outcome], None] | None = None,
           on_plan: Callable[[int], None] | None = None, found: Sequence[Found] = ()) -> list[Outcome]:
    """The whole ingest; Prefect starts only when some document really needs parsing.

    `found` adds files that arrived otherwise (fetched URLs: their source is the URL)."""
    from flows.fetch import fetched_origin
    from warehouse.forget import forgotten_ids

    files = [fetched_origin(f) for f in paths_to_files(args, store=opts.store)] + list(found)
    known = loading.known_documents(opts.db, opts.on_wait)
    blocked = set() if opts.force else forgotten_ids(opts.db, opts.on_wait)
    version = pipeline_version()
    outcomes: list[Outcome] = []
    jobs: dict[str, DocJob] = {}
    seen_again: list[tuple[str, str, str]] = []
    for f in files:
        job_or_outcome = _triage(f, opts, known, version, blocked, jobs, seen_again)
        if isinstance(job_or_outcome, DocJob):
            jobs[job_or_outcome.doc_id] = job_or_outcome
        else:
            outcomes.append(job_or_outcome)
            if progress:
                progress(job_or_outcome)
    if seen_again:
        loading.record_sources(opts, seen_again)
    if opts.reextract:
        stale, missing = stale_jobs(opts, version, set(jobs) | blocked)
        jobs.update((j.doc_id, j) for j in stale)
        outcomes.extend(missing)
        for o in missing:
            if progress:
                progress(o)
    return outcomes + _parse_all(list(jobs.values()), opts, progress, on_plan)


def _parse_all(jobs: list[DocJob], opts: IngestOptions, progress: Callable[[Outcome], None] | None,
               on_plan: Callable[[int], None] | None) -> list[Outcome]:
    """The jobs through the Prefect flow, largest first when parallel (the batch ends sooner)."""
    outcomes: list[Outcome] = []
    if opts.workers > 1 or opts.dask:
        jobs.sort(key=lambda j: j.stored.stat().st_size, reverse=True)
    if on_plan:
        on_plan(len(jobs))
    if jobs:
        from flows.flow import run_ingest_flow

        outcomes.extend(run_ingest_flow(jobs, opts, progress))
    return outcomes


def _triage(f: Found, opts: IngestOptions, known: dict[str, tuple[str, str, str | None]],
            version: str, blocked: set[str], jobs: dict[str, DocJob],
            seen_again: list[tuple[str, str, str]]) -> DocJob | Outcome:
    """One open of the file for every check, the hash and the stored copy; a file gone since it was listed
    or not a regular file (a FIFO) fails by name without blocking, recorded under unread_id (no bytes)."""
    name = readable(f.file_name or f.path.name)
    f = Found(f.path, readable(f.source), name)  # names as text; the real path opens the file
    try:
        with open_regular(f.path, name) as fh:
            return _triage_open(f, fh, name, opts, known, version, blocked, jobs, seen_again)
    except NotRead as e:
        return loading.record_failure(opts, unread_id(f.source), f.source, name, None, e.reason, str(e))


def _triage_open(f: Found, fh: BinaryIO, name: str, opts: IngestOptions,
                 known: dict[str, tuple[str, str, str | None]], version: str, blocked: set[str],
                 jobs: dict[str, DocJob], seen_again: list[tuple[str, str, str]]) -> DocJob | Outcome:
    """Size cap before hashing, hash, byte checks, store; an unchanged document only gets its new name recorded."""
    size = os.fstat(fh.fileno()).st_size
    try:
        check_size(size, opts.limits.max_bytes, name)
    except DocumentRejected as e:
        return loading.record_failure(opts, over_cap_id(fh, size), f.source, name, None, e.reason, str(e))
    doc_id = sha256_of_file(fh, name)
    if doc_id in blocked:
        return Outcome(path=f.source, doc_id=doc_id, status="failed", skipped=True,
                       error=f"{name}: this document was forgotten (taken down); --force ingests it again")
    if doc_id in jobs:
        seen_again.append((doc_id, f.source, name))
        return Outcome(path=f.source, doc_id=doc_id, status="ok", skipped=True)
    try:
        fh.seek(0)
        check_head(fh.read(MAGIC_WINDOW), size, name)
    except DocumentRejected as e:
        return loading.record_failure(opts, doc_id, f.source, name, None, e.reason, str(e))
    stored = copy_to_store(fh, size, doc_id, opts.store)
    seen = known.get(doc_id)
    if seen and not opts.force and seen[0] == version and seen[2] not in RETRYABLE:
        seen_again.append((doc_id, f.source, name))
        return Outcome(path=f.source, doc_id=doc_id, status="ok" if seen[1] == "ok" else "failed",
                       skipped=True, reason=seen[2] if seen[1] != "ok" else None)  # type: ignore[arg-type]
    return DocJob(Path(readable(str(f.path))), f.source, name, doc_id, stored)  # parsing reads the stored copy


def stale_jobs(opts: IngestOptions, version: str, exclude: set[str]) -> tuple[list[DocJob], list[Outcome]]:
    """Stored documents an older pipeline version loaded, to parse again from raw/store/<doc_id>.pdf."""
    from warehouse.connect import reader

    if not opts.db.is_file():
        return [], []
    with reader(opts.db, on_wait=opts.on_wait, check_version=False) as con:
        rows = con.execute("SELECT doc_id, source, file_name, stored_path FROM documents "
                           "WHERE pipeline_version <> ? AND stored_path IS NOT NULL ORDER BY doc_id",
                           [version]).fetchall()
    jobs: list[DocJob] = []
    missing: list[Outcome] = []
    for doc_id, source, file_name, stored_path in rows:
        if doc_id in exclude:
            continue
        stored = next((p for p in (Path(stored_path), opts.store / f"{doc_id}.pdf") if p.is_file()), None)
        if stored is None:
            missing.append(Outcome(path=source or file_name, doc_id=doc_id, status="failed",
                                   error=f"{file_name}: stored copy {stored_path} is missing; ingest the file "
                                         "again to re-extract it"))
            continue
        jobs.append(DocJob(stored, source or str(stored), file_name or stored.name, doc_id, stored))
    return jobs, missing
