"""Tables on small PDFs rendered with reportlab: each positive kind is found, each false-positive kind is not."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from extractors import tables

pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
DOC = "0" * 64
H = A4[1]


def _render_debug(path: Path, draw, doc_id: str = DOC) -> list:
    """Draw one A4 page with reportlab, then every grid found on it with its table or rejection reason."""
    c = canvas.Canvas(str(path), pagesize=A4)
    draw(c)
    c.save()
    with pdfplumber.open(str(path)) as pdf:
        return tables.page_to_tables_debug(pdf.pages[0], doc_id)


def _render(path: Path, draw) -> list:
    return [t for t, _ in _render_debug(path, draw) if t is not None]


def _text(c, x, top, s, size=10, font="STSong-Light"):
    c.setFont(font, size)
    c.drawString(x, H - top - size, s)


def _hline(c, x0, x1, top):
    c.line(x0, H - top, x1, H - top)


def _vline(c, x, top, bottom):
    c.line(x, H - top, x, H - bottom)


ROWS = [["指标", "单位", "2020年", "2025年"], ["风力发电", "万千瓦", "1547", "2800"],
        ["光伏发电", "万千瓦", "1684", "3500"], ["生物质发电", "万千瓦", "242", "300"]]
XS = [80, 200, 300, 400, 500]


def _grid_rows(c, top0=200, row_h=24):
    for r, row in enumerate(ROWS):
        for k, s in enumerate(row):
            _text(c, XS[k] + 6, top0 + r * row_h + 6, s)


def _cells(t):
    return {(c.row_no, c.col_no): c.text for c in t.cells}


def test_ruled_grid(tmp_path):
    def draw(c):
        _grid_rows(c)
        for r in range(len(ROWS) + 1):
            _hline(c, XS[0], XS[-1], 200 + r * 24)
        for x in XS:
            _vline(c, x, 200, 200 + len(ROWS) * 24)
    found = _render(tmp_path / "grid.pdf", draw)
    assert len(found) == 1 and (found[0].n_rows, found[0].n_cols) == (4, 4)
    cells = _cells(found[0])
    assert cells[(0, 0)] == "指标" and cells[(2, 3)] == "3500"
    assert all(c.is_header == (c.row_no == 0) for c in found[0].cells)
    assert all(c.x1 > c.x0 and c.bottom > c.top for c in found[0].cells)


def test_open_sided_grid_keeps_outer_columns(tmp_path):
    """Jiangsu style: horizontal rules over the full width, vertical rules only between inner columns."""
    def draw(c):
        _grid_rows(c)
        for r in range(len(ROWS) + 1):
            _hline(c, XS[0], XS[-1], 200 + r * 24)
        for x in XS[1:-1]:
            _vline(c, x, 200, 200 + len(ROWS) * 24)
    found = _render(tmp_path / "open.pdf", draw)
    assert len(found) == 1 and found[0].n_cols == 4
    assert _cells(found[0])[(1, 0)] == "风力发电" and _cells(found[0])[(3, 3)] == "300"


def test_three_line_table(tmp_path):
    """Top rule, rule under the header, bottom rule; no vertical rules; columns from white space."""
    def draw(c):
        _grid_rows(c)
        _hline(c, XS[0], XS[-1], 196)
        _hline(c, XS[0], XS[-1], 222)
        _hline(c, XS[0], XS[-1], 200 + len(ROWS) * 24)
    found = _render(tmp_path / "three.pdf", draw)
    assert len(found) == 1
    t = found[0]
    assert (t.n_rows, t.n_cols) == (4, 4)
    assert _cells(t)[(0, 2)] == "2020年" and _cells(t)[(3, 0)] == "生物质发电"
    rows = tables.table_to_targets_rows(t)
    assert [r["indicator"] for r in rows] == ["风力发电", "光伏发电", "生物质发电"]
    assert rows[0]["target_year"] == 2025 and rows[0]["target_value"] == "2800" and rows[0]["base_value"] == "1547"
    assert rows[0]["unit"] == "万千瓦" and rows[0]["cell"].text == "2800"


def test_zhuanlan_box_one_cell_per_item(tmp_path):
    def draw(c):
        c.rect(80, H - 400, 420, 200)
        _hline(c, 80, 500, 226)
        _text(c, 200, 206, "专栏3 安全高效核能技术重点示范")
        _text(c, 90, 240, "① 开展小型堆示范工程；")
        _text(c, 90, 262, "② 开展高温气冷堆工程示范，推进制氢")
        _text(c, 90, 276, "综合利用；")
        _text(c, 90, 298, "③ 开展海上浮动堆示范。")
    found = _render(tmp_path / "box.pdf", draw)
    assert len(found) == 1
    t = found[0]
    assert t.label == "专栏3" and t.caption_zh == "安全高效核能技术重点示范"
    assert [c.text for c in t.cells] == ["①开展小型堆示范工程；", "②开展高温气冷堆工程示范，推进制氢综合利用；",
                                         "③开展海上浮动堆示范。"]


def test_superscript_marker_kept_as_ref(tmp_path):
    def draw(c):
        _grid_rows(c)
        _text(c, XS[3] + 30, 230 - 4, "A", size=6, font="Helvetica")
        for r in range(len(ROWS) + 1):
            _hline(c, XS[0], XS[-1], 200 + r * 24)
        for x in XS:
            _vline(c, x, 200, 200 + len(ROWS) * 24)
    t = _render(tmp_path / "sup.pdf", draw)[0]
    cell = next(c for c in t.cells if (c.row_no, c.col_no) == (1, 3))
    assert cell.text == "2800" and cell.refs == ("A",)


# ---- false positives -------------------------------------------------------------------------------

def test_page_frame_is_not_a_table(tmp_path):
    def draw(c):
        c.rect(30, 30, A4[0] - 60, H - 60)
        for i in range(20):
            _text(c, 60, 80 + i * 20, "这是一段正文文字，用来检查页面边框不会被当作表格。")
    assert _render(tmp_path / "frame.pdf", draw) == []


def test_boxed_text_diagram_is_not_a_table(tmp_path):
    """Boxes of text joined by arrows (the seed's Figure 3 kind)."""
    def draw(c):
        for k, (x, top) in enumerate([(80, 200), (300, 200), (80, 320), (300, 320)]):
            c.rect(x, H - top - 60, 180, 60)
            _text(c, x + 10, top + 20, f"零碳能源体系 {k}")
        c.line(260, H - 230, 300, H - 230)
        c.line(170, H - 260, 170, H - 320)
    assert _render(tmp_path / "diagram.pdf", draw) == []


def test_bar_chart_with_grid_labels_is_not_a_table(tmp_path):
    def draw(c):
        for i in range(6):
            _hline(c, 100, 500, 200 + i * 30)
        for k in range(8):
            h = 20 + 15 * k
            c.rect(110 + k * 48, H - 350, 30, h, fill=1)
            _text(c, 112 + k * 48, 350 - h - 12, f"{10 + 3 * k}%", size=8, font="Helvetica")
        _vline(c, 100, 200, 350)
        _vline(c, 500, 200, 350)
    assert _render(tmp_path / "chart.pdf", draw) == []


def test_shaded_paragraph_is_not_a_table(tmp_path):
    def draw(c):
        c.setFillGray(0.9)
        c.rect(80, H - 320, 420, 120, fill=1, stroke=0)
        for i in range(5):
            c.setFillGray(0.8)
            c.rect(80, H - 224 - i * 20, 420, 0.5, fill=1, stroke=0)
        c.setFillGray(0)
        for i in range(5):
            _text(c, 90, 206 + i * 20, "Parties reported on mitigation co-benefits of adaptation action and", 10,
                  "Helvetica")
    assert _render(tmp_path / "shaded.pdf", draw) == []


def test_evaluate_cells_counts_matches():
    gold = {"d": [{"label": "表1", "page_no": 1, "cells": [[0, 0, "指标"], [1, 0, "风 电"]]}]}
    found = {"d": [{"label": "表1", "page_no": 1, "cells": [[0, 0, "指标"], [1, 0, "风电"], [1, 1, "x"]]}]}
    rep = tables.evaluate_cells(gold, found)
    assert rep["d"]["tp"] == 2 and rep["d"]["recall"] == 1.0
    assert rep["d"]["precision"] == pytest.approx(2 / 3)


def test_rule_examples_match_their_patterns():
    import re

    from extractors.tables_grid import load_rules
    rules = load_rules()["captions"] + load_rules()["item_markers"] + load_rules()["stop_lines"]
    rules += load_rules()["skip_lines"]
    assert rules and all(r["id"] and r["description"] for r in rules)
    for r in rules:
        assert re.match(r["pattern"], r["example"]), r["id"]
