"""A killed or stalled ingest leaves no process behind (issue 13, item 6): real CLI, real Prefect server."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.bad_pdfs import slow_pdf_bytes

ROOT = Path(__file__).resolve().parents[1]
SETTLE_S = 30.0
"""Bounded wait for processes to die (a liveness bound, not a speed assertion)."""


def _stat(pid: int) -> tuple[str, int, int] | None:
    """(state, ppid, pgid) of a live process, None once it is gone or a zombie."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return None if fields[0] in "ZX" else (fields[0], int(fields[1]), int(fields[2]))


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _alive() -> dict[int, tuple[str, int, int]]:
    found = {int(p): _stat(int(p)) for p in os.listdir("/proc") if p.isdigit()}
    return {pid: st for pid, st in found.items() if st is not None}


def _tree(root: int) -> set[int]:
    """The root, its descendants and every process of its process group."""
    procs = _alive()
    group = procs.get(root, ("", 0, root))[2]
    tree = {root} | {pid for pid, st in procs.items() if st[2] == group}
    grew = True
    while grew:
        more = {pid for pid, st in procs.items() if st[1] in tree} - tree
        tree |= more
        grew = bool(more)
    return tree


def _wait_for(what: Callable[[], object], timeout: float, step: float = 0.2) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = what()
        if got:
            return got
        time.sleep(step)
    return what()


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _server_port(pids: set[int]) -> int | None:
    for pid in pids:
        args = _cmdline(pid).split()
        if "uvicorn" in args and "--port" in args:
            return int(args[args.index("--port") + 1])
    return None


def _parser_children(cli: int) -> set[int]:
    """Processes the forkserver started (the forkserver is the CLI's child; the parsers are its children)."""
    procs = _alive()
    servers = {pid for pid, st in procs.items() if st[1] == cli and "forkserver" in _cmdline(pid)}
    return {pid for pid, st in procs.items() if st[1] in servers}


@pytest.fixture
def slow_ingest(tmp_path: Path):
    """Start `policy-extract ingest --timeout T slow.pdf` in its own session; yields (process, start)."""
    (tmp_path / "slow.pdf").write_bytes(slow_pdf_bytes())
    procs: list[subprocess.Popen] = []

    def start(timeout_s: float) -> subprocess.Popen:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        env.pop("PREFECT_API_URL", None)
        proc = subprocess.Popen(
            [sys.executable, "-m", "flows.cli", "ingest", "-q", "--timeout", str(timeout_s), "--db",
             str(tmp_path / "w.duckdb"), "--store", str(tmp_path / "store"), str(tmp_path / "slow.pdf")],
            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        procs.append(proc)
        return proc

    yield start
    for proc in procs:
        for pid in _tree_alive(_tree(proc.pid)):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        proc.wait()


def _running_parser(cli: subprocess.Popen) -> set[int]:
    children = _wait_for(lambda: _parser_children(cli.pid), 240, step=0.5)
    assert children, f"no parser process started; stderr: {cli.stderr.read() if cli.poll() is not None else ''}"
    return children  # type: ignore[return-value]


def test_sigkill_of_the_cli_leaves_no_process_and_no_listening_server(slow_ingest) -> None:
    cli = slow_ingest(600)
    _running_parser(cli)
    tree = _tree(cli.pid)
    port = _server_port(tree)
    assert port is not None and _listening(port), "the ingest's Prefect server was not found"
    os.kill(cli.pid, signal.SIGKILL)
    cli.wait()
    left = _wait_for(lambda: not (_tree_alive(tree) or _listening(port)), SETTLE_S)
    assert left, f"still running: {[_cmdline(p)[:80] for p in _tree_alive(tree)]}, port {port} listening: " \
                 f"{_listening(port)}"
    assert b"Traceback" not in cli.stderr.read()


def test_a_parser_whose_parent_stalls_stops_itself_at_its_timeout(slow_ingest) -> None:
    """SIGSTOP the CLI: it can no longer enforce --timeout, so the parser must stop by its own deadline."""
    timeout_s = 3.0
    cli = slow_ingest(timeout_s)
    children = _running_parser(cli)
    os.kill(cli.pid, signal.SIGSTOP)
    try:
        gone = _wait_for(lambda: not _tree_alive(children), timeout_s + SETTLE_S)
        assert gone, f"the parser outlived its --timeout {timeout_s:g} s by over {SETTLE_S:g} s"
    finally:
        os.kill(cli.pid, signal.SIGCONT)


def _tree_alive(pids: set[int]) -> set[int]:
    return {pid for pid in pids if _stat(pid) is not None}
