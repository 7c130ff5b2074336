"""The `policy-extract` command: ingest, query, status, evaluate. Exit codes as CONTRACT.md fixes them."""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from flows.resolve import NotFound
from schemas.errors import PolicyExtractError

if TYPE_CHECKING:
    from flows.bounded import Bounds

EXIT_OK, EXIT_ERROR, EXIT_PARTIAL, EXIT_NOT_FOUND = 0, 1, 2, 3

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Bilingual climate/energy policy PDFs -> a DuckDB warehouse of grounded facts.")

DbOpt = Annotated[Path | None, typer.Option("--db", help="warehouse file (env POLICY_WAREHOUSE)")]


def _err(msg: str) -> None:
    """One line on stderr; control characters from file names or PDF text in `msg` shown escaped."""
    from flows.terminal import escape_controls

    typer.echo(f"policy-extract: {escape_controls(msg, one_line=True)}", err=True)


def _waiting(msg: str) -> None:
    _err(msg)


@app.command()
def ingest(
    paths: Annotated[list[str] | None, typer.Argument(help="PDF files, folders or http(s) URLs (default raw/)")] = None,
    db: DbOpt = None,
    workers: Annotated[int, typer.Option(min=1, help="documents parsed at once (child processes)")] = 1,
    force: Annotated[bool, typer.Option(help="re-extract even if this pipeline version loaded it")] = False,
    store: Annotated[Path | None, typer.Option(help="content store (env POLICY_STORE, default raw/store)")] = None,
    timeout: Annotated[float, typer.Option(help="seconds per document")] = 300.0,
    memory_mb: Annotated[int, typer.Option(help="memory cap per parser process, MB")] = 2048,
    max_mb: Annotated[int, typer.Option(help="largest file accepted, MB")] = 200,
    max_pages: Annotated[int, typer.Option(help="most pages accepted")] = 5000,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="no progress bar")] = False,
    reextract: Annotated[bool, typer.Option(
        help="also re-extract stored documents an older pipeline version loaded")] = False,
    dask: Annotated[str | None, typer.Option(
        "--dask", metavar="ADDRESS", help="parse on the Dask cluster at this scheduler address")] = None,
) -> None:
    """Ingest PDFs: hash, store, parse in a child process, validate, load one transaction per document."""
    from flows.ingest import IngestOptions
    from flows.ingest import ingest as run
    from flows.report import IngestProgress, print_outcomes
    from flows.settings import DEFAULT_RAW, Limits, db_path, store_dir

    limits = Limits(timeout_s=timeout, memory_mb=memory_mb, max_bytes=max_mb * 1024 * 1024,
                    max_pages=max_pages)
    opts = IngestOptions(db=db_path(db), store=store_dir(store), workers=workers, force=force,
                         limits=limits, on_wait=_waiting, reextract=reextract, dask=dask)
    local, found, url_errors = _split_urls(paths or [str(DEFAULT_RAW)])
    with IngestProgress(enabled=not quiet and sys.stderr.isatty()) as bar:
        outcomes = run(local, opts, progress=bar.advance, on_plan=bar.plan, found=found)
    print_outcomes(outcomes)
    for line in url_errors:
        _err(line)
    if url_errors or any(o.status == "failed" and not o.skipped for o in outcomes):
        raise typer.Exit(EXIT_PARTIAL)


def _split_urls(args: list[str]) -> tuple[list[Path], list, list[str]]:
    """Local paths as they are; http(s) URLs fetched into raw/fetched/ first (the URL is their source)."""
    from flows.discover import Found
    from flows.fetch import fetch_url
    from flows.settings import DEFAULT_RAW

    local = [Path(a) for a in args if not re.match(r"(?i)^https?://", a)]
    found, errors = [], []
    for url in (a for a in args if re.match(r"(?i)^https?://", a)):
        got = fetch_url(url, DEFAULT_RAW)
        if got.path is None:
            errors.append(f"{url}: not fetched ({got.error})")
        else:
            found.append(Found(got.path, url, got.file_name))
    return local, found, errors


@app.command()
def query(
    sql: Annotated[str, typer.Argument(help="one read-only SQL statement")],
    db: DbOpt = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json")] = "table",
    timeout: Annotated[float, typer.Option(
        help="seconds the whole command may take once the warehouse is open, output included (at most 3600)",
    )] = 60.0,
    memory_mb: Annotated[int, typer.Option(
        help="memory cap of the whole query process, output included, MB (1024 to 65536)")] = 2048,
) -> None:
    """Run one read-only statement in a child process; it can neither write nor touch files."""
    import tempfile

    from flows.bounded import checked_bounds, run_bounded
    from flows.settings import db_path
    from warehouse.connect import DEFAULT_WAIT_S

    if fmt not in ("table", "csv", "json"):
        raise PolicyExtractError(f"--format must be table, csv or json, not {fmt!r}")
    bounds = checked_bounds(timeout, memory_mb)
    with tempfile.TemporaryFile() as spool:  # printed only once the whole result is formatted
        run_bounded(_print_query, db_path(db), sql, fmt, bounds, spool.fileno(), bounds=bounds,
                    wait_for_start=True, start_timeout_s=DEFAULT_WAIT_S + 60)
        spool.seek(0)
        sys.stdout.flush()
        shutil.copyfileobj(spool, sys.stdout.buffer)
        sys.stdout.buffer.flush()


def _print_query(db: Path, sql: str, fmt: str, bounds: Bounds, spool_fd: int) -> None:
    """The query child: run the statement once the warehouse is open, format the rows into the spool."""
    from contextlib import redirect_stdout

    from flows.bounded import start_clock
    from flows.report import print_rows
    from warehouse.query import run_query

    columns, rows = run_query(db, sql, timeout_s=bounds.timeout_s, memory_limit=f"{bounds.memory_mb // 2}MB",
                              on_wait=_waiting, on_open=start_clock)
    with open(spool_fd, "w", encoding=sys.stdout.encoding, errors=sys.stdout.errors, newline="",
              closefd=False) as spool, redirect_stdout(spool):
        print_rows(columns, rows, fmt)


@app.command()
def status(db: DbOpt = None) -> None:
    """Documents, runs, failures with their reasons, fact counts, orphaned reviews."""
    from flows.report import print_status
    from flows.settings import db_path
    from warehouse.query import status_summary

    print_status(status_summary(db_path(db), on_wait=_waiting))


@app.command()
def evaluate(
    gold: Annotated[list[Path], typer.Argument(help="gold JSON files (see README)")],
    db: DbOpt = None,
    doc: Annotated[str | None, typer.Option(help="only this document (doc_id prefix or file name)")] = None,
    floors: Annotated[Path | None, typer.Option(help="JSON of minimum scores; exit 2 below one")] = None,
) -> None:
    """Precision, recall and F1 per fact kind (and per field) against gold files."""
    from flows.evaluate import evaluate_files

    below = evaluate_files(gold, db, doc, floors)
    if below:
        raise typer.Exit(EXIT_PARTIAL)


import flows.cli_audit  # noqa: E402,F401 - registers audit, review, diff
import flows.cli_ops  # noqa: E402,F401 - registers fetch, schedule, export, forget


def main() -> None:
    """Entry point: one line on stderr and the contract's exit code, never a traceback."""
    from flows.settings import quiet_prefect_env

    quiet_prefect_env()
    try:
        code = app(standalone_mode=False)  # click returns the exit code instead of raising here
        sys.exit(code if isinstance(code, int) else EXIT_OK)
    except typer.Exit as e:
        sys.exit(e.exit_code)
    except NotFound as e:
        _err(str(e))
        sys.exit(EXIT_NOT_FOUND)
    except PolicyExtractError as e:
        _err(str(e))
        sys.exit(EXIT_ERROR)
    except (typer.Abort, KeyboardInterrupt):
        _err("interrupted")
        sys.exit(EXIT_ERROR)
    except Exception as e:  # noqa: BLE001
        import click

        if isinstance(e, click.ClickException):
            e.show()
            sys.exit(EXIT_ERROR)
        if os.environ.get("POLICY_DEBUG"):
            raise
        _err(f"internal error: {type(e).__name__}: {' '.join(str(e).split())[:300]} "
             "(set POLICY_DEBUG=1 for the traceback)")
        sys.exit(EXIT_ERROR)


if __name__ == "__main__":  # `python -m flows.cli`: run the imported module, where the commands registered
    from flows.cli import main as registered_main

    registered_main()
