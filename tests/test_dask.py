"""--dask ADDRESS: parse on a (local, real) Dask cluster; packages travel back as JSON to the one loader."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.ingest import IngestOptions, ingest
from flows.settings import Limits
from flows.worker import WorkResult, json_to_result, result_to_json
from tests.bad_pdfs import flate_bomb_bytes, good_pdf_bytes
from tests.parallel_inputs import EN, snapshot, write_inputs


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=2, processes=True, dashboard_address=None,
                      silence_logs=40) as c:
        yield c


def test_dask_cluster_loads_the_same_content_as_local_workers(cluster, tmp_path: Path) -> None:
    files = write_inputs(tmp_path / "in")
    local = IngestOptions(db=tmp_path / "local.duckdb", store=tmp_path / "s1", limits=Limits(timeout_s=120))
    remote = IngestOptions(db=tmp_path / "dask.duckdb", store=tmp_path / "s2", limits=Limits(timeout_s=120),
                           dask=cluster.scheduler_address)
    assert [o.status for o in ingest([tmp_path / "in"], local)] == ["ok"] * len(files)
    outcomes = ingest([tmp_path / "in"], remote)
    assert sorted(o.status for o in outcomes) == ["ok"] * len(files), [(o.reason, o.error) for o in outcomes]
    assert all(o.metrics["peak_rss_mb"] > 10 for o in outcomes)  # parsed in a child of the Dask worker
    assert snapshot(local.db) == snapshot(remote.db)


def test_limits_hold_on_the_cluster(cluster, tmp_path: Path) -> None:
    """A decompression bomb hits the memory cap in its child; the Dask worker and the batch survive."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "bomb.pdf").write_bytes(flate_bomb_bytes())
    (tmp_path / "in" / "fine.pdf").write_bytes(good_pdf_bytes(" ".join(EN)))
    opts = IngestOptions(db=tmp_path / "w.duckdb", store=tmp_path / "s", dask=cluster.scheduler_address,
                         limits=Limits(timeout_s=60, memory_mb=1024))
    got = {Path(o.path).name: o.reason or o.status for o in ingest([tmp_path / "in"], opts)}
    assert got == {"bomb.pdf": "memory_limit", "fine.pdf": "ok"}


def test_work_results_round_trip_as_json() -> None:
    failed = WorkResult(None, "timeout", "x.pdf: no result within 4 s", 4.2, 0.0)
    assert json_to_result(result_to_json(failed)) == failed
