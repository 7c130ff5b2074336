"""Drive the real loader over a few PDFs in one process, so a test can SIGKILL it anywhere and re-run.

    python scripts/crash_driver.py --db W.duckdb --cache DIR a.pdf b.pdf ...

Each PDF is parsed in-process (or its extraction package read from --cache, written there on first
parse), then validated and loaded by flows.loading.load_result, exactly as the ingest flow does, with
a new run every time (like `ingest --force`). POLICY_CRASH_AT picks the moment to die:
`after_parse`, `after_validation`, `after_lock`, `mid_insert`, `before_commit`, `after_commit`
(optionally `@n`: the n-th time), or `random:<seed>`: a seeded moment within POLICY_CRASH_WINDOW
seconds (default 2) of the start of loading. Prints one JSON line: seconds spent loading.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flows.ingest import DocJob, IngestOptions  # noqa: E402
from flows.loading import load_result  # noqa: E402
from flows.preflight import check_bytes, one_line, sha256_of  # noqa: E402
from flows.settings import Limits  # noqa: E402
from flows.worker import WorkResult, json_to_result, result_to_json  # noqa: E402
from flows.worker import _classify as classify  # noqa: E402
from schemas.errors import DocumentRejected  # noqa: E402
from warehouse.load import CRASH_ENV, crash_point  # noqa: E402


def package_of(path: Path, doc_id: str, cache: Path | None) -> WorkResult:
    """The extraction result of one PDF, from the cache when it holds one (parsing is the slow part)."""
    cached = cache / f"{doc_id}.json" if cache else None
    if cached is not None and cached.is_file():
        return json_to_result(cached.read_text(encoding="utf-8"))
    from extractors.pipeline import pdf_to_package

    try:
        check_bytes(path, Limits().max_bytes)
        result = WorkResult(pdf_to_package(path, doc_id, path.name))
    except DocumentRejected as e:
        result = WorkResult(None, e.reason, str(e))
    except Exception as e:  # noqa: BLE001 - classified as the worker does
        result = WorkResult(None, classify(e, path), f"{path.name}: {one_line(e)}")
    if cached is not None:
        tmp = cached.with_suffix(".tmp")
        tmp.write_text(result_to_json(result), encoding="utf-8")
        os.replace(tmp, cached)
    return result


def arm_random_crash(spec: str) -> None:
    """random:<seed> -> SIGKILL at a seeded moment within POLICY_CRASH_WINDOW seconds from now."""
    seed = int(spec.split(":", 1)[1])
    window = float(os.environ.get("POLICY_CRASH_WINDOW", "2"))
    delay = random.Random(seed).uniform(0, window)
    timer = threading.Timer(delay, lambda: os.kill(os.getpid(), signal.SIGKILL))
    timer.daemon = True
    timer.start()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--cache", type=Path)
    ap.add_argument("pdfs", type=Path, nargs="+")
    args = ap.parse_args(argv)
    if args.cache:
        args.cache.mkdir(parents=True, exist_ok=True)
    opts = IngestOptions(db=args.db, store=args.db.parent / "store")
    jobs = [DocJob(p, str(p), p.name, sha256_of(p), p) for p in args.pdfs]
    results = [package_of(j.stored, j.doc_id, args.cache) for j in jobs]
    spec = os.environ.get(CRASH_ENV, "")
    t0 = time.perf_counter()
    if spec.startswith("random:"):
        arm_random_crash(spec)
    statuses = []
    for job, result in zip(jobs, results, strict=True):
        crash_point("after_parse")
        statuses.append(load_result(job, result, opts).status)
    print(json.dumps({"load_seconds": time.perf_counter() - t0, "statuses": statuses}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
