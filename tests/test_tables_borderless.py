"""Borderless tables (no rule at all, aligned by white space) on PDFs rendered with reportlab.

Each positive kind is found with exact cells; each look-alike (prose under a caption, chart labels, running
text in two columns) is not. The seed paper rendered with borderless tables is checked against the seed gold.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from extractors import tables
from extractors.pipeline import pdf_to_package
from tests.conftest import ROOT
from tests.test_tables_synthetic import _cells, _render_debug, _text

DOC = "1" * 64
EN = "Helvetica"


def _debug(path: Path, draw) -> list:
    return _render_debug(path, draw, DOC)


def _found(path: Path, draw) -> list:
    return [t for t, _ in _debug(path, draw) if t is not None]


def _prose(c, top: float, n: int, x: float = 60, text: str = "", font: str = "STSong-Light") -> None:
    line = text or "各地区要结合实际制定实施方案，明确目标任务，落实工作责任，确保各项任务按期完成并取得实效。"
    for i in range(n):
        _text(c, x, top + i * 16, line, font=font)


ZH_HEAD = [(70, "项目"), (140, "指标"), (270, "单位"), (372, "利用规模"), (480, "属性")]
ZH_YEARS = [(340, "2020年"), (420, "2025年")]
ZH_BODY = [["装机规模", "可再生能源装机", "万千瓦", "3950", "6600", "预期性"],
           ["", "其中：风电", "万千瓦", "1547", "2800", "预期性"],
           ["消纳利用", "可再生能源消费占比", "%", "11.5", "15", "约束性"]]
ZH_X = [70, 140, 270, 345, 425, 480]


def _zh_indicator_table(c, top: float = 150) -> None:
    _text(c, 200, top, "表2 “十四五”期间全省可再生能源发展目标")
    for x, s in ZH_HEAD:
        _text(c, x, top + 30, s)
    for x, s in ZH_YEARS:
        _text(c, x, top + 46, s)
    for r, row in enumerate(ZH_BODY):
        for x, s in zip(ZH_X, row, strict=True):
            if s:
                _text(c, x, top + 70 + r * 18, s)
    _text(c, 70, top + 70 + 3 * 18 + 4, "注：风电装机含海上风电。", size=9)
    _prose(c, top + 70 + 3 * 18 + 30, 4)


def test_zh_indicator_table_with_two_level_header(tmp_path):
    found = _found(tmp_path / "zh.pdf", _zh_indicator_table)
    assert len(found) == 1
    t = found[0]
    assert "whitespace" in t.flags and (t.n_rows, t.n_cols) == (5, 6)
    cells = _cells(t)
    span = next(c for c in t.cells if c.text == "利用规模")
    assert (span.row_no, span.col_no, span.col_span, span.row_span) == (0, 3, 2, 1)
    assert cells[(1, 3)] == "2020年" and cells[(1, 4)] == "2025年"
    assert next(c for c in t.cells if c.text == "项目").row_span == 2
    assert [cells[(r, 1)] for r in (2, 3, 4)] == ["可再生能源装机", "其中：风电", "可再生能源消费占比"]
    assert cells[(3, 0)] == "" and cells[(4, 5)] == "约束性"
    assert all(c.is_header == (c.row_no < 2) for c in t.cells)
    assert not any("注" in c.text or "各地区" in c.text for c in t.cells)
    rows = tables.table_to_targets_rows(t)
    assert [(r["indicator"], r["unit"], r["base_value"], r["target_value"], r["target_year"], r["attribute"])
            for r in rows] == [("可再生能源装机", "万千瓦", "3950", "6600", 2025, "预期性"),
                               ("其中：风电", "万千瓦", "1547", "2800", 2025, "预期性"),
                               ("可再生能源消费占比", "%", "11.5", "15", 2025, "约束性")]


EN_HEAD1 = [(70, "Technology"), (200, "Generation"), (300, "Installed"), (400, "Revised")]
EN_HEAD2 = [(200, "2030 (TWh)"), (300, "capacity (GW)"), (400, "capacity 2035")]
EN_BODY = [["Wind onshore", "145", "115 GW", "160 GW"], ["Wind offshore", "95", "30 GW", "40 GW"],
           ["Photovoltaic", "170", "215 GW", "309 GW"]]


def _en_table(c, top: float = 150) -> None:
    _text(c, 170, top, "Table 1: Renewable electricity targets for 2030", font=EN)
    for x, s in EN_HEAD1:
        _text(c, x, top + 30, s, font=EN)
    for x, s in EN_HEAD2:
        _text(c, x, top + 42, s, font=EN)
    for r, row in enumerate(EN_BODY):
        for x, s in zip((70, 200, 300, 400), row, strict=True):
            _text(c, x, top + 56 + r * 12, s, font=EN)
    _text(c, 70, top + 56 + 3 * 12 + 2, "Source: NECP 2024, Table 3.", size=8, font=EN)
    _prose(c, top + 120, 3, text="The targets above were raised in 2022 when the new coalition revised the law.",
           font=EN)


def test_en_table_with_wrapped_header_cells(tmp_path):
    found = _found(tmp_path / "en.pdf", _en_table)
    assert len(found) == 1
    t = found[0]
    assert (t.n_rows, t.n_cols) == (4, 4)
    cells = _cells(t)
    assert [cells[(0, k)] for k in range(4)] == ["Technology", "Generation 2030 (TWh)", "Installed capacity (GW)",
                                                 "Revised capacity 2035"]
    assert [cells[(r, 0)] for r in (1, 2, 3)] == ["Wind onshore", "Wind offshore", "Photovoltaic"]
    assert cells[(3, 3)] == "309 GW"
    assert not any("Source" in c.text or "coalition" in c.text for c in t.cells)
    assert all(c.x1 > c.x0 and c.bottom > c.top and c.page_no == 1 for c in t.cells)


def test_table_in_one_column_of_a_two_column_page(tmp_path):
    """The caption sits over the left column: the right column's prose at the same heights stays out."""
    def draw(c):
        _text(c, 90, 150, "表1 各类电源装机规模")
        for r, row in enumerate([["类型", "2020年", "2025年"], ["风电", "1547", "2800"], ["光伏", "1684", "3500"],
                                 ["生物质", "242", "300"]]):
            for x, s in zip((60, 150, 220), row, strict=True):
                _text(c, x, 176 + r * 16, s)
        for i in range(20):
            _text(c, 310, 120 + i * 16, "右栏正文继续叙述能源结构调整的主要任务和保障措施。"[:18])
    found = _found(tmp_path / "two_col.pdf", draw)
    assert len(found) == 1
    t = found[0]
    assert (t.n_rows, t.n_cols) == (4, 3) and t.x1 < 300
    assert _cells(t)[(3, 0)] == "生物质" and _cells(t)[(2, 2)] == "3500"


def test_caption_printed_under_the_table(tmp_path):
    """Prose, then the table, then 'Table 2: ...' under it, then more prose: read upwards from the caption."""
    def draw(c):
        _prose(c, 100, 3, text="Heat pumps are the main low-carbon option for homes off the gas grid in all paths.",
               font=EN)
        for r, row in enumerate([["Measure", "Homes (m)", "Cost (GBP bn)"], ["Loft insulation", "4.1", "2.3"],
                                 ["Cavity wall", "2.9", "3.8"], ["Solid wall", "1.2", "9.6"]]):
            for x, s in zip((70, 260, 380), row, strict=True):
                _text(c, x, 170 + r * 14, s, font=EN)
        _text(c, 170, 240, "Table 2: Insulation measures to 2035", font=EN)
        _prose(c, 262, 3, text="These costs fall as installers scale up and supply chains mature over the decade.",
               font=EN)
    found = _found(tmp_path / "below.pdf", draw)
    assert len(found) == 1
    t = found[0]
    assert (t.n_rows, t.n_cols) == (4, 3)
    assert [c.text for c in t.cells if c.row_no == 0] == ["Measure", "Homes (m)", "Cost (GBP bn)"]
    assert _cells(t)[(3, 2)] == "9.6"
    assert not any("pumps" in c.text or "installers" in c.text or "Table" in c.text for c in t.cells)


def test_unit_line_and_wrapped_caption_stay_out_of_the_header(tmp_path):
    def draw(c):
        _text(c, 60, 150, "表5 “十四五”时期各地区非化石能源消费比重、可再生能源电力消纳责任权重与新增装")
        _text(c, 60, 166, "机规模预期目标一览（按省、自治区、直辖市分列）")
        _text(c, 420, 186, "单位：%")
        for r, row in enumerate([["地区", "2020年", "2025年"], ["江苏", "11.5", "15"], ["浙江", "20.0", "24"]]):
            for x, s in zip((80, 260, 400), row, strict=True):
                _text(c, x, 204 + r * 16, s)
    found = _found(tmp_path / "unit.pdf", draw)
    assert len(found) == 1
    t = found[0]
    assert (t.n_rows, t.n_cols) == (3, 3)
    assert [c.text for c in t.cells if c.is_header] == ["地区", "2020年", "2025年"]
    assert _cells(t)[(2, 0)] == "浙江"


def test_two_borderless_tables_one_under_the_other(tmp_path):
    def draw(c):
        for k, top in enumerate((120, 230)):
            _text(c, 220, top, f"表{k + 1} 第{k + 1}组指标")
            for r, row in enumerate([["指标", "单位", "目标"], ["风电", "万千瓦", f"{2800 + k}"],
                                     ["光伏", "万千瓦", f"{3500 + k}"]]):
                for x, s in zip((80, 240, 400), row, strict=True):
                    _text(c, x, top + 24 + r * 16, s)
    found = _found(tmp_path / "stacked.pdf", draw)
    assert [(t.n_rows, t.n_cols, _cells(t)[(2, 2)]) for t in found] == [(3, 3, "3500"), (3, 3, "3501")]


def test_left_set_caption_over_a_full_width_table(tmp_path):
    """A short caption set flush left on a one-column page still heads a table as wide as the page."""
    def draw(c):
        _prose(c, 100, 3, text="Germany raised its 2030 goals for wind and solar power in the 2023 amendment.",
               font=EN)
        _text(c, 60, 160, "Table 4: Targets", font=EN)
        for r, row in enumerate([["Technology", "2030", "2035", "2040"], ["Wind onshore", "115 GW", "157 GW", "160 GW"],
                                 ["Photovoltaic", "215 GW", "309 GW", "400 GW"]]):
            for x, s in zip((60, 250, 360, 470), row, strict=True):
                _text(c, x, 184 + r * 14, s, font=EN)
    found = _found(tmp_path / "left.pdf", draw)
    assert len(found) == 1
    t = found[0]
    assert (t.n_rows, t.n_cols) == (3, 4) and t.x1 > 500
    assert _cells(t)[(2, 3)] == "400 GW"


# ---- look-alikes -----------------------------------------------------------------------------------

def test_prose_opening_with_table_reference_is_not_a_table(tmp_path):
    def draw(c):
        _text(c, 60, 150, "Table 3 shows that emissions from buildings fell by 19% between 1990 and 2019,", font=EN)
        _prose(c, 166, 8, text="while heat demand stayed flat and the share of gas boilers rose slightly.", font=EN)
    assert _found(tmp_path / "prose.pdf", draw) == []


def test_chart_labels_under_a_caption_are_not_a_table(tmp_path):
    def draw(c):
        _text(c, 220, 150, "表3 各地区新增装机占比")
        for r in range(4):
            for k in range(5):
                _text(c, 80 + k * 90, 180 + r * 18, f"{5 + 3 * r + k}%", font=EN)
    debug = _debug(tmp_path / "chart.pdf", draw)
    assert [t for t, _ in debug if t is not None] == []
    assert [r for _, r in debug] == ["chart"]


def test_two_columns_of_running_text_under_a_caption_are_not_a_table(tmp_path):
    """A table printed as an image leaves its caption over the page's two text columns."""
    def draw(c):
        _text(c, 220, 150, "表4 主要国家碳中和目标")
        for i in range(12):
            _text(c, 56, 172 + i * 15, "我国提出二氧化碳排放力争于二〇三〇年前达到峰值。"[:22])
            _text(c, 310, 172 + i * 15, "努力争取二〇六〇年前实现碳中和，这是重大战略决策。"[:22])
    debug = _debug(tmp_path / "text.pdf", draw)
    assert [t for t, _ in debug if t is not None] == []
    assert [r for _, r in debug] == ["column_text"]


def test_a_caption_over_a_ruled_table_finds_only_the_ruled_table(tmp_path):
    """A three-line table's caption is claimed by the ruled table: no second, borderless copy."""
    from tests.test_tables_synthetic import XS, _grid_rows, _hline

    def draw(c):
        _text(c, 200, 176, "表1 可再生能源装机")
        _grid_rows(c)
        _hline(c, XS[0], XS[-1], 196)
        _hline(c, XS[0], XS[-1], 222)
        _hline(c, XS[0], XS[-1], 296)
    found = _found(tmp_path / "ruled.pdf", draw)
    assert len(found) == 1 and "whitespace" not in found[0].flags


# ---- the seed paper with borderless tables -----------------------------------------------------------

def test_seed_rendered_without_rules_matches_the_seed_gold(tmp_path):
    """Same paper, same tables, no rules at all: every gold cell of Tables 1 and 2 comes out exact."""
    out = tmp_path / "seed_borderless.pdf"
    subprocess.run([sys.executable, "scripts/render_seed.py", "--table-rules", "none", "--out", str(out)],
                   cwd=ROOT, check=True, capture_output=True, timeout=300)
    pkg = pdf_to_package(out, DOC, out.name)
    gold = next(iter(json.loads((ROOT / "tests" / "gold" / "tables_seed.json").read_text()).values()))
    rep = tables.evaluate_cells({"seed": gold}, {"seed": list(pkg.tables)})["seed"]
    assert (rep["tp"], rep["n_gold"], rep["n_found"]) == (46, 46, 46)
    assert [(t.label, t.page_no, t.n_rows, t.n_cols) for t in pkg.tables] == [("表1", 3, 6, 5), ("表2", 5, 8, 2)]
    assert all("whitespace" in t.flags for t in pkg.tables)
    assert pkg.tables[0].caption_en and pkg.tables[0].caption_en.startswith("Comparison of hydrogen strategies")
