"""The Prefect flow: extract documents in child processes (N at a time), load each as it finishes."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from functools import cache
from typing import TYPE_CHECKING, Any

from flows.settings import Limits, quiet_prefect_env
from schemas.errors import PolicyExtractError
from schemas.runs import Outcome

if TYPE_CHECKING:
    from flows.ingest import DocJob, IngestOptions
    from flows.worker import WorkResult

quiet_prefect_env()

from prefect import flow, task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.futures import as_completed  # noqa: E402
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner  # noqa: E402


@task(name="extract-document", cache_policy=NO_CACHE, task_run_name="extract {job.file_name}")
def extract_task(job: DocJob, limits: Limits) -> WorkResult:
    """Parse, lay out and extract one PDF in a child process; never raises."""
    from flows.worker import extract_in_child

    return extract_in_child(job.stored, job.doc_id, job.file_name, limits)


@task(name="extract-document-remote", cache_policy=NO_CACHE, task_run_name="extract {job.file_name}")
def extract_remote_task(job: DocJob, limits: Limits) -> str:
    """The same on a Dask worker; the result travels back to the one loader as JSON text."""
    from flows.worker import extract_in_child, result_to_json

    return result_to_json(extract_in_child(job.stored, job.doc_id, job.file_name, limits))


@task(name="load-document", cache_policy=NO_CACHE,
      task_run_name="load {job.file_name}")
def load_task(job: DocJob, result: WorkResult, opts: IngestOptions) -> Outcome:
    """Validate in the parent and load in one transaction; waits for a busy warehouse, never raises."""
    from flows.loading import load_result

    return load_result(job, result, opts)


@flow(name="policy-extract-ingest", log_prints=False, validate_parameters=False)
def ingest_flow(jobs: list[DocJob], opts: IngestOptions,
                progress: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Extraction fans out over threads that each drive one child process; loading stays one writer."""
    from flows.worker import json_to_result

    outcomes: list[Outcome] = []
    extract = extract_remote_task if opts.dask else extract_task
    futures: list = [extract.submit(j, opts.limits) for j in jobs]
    by_future = dict(zip(futures, jobs, strict=True))
    for fut in as_completed(futures):
        job = by_future[fut]
        result = fut.result()
        outcome = load_task(job, json_to_result(result) if isinstance(result, str) else result, opts)
        outcomes.append(outcome)
        if progress:
            progress(outcome)
    return outcomes


def run_ingest_flow(jobs: list[DocJob], opts: IngestOptions,
                    progress: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Run the flow; a Prefect that cannot start or a flow that crashes becomes one clear error."""
    try:
        with _prefect_api():
            runner: Any = task_runner_of(opts)
            return ingest_flow.with_options(task_runner=runner)(jobs, opts, progress)
    except PolicyExtractError:
        raise
    except Exception as e:  # noqa: BLE001 - Prefect's own tracebacks never reach the user
        msg = " ".join(str(e).split())[:300] or type(e).__name__
        hint = " (is PREFECT_API_URL reachable?)" if re.search(r"connect|server|API", msg) else ""
        raise PolicyExtractError(f"the ingest flow failed: {msg}{hint}") from e


def task_runner_of(opts: IngestOptions) -> TaskRunner:
    """Threads that each drive a child process, or an existing Dask cluster (--dask ADDRESS)."""
    if not opts.dask:
        return ThreadPoolTaskRunner(max_workers=max(1, opts.workers))
    try:
        from prefect_dask import DaskTaskRunner
    except ImportError as e:
        raise PolicyExtractError("--dask needs prefect-dask: pip install prefect-dask") from e
    return DaskTaskRunner(address=opts.dask)


def _prefect_api() -> AbstractContextManager[object]:
    """The Prefect API the flow reports to: PREFECT_API_URL if set, else a temporary server of our own, started
    here and stopped with this process even if it is SIGKILLed (Prefect's own stops only at a normal exit).
    Dask workers on this machine report to it too instead of each starting their own; a cluster on other
    machines needs PREFECT_API_URL set to a server they can reach."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    if PREFECT_API_URL.value():
        return nullcontext()
    server = _private_server()
    server.start()
    return temporary_settings(updates={PREFECT_API_URL: server.api_url})


@cache
def _private_server() -> Any:
    """Prefect's temporary server (one per process, reused by later flows), each uvicorn process it starts
    watched so that it never outlives us."""
    from prefect.server.api.server import SubprocessASGIServer

    from flows.lifetime import stop_with_this_process

    class PrivateServer(SubprocessASGIServer):
        _instances: dict[int | None, Any] = {}  # noqa: RUF012 - Prefect's per-class registry, kept apart

        def _run_uvicorn_command(self) -> Any:
            process = super()._run_uvicorn_command()
            stop_with_this_process(process.pid)
            return process

    return PrivateServer()
