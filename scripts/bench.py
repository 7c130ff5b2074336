"""make bench: start-up, ingest pages/s against bare pdfplumber on the same pages, peak RSS, no-op re-ingest.

All figures come from one run on this machine; speed is reported as ratios to a baseline measured here.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "flows.cli"]
CORPUS = Path(os.environ.get("POLICY_CORPUS", ROOT.parent / "shared" / "corpus"))


def bench_inputs() -> list[Path]:
    """The corpus PDFs (when present) and the samples in raw/."""
    files = sorted(CORPUS.glob("*.pdf")) if CORPUS.is_dir() else []
    names = {f.name for f in files}
    return files + [p for p in sorted((ROOT / "raw").glob("*.pdf")) if p.name not in names]


def bare_pdfplumber(files: list[Path]) -> tuple[int, float]:
    """Pages and seconds for pdfplumber's extract_words + find_tables over every page."""
    import pdfplumber

    pages, t0 = 0, time.perf_counter()
    for f in files:
        with pdfplumber.open(f) as pdf:
            for page in pdf.pages:
                page.extract_words()
                page.find_tables()
                pages += 1
                page.close()
    return pages, time.perf_counter() - t0


def run_cli(args: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(CLI + args, cwd=ROOT, env=env, capture_output=True, text=True)
    if proc.returncode not in (0, 2):
        sys.exit(f"bench: `{' '.join(args)}` failed: {proc.stderr.strip()[-500:]}")
    return time.perf_counter() - t0


def one_page_pdf(folder: Path) -> Path:
    sys.path.insert(0, str(ROOT))
    from tests.bad_pdfs import good_pdf_bytes

    path = folder / "one-page.pdf"
    path.write_bytes(good_pdf_bytes())
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "results.json")
    opts = ap.parse_args()
    files = bench_inputs()
    tmp = Path(tempfile.mkdtemp(prefix="pe-bench-"))
    env = {**os.environ, "PREFECT_HOME": str(tmp / "prefect"), "DO_NOT_TRACK": "1",
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "POLICY_STORE": str(tmp / "store")}
    startup = run_cli(["ingest", str(one_page_pdf(tmp)), "--db", str(tmp / "startup.duckdb"), "-q"], env)
    pages, bare_s = bare_pdfplumber(files)
    db = str(tmp / "bench.duckdb")
    ingest_s = run_cli(["ingest", *map(str, files), "--db", db, "-q", "--workers", str(opts.workers)], env)
    noop_s = run_cli(["ingest", *map(str, files), "--db", db, "-q"], env)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    past_startup = max(ingest_s - startup, 1e-9)
    result = {
        "documents": len(files), "pages": pages, "startup_s": round(startup, 2),
        "bare_pdfplumber_pages_per_s": round(pages / bare_s, 1),
        "ingest_pages_per_s_past_startup": round(pages / past_startup, 1),
        "ingest_over_bare_time_ratio": round(past_startup / bare_s, 2),
        "ingest_total_s": round(ingest_s, 1), "noop_reingest_s": round(noop_s, 2),
        "peak_rss_mb_largest_process": round(peak_mb, 1), "workers": opts.workers,
    }
    opts.out.parent.mkdir(parents=True, exist_ok=True)
    opts.out.write_text(json.dumps(result, indent=2))
    width = max(map(len, result))
    for k, v in result.items():
        print(f"{k:<{width}}  {v}")


if __name__ == "__main__":
    main()
