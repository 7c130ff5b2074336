"""Tables on the real corpus and the seed PDF, checked against tests/gold/tables_*.json and the seed transcript."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest

from extractors import layout, tables
from flows.corpus import seed_transcript
from tests.conftest import corpus_pdf

ROOT = Path(__file__).resolve().parents[1]
SEED_PDF = ROOT / "raw" / "seed_cas_bulletin_2022.pdf"
GOLD = ROOT / "tests" / "gold"


def _path(name: str, tmp: Path) -> Path:
    """The PDF a gold file is about: the seed, the seed rendered with borderless tables, or a corpus file."""
    if name == "seed_borderless":
        out = tmp / "seed_cas_bulletin_2022_borderless.pdf"
        if not out.exists():
            subprocess.run([sys.executable, "scripts/render_seed.py", "--table-rules", "none", "--out", str(out)],
                           cwd=ROOT, check=True, capture_output=True, timeout=300)
        return out
    return SEED_PDF if name == "seed" else corpus_pdf(f"{name}.pdf")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory):
    """Run layout + tables + finalize once per document, on demand."""
    cache: dict[str, tuple[str, list]] = {}
    tmp = tmp_path_factory.mktemp("rendered")

    def run(name: str):
        path = _path(name, tmp)
        if name not in cache:
            sha = hashlib.sha256(path.read_bytes()).hexdigest()
            with pdfplumber.open(str(path)) as pdf:
                doc, found = layout.pdf_to_document(pdf, sha, path.name)
            cache[name] = (sha, tables.finalize(doc, found))
        return cache[name]
    return run


def _gold(name: str) -> dict:
    return json.loads((GOLD / f"tables_{name}.json").read_text(encoding="utf-8"))


GOLD_DOCS = sorted(p.stem[len("tables_"):] for p in GOLD.glob("tables_*.json"))


@pytest.mark.parametrize("name", GOLD_DOCS)
def test_gold_cells(name, extracted):
    sha, found = extracted(name)
    gold = _gold(name)
    rep = tables.evaluate_cells(gold, {sha: found})
    assert rep[sha]["recall"] >= 0.95, rep[sha]
    if name.startswith("en_uk_ccc"):
        return  # gold holds the labelled tables only; unlabelled sidebars are not scored for precision
    assert rep[sha]["precision"] >= 0.95, rep[sha]
    assert len(found) == len(gold[sha])


def test_unfccc_has_no_tables(extracted):
    _, found = extracted("en_unfccc_ndc_synthesis_report_2023")
    assert found == []


def test_jiangsu_partly_ruled_tables_keep_outer_columns(extracted):
    _, found = extracted("zh_jiangsu_14th_fyp_renewable_energy_plan")
    t1, t2 = (next(t for t in found if t.label == lab) for lab in ("表1", "表2"))
    assert (t1.page_no, t2.page_no) == (7, 13) and t1.n_cols == t2.n_cols == 6
    head = {c.text for c in t2.cells if c.is_header}
    assert {"项目", "指标", "单位", "利用规模", "属性", "2020年", "2025年"} <= head
    rows = tables.table_to_targets_rows(t2)
    wind = next(r for r in rows if r["indicator"] == "其中：风力发电")
    assert (wind["unit"], wind["base_year"], wind["base_value"], wind["target_year"], wind["target_value"],
            wind["attribute"]) == ("万千瓦", 2020, "1547", 2025, "2800", "预期性")
    assert len(rows) == 10 and wind["cell"].page_no == 13


def test_modern_energy_zhuanlan(extracted):
    _, found = extracted("zh_14th_fyp_modern_energy_system_plan")
    labels = [t.label for t in found]
    assert labels == [f"专栏{i}" for i in range(1, 8)]
    t1 = found[0]
    assert t1.page_no == 8 and t1.n_cols == 4 and "list" not in t1.flags
    assert [c.text for c in t1.cells if c.row_no == 0] == ["指标", "2015年", "2020年", "年均/累计"]
    assert all("list" in t.flags and t.n_cols == 1 for t in found[1:])
    assert found[3].pages == (26, 27) and "stitched" in found[3].flags


def test_tech_innovation_zhuanlan_items(extracted):
    _, found = extracted("zh_14th_fyp_energy_tech_innovation_plan")
    assert [t.label for t in found] == [f"专栏{i}" for i in range(1, 7)]
    items = [c.text for c in found[0].cells]
    assert "③开展12~15MW级超大型海上风电机组工程示范；" in items
    assert found[0].pages == (18, 19)


def test_wimby_tables_and_refs(extracted):
    _, found = extracted("en_wimby_germany_energy_policy_targets")
    assert [t.label for t in found] == ["Table 1", "Table 2", "Table 3"]
    cell = next(c for c in found[0].cells if c.text == "115 GW")
    assert cell.refs == ("A",)


def _transcript_table(n: int) -> list[list[str]]:
    lines = seed_transcript().read_text(encoding="utf-8").split("\n")
    start = next(i for i, ln in enumerate(lines) if ln.startswith(f"Table {n} ")) + 2
    rows = []
    for ln in lines[start:]:
        if "\t" not in ln:
            break
        rows.append([re.sub(r"\s*<sup>.*?</sup>", "", x).strip() for x in ln.split("\t")])
    return rows


@pytest.mark.parametrize("n,shape", [(1, (6, 5)), (2, (8, 2))])
def test_seed_three_line_tables_exact(n, shape, extracted):
    _, found = extracted("seed")
    t = next(t for t in found if t.label == f"表{n}")
    assert (t.n_rows, t.n_cols) == shape
    assert t.caption_en.startswith(("Comparison", "Key technologies"))
    want = _transcript_table(n)
    got = [[c.text for c in sorted((c for c in t.cells if c.row_no == r), key=lambda c: c.col_no)]
           for r in range(t.n_rows)]
    assert got == want
    if n == 1:
        assert next(c for c in t.cells if c.text == "《欧洲氢能战略》").refs == ("[12]",)
