"""Cell text from chars (CJK joining, reference markers kept apart) and rule-less column splitting."""

from __future__ import annotations

import statistics
from collections import Counter
from typing import Any

from extractors.cjk import is_cjk, line_to_text
from extractors.tables_grid import Bbox, Grid, GridCell, cfg

Char = dict[str, Any]


def main_size(chars: list[Char]) -> float:
    """The most common font size: text smaller than a share of it is a superscript marker."""
    sizes = Counter(round(float(c.get("size", 10)), 1) for c in chars if c["text"].strip())
    return sizes.most_common(1)[0][0] if sizes else 10.0


def chars_in(chars: list[Char], bbox: Bbox) -> list[Char]:
    """Chars whose centre lies in the box."""
    x0, top, x1, bottom = bbox
    return [c for c in chars if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (c["top"] + c["bottom"]) / 2 <= bottom]


def group_lines(chars: list[Char]) -> list[list[Char]]:
    """Chars -> visual lines (top to bottom), each sorted left to right."""
    lines: list[list[Char]] = []
    for c in sorted(chars, key=lambda c: ((c["top"] + c["bottom"]) / 2, c["x0"])):
        mid = (c["top"] + c["bottom"]) / 2
        if lines and mid <= max(x["bottom"] for x in lines[-1]) - 0.5:
            lines[-1].append(c)
        else:
            lines.append([c])
    return [sorted(ln, key=lambda c: c["x0"]) for ln in lines]


def split_markers(chars: list[Char], size: float) -> tuple[list[Char], list[str]]:
    """Small raised chars (superscripts, glued source letters like the A in '115 GWA') -> refs."""
    limit = size * cfg("superscript_ratio")
    body = [c for c in chars if float(c.get("size", size)) >= limit or not c["text"].strip()]
    small = [c for c in chars if float(c.get("size", size)) < limit and c["text"].strip()]
    if len(small) > cfg("superscript_max_len") * 4 and len(small) > len(body):
        return chars, []
    refs: list[str] = []
    prev: Char | None = None
    for c in sorted(small, key=lambda c: (round(c["top"]), c["x0"])):
        if prev is not None and abs(c["top"] - prev["top"]) < 2 and c["x0"] - prev["x1"] < 2 and refs:
            refs[-1] += c["text"]
        else:
            refs.append(c["text"])
        prev = c
    return body, [r.strip() for r in refs if r.strip()]


def untrusted(chars: list[Char]) -> bool:
    """(cid:N) glyphs, replacement chars or private-use code points: the text layer cannot be trusted."""
    bad = sum(1 for c in chars if c["text"].startswith("(cid:") or "\ufffd" in c["text"]
              or any(0xE000 <= ord(ch) <= 0xF8FF for ch in c["text"]))
    return bad > 0 and bad >= 0.05 * max(len(chars), 1)


def cell_text(chars: list[Char], size: float) -> tuple[str, tuple[str, ...]]:
    """A cell's chars -> joined text (CJK without spaces, English with) and its reference markers."""
    body, refs = split_markers(chars, size)
    grouped = [ln for ln in group_lines(body) if "".join(c["text"] for c in ln).strip()]
    right = max((ln[-1]["x1"] for ln in grouped), default=0.0)
    text = ""
    for i, ln in enumerate(grouped):
        t = line_to_text(ln)[0].strip()
        if i and text and t:
            short = grouped[i - 1][-1]["x1"] < right - 1.5 * size
            digits = text[-1].isdigit() and t[0].isdigit()
            text += " " if short or not (digits or is_cjk(text[-1]) or is_cjk(t[0])) else ""
        text += t
    return " ".join(text.split()) if not any("\u4e00" <= ch <= "\u9fff" for ch in text) else text.strip(), tuple(refs)


def x_runs(chars: list[Char], gap: float) -> list[tuple[float, float]]:
    """Merge chars' x-extents into runs separated by at least `gap` of white space."""
    runs: list[list[float]] = []
    for c in sorted(chars, key=lambda c: c["x0"]):
        if runs and c["x0"] - runs[-1][1] < gap:
            runs[-1][1] = max(runs[-1][1], c["x1"])
        else:
            runs.append([c["x0"], c["x1"]])
    return [(a, b) for a, b in runs]


def body_rows(lines: list[list[Char]], xs: list[float], full_starts: bool = True) -> list[list[list[Char]]]:
    """Group body lines into rows: a wide empty band starts a row, else (even spacing) text in column 0
    or, with full_starts, a line filling most of three or more columns (a row with an empty label)."""
    if not lines:
        return []
    merged: list[list[Char]] = [list(lines[0])]
    for ln in lines[1:]:
        if min(c["top"] for c in ln) < max(c["bottom"] for c in merged[-1]) - 0.5:
            merged[-1].extend(ln)
        else:
            merged.append(list(ln))
    lines = merged
    bands = [min(c["top"] for c in b) - max(c["bottom"] for c in a) for a, b in zip(lines, lines[1:], strict=False)]
    pos = [b for b in bands if b > 0] or [0.0]
    m = min(pos)
    limit = max(1.8 * m, m + 3)
    uneven = any(b > limit for b in bands)
    rows: list[list[list[Char]]] = [[lines[0]]]
    n_cols = len(xs) - 1
    for i, ln in enumerate(lines[1:]):
        col0 = any(c["x1"] <= xs[1] + 1 for c in ln)
        filled = len({_cols_of(r, xs)[0] for r in x_runs(ln, cfg("min_col_gap"))})
        full = full_starts and n_cols >= 3 and 2 * filled >= n_cols + 1
        if (uneven and bands[i] > limit) or (not uneven and (col0 or full)):
            rows.append([ln])
        else:
            rows[-1].append(ln)
    return rows


def _cols_of(run: tuple[float, float], xs: list[float]) -> tuple[int, int]:
    cols = [i for i in range(len(xs) - 1) if min(run[1], xs[i + 1]) - max(run[0], xs[i]) > 1]
    return (cols[0], cols[-1]) if cols else (0, 0)


def header_levels(lines: list[list[Char]], xs: list[float]) -> list[list[list[Char]]]:
    """Header lines -> levels: a line with a text run spanning several columns closes a level."""
    levels: list[list[list[Char]]] = [[]]
    for ln in lines:
        levels[-1].append(ln)
        if any(a != b for a, b in (_cols_of(r, xs) for r in x_runs(ln, cfg("min_col_gap")))):
            levels.append([])
    return [lv for lv in levels if lv]


def ruleless_grid(grid: Grid, chars: list[Char]) -> Grid | None:
    """A three-line / booktabs table: columns from white space in the body, rows from line spacing."""
    if grid.n_rows < 2:
        return None
    head_bottom = grid.ys[1]
    x0, top, x1, bottom = grid.bbox
    inside = chars_in(chars, grid.bbox)
    body = [c for c in inside if (c["top"] + c["bottom"]) / 2 > head_bottom and c["text"].strip()]
    runs = x_runs(body, cfg("min_col_gap"))
    if len(runs) < 2:
        return None
    xs = [x0] + [(a[1] + b[0]) / 2 for a, b in zip(runs, runs[1:], strict=False)] + [x1]
    head = [c for c in inside if (c["top"] + c["bottom"]) / 2 <= head_bottom and c["text"].strip()]
    levels = header_levels(group_lines(head), xs)
    rows = body_rows(group_lines(body), xs)
    ys = [top] + [min(c["top"] for c in lv[0]) - 0.5 for lv in levels[1:]] + [head_bottom]
    ys += [min(c["top"] for c in r[0]) - 0.5 for r in rows[1:]] + [bottom]
    out = Grid(bbox=grid.bbox, xs=xs, ys=ys, header_rule=head_bottom)
    out.cells = _header_cells(levels, xs, ys) + _body_cells(len(levels), len(rows), xs, ys)
    return out


def _header_cells(levels: list[list[list[Char]]], xs: list[float], ys: list[float]) -> list[GridCell]:
    """Header cells per level; a column with no text in lower levels spans down to the header rule."""
    cells: list[GridCell] = []
    used: set[tuple[int, int]] = set()
    n = len(levels)
    for li, lv in enumerate(levels):
        spans: dict[tuple[int, int], None] = {}
        for ln in lv:
            for run in x_runs(ln, cfg("min_col_gap")):
                spans[_cols_of(run, xs)] = None
        for a, b in _merge_spans(list(spans)):
            if (li, a) in used:
                continue
            lower = any(_cols_of(r, xs)[0] <= b and _cols_of(r, xs)[1] >= a
                        for lv2 in levels[li + 1:] for ln in lv2 for r in x_runs(ln, cfg("min_col_gap")))
            rs = 1 if lower else n - li
            cells.append(GridCell(li, a, rs, b - a + 1, (xs[a], ys[li], xs[b + 1], ys[li + rs])))
            used.update((li + k, c) for k in range(rs) for c in range(a, b + 1))
    return cells


def _merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def _body_cells(first: int, n: int, xs: list[float], ys: list[float]) -> list[GridCell]:
    return [GridCell(first + r, c, 1, 1, (xs[c], ys[first + r], xs[c + 1], ys[first + r + 1]))
            for r in range(n) for c in range(len(xs) - 1)]


def line_heights(chars: list[Char]) -> float:
    """Median char height: a unit for distances on the page."""
    hs = [c["bottom"] - c["top"] for c in chars if c["text"].strip()]
    return statistics.median(hs) if hs else 10.0
