"""Targets from real PDFs: a reportlab-rendered Chinese page, and corpus documents against their gold."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pdfplumber
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from extractors import layout, tables, targets
from extractors.targets_eval import evaluate
from schemas.facts import Target
from tests.conftest import corpus_pdf

GOLD = Path(__file__).parent / "gold"
LINES = ["五、发展目标", "到 2025 年，非化石能源消费比重提高到 20%左右，单位 GDP 能耗比 2020",
         "年下降 13.5%，天然气年产量达到 2300 亿立方米以上，发电装机总容量达到约 30",
         "亿千瓦。"]


def _render(path: Path) -> None:
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("STSong-Light", 12)
    for i, line in enumerate(LINES):
        c.drawString(60, 780 - 16 * i, line)
    c.save()


def _run(path: Path) -> tuple[object, list[dict]]:
    doc_id = hashlib.sha256(path.read_bytes()).hexdigest()
    with pdfplumber.open(path) as pdf:
        doc, found = layout.pdf_to_document(pdf, doc_id, path.name)
    return doc, [c.payload for c in targets.extract(doc, tables.finalize(doc, found))]


def test_rendered_chinese_page(tmp_path: Path) -> None:
    pdf = tmp_path / "plan.pdf"
    _render(pdf)
    doc, payloads = _run(pdf)
    got = [(p["kind"], p["value"], p["unit"], p["target_year"], p["baseline_year"]) for p in payloads]
    assert got == [("share", 20.0, "%", 2025, None), ("intensity_reduction", 13.5, "%", 2025, 2020),
                   ("production", 230.0, "bcm", 2025, None), ("capacity", 3000.0, "GW", 2025, None)]
    for p in payloads:
        t = Target.model_validate(p)
        assert t.x1 > t.x0 and t.bottom > t.top and t.boxes
        assert doc.pages[0].text[t.char_start:t.char_end] == t.quote


@pytest.mark.parametrize("gold_name,floor", [
    ("targets_zh_sci_tech_support.json", 0.8),
    ("targets_zh_energy_saving_work_plan.json", 0.8),
    ("targets_en_wimby_germany.json", 0.9),
    ("targets_en_unfccc_synthesis.json", 0.9),
])
def test_corpus_against_gold(gold_name: str, floor: float) -> None:
    gold = json.loads((GOLD / gold_name).read_text(encoding="utf-8"))
    pdf = corpus_pdf(gold["file_name"])
    assert hashlib.sha256(pdf.read_bytes()).hexdigest() == gold["doc_id"]
    doc, payloads = _run(pdf)
    r = evaluate(payloads, gold, targets.KEY_FIELDS, {p.page_no: p.text for p in doc.pages})
    assert r["precision"] >= floor and r["recall"] >= floor, r
    assert r["fields"]["value"] >= 0.9 and r["fields"]["target_year"] >= 0.8, r["fields"]
