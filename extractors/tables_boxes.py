"""专栏 boxes (boxed lists: one cell per item) and the false-positive filters for found grids."""

from __future__ import annotations

import functools
import re
from typing import Any

from extractors.tables_grid import Bbox, Grid, cfg, load_rules
from extractors.tables_text import Char, cell_text, chars_in, group_lines

Cell = dict[str, Any]


@functools.cache
def pattern(rule_id: str) -> re.Pattern[str]:
    """Compiled caption / item pattern by rule id."""
    for r in load_rules()["captions"] + load_rules()["item_markers"]:
        if r["id"] == rule_id:
            return re.compile(r["pattern"])
    raise KeyError(rule_id)


def box_label(text: str, rule: str = "caption_zh_box") -> tuple[str, str] | None:
    """'专栏 2 能源安全保障重点工程' -> ('专栏2', '能源安全保障重点工程'); also 表N / Table N title rows."""
    first, _, rest = text.partition("\n")
    m = pattern(rule).match(text if rule == "caption_en_table" else first)
    if not m:
        return None
    sep = " " if rule == "caption_en_table" else ""
    title = m.group(2).strip() if rule == "caption_en_table" else (m.group(2).strip() + rest).strip()
    return re.sub(r"\s+", sep, m.group(1)), title


def is_item_start(line: list[Char], prev: list[Char], left: float, right: float, size: float) -> bool:
    """A 专栏 item starts with a marker (①, （1）, 01), an indented first line, or after a short last line."""
    text = "".join(c["text"] for c in line).strip()
    if any(pattern(r).match(text) for r in ("item_circled", "item_paren", "item_group")):
        return True
    return line[0]["x0"] - left >= 1.5 * size or prev[-1]["x1"] < right - 2 * size


def box_items(chars: list[Char], bbox: Bbox, size: float) -> list[tuple[str, tuple[str, ...], Bbox]]:
    """A boxed list's chars -> items (text, refs, box), split at markers or indented first lines."""
    lines = [ln for ln in group_lines(chars_in(chars, bbox)) if "".join(c["text"] for c in ln).strip()]
    if not lines:
        return []
    left, right = min(ln[0]["x0"] for ln in lines), max(ln[-1]["x1"] for ln in lines)
    groups: list[list[list[Char]]] = []
    for ln in lines:
        if not groups or is_item_start(ln, groups[-1][-1], left, right, size):
            groups.append([ln])
        else:
            groups[-1].append(ln)
    out = []
    for g in groups:
        cs = [c for ln in g for c in ln]
        text, refs = cell_text(cs, size)
        box = (min(c["x0"] for c in cs), min(c["top"] for c in cs),
               max(c["x1"] for c in cs), max(c["bottom"] for c in cs))
        out.append((text, refs, box))
    return out


def frames_page(inside: list[Char], chars: list[Char]) -> bool:
    """A box around (nearly) all of a page's text (`inside` of `chars`) is the page's border: not a
    专栏 going on from the page before, not a figure."""
    def n_text(cs: list[Char]) -> int:
        return sum(1 for c in cs if c["text"].strip())
    return n_text(inside) >= cfg("frame_text_share") * max(n_text(chars), 1)


def filled_ratio(cells: list[Cell], grid: Grid) -> float:
    """Share of the grid's slots covered by a non-empty cell."""
    slots = max(grid.n_rows * grid.n_cols, 1)
    return sum(c["row_span"] * c["col_span"] for c in cells if c["text"]) / slots


def paragraph_rows(cells: list[Cell], grid: Grid) -> float:
    """Share of rows whose only text is one full-width cell: a shaded paragraph cut into lines."""
    rows: dict[int, list[Cell]] = {}
    for c in cells:
        if c["text"]:
            rows.setdefault(c["row_no"], []).append(c)
    full = sum(1 for r in rows.values() if len(r) == 1 and r[0]["col_span"] >= max(grid.n_cols - 1, 1)
               and grid.n_cols > 1)
    return full / max(len(rows), 1)


def crossing_lines(grid: Grid, chars: list[Char], size: float) -> tuple[int, int]:
    """Lines that run from one cell into the next (or out of the table) with only a word gap."""
    x0, top, x1, bottom = grid.bbox

    def cell_of(c: Char) -> int:
        x, y = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
        if not x0 <= x <= x1:
            return -2
        return next((i for i, g in enumerate(grid.cells)
                     if g.bbox[0] <= x <= g.bbox[2] and g.bbox[1] <= y <= g.bbox[3]), -1)
    near = [c for c in chars if c["text"].strip()]
    n, lines = 0, group_lines(chars_in(near, (x0 - 2 * size, top, x1 + 2 * size, bottom)))
    for ln in lines:
        for a, b in zip(ln, ln[1:], strict=False):
            ca, cb = cell_of(a), cell_of(b)
            gap = (b["x0"] - a["x1"]) / size
            if 0.1 < gap < cfg("word_gap_ratio") and ca != cb and -1 not in (ca, cb):
                n += 1
                break
    return n, len(lines)


def reject_reason(cells: list[Cell], grid: Grid, page: Any, chars: list[Char] | None = None,
                  size: float = 10.0) -> str | None:
    """Why a grid is not a table (page frame, chart, shaded paragraph, empty), or None if it is one."""
    if not any(c["text"] for c in cells):
        return "empty"
    if grid.n_cols < 2 or len({c["col_no"] for c in cells if c["text"]}) < 2:
        return "one_column"
    if grid.n_rows < 2:
        return "one_row"
    x0, top, x1, bottom = grid.bbox
    if (x1 - x0) * (bottom - top) > 0.8 * page.width * page.height and len(cells) <= 4:
        return "page_frame"
    if filled_ratio(cells, grid) < cfg("min_fill_ratio"):
        return "chart"
    if paragraph_rows(cells, grid) >= cfg("paragraph_row_ratio"):
        return "shaded_paragraph"
    if _chart_labels(cells):
        return "chart"
    if chars is not None:
        n, total = crossing_lines(grid, chars, size)
        if n >= 2 and n >= 0.3 * total:
            return "shaded_paragraph"
    return None


def _chart_labels(cells: list[Cell]) -> bool:
    """Every non-empty cell is a bare number or percentage and there is no label column: chart labels."""
    texts = [c["text"] for c in cells if c["text"]]
    numeric = sum(1 for t in texts if all(re.fullmatch(r"[-+]?[\d.,]+%?", w) for w in t.split()))
    return len(texts) >= 4 and numeric == len(texts)
