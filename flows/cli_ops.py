"""Operations commands on the `policy-extract` app: fetch, schedule, export, forget."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from flows.cli import EXIT_PARTIAL, DbOpt, _err, _waiting, app
from flows.resolve import NotFound
from schemas.errors import PolicyExtractError

SourcesOpt = Annotated[Path, typer.Option("--sources", help="the sources list (folders, globs, URLs)")]
StoreOpt = Annotated[Path | None, typer.Option(help="content store (env POLICY_STORE, default raw/store)")]
DEFAULT_SOURCES = Path("raw/sources.yaml")


@app.command()
def fetch(
    sources: SourcesOpt = DEFAULT_SOURCES,
    db: DbOpt = None,
    then_ingest: Annotated[bool, typer.Option("--ingest", help="ingest every file the sources name")] = False,
    store: StoreOpt = None,
    workers: Annotated[int, typer.Option(min=1, help="documents parsed at once (with --ingest)")] = 1,
    timeout: Annotated[float, typer.Option(help="seconds per download")] = 30.0,
    max_mb: Annotated[int, typer.Option(help="largest download accepted, MB")] = 200,
) -> None:
    """Download new or changed URLs of the sources list into raw/fetched/ (ETag, Last-Modified, sha256)."""
    from flows.fetch import fetch_sources

    report = fetch_sources(sources, timeout_s=timeout, max_bytes=max_mb * 1024 * 1024)
    for f in report.fetched:
        where = f" -> {f.path} ({f.file_name})" if f.path is not None else f": {f.error}"
        typer.echo(f"{f.status:<9} {f.url}{where}")
    for name in report.missing:
        typer.echo(f"missing   {name} (listed in {sources}, not there now)")
    typer.echo(f"{len(report.found)} files named by {sources}; {len(report.failed)} URLs failed")
    failed = bool(report.failed)
    if then_ingest:
        failed = _ingest_found(report.found, db, store, workers) or failed
    if failed:
        raise typer.Exit(EXIT_PARTIAL)


def _ingest_found(found: list, db: Path | None, store: Path | None, workers: int) -> bool:
    """Ingest the fetched and listed files; True when some document failed."""
    from flows.ingest import IngestOptions, ingest
    from flows.report import print_outcomes
    from flows.settings import db_path, store_dir

    opts = IngestOptions(db=db_path(db), store=store_dir(store), workers=workers, on_wait=_waiting)
    outcomes = ingest([], opts, found=found)
    print_outcomes(outcomes)
    return any(o.status == "failed" and not o.skipped for o in outcomes)


@app.command()
def schedule(
    cron: Annotated[str, typer.Option(help="when to fetch and ingest (cron, server's time zone: UTC)")] = "0 3 * * *",
    sources: SourcesOpt = DEFAULT_SOURCES,
    db: DbOpt = None,
    store: StoreOpt = None,
    workers: Annotated[int, typer.Option(min=1, help="documents parsed at once")] = 1,
) -> None:
    """Serve a Prefect deployment that fetches and ingests on a cron, one run at a time, until stopped."""
    from flows.schedule import serve_schedule
    from flows.settings import db_path, store_dir

    serve_schedule(cron, sources, db_path(db), store_dir(store), workers, say=_err)


@app.command()
def export(
    out: Annotated[Path, typer.Option("--out", help="folder for the files (created)")],
    fmt: Annotated[str, typer.Option("--format", help="parquet or csv")] = "parquet",
    table: Annotated[str | None, typer.Option("--table", help="only this table or view")] = None,
    db: DbOpt = None,
) -> None:
    """Write every table (or one) as <table>.parquet or .csv; CSV formula cells are neutralised."""
    from flows.out_paths import check_output, no_new_folders_on_error
    from flows.settings import db_path
    from warehouse.export import UnknownTable, export_tables

    check_output(out, "--out", folder=True)
    try:
        with no_new_folders_on_error(out):
            written = export_tables(db_path(db), out, fmt, table, on_wait=_waiting)  # type: ignore[arg-type]
    except UnknownTable as e:
        raise NotFound(str(e)) from None
    except OSError as e:
        raise PolicyExtractError(f"cannot write to --out {out}: {e.strerror or e}") from None
    for path in written:
        typer.echo(str(path))


@app.command()
def forget(
    doc: Annotated[str, typer.Argument(help="doc_id (8+ hex chars), file name or path")],
    db: DbOpt = None,
    store: StoreOpt = None,
    raw: Annotated[Path, typer.Option(help="the raw folder holding fetched/")] = Path("raw"),
    note: Annotated[str | None, typer.Option(help="why (kept in the forgotten table)")] = None,
) -> None:
    """Take a document down: its rows, facts, fact history and stored bytes; its reviews stay, orphaned."""
    from flows.fetch import forget_fetched
    from flows.resolve import resolve_doc
    from flows.settings import db_path, store_dir
    from flows.terminal import escape_controls
    from warehouse.connect import reader
    from warehouse.forget import forget_document

    path = db_path(db)
    with reader(path, on_wait=_waiting) as con:
        doc_id = resolve_doc(con, doc)
    done = forget_document(path, doc_id, note=note, on_wait=_waiting)
    files = [Path(p) for p in {done.stored_path, str(store_dir(store) / f"{doc_id}.pdf")} if p]
    removed = [p for p in files if p.is_file()]
    for p in removed:
        p.unlink()
    removed += forget_fetched(raw, doc_id)
    typer.echo(f"forgot {doc_id} ({escape_controls(str(done.file_name), one_line=True)}): {done.n_facts} facts, {len(removed)} files removed, "
               f"{done.n_reviews} reviews kept as orphaned")
    for older in done.unsuperseded:
        typer.echo(f"{older[:12]}… is the current version again")

