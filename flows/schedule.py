"""Scheduled re-ingestion: a Prefect deployment that runs fetch then ingest on a cron, one run at a time.

Prefect fires cron schedules only against a real server: without PREFECT_API_URL, serve_schedule starts
`prefect server start` on 127.0.0.1 (a free port) for as long as it serves, and says so.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flows.settings import quiet_prefect_env
from schemas.errors import PolicyExtractError

quiet_prefect_env()

from prefect import flow, serve, task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402

DEPLOYMENT = "scheduled-ingest"
SERVER_START_S = 120.0


@task(name="fetch-sources", cache_policy=NO_CACHE)
def fetch_task(sources: str) -> list:
    """Fetch new or changed URLs; local folders and globs are listed as they are."""
    from flows.fetch import fetch_sources

    report = fetch_sources(Path(sources))
    for f in report.fetched:
        print(f"fetch {f.status}: {f.url}" + (f" ({f.error})" if f.error else ""))
    return report.found


@flow(name="policy-extract-scheduled", log_prints=True, validate_parameters=False)
def scheduled_ingest(sources: str, db: str, store: str, workers: int = 1) -> dict[str, int]:
    """One scheduled pass: fetch the sources, then ingest what is new (known bytes are skipped cheaply)."""
    from flows.ingest import IngestOptions, ingest

    found = fetch_task(sources)
    outcomes = ingest([], IngestOptions(db=Path(db), store=Path(store), workers=workers), found=found)
    summary = {"files": len(outcomes), "loaded": sum(o.status == "ok" and not o.skipped for o in outcomes),
               "skipped": sum(o.skipped for o in outcomes),
               "failed": sum(o.status == "failed" and not o.skipped for o in outcomes)}
    print(f"ingest: {summary}")
    return summary


def free_port() -> int:
    """A port nobody listens on now (the OS picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _healthy(url: str) -> bool:
    import httpx

    try:
        return httpx.get(f"{url}/health", timeout=2.0).status_code == 200
    except httpx.HTTPError:
        return False


@dataclass
class LocalServer:
    """A `prefect server start` child in its own process group, stopped with the command."""

    proc: subprocess.Popen[bytes]
    api_url: str
    log: Path

    @classmethod
    def start(cls, port: int | None = None) -> LocalServer:
        """Start and wait until /api/health answers; a server that dies or hangs is one clear error."""
        port = port or free_port()
        log = Path(os.environ["PREFECT_HOME"]) / f"server-{port}.log"
        prefect_bin = Path(sys.executable).with_name("prefect")
        cmd = [str(prefect_bin), "server", "start", "--host", "127.0.0.1", "--port", str(port)]
        with log.open("wb") as out:
            proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                    start_new_session=True, env=dict(os.environ))
        server = cls(proc, f"http://127.0.0.1:{port}/api", log)
        deadline = time.monotonic() + SERVER_START_S
        while not _healthy(server.api_url):
            if proc.poll() is not None or time.monotonic() > deadline:
                server.stop()
                raise PolicyExtractError(f"the local Prefect server did not start (see {log})")
            time.sleep(0.5)
        return server

    def stop(self) -> None:
        """SIGTERM the server's process group, SIGKILL what is left after 15 s."""
        if self.proc.poll() is not None:
            return
        for sig, wait in ((signal.SIGTERM, 15.0), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                return
            try:
                self.proc.wait(wait)
                return
            except subprocess.TimeoutExpired:
                continue


def serve_schedule(cron: str, sources: Path, db: Path, store: Path, workers: int = 1,
                   say: Callable[[str], None] = print) -> None:
    """Serve the deployment until interrupted (Ctrl-C or SIGTERM); a server we started stops with us."""
    from prefect.client.schemas.schedules import CronSchedule

    try:
        CronSchedule(cron=cron)
    except ValueError:
        raise PolicyExtractError(f"--cron {cron!r} is not a valid cron expression (e.g. '0 3 * * *')") from None
    if not sources.is_file():
        raise PolicyExtractError(f"{sources}: no such sources file (see raw/sources.yaml for an example)")
    server = None
    if not os.environ.get("PREFECT_API_URL"):
        server = LocalServer.start()
        say(f"PREFECT_API_URL is not set: started a local Prefect server at {server.api_url} "
            f"(pid {server.proc.pid}, UI at {server.api_url[:-4]}); it stops when this command ends")
        os.environ["PREFECT_API_URL"] = server.api_url
    try:
        _serve(cron, sources, db, store, workers, server.api_url if server else None)
    finally:
        if server is not None:
            server.stop()
            say("stopped the local Prefect server")


def _serve(cron: str, sources: Path, db: Path, store: Path, workers: int, api_url: str | None) -> None:
    """The deployment: absolute paths (the runner may start elsewhere), at most one run at a time."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    params = {"sources": str(sources.resolve()), "db": str(db.resolve()), "store": str(store.resolve()),
              "workers": workers}
    updates = {PREFECT_API_URL: api_url} if api_url else {}
    with temporary_settings(updates=updates):
        deployment = scheduled_ingest.to_deployment(name=DEPLOYMENT, cron=cron, concurrency_limit=1,
                                                    parameters=params)
        serve(deployment, limit=1, print_starting_message=True)  # type: ignore[arg-type]
