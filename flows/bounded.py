"""Run a function in a child process under an address-space cap and a deadline that both sides enforce.

The child caps its own address space (RLIMIT_AS: every allocation counts, DuckDB's, Python's, the output
formatter's) and exits by itself a little after its deadline; the parent kills it a little later still, in
case the child cannot even do that. The deadline starts when the child starts, or, with wait_for_start,
when the function calls start_clock() (after waiting for a lock, say). Failures come back as one line.
"""

from __future__ import annotations

import math
import multiprocessing as mp
import os
import resource
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from schemas.errors import PolicyExtractError

T = TypeVar("T")

MAX_TIMEOUT_S = 3600.0
MIN_MEMORY_MB, MAX_MEMORY_MB = 1024, 65536
"""Below 1 GB the interpreter, DuckDB and their threads hardly start; above 64 GB is no limit here."""
CHILD_GRACE_S = 1.0
"""The child exits by itself this long after its deadline (time to report an interrupted query first)."""
PARENT_GRACE_S = 3.0
"""The parent kills the child this long after the deadline."""
EXIT_DEADLINE = 124
_CLOCK: _Clock | None = None


@dataclass(frozen=True)
class Bounds:
    """A time limit (seconds from the start of the clock) and an address-space cap (MB)."""

    timeout_s: float
    memory_mb: int

    def describe(self, which: str) -> str:
        if which == "time":
            return f"{self.timeout_s:g} s time limit"
        size = f"{self.memory_mb / 1024:g} GB" if self.memory_mb % 1024 == 0 else f"{self.memory_mb} MB"
        return f"{size} memory limit"


class LimitExceeded(PolicyExtractError):
    """The child was stopped by one of its limits ("time" or "memory")."""

    def __init__(self, what: str, which: str, bounds: Bounds, detail: str = "") -> None:
        self.which = which
        super().__init__(f"{what} stopped: exceeded the {bounds.describe(which)}{detail}")


def checked_bounds(timeout_s: float, memory_mb: int) -> Bounds:
    """Bounds from command-line values: a finite timeout in (0, 3600] s, memory in [1024, 65536] MB."""
    if not (math.isfinite(timeout_s) and 0 < timeout_s <= MAX_TIMEOUT_S):
        raise PolicyExtractError(f"--timeout must be above 0 and at most {MAX_TIMEOUT_S:g} seconds, "
                                 f"not {timeout_s:g}")
    if not MIN_MEMORY_MB <= memory_mb <= MAX_MEMORY_MB:
        raise PolicyExtractError(f"--memory-mb must be between {MIN_MEMORY_MB} and {MAX_MEMORY_MB}, "
                                 f"not {memory_mb}")
    return Bounds(timeout_s, memory_mb)


class _Clock:
    """The child's side of the deadline: tells the parent it started, and exits when it runs out."""

    def __init__(self, conn: Connection, timeout_s: float) -> None:
        self.conn = conn
        self.timeout_s = timeout_s
        self.deadline: float | None = None

    def start(self) -> None:
        if self.deadline is not None:
            return
        self.deadline = time.monotonic() + self.timeout_s
        self.conn.send(("started",))
        threading.Thread(target=self._watch, daemon=True).start()

    def _watch(self) -> None:
        time.sleep(self.timeout_s + CHILD_GRACE_S)
        os._exit(EXIT_DEADLINE)

    def expired(self) -> bool:
        return self.deadline is not None and time.monotonic() >= self.deadline


def start_clock() -> None:
    """In run_bounded's child: start the deadline now (idempotent). Elsewhere: nothing."""
    if _CLOCK is not None:
        _CLOCK.start()


def _is_memory_error(exc: BaseException) -> bool:
    return isinstance(exc, MemoryError) or "out of memory" in str(exc).lower()


def _failure(exc: BaseException, clock: _Clock) -> tuple[str, str]:
    """A picklable report of what stopped the function."""
    if clock.expired():
        return ("limit", "time")
    if _is_memory_error(exc):
        return ("limit", "memory")
    if isinstance(exc, PolicyExtractError):
        return ("error", str(exc))
    lines = str(exc).strip().splitlines()
    return ("error", f"{type(exc).__name__}: {lines[0] if lines else ''}")


def _child(conn: Connection, fn: Callable[..., Any], args: tuple[Any, ...], bounds: Bounds,
           wait_for_start: bool) -> None:
    global _CLOCK
    cap = bounds.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    _CLOCK = clock = _Clock(conn, bounds.timeout_s)
    if not wait_for_start:
        clock.start()
    try:
        message: tuple[Any, ...] = ("ok", fn(*args))
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent as one line
        message = _failure(exc, clock)
    try:
        conn.send(message)
    except BaseException:  # noqa: BLE001 - e.g. no memory left to pickle the message
        os._exit(EXIT_DEADLINE if clock.expired() else 1)
    conn.close()


def _receive(parent: Connection, proc: mp.process.BaseProcess, bounds: Bounds, start_timeout_s: float) -> Any:
    """The child's message; ("killed", why) when the parent had to kill it; None when it died."""
    try:
        if not parent.poll(start_timeout_s):
            proc.kill()
            return ("killed", "start")
        message = parent.recv()
        if message != ("started",):
            return message
        if not parent.poll(bounds.timeout_s + PARENT_GRACE_S):
            proc.kill()
            return ("limit", "time")
        return parent.recv()
    except (EOFError, OSError):
        return None


def _outcome(message: Any, exitcode: int | None, bounds: Bounds, what: str) -> Any:
    """The function's value, or the one-line error that stopped it."""
    kind = message[0] if isinstance(message, tuple) else None
    if kind == "ok":
        return message[1]
    if kind == "limit":
        raise LimitExceeded(what, message[1], bounds)
    if kind == "error":
        raise PolicyExtractError(message[1])
    if kind == "killed":
        raise PolicyExtractError(f"the {what} process did not start")
    if exitcode == EXIT_DEADLINE:
        raise LimitExceeded(what, "time", bounds)
    if exitcode is not None and exitcode < 0:  # a failed allocation under the cap aborts C++ code
        raise LimitExceeded(what, "memory", bounds, f" (the process died of signal {-exitcode})")
    raise PolicyExtractError(f"the {what} process died (exit code {exitcode})")


def run_bounded(fn: Callable[..., T], *args: Any, bounds: Bounds, what: str = "query",
                wait_for_start: bool = False, start_timeout_s: float = 120.0) -> T:
    """fn(*args) in a forked child within bounds; its value (picklable), or a one-line PolicyExtractError.

    With wait_for_start, the deadline starts when fn calls start_clock(), which must come within
    start_timeout_s. LimitExceeded says which limit stopped it: "<what> stopped: exceeded the 2 s time limit".
    """
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, fn, args, bounds, wait_for_start), daemon=True)
    proc.start()
    child.close()
    try:
        message = _receive(parent, proc, bounds, start_timeout_s)
    finally:
        _reap(proc)
        parent.close()
    return _outcome(message, proc.exitcode, bounds, what)


def _reap(proc: mp.process.BaseProcess) -> None:
    """Wait for the child briefly; kill it if it lingers (also when the parent is interrupted)."""
    proc.join(2)
    if proc.is_alive():
        proc.kill()
        proc.join()
