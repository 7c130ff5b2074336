"""Reading order: find column gutters, cut the page into bands at full-width elements, read columns."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from extractors.cjk import Char
from extractors.layout_lines import Line
from schemas.layout import Box

MIN_ROWS_BOTH_SIDES = 3


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


Span = tuple[float, float]


def rows_to_strips(rows: Sequence[Sequence[Sequence[Char]]]) -> list[list[Span]]:
    """Bucket the pieces into horizontal strips about a line high; per strip, the union of their
    x-intervals. Strips, not rows, so columns whose baselines do not line up still meet."""
    pieces = [(p[0]["x0"], p[-1]["x1"], (p[0]["top"] + p[0]["bottom"]) / 2, float(p[0]["size"]))
              for r in rows for p in r]
    if not pieces:
        return []
    step = max(statistics.median(sz for *_, sz in pieces) * 1.6, 4.0)
    buckets: dict[int, list[Span]] = {}
    for x0, x1, cy, _ in pieces:
        buckets.setdefault(int(cy // step), []).append((x0, x1))
    strips: list[list[Span]] = []
    for k in sorted(buckets):
        spans = sorted(buckets[k])
        merged = [list(spans[0])]
        for a, b in spans[1:]:
            if a <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        strips.append([(a, b) for a, b in merged])
    return strips


def find_gutters(rows: Sequence[Sequence[Sequence[Char]]], width: float) -> list[float]:
    """x positions of column gutters: gaps with text on both sides in many strips, crossed by few."""
    strips = rows_to_strips(rows)
    w = int(width) + 2
    cross = [0] * (w + 1)
    both = [0] * (w + 1)
    for spans in strips:
        for a0, b0 in spans:
            a, b = max(int(a0), 0), min(int(b0) + 1, w)
            if a < b:
                cross[a] += 1
                cross[b] -= 1
        for (_, l1), (r0, _) in zip(spans, spans[1:], strict=False):
            a, b = max(int(l1) + 1, 0), min(int(r0), w)
            if a < b:
                both[a] += 1
                both[b] -= 1
    cross, both = _prefix(cross), _prefix(both)
    runs = _valid_runs(cross, both)
    gutters = [g for g in (_run_center(r, cross) for r in runs) if _local_gutter(strips, g, width)]
    return gutters[:2]


def _prefix(diff: list[int]) -> list[int]:
    out, acc = [], 0
    for d in diff:
        acc += d
        out.append(acc)
    return out


def _valid_runs(cross: list[int], both: list[int]) -> list[tuple[int, int]]:
    """Maximal x runs with enough two-sided strips and not overwhelmingly crossed."""
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


def _local_gutter(strips: Sequence[Sequence[Span]], g: float, width: float) -> bool:
    """Among the strips between the first and last two-sided strip at g, few cross g, and the
    text on both sides is column-wide (a borderless table's number columns are not)."""
    left: list[float] = []
    right: list[float] = []
    first = last = -1
    for i, spans in enumerate(strips):
        for (l0, l1), (r0, r1) in zip(spans, spans[1:], strict=False):
            if l1 <= g <= r0:
                left.append(l1 - l0)
                right.append(r1 - r0)
                first = i if first < 0 else first
                last = i
    if len(left) < MIN_ROWS_BOTH_SIDES:
        return False
    crossing = sum(1 for spans in strips[first:last + 1] for a, b in spans if a < g < b)
    narrow, wide = sorted((statistics.median(left), statistics.median(right)))
    return crossing * 2 <= len(left) and narrow >= 60.0 and wide >= max(60.0, 0.18 * width)


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
