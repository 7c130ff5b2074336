"""Find table grids on a page: ruled, partly ruled (open sides) and three-line tables, one find_tables pass."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

RULES_PATH = Path(__file__).parent / "rules" / "tables.yaml"
Bbox = tuple[float, float, float, float]


@functools.lru_cache(maxsize=1)
def load_rules() -> dict[str, Any]:
    """Tuning settings and patterns live in rules/tables.yaml so they can be tuned without code edits."""
    return yaml.safe_load(RULES_PATH.read_text(encoding="utf-8"))


def cfg(key: str) -> Any:
    return load_rules()["settings"][key]


@dataclass
class GridCell:
    """One cell of a grid before text: row/col index, spans and its box."""

    row: int
    col: int
    row_span: int
    col_span: int
    bbox: Bbox


@dataclass
class Grid:
    """A table's geometry: its box, column and row boundaries, and the cells."""

    bbox: Bbox
    xs: list[float]
    ys: list[float]
    cells: list[GridCell] = field(default_factory=list)
    inner_verticals: int = 0
    header_rule: float | None = None

    @property
    def n_rows(self) -> int:
        return len(self.ys) - 1

    @property
    def n_cols(self) -> int:
        return len(self.xs) - 1


def h_rules(page: Any) -> list[dict[str, Any]]:
    """Horizontal edges long enough to be table rules (lines, rect sides, thin filled rects)."""
    min_len = cfg("min_rule_len")
    return [e for e in page.horizontal_edges if e["x1"] - e["x0"] >= min_len]


def rule_clusters(rules: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Group horizontal rules that overlap in x and sit close vertically: one group per candidate table."""
    gap = cfg("cluster_gap")
    clusters: list[list[dict[str, Any]]] = []
    for e in sorted(rules, key=lambda e: e["top"]):
        for cl in clusters:
            last = cl[-1]
            ov = min(e["x1"], last["x1"]) - max(e["x0"], last["x0"])
            if ov > 0.5 * min(e["x1"] - e["x0"], last["x1"] - last["x0"]) and e["top"] - last["top"] <= gap:
                cl.append(e)
                break
        else:
            clusters.append([e])
    return [c for c in clusters if len({round(e["top"]) for e in c}) >= 2]


def _has_vertical(verts: list[dict[str, Any]], x: float, top: float, bottom: float) -> bool:
    """An existing vertical rule at x covering most of [top, bottom]."""
    cover = sum(max(0.0, min(v["bottom"], bottom) - max(v["top"], top)) for v in verts if abs(v["x0"] - x) < 3)
    return cover >= 0.5 * (bottom - top)


def split_at_captions(cl: list[dict[str, Any]], caption_tops: list[float]) -> list[list[dict[str, Any]]]:
    """Two stacked tables are two groups: split a rule group where a caption line sits between rules."""
    out: list[list[dict[str, Any]]] = [[cl[0]]]
    for e in cl[1:]:
        if any(out[-1][-1]["top"] < t < e["top"] for t in caption_tops):
            out.append([e])
        else:
            out[-1].append(e)
    return [g for g in out if len({round(e["top"]) for e in g}) >= 2]


def open_side_edges(page: Any, caption_tops: list[float]) -> list[dict[str, Any]]:
    """Vertical edges at both ends of each rule group: closes open-sided and three-line tables."""
    out: list[dict[str, Any]] = []
    verts = page.vertical_edges
    groups = [g for cl in rule_clusters(h_rules(page)) for g in split_at_captions(cl, caption_tops)]
    for cl in groups:
        top, bottom = min(e["top"] for e in cl), max(e["top"] for e in cl)
        for x in (min(e["x0"] for e in cl), max(e["x1"] for e in cl)):
            if _has_vertical(verts, x, top, bottom):
                continue
            out.append({"x0": x, "x1": x, "top": top, "bottom": bottom, "width": 0.0,
                        "height": bottom - top, "orientation": "v", "object_type": "line_edge"})
    return out


def find_grids(page: Any, caption_tops: list[float]) -> list[Grid]:
    """The one find_tables pass per page, with the open sides of rule groups closed."""
    if not page.horizontal_edges:
        return []
    settings = {"vertical_strategy": "lines", "horizontal_strategy": "lines",
                "explicit_vertical_lines": open_side_edges(page, caption_tops),
                "snap_tolerance": cfg("snap_tolerance"), "join_tolerance": cfg("join_tolerance"),
                "intersection_tolerance": cfg("intersection_tolerance")}
    verts = [e for e in page.vertical_edges if e["bottom"] - e["top"] > 2]
    grids = [table_to_grid(t.cells, t.bbox, verts) for t in page.find_tables(settings)]
    return grids + lone_boxes(page, grids, verts)


def lone_boxes(page: Any, grids: list[Grid], verts: list[dict[str, Any]]) -> list[Grid]:
    """Single-cell boxes near the page top (find_tables skips one-cell tables): 专栏 continuations."""
    out: list[Grid] = []
    for cl in rule_clusters(h_rules(page)):
        tops = sorted({round(e["top"], 1) for e in cl})
        x0, x1 = min(e["x0"] for e in cl), max(e["x1"] for e in cl)
        top, bottom = tops[0], tops[-1]
        if len(tops) != 2 or top > cfg("stitch_top_margin") * page.height:
            continue
        if not (_has_vertical(verts, x0, top, bottom) and _has_vertical(verts, x1, top, bottom)):
            continue
        if any(g.bbox[0] - 3 <= x0 and g.bbox[1] - 3 <= top and g.bbox[3] + 3 >= bottom for g in grids):
            continue
        grid = Grid(bbox=(x0, top, x1, bottom), xs=[x0, x1], ys=[top, bottom])
        grid.cells = [GridCell(0, 0, 1, 1, (x0, top, x1, bottom))]
        out.append(grid)
    return out


def _snap(values: list[float], tol: float = 2.0) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def _index(bounds: list[float], v: float) -> int:
    return min(range(len(bounds)), key=lambda i: abs(bounds[i] - v))


def table_to_grid(cells: list[Bbox], bbox: Bbox, verts: list[dict[str, Any]]) -> Grid:
    """pdfplumber cell boxes -> row/col boundaries and spanned cells (each spanned cell once)."""
    xs = _snap([c[0] for c in cells] + [c[2] for c in cells])
    ys = _snap([c[1] for c in cells] + [c[3] for c in cells])
    grid = Grid(bbox=tuple(bbox), xs=xs, ys=ys)  # type: ignore[arg-type]
    seen: set[tuple[int, int]] = set()
    for c in sorted(cells, key=lambda c: (c[1], c[0])):
        r0, r1 = _index(ys, c[1]), _index(ys, c[3])
        c0, c1 = _index(xs, c[0]), _index(xs, c[2])
        if (r0, c0) in seen or r1 <= r0 or c1 <= c0:
            continue
        seen.add((r0, c0))
        grid.cells.append(GridCell(r0, c0, r1 - r0, c1 - c0, tuple(c)))  # type: ignore[arg-type]
    grid.inner_verticals = sum(
        1 for v in verts if bbox[0] + 2 < v["x0"] < bbox[2] - 2 and v["top"] < bbox[3] and v["bottom"] > bbox[1])
    return grid
