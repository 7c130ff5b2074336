"""Run a function in a child process under Limits: an address-space cap, a deadline the parent enforces
and the child enforces too, and no life beyond its parent. Parsing, page rendering (and any other
untrusted work) share this one machinery."""

from __future__ import annotations

import multiprocessing as mp
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from flows.lifetime import die_at, die_quietly_on_closed_pipe, die_with_reader
from flows.settings import Limits

STARTUP_S = 120.0
"""How long a child may take to start (the first one waits for the forkserver's imports)."""
GRACE_S = 2.0
"""The child's own deadline is this much after the parent's, so a living parent reports the timeout."""
_PRELOAD: set[str] = set()


@dataclass(frozen=True)
class ChildRun:
    """What a child sent, and how it ended: 'ended' (it closed its pipe: exited or died; see exitcode),
    'no_start' or 'timeout' (the parent killed it)."""

    messages: list[Any] = field(default_factory=list)
    status: str = "ended"
    exitcode: int | None = None
    seconds: float = 0.0


def forkserver(preload: list[str]) -> mp.context.ForkServerContext:
    """The forkserver context, importing these modules once (with any asked for before) so children start warm."""
    ctx = mp.get_context("forkserver")
    if not set(preload) <= _PRELOAD:
        _PRELOAD.update(preload)
        ctx.set_forkserver_preload(sorted(_PRELOAD))  # takes effect if the forkserver has not started yet
    return ctx


def apply_limits(conn: Connection, limits: Limits) -> None:
    """In the child: cap memory, stop with the parent, stop at its own deadline, die quietly on a closed pipe."""
    cap = limits.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    die_quietly_on_closed_pipe()
    die_with_reader(conn.fileno())
    die_at(limits.timeout_s + GRACE_S)


def _entry(conn: Connection, limits: Limits, target: Callable[..., None], args: tuple[Any, ...]) -> None:
    """Child body: limits first, then 'started', then the target, which sends its results on conn."""
    apply_limits(conn, limits)
    conn.send(("started",))
    try:
        target(conn, *args)
    finally:
        conn.close()


def run_in_child(target: Callable[..., None], args: tuple[Any, ...], limits: Limits,
                 ctx: mp.context.BaseContext) -> ChildRun:
    """Run target(conn, *args) in a fresh limited child; collect what it sends until it closes the pipe,
    killing it after limits.timeout_s. The parent survives hangs, bombs and crashes."""
    _allow_children()
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_entry, args=(child, limits, target, args), daemon=True)  # type: ignore[attr-defined]
    t0 = time.perf_counter()
    proc.start()
    child.close()
    messages: list[Any] = []
    status = "ended"
    try:
        if not parent.poll(STARTUP_S) or parent.recv() != ("started",):
            status = "no_start"
        else:
            status = _collect(parent, limits.timeout_s, messages)
    except (EOFError, OSError):
        pass
    finally:
        if status != "ended":
            proc.kill()
        proc.join(5)
        if proc.is_alive():
            proc.kill()
            proc.join()
        parent.close()
    return ChildRun(messages, status, proc.exitcode, time.perf_counter() - t0)


def _collect(conn: Connection, timeout_s: float, messages: list[Any]) -> str:
    """Receive until the child closes its end ('ended') or the deadline passes ('timeout')."""
    deadline = time.monotonic() + timeout_s
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not conn.poll(left):
            return "timeout"
        try:
            messages.append(conn.recv())
        except EOFError:
            return "ended"


def _allow_children() -> None:
    """Dask workers are daemonic processes, which may not start children; ours is always reaped."""
    me = mp.current_process()
    if me.daemon:
        me._config["daemon"] = False  # type: ignore[attr-defined]
