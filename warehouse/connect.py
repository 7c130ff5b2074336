"""Open the warehouse: one migrating writer at a time, sandboxed read-only readers, both patient with locks."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from schemas.errors import PolicyExtractError
from warehouse.migrations import MIGRATIONS, SCHEMA_VERSION

OnWait = Callable[[str], None]
T = TypeVar("T")

DEFAULT_WAIT_S = float(os.environ.get("POLICY_WAREHOUSE_WAIT", "30"))
"""How long to wait for another process's lock before giving up (POLICY_WAREHOUSE_WAIT overrides)."""

READER_CONFIG: dict[str, Any] = {
    "enable_external_access": False,   # user SQL can read no local file, URL or extension ...
    "temp_directory": "",              # a query over its memory limit stops rather than spills
}
READER_LOCKDOWN = (
    "SET disabled_filesystems = 'LocalFileSystem'",  # ... nor the warehouse file itself, which DuckDB allows
    "SET lock_configuration = true",                  # ... and cannot SET its way back out
)
"""Run on a reader once the file is open (its handle stays usable); a query cannot spill to disk either."""
DEFAULT_MEMORY_LIMIT = "2GB"
DEFAULT_QUERY_TIMEOUT_S = 60.0


def _is_lock_error(exc: BaseException) -> bool:
    """DuckDB refuses a second process (even a reader) while a writer holds the file."""
    return isinstance(exc, duckdb.IOException) and "Could not set lock" in str(exc)


def open_with_retry(
    path: Path, opener: Callable[[], T], wait_s: float | None = None, on_wait: OnWait | None = None,
) -> T:
    """Call opener until the file lock is free, backing off up to wait_s seconds in total."""
    limit = DEFAULT_WAIT_S if wait_s is None else wait_s
    deadline = time.monotonic() + limit
    delay, told = 0.05, False
    while True:
        try:
            return opener()
        except duckdb.Error as exc:
            if not _is_lock_error(exc):
                raise PolicyExtractError(f"cannot open warehouse {path}: {first_line(exc)}") from exc
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise PolicyExtractError(
                    f"warehouse {path} is busy (another policy-extract process holds it for more than "
                    f"{limit:g} s); retry when it has finished"
                ) from None
            if on_wait is not None and not told:
                on_wait(f"warehouse {path} is in use by another process; waiting up to {limit:g} s")
                told = True
            time.sleep(min(delay, remaining))
            delay = min(delay * 2, 1.0)


def utc_now() -> datetime:
    """Warehouse timestamps are naive UTC (DuckDB TIMESTAMP)."""
    return datetime.now(UTC).replace(tzinfo=None)


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    """Schema version recorded in the file; 0 for a file without our schema."""
    try:
        row = con.execute("SELECT max(version) FROM schema_version").fetchone()
    except duckdb.CatalogException:  # cheaper than asking information_schema first
        return 0
    return int(row[0]) if row and row[0] is not None else 0


def migrate(con: duckdb.DuckDBPyConnection, migrations: list[tuple[int, str, str]] = MIGRATIONS) -> int:
    """Apply every migration newer than the file, each in its own transaction; return the version."""
    version = current_version(con)
    newest = migrations[-1][0]
    if version > newest:
        raise PolicyExtractError(
            f"warehouse is at schema version {version}, newer than this policy-extract "
            f"({newest}); upgrade policy-extract"
        )
    for number, description, sql in migrations:
        if number <= version:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(sql)
            con.execute("INSERT INTO schema_version VALUES (?, ?, ?)", [number, description, utc_now()])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        version = number
    return version


def connect_writer(
    path: str | Path, *, wait_s: float | None = None, on_wait: OnWait | None = None,
) -> duckdb.DuckDBPyConnection:
    """The one writing connection: creates the file and its folder, migrates the schema to current."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = open_with_retry(path, lambda: duckdb.connect(str(path)), wait_s, on_wait)
    try:
        migrate(con)
    except BaseException:
        con.close()
        raise
    return con


def connect_reader(
    path: str | Path, *, wait_s: float | None = None, on_wait: OnWait | None = None,
    memory_limit: str = DEFAULT_MEMORY_LIMIT, check_version: bool = True,
) -> duckdb.DuckDBPyConnection:
    """A read-only, sandboxed connection; never migrates (readers on an old file are told to ingest)."""
    path = Path(path)
    if not path.is_file():
        raise PolicyExtractError(f"warehouse {path} is missing; run `policy-extract ingest` to create it")
    config = {**READER_CONFIG, "memory_limit": memory_limit}
    con = open_with_retry(
        path, lambda: duckdb.connect(str(path), read_only=True, config=config), wait_s, on_wait,
    )
    for statement in READER_LOCKDOWN:
        con.execute(statement)
    if check_version:
        version = current_version(con)
        if version != SCHEMA_VERSION:
            con.close()
            hint = ("upgrade policy-extract" if version > SCHEMA_VERSION
                    else "run `policy-extract ingest` to migrate")
            raise PolicyExtractError(
                f"warehouse {path} is at schema version {version} (this policy-extract needs "
                f"{SCHEMA_VERSION}); {hint}"
            )
    return con


@contextmanager
def writer(
    path: str | Path, *, wait_s: float | None = None, on_wait: OnWait | None = None,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Hold the write lock only for the body of the with-block."""
    con = connect_writer(path, wait_s=wait_s, on_wait=on_wait)
    try:
        yield con
    finally:
        con.close()


@contextmanager
def reader(
    path: str | Path, *, wait_s: float | None = None, on_wait: OnWait | None = None,
    memory_limit: str = DEFAULT_MEMORY_LIMIT, check_version: bool = True,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A sandboxed read-only connection closed at the end of the with-block."""
    con = connect_reader(path, wait_s=wait_s, on_wait=on_wait, memory_limit=memory_limit,
                         check_version=check_version)
    try:
        yield con
    finally:
        con.close()


def execute_with_timeout(
    con: duckdb.DuckDBPyConnection, sql: str, timeout_s: float = DEFAULT_QUERY_TIMEOUT_S,
    params: list[Any] | None = None,
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run and fetch one statement, interrupting it after timeout_s (DuckDB has no statement timeout)."""
    fired = threading.Event()

    def stop() -> None:
        fired.set()
        con.interrupt()

    timer = threading.Timer(timeout_s, stop)
    timer.daemon = True
    timer.start()
    try:
        cur = con.execute(sql, params) if params is not None else con.execute(sql)
        columns = [d[0] for d in cur.description or []]
        rows = cur.fetchall()
    except duckdb.Error as exc:
        if fired.is_set():
            raise PolicyExtractError(f"query exceeded {timeout_s:g} s and was stopped; narrow it") from None
        raise PolicyExtractError(first_line(exc)) from None
    finally:
        timer.cancel()
    return columns, rows


def first_line(exc: BaseException) -> str:
    """DuckDB messages span lines (LINE 1: ... ^^^); the CLI prints one."""
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
