"""The gold files of tests/gold/ evaluated on a real ingest of the samples and corpus, against floors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from flows import corpus
from flows.evaluate import load_gold, score_kind
from flows.ingest import IngestOptions, ingest
from flows.settings import Limits
from tests.conftest import RAW, ROOT, rows

GOLD = ROOT / "tests" / "gold"
KEYS = sorted(corpus.GOLD_DEV.glob("*.json"))
"""The blind target keys of corpus/zh-dev (scored with the same matcher; floors are regression floors)."""
FLOORS = ROOT / "tests" / "floors.json"
BORDERLESS_SEED_ID = "086a26d3a98f8b03337f67ef4839516eabaaad93d1a292d973d72b87aa34a330"  # render_seed --table-rules none


@pytest.fixture(scope="module")
def gold_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """raw/, the seed rendered with borderless tables, and every corpus PDF at hand ingested once, two at a time."""
    tmp = tmp_path_factory.mktemp("gold")
    rendered = tmp / "rendered"
    subprocess.run([sys.executable, "scripts/render_seed.py", "--table-rules", "none",
                    "--out", str(rendered / "seed_cas_bulletin_2022_borderless.pdf")],
                   cwd=ROOT, check=True, capture_output=True, timeout=300)
    inputs = [RAW, rendered, *corpus.corpus_pdfs(), corpus.ZH_DEV]  # not ../shared/corpus's subfolders
    opts = IngestOptions(db=tmp / "gold.duckdb", store=tmp / "store", workers=2, limits=Limits(timeout_s=600))
    outcomes = ingest(inputs, opts)
    assert all(o.status == "ok" for o in outcomes), [o for o in outcomes if o.status != "ok"]
    return opts.db


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], cwd=ROOT, capture_output=True, text=True)


def test_every_gold_file_is_well_formed() -> None:
    for path in sorted(GOLD.glob("*.json")):
        gold = load_gold(path)
        assert len(gold["doc_id"]) == 64, path
        assert gold.get("facts") or "tables" in gold, path


def test_gold_meets_its_floors(gold_warehouse: Path) -> None:
    """Every gold file whose PDF is at hand: only those of the uncommitted English PDFs wait for ../shared."""
    loaded = {r[0] for r in rows(gold_warehouse, "SELECT doc_id FROM documents")}
    golds = sorted(str(p) for p in GOLD.glob("*.json") if load_gold(p)["doc_id"] in loaded)
    left_out = sorted(p.name for p in GOLD.glob("*.json") if str(p) not in golds)
    assert all("_en_" in name for name in left_out) and not (left_out and corpus.external().is_dir()), left_out
    proc = run_cli("evaluate", *golds, *map(str, KEYS), "--db", str(gold_warehouse), "--floors", str(FLOORS))
    print(proc.stdout)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr


def test_floors_cover_every_gold_file() -> None:
    floors = json.loads(FLOORS.read_text())
    names = {p.name for p in [*GOLD.glob("*.json"), *KEYS]}
    assert len(KEYS) == 12 and names == set(floors), names ^ set(floors)
    for spec in floors.values():
        for metrics in spec.values():
            assert all(0.0 <= v <= 1.0 for v in metrics.values())


def test_scoring_counts_field_disagreements() -> None:
    gold = [{"quote": "到2025年下降13.5%", "page_no": 1, "value": 13.5, "unit": "%"}]
    found = [{"quote": "到2025年下降13.5%", "page_no": 1, "value": 13.5, "unit": "pp"}]
    s = score_kind("targets", gold, found)
    assert (s.matched, s.correct, s.fields["unit"]) == (1, 0, [0, 1])
    assert s.precision == 0.0 and s.recall == 0.0

