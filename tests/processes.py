"""Run a command in a fresh session and find every process it started that outlives it (from /proc)."""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

Proc = tuple[int, int]
"""(pid, start time in clock ticks): a pid that was reused is another process."""


@dataclass(frozen=True)
class Watched:
    returncode: int
    stdout: str
    stderr: str
    left: dict[Proc, str]
    """Processes of the run still alive after it ended: (pid, start) -> command line."""


def _stat(pid: int) -> tuple[int, int, int, str, int] | None:
    """(ppid, pgid, sid, state, start) of a live process, or None."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2:].split()
    return int(fields[1]), int(fields[2]), int(fields[3]), fields[0], int(fields[19])


def _table() -> dict[int, tuple[int, int, int, str, int]]:
    out = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (st := _stat(int(entry))) is not None:
            out[int(entry)] = st
    return out


def descendants(root: int) -> set[Proc]:
    """Every live process below root (root excluded)."""
    table = _table()
    children: dict[int, list[int]] = {}
    for pid, (ppid, *_rest) in table.items():
        children.setdefault(ppid, []).append(pid)
    found, todo = set(), list(children.get(root, []))
    while todo:
        pid = todo.pop()
        found.add((pid, table[pid][4]))
        todo += children.get(pid, [])
    return found


def survivors(seen: set[Proc], session: int) -> dict[Proc, str]:
    """Live, non-zombie processes that were seen below the run or are in its session or process group."""
    out = {}
    for pid, (_ppid, pgid, sid, state, start) in _table().items():
        if state != "Z" and ((pid, start) in seen or session in (pgid, sid)):
            out[(pid, start)] = _cmdline(pid)
    return out


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return "?"


def run_watched(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float,
                during: Callable[[], None] = lambda: None, grace: float = 5.0) -> Watched:
    """Run cmd as a session leader, noting its descendants while it runs; `during` is called on each tick.

    A run past `timeout` is killed (its process group and every descendant seen) and raises TimeoutError.
    The survivors are reported after up to `grace` seconds for them to finish exiting, then killed."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                start_new_session=True)
        seen: set[Proc] = set()
        deadline = time.monotonic() + timeout
        while proc.poll() is None:
            seen |= descendants(proc.pid)
            during()
            if time.monotonic() > deadline:
                _kill(proc.pid, set(survivors(seen, proc.pid)))
                proc.wait()
                raise TimeoutError(f"{cmd[:4]} still running after {timeout:.0f} s")
            time.sleep(0.02)
        left = survivors(seen, proc.pid)
        give_up = time.monotonic() + grace
        while left and time.monotonic() < give_up:
            time.sleep(0.1)
            left = survivors(seen, proc.pid)
        _kill(proc.pid, set(left))
        out.seek(0)
        err.seek(0)
        return Watched(proc.returncode, out.read().decode(errors="replace"), err.read().decode(errors="replace"),
                       left)


def _kill(session: int, procs: set[Proc]) -> None:
    """SIGKILL the run's process group and the given processes (each checked to be the one seen)."""
    try:
        os.killpg(session, signal.SIGKILL)
    except ProcessLookupError:
        pass
    for pid, start in procs:
        st = _stat(pid)
        if st is not None and st[4] == start:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
