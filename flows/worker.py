"""Parse, lay out and extract one PDF in a child process with a wall-clock limit and a memory cap."""

from __future__ import annotations

import json
import logging
import multiprocessing as mp
import os
import resource
import signal
import tempfile
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from flows.limited import forkserver, run_in_child
from flows.preflight import has_eof_marker, one_line, repaired_copy, structure_of
from flows.settings import Limits
from schemas.errors import DocumentRejected
from schemas.runs import ExtractionPackage

PRELOAD = ["extractors.pipeline", "pdfplumber", "pypdf", "pydantic", "yaml",
           *(f"extractors.{name}" for name in ("layout", "metadata", "references", "tables", "text_quality",
                                               "dates", "policies", "targets", "technologies"))]
"""Imported once by the forkserver: children start with spaCy and every extractor loaded (2-4 s each saved)."""


@dataclass(frozen=True)
class WorkResult:
    """A package, or a reason code and a one-line error."""

    package: ExtractionPackage | None
    reason: str | None = None
    error: str | None = None
    seconds: float = 0.0
    peak_rss_mb: float = 0.0


def result_to_json(result: WorkResult) -> str:
    """A result as JSON text: how a package travels from a Dask worker to the one loader."""
    package = result.package.model_dump(mode="json") if result.package is not None else None
    return json.dumps({"package": package, "reason": result.reason, "error": result.error,
                       "seconds": result.seconds, "peak_rss_mb": result.peak_rss_mb}, ensure_ascii=False)


def json_to_result(text: str) -> WorkResult:
    """The inverse of result_to_json; the package is validated again on arrival."""
    raw = json.loads(text)
    package = ExtractionPackage.model_validate(raw["package"]) if raw["package"] is not None else None
    return WorkResult(package, raw["reason"], raw["error"], raw["seconds"], raw["peak_rss_mb"])


def context() -> mp.context.ForkServerContext:
    """A forkserver that has imported the extractors once, so each child starts warm and clean."""
    return forkserver(PRELOAD)


def _child(conn: Connection, path: str, doc_id: str, file_name: str, limits: Limits, stderr_path: str) -> None:
    """Child body (limits already applied): stderr to its file, run the pipeline, send ('ok', package) or
    ('rejected', reason, msg)."""
    _stderr_to(stderr_path)
    for noisy in ("pypdf", "pdfminer"):  # their warnings would reach the user's terminal
        logging.getLogger(noisy).setLevel(logging.ERROR)
    _crash_point_hook()
    try:
        package = _parse(Path(path), doc_id, file_name, limits)
        conn.send(("ok", package, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))
    except DocumentRejected as e:
        conn.send(("rejected", e.reason, str(e)))
    except MemoryError:
        conn.send(("rejected", "memory_limit", over_memory_cap(file_name, limits)))
    except RecursionError:
        conn.send(("rejected", "malformed", f"{file_name}: malformed PDF (object graph too deep or cyclic)"))
    except Exception as e:  # noqa: BLE001 - every failure becomes an outcome, never a crash
        reason = _classify(e, Path(path))
        conn.send(("rejected", reason, f"{file_name}: {reason.replace('_', ' ')} ({one_line(e)})"))
    finally:
        conn.close()


def over_memory_cap(file_name: str, limits: Limits) -> str:
    return f"{file_name}: over the {limits.memory_mb} MB memory cap (raise it with --memory-mb)"


def _stderr_to(path: str) -> None:
    """The child's stderr goes to a file the parent reads: an interpreter dying of MemoryError (a "Fatal Python
    error" dump, or a chain of MemoryError tracebacks) tells the parent why, and never reaches the terminal."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CLOEXEC)
    os.dup2(fd, 2)
    os.close(fd)


def _parse(path: Path, doc_id: str, file_name: str, limits: Limits) -> ExtractionPackage:
    """Structure checks, then the pipeline; a file whose xref pypdf had to rebuild is parsed repaired."""
    from extractors.pipeline import pdf_to_package

    _, repaired = structure_of(path, limits.max_pages, file_name)
    if not repaired:
        return pdf_to_package(path, doc_id, file_name)
    with tempfile.TemporaryDirectory(prefix="policy-repair-") as folder:
        return pdf_to_package(repaired_copy(path, Path(folder)), doc_id, file_name)


def _crash_point_hook() -> None:
    """POLICY_CRASH_AT=child makes the child kill itself (tests of worker_crashed)."""
    if os.environ.get("POLICY_CRASH_AT") == "child":
        os.kill(os.getpid(), signal.SIGKILL)


def _classify(e: Exception, path: Path) -> str:
    """Map a parser exception to a reason code: syntax errors are truncated or malformed files."""
    if isinstance(e, MemoryError) or "allocate" in str(e).lower():  # zlib: "Unable to allocate output buffer"
        return "memory_limit"
    name = type(e).__name__
    module = type(e).__module__ or ""
    if "pdfminer" in module or "pypdf" in module or name in ("PSEOF", "PDFSyntaxError", "PdfReadError"):
        return "malformed" if has_eof_marker(path) else "truncated"
    return "parse_error"


def extract_in_child(path: Path, doc_id: str, file_name: str, limits: Limits) -> WorkResult:
    """Run the pipeline for one file in a fresh limited child; the parent survives hangs, bombs and crashes.
    The child's stderr goes to a file the parent reads: a MemoryError dump is classified, never shown."""
    fd, stderr_path = tempfile.mkstemp(prefix="policy-child-", suffix=".stderr")
    os.close(fd)
    try:
        run = run_in_child(_child, (str(path), doc_id, file_name, limits, stderr_path), limits, context())
    finally:
        stderr = _read_and_remove(stderr_path)
    if run.status == "no_start":
        return WorkResult(None, "worker_crashed", f"{file_name}: the parser process did not start", run.seconds)
    if run.status == "timeout":
        return WorkResult(None, "timeout", f"{file_name}: no result within {limits.timeout_s:g} s "
                                           "(raise it with --timeout)", run.seconds)
    result = _result_of(run.messages[-1] if run.messages else None, run.exitcode, file_name, run.seconds)
    return _memory_error_of(result, stderr, file_name, limits)


def _read_and_remove(path: str) -> str:
    """The child's stderr (its last 64 KiB), the file removed."""
    try:
        with open(path, "rb") as f:
            f.seek(max(0, os.fstat(f.fileno()).st_size - 65536))
            return f.read().decode("utf-8", "replace")
    finally:
        os.unlink(path)


def _memory_error_of(result: WorkResult, stderr: str, file_name: str, limits: Limits) -> WorkResult:
    """A child that died of MemoryError (too short of memory even to report it) was over the memory cap."""
    if result.reason != "worker_crashed" or "MemoryError" not in stderr:
        return result
    return WorkResult(None, "memory_limit", over_memory_cap(file_name, limits), result.seconds)


def _result_of(msg: object, exitcode: int | None, file_name: str, seconds: float) -> WorkResult:
    if isinstance(msg, tuple) and msg[0] == "ok":
        return WorkResult(msg[1], seconds=seconds, peak_rss_mb=msg[2])
    if isinstance(msg, tuple) and msg[0] == "rejected":
        return WorkResult(None, msg[1], msg[2], seconds)
    how = f"signal {-exitcode}" if exitcode is not None and exitcode < 0 else f"exit code {exitcode}"
    return WorkResult(None, "worker_crashed", f"{file_name}: the parser process died ({how})", seconds)
