"""Reading order: find column gutters, cut the page into bands at full-width elements, read columns."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from extractors.cjk import Char
from extractors.layout_lines import Line
from schemas.layout import Box

MIN_ROWS_BOTH_SIDES = 4


@dataclass
class Item:
    """One thing placed in reading order: a line of text or a table box (index into the tables)."""

    top: float
    bottom: float
    x0: float
    x1: float
    line: Line | None = None
    table: int = -1
    column: int = 0
    spanning: bool = False


def find_gutters(rows: Sequence[Sequence[Sequence[Char]]], width: float) -> list[float]:
    """x positions of column gutters: gaps with text on both sides in many rows, crossed by few."""
    w = int(width) + 2
    cross = [0] * (w + 1)
    both = [0] * (w + 1)
    for pieces in rows:
        for p in pieces:
            a, b = max(int(p[0]["x0"]), 0), min(int(p[-1]["x1"]) + 1, w)
            if a < b:
                cross[a] += 1
                cross[b] -= 1
        for left, right in zip(pieces, pieces[1:]):
            a, b = max(int(left[-1]["x1"]) + 1, 0), min(int(right[0]["x0"]), w)
            if a < b:
                both[a] += 1
                both[b] -= 1
    cross, both = _prefix(cross), _prefix(both)
    runs = _valid_runs(cross, both)
    gutters = [g for g in (_run_center(r, cross) for r in runs) if _local_gutter(rows, g, width)]
    return gutters[:2]


def _prefix(diff: list[int]) -> list[int]:
    out, acc = [], 0
    for d in diff:
        acc += d
        out.append(acc)
    return out


def _valid_runs(cross: list[int], both: list[int]) -> list[tuple[int, int]]:
    """Maximal x runs where rows with text on both sides outnumber the rows crossing by 2 to 1."""
    runs: list[tuple[int, int]] = []
    start = -1
    for x in range(len(cross)):
        ok = both[x] >= MIN_ROWS_BOTH_SIDES and cross[x] <= 4 * both[x]
        if ok and start < 0:
            start = x
        elif not ok and start >= 0:
            runs.append((start, x))
            start = -1
    if start >= 0:
        runs.append((start, len(cross)))
    return runs


def _run_center(run: tuple[int, int], cross: list[int]) -> float:
    """The middle of the least-crossed part of a run."""
    lo = min(cross[run[0]:run[1]])
    xs = [x for x in range(run[0], run[1]) if cross[x] == lo]
    return (xs[0] + xs[-1]) / 2


def _local_gutter(rows: Sequence[Sequence[Sequence[Char]]], g: float, width: float) -> bool:
    """Inside the rows that have text on both sides of g, few pieces cross g and both sides are
    wide columns of prose (a borderless table's number columns are not)."""
    left: list[float] = []
    right: list[float] = []
    y0, y1 = 1e9, -1e9
    for pieces in rows:
        for a, b in zip(pieces, pieces[1:]):
            if a[-1]["x1"] <= g <= b[0]["x0"]:
                left.append(a[-1]["x1"] - a[0]["x0"])
                right.append(b[-1]["x1"] - b[0]["x0"])
                y0, y1 = min(y0, a[0]["top"]), max(y1, a[0]["bottom"])
    if len(left) < MIN_ROWS_BOTH_SIDES:
        return False
    crossing = sum(1 for pieces in rows for p in pieces
                   if p[0]["x0"] < g < p[-1]["x1"] and y0 <= p[0]["top"] <= y1)
    need = max(60.0, 0.18 * width)
    return (crossing * 2 <= len(left) and statistics.median(left) >= need
            and statistics.median(right) >= need)


def column_of(x0: float, x1: float, gutters: Sequence[float]) -> tuple[int, bool]:
    """Column index of a box and whether it spans a gutter (a full-width element)."""
    for g in gutters:
        if x0 < g - 2 and x1 > g + 2:
            return 0, True
    return sum(1 for g in gutters if (x0 + x1) / 2 > g), False


def order_items(items: list[Item], gutters: Sequence[float]) -> list[Item]:
    """Bands between full-width items; inside a band, read column by column, each top to bottom."""
    for it in items:
        it.column, it.spanning = column_of(it.x0, it.x1, gutters)
    items.sort(key=lambda it: (it.top, it.x0))
    out: list[Item] = []
    band: list[Item] = []
    for it in items:
        if it.spanning:
            out.extend(sorted(band, key=lambda b: (b.column, b.top, b.x0)))
            band = []
            out.append(it)
        else:
            band.append(it)
    out.extend(sorted(band, key=lambda b: (b.column, b.top, b.x0)))
    return out


def box_contains(box: Box, x0: float, top: float, x1: float, bottom: float, pad: float = 1.0) -> bool:
    """The centre of (x0, top, x1, bottom) lies inside box."""
    cx, cy = (x0 + x1) / 2, (top + bottom) / 2
    return box[0] - pad <= cx <= box[2] + pad and box[1] - pad <= cy <= box[3] + pad
