"""Borderless tables (no rule at all, aligned by white space): the lines under (or over) a 表N / Table N caption.

A caption anchors the search, so prose, charts and two-column text are never read as tables by chance.
The lines under the caption are taken while they stay close together, are not a note or another caption,
and do not run across the columns the lines above them set up; a caption printed under its table is read
upwards the same way. Columns and rows are then cut as for a
three-line table (tables_text.ruleless_grid), with the header row found from line spacing.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from extractors.cjk import line_to_text
from extractors.tables_grid import Grid, cfg, load_rules
from extractors.tables_text import Char, body_rows, group_lines, line_heights, ruleless_grid, x_runs

Line = list[Char]
CAPTION_RULES = ("caption_zh_table", "caption_en_table")


@functools.cache
def stop_patterns() -> tuple[re.Pattern[str], ...]:
    """Lines that end a borderless table: notes, sources, figure and table captions (rules/tables.yaml)."""
    rules = load_rules()
    return tuple(re.compile(r["pattern"]) for r in rules["stop_lines"] + rules["captions"])


def line_text(line: Line) -> str:
    """A line's text with its word spaces (spaces come from gaps, since blank chars are dropped)."""
    return line_to_text(line)[0]


def caption_band(caption: Line, chars: list[Char], page_width: float) -> tuple[float, float]:
    """The x range a table under this caption may use: on a two-column page, the half that holds a caption
    set to one side (a one-column table); else the whole width (a left-set caption over a wide table)."""
    mid = (caption[0]["x0"] + caption[-1]["x1"]) / 2
    side = cfg("ws_side_share") * page_width
    if side <= mid <= page_width - side or not two_columns(chars, page_width):
        return 0.0, page_width
    return (0.0, page_width / 2) if mid < side else (page_width / 2, page_width)


def two_columns(chars: list[Char], page_width: float) -> bool:
    """More lines have text on both sides of the page's middle with a gap there than run across it."""
    middle = page_width / 2
    split = across = 0
    for line in group_lines([c for c in chars if c["text"].strip()]):
        if any(c["x0"] - 2 <= middle <= c["x1"] + 2 for c in line):
            across += 1
        elif line[0]["x1"] < middle < line[-1]["x0"]:
            split += 1
    return split > across


def lines_near(chars: list[Char], caption: Line, band: tuple[float, float], below: bool) -> list[Line]:
    """Text lines below the caption (top to bottom) or above it (nearest first) whose chars sit in the band."""
    lo, hi = band
    if below:
        edge = max(c["bottom"] for c in caption)
        picked = [c for c in chars if (c["top"] + c["bottom"]) / 2 > edge + 0.5]
    else:
        edge = min(c["top"] for c in caption)
        picked = [c for c in chars if (c["top"] + c["bottom"]) / 2 < edge - 0.5]
    lines = group_lines([c for c in picked if c["text"].strip() and lo <= (c["x0"] + c["x1"]) / 2 <= hi])
    return lines if below else lines[::-1]


def _crosses(line: Line, extents: list[tuple[float, float]]) -> bool:
    """A run of the line overlaps the text of two columns set up by the lines above it."""
    for a, b in x_runs(line, cfg("min_col_gap")):
        if sum(1 for x0, x1 in extents if min(b, x1) - max(a, x0) > 1) >= 2:
            return True
    return False


def _extents(lines: list[Line]) -> list[tuple[float, float]]:
    return x_runs([c for ln in lines for c in ln], cfg("min_col_gap"))


def _gap_limit(caption: Line, lines: list[Line]) -> float:
    return cfg("ws_max_gap") * line_heights(caption + [c for ln in lines[:3] for c in ln])


def _top(line: Line) -> float:
    return min(c["top"] for c in line)


def _bottom(line: Line) -> float:
    return max(c["bottom"] for c in line)


def table_lines(caption: Line, lines: list[Line]) -> list[Line]:
    """The lines under a caption that belong to its table: close together, no note, no prose across columns."""
    max_gap = _gap_limit(caption, lines)
    prev_bottom = _bottom(caption)
    taken: list[Line] = []
    for ln in lines:
        text = line_text(ln).strip()
        if _top(ln) - prev_bottom > max_gap:
            break
        if not taken and any(p.match(text) for p in _caption_patterns()):
            prev_bottom = _bottom(ln)  # the caption in the other language
            continue
        if any(p.match(text) for p in stop_patterns()):
            break
        if len(taken) >= 2 and _crosses(ln, _extents(taken[1:])):
            break
        taken.append(ln)
        prev_bottom = max(prev_bottom, _bottom(ln))
    return taken


def table_lines_above(caption: Line, lines: list[Line]) -> list[Line]:
    """The lines over a caption printed below its table (nearest first in, top to bottom out).

    A line that runs across the body's columns ends the table, unless it is the table's top line (white space
    above it): a header with a spanning cell."""
    max_gap = _gap_limit(caption, lines)
    prev_top = _top(caption)
    taken: list[Line] = []
    for i, ln in enumerate(lines):
        text = line_text(ln).strip()
        if prev_top - _bottom(ln) > max_gap:
            break
        if not taken and any(p.match(text) for p in _caption_patterns() + _note_patterns()):
            prev_top = _top(ln)  # the caption in the other language, or a source line under the table
            continue
        if any(p.match(text) for p in stop_patterns()):
            break
        if taken and _crosses(ln, _extents(taken)):
            alone = i + 1 == len(lines) or _top(ln) - _bottom(lines[i + 1]) > max_gap
            if alone:
                taken.append(ln)
            break
        taken.append(ln)
        prev_top = min(prev_top, _top(ln))
    return taken[::-1]


def lead_lines_dropped(lines: list[Line]) -> list[Line]:
    """Drop a unit line (单位：万千瓦) or a wrapped caption line (one run across the columns) over the header."""
    while len(lines) > 2:
        text = line_text(lines[0]).strip()
        wrapped = len(x_runs(lines[0], cfg("min_col_gap"))) == 1 and _crosses(lines[0], _extents(lines[2:]))
        if not (wrapped or any(p.match(text) for p in _skip_patterns())):
            break
        lines = lines[1:]
    return lines


@functools.cache
def _note_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(r["pattern"]) for r in load_rules()["stop_lines"] if r["id"].startswith("stop_note"))


@functools.cache
def _skip_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(r["pattern"]) for r in load_rules()["skip_lines"])


@functools.cache
def _caption_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(r["pattern"]) for r in load_rules()["captions"] if r["id"] in CAPTION_RULES)


def lines_to_grid(lines: list[Line], chars: list[Char]) -> Grid | None:
    """Table lines -> a grid: the header is the first row by line spacing, columns from body white space."""
    lines = lead_lines_dropped(lines)
    if len(lines) < 2:
        return None
    body = _extents(lines[1:])
    if len(body) < 2:
        return None
    xs = [body[0][0]] + [(a[1] + b[0]) / 2 for a, b in zip(body, body[1:], strict=False)] + [body[-1][1]]
    rows = body_rows(lines, xs, full_starts=False)  # a header may wrap in every column
    if len(rows) < 2:
        return None
    flat = [c for ln in lines for c in ln]
    x0, x1 = min(c["x0"] for c in flat) - 1, max(c["x1"] for c in flat) + 1
    top, bottom = min(c["top"] for c in flat) - 1, max(c["bottom"] for c in flat) + 1
    head_bottom = (max(c["bottom"] for ln in rows[0] for c in ln) + min(c["top"] for c in rows[1][0])) / 2
    outline = Grid(bbox=(x0, top, x1, bottom), xs=[x0, x1], ys=[top, head_bottom, bottom])
    return ruleless_grid(outline, chars)


def caption_to_grids(chars: list[Char], caption: Line, page_width: float) -> Iterator[Grid]:
    """A 表N / Table N caption with no ruled table near it -> the borderless table under it, then (only if
    the caller asks for another) the one over it."""
    band = caption_band(caption, chars, page_width)
    for below, read in ((True, table_lines), (False, table_lines_above)):
        grid = lines_to_grid(read(caption, lines_near(chars, caption, band, below)), chars)
        if grid is not None:
            yield grid


def overlaps(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])
